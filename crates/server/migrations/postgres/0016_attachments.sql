-- Evidence attachments (issue 18): screenshots and photos of a report, re-encoded by the server
-- (no metadata survives) and sealed: `data` is nonce ‖ XChaCha20-Poly1305 ciphertext under a
-- per-file data key, and `data_key_sealed` is that key sealed by the server key (AAD binds table,
-- column and row). `client_file_id` is made by the browser once per file and reused on every
-- retry, so a retried upload never stores a file twice. Deleted with the report (retention).
CREATE TABLE attachments (
    id              UUID    PRIMARY KEY,
    report_id       UUID    NOT NULL REFERENCES reports (id) ON DELETE CASCADE,
    client_file_id  UUID    NOT NULL,
    content_type    TEXT    NOT NULL CHECK (content_type IN ('image/jpeg', 'image/png')),
    bytes           BIGINT  NOT NULL,
    width           BIGINT  NOT NULL,
    height          BIGINT  NOT NULL,
    sha256          TEXT    NOT NULL,
    received_at     BIGINT  NOT NULL,
    data_key_sealed TEXT    NOT NULL,
    data            BYTEA   NOT NULL,
    UNIQUE (report_id, client_file_id)
);
