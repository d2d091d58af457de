-- A stream's schema version, moved in the same transaction as every change of its schema: a node keeps the schema it
-- read across pushes and reads it again only when another push (on any node) changed it.
ALTER TABLE cv_streams ADD COLUMN IF NOT EXISTS schema_version bigint NOT NULL DEFAULT 0;
