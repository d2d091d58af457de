-- Every table of the store: streams and their heads, the log, accepted ids, the merge state, snapshots,
-- clients and credentials. Text compares in "C" collation so orders are ordinal, as the export needs.
CREATE TABLE IF NOT EXISTS cv_streams (
    stream  text COLLATE "C" NOT NULL PRIMARY KEY,
    head    bigint NOT NULL DEFAULT 0,
    horizon bigint NOT NULL DEFAULT 0
);

CREATE TABLE IF NOT EXISTS cv_log (
    stream    text COLLATE "C" NOT NULL,
    idx       bigint NOT NULL,
    action_id uuid   NOT NULL,
    client_id uuid   NOT NULL,
    principal text   NOT NULL,
    body      bytea  NOT NULL,
    PRIMARY KEY (stream, idx)
);

-- Every action ever accepted, kept after compaction so a retried push is still a duplicate.
CREATE TABLE IF NOT EXISTS cv_accepted (
    stream    text COLLATE "C" NOT NULL,
    action_id uuid   NOT NULL,
    idx       bigint NOT NULL,
    body_hash bytea  NOT NULL,
    PRIMARY KEY (stream, action_id)
);

CREATE TABLE IF NOT EXISTS cv_schema (
    stream text COLLATE "C" NOT NULL PRIMARY KEY,
    body   bytea NOT NULL
);

CREATE TABLE IF NOT EXISTS cv_records (
    stream     text COLLATE "C" NOT NULL,
    collection text COLLATE "C" NOT NULL,
    id         uuid  NOT NULL,
    data       bytea NOT NULL,
    PRIMARY KEY (stream, collection, id)
);

CREATE TABLE IF NOT EXISTS cv_aliases (
    stream     text COLLATE "C" NOT NULL,
    collection text COLLATE "C" NOT NULL,
    id         uuid NOT NULL,
    canonical  uuid NOT NULL,
    PRIMARY KEY (stream, collection, id)
);

CREATE TABLE IF NOT EXISTS cv_uniques (
    stream     text COLLATE "C" NOT NULL,
    collection text COLLATE "C" NOT NULL,
    field      text COLLATE "C" NOT NULL,
    value      text COLLATE "C" NOT NULL,
    record     uuid NOT NULL,
    PRIMARY KEY (stream, collection, field, value)
);

CREATE TABLE IF NOT EXISTS cv_snapshots (
    stream     text COLLATE "C" NOT NULL,
    idx        bigint NOT NULL,
    digest     text   NOT NULL,
    length     bigint NOT NULL,
    created_at timestamptz NOT NULL,
    body       bytea  NOT NULL,
    PRIMARY KEY (stream, digest)
);
CREATE INDEX IF NOT EXISTS cv_snapshots_latest ON cv_snapshots (stream, idx);

CREATE TABLE IF NOT EXISTS cv_clients (
    stream    text COLLATE "C" NOT NULL,
    client_id uuid NOT NULL,
    principal text NOT NULL,
    cursor    bigint,
    last_seen timestamptz NOT NULL,
    PRIMARY KEY (stream, client_id)
);

CREATE TABLE IF NOT EXISTS cv_credentials (
    token_hash text NOT NULL PRIMARY KEY,
    principal  text NOT NULL,
    streams    text[] NOT NULL,
    created_at timestamptz NOT NULL
);
