-- A client id belongs to the principal that first used it on the stream (its owner); nobody else may push or pull
-- under it. Rows from before this column have no owner yet: the next principal to use the id binds it.
ALTER TABLE cv_clients ADD COLUMN owner TEXT;
