-- Set elements, one row each, apart from their record: a write of one element never rewrites the set.
-- data is the element's storage form {"v": value, "a": added?, "x": removed?}; the record keeps the set's header.
CREATE TABLE IF NOT EXISTS cv_elements (
    stream     text COLLATE "C" NOT NULL,
    collection text COLLATE "C" NOT NULL,
    id         uuid  NOT NULL,
    field      text COLLATE "C" NOT NULL,
    key        text COLLATE "C" NOT NULL,
    data       bytea NOT NULL,
    PRIMARY KEY (stream, collection, id, field, key)
);
