-- Each access-log entry also carries an HMAC (under a server key the database does not hold)
-- over its sequence number and chain hash, with the id of the key that made it: rows forged or
-- rewritten by someone with database access but without the key no longer verify. Rows
-- written before this migration have none; the anchor file outside the database vouches for
-- them (see store/audit.rs).
ALTER TABLE audit_log ADD COLUMN key_id INTEGER;
ALTER TABLE audit_log ADD COLUMN mac TEXT;
