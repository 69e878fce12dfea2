-- Each role in its own words (issue 15 item 5): "avvikelserapport" is healthcare jargon. The two
-- seeded checklist steps that used it are reworded, unless an administrator has already changed
-- them; the content version moves on so every device fetches the new words.
UPDATE checklist_items
   SET text_sv = 'Rapportera hotet eller trakasserierna i Trygg, så att säkerhetssamordnarna kan hjälpa dig och lära av det.',
       text_en = 'Report the threat or harassment in Trygg, so the security coordinators can help you and learn from it.',
       version = version + 1
 WHERE role = 'elected_official' AND phase = 'after' AND text_sv = 'Skriv en avvikelserapport i Trygg.';
UPDATE checklist_items
   SET text_sv = 'Rapportera händelsen i Trygg – allvarliga händelser ska även nå Arbetsmiljöverket, i praktiken inom 24 timmar.',
       text_en = 'Report the incident in Trygg – serious incidents must also reach the Work Environment Authority, within 24 hours in practice.',
       version = version + 1
 WHERE role = 'healthcare' AND phase = 'after'
   AND text_sv = 'Skriv en avvikelserapport i Trygg – allvarliga händelser ska även nå Arbetsmiljöverket, i praktiken inom 24 timmar.';
UPDATE settings SET value = value + 1, version = version + 1 WHERE name = 'content_version';

-- Notices (issue 16 item 5): short texts in Swedish and English that coordinators publish for
-- reporters of one role (or all) from a start date to an end date (calendar dates in
-- Europe/Stockholm, both inclusive). They reach devices inside GET /api/content.
CREATE TABLE notices (
    id         INTEGER PRIMARY KEY,
    title_sv   TEXT    NOT NULL,
    title_en   TEXT    NOT NULL,
    body_sv    TEXT    NOT NULL,
    body_en    TEXT    NOT NULL,
    audience   TEXT    NOT NULL,
    starts_on  TEXT    NOT NULL,
    ends_on    TEXT    NOT NULL,
    version    INTEGER NOT NULL DEFAULT 1,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);
CREATE INDEX notices_ends_on ON notices (ends_on);
