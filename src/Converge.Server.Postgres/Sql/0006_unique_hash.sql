-- A unique value may be as long as any value (strings up to 256 KiB) and a btree row holds at most about 2.7 KB: the
-- primary key holds the value's SHA-256 (of its UTF-8 bytes, as KeyHash.Of computes it) instead of the value itself.
ALTER TABLE cv_uniques ADD COLUMN IF NOT EXISTS value_hash bytea;
UPDATE cv_uniques SET value_hash = sha256(convert_to(value, 'UTF8')) WHERE value_hash IS NULL;
ALTER TABLE cv_uniques ALTER COLUMN value_hash SET NOT NULL;
ALTER TABLE cv_uniques DROP CONSTRAINT cv_uniques_pkey;
ALTER TABLE cv_uniques ADD PRIMARY KEY (stream, collection, field, value_hash);
