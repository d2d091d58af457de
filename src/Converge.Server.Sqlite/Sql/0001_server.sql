-- The server's own tables: streams and their heads, the log, accepted ids, snapshots, clients, credentials.
CREATE TABLE IF NOT EXISTS cv_streams (
    stream  TEXT    NOT NULL PRIMARY KEY,
    head    INTEGER NOT NULL DEFAULT 0,
    horizon INTEGER NOT NULL DEFAULT 0
) WITHOUT ROWID;

CREATE TABLE IF NOT EXISTS cv_log (
    stream    TEXT    NOT NULL,
    idx       INTEGER NOT NULL,
    action_id TEXT    NOT NULL,
    client_id TEXT    NOT NULL,
    principal TEXT    NOT NULL,
    body      BLOB    NOT NULL,
    PRIMARY KEY (stream, idx)
) WITHOUT ROWID;

-- Every action ever accepted, kept after compaction so a retried push is still a duplicate.
CREATE TABLE IF NOT EXISTS cv_accepted (
    stream    TEXT    NOT NULL,
    action_id TEXT    NOT NULL,
    idx       INTEGER NOT NULL,
    body_hash BLOB    NOT NULL,
    PRIMARY KEY (stream, action_id)
) WITHOUT ROWID;

CREATE TABLE IF NOT EXISTS cv_snapshots (
    stream     TEXT    NOT NULL,
    idx        INTEGER NOT NULL,
    digest     TEXT    NOT NULL,
    length     INTEGER NOT NULL,
    created_at TEXT    NOT NULL,
    body       BLOB    NOT NULL,
    UNIQUE (stream, digest)
);
CREATE INDEX IF NOT EXISTS cv_snapshots_latest ON cv_snapshots (stream, idx);

CREATE TABLE IF NOT EXISTS cv_clients (
    stream    TEXT    NOT NULL,
    client_id TEXT    NOT NULL,
    principal TEXT    NOT NULL,
    cursor    INTEGER,
    last_seen TEXT    NOT NULL,
    PRIMARY KEY (stream, client_id)
) WITHOUT ROWID;

CREATE TABLE IF NOT EXISTS cv_credentials (
    token_hash TEXT NOT NULL PRIMARY KEY,
    principal  TEXT NOT NULL,
    streams    TEXT NOT NULL,
    created_at TEXT NOT NULL
) WITHOUT ROWID;
