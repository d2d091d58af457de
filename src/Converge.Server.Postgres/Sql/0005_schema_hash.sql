-- The SHA-256 of a stream's schema body, written in the same transaction as the body (null while it has none): a node
-- keeps the schemas it read by this hash and reads the schema again only when the stream's row holds another. A hash
-- names one body, whatever happens to the database: a restore brings back each body with its own hash.
ALTER TABLE cv_streams ADD COLUMN IF NOT EXISTS schema_hash bytea;
UPDATE cv_streams s SET schema_hash = sha256(c.body) FROM cv_schema c WHERE c.stream = s.stream;
