-- A client id belongs to the principal that first used it on the stream (its owner); nobody else may push or pull
-- under it. Rows from before this column are owned by the principal of their last visit: a member of the stream who
-- saw the id in a pulled log cannot claim it (and lock its replica out) after the upgrade.
ALTER TABLE cv_clients ADD COLUMN IF NOT EXISTS owner text;
UPDATE cv_clients SET owner = principal WHERE owner IS NULL;
