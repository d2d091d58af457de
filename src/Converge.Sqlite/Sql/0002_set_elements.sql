-- Set elements, one row each, apart from their record: a write of one element never rewrites the set.
-- data is the element's storage form {"v": value, "a": added?, "x": removed?}; the record keeps the set's header.
CREATE TABLE IF NOT EXISTS cv_elements (
    stream     TEXT NOT NULL,
    collection TEXT NOT NULL,
    id         TEXT NOT NULL,
    field      TEXT NOT NULL,
    key        TEXT NOT NULL,
    data       BLOB NOT NULL,
    PRIMARY KEY (stream, collection, id, field, key)
) WITHOUT ROWID;
