-- Set elements, one row each, apart from their record: a write of one element never rewrites the set.
-- data is the element's storage form {"v": value, "a": added?, "x": removed?}; the record keeps the set's header.
-- The key may be as long as a value (strings up to 256 KiB) and a btree row holds at most about 2.7 KB, so the primary
-- key holds its SHA-256 (of its UTF-8 bytes, KeyHash.Of) and the key itself is a plain column.
CREATE TABLE IF NOT EXISTS cv_elements (
    stream     text COLLATE "C" NOT NULL,
    collection text COLLATE "C" NOT NULL,
    id         uuid  NOT NULL,
    field      text COLLATE "C" NOT NULL,
    key_hash   bytea NOT NULL,
    key        text  NOT NULL,
    data       bytea NOT NULL,
    PRIMARY KEY (stream, collection, id, field, key_hash)
);
