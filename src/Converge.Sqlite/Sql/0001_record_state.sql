-- The merge engine's state (IRecordState): schema, records, aliases and unique indexes, per stream.
CREATE TABLE IF NOT EXISTS cv_schema (
    stream TEXT NOT NULL PRIMARY KEY,
    body   BLOB NOT NULL
);

CREATE TABLE IF NOT EXISTS cv_records (
    stream     TEXT NOT NULL,
    collection TEXT NOT NULL,
    id         TEXT NOT NULL,
    data       BLOB NOT NULL,
    PRIMARY KEY (stream, collection, id)
) WITHOUT ROWID;

CREATE TABLE IF NOT EXISTS cv_aliases (
    stream     TEXT NOT NULL,
    collection TEXT NOT NULL,
    id         TEXT NOT NULL,
    canonical  TEXT NOT NULL,
    PRIMARY KEY (stream, collection, id)
) WITHOUT ROWID;

CREATE TABLE IF NOT EXISTS cv_uniques (
    stream     TEXT NOT NULL,
    collection TEXT NOT NULL,
    field      TEXT NOT NULL,
    value      TEXT NOT NULL,
    record     TEXT NOT NULL,
    PRIMARY KEY (stream, collection, field, value)
) WITHOUT ROWID;
