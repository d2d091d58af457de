-- The client replica's own tables: its settings, pending actions and their lifecycle, the local copy of the log,
-- rejections and the conflict inbox.
CREATE TABLE IF NOT EXISTS cv_replica (
    key   TEXT NOT NULL PRIMARY KEY,
    value TEXT NOT NULL
) WITHOUT ROWID;

-- Actions written here and not yet confirmed, in the order written. 'journal' undoes their latest local apply.
CREATE TABLE IF NOT EXISTS cv_pending (
    seq         INTEGER PRIMARY KEY AUTOINCREMENT,
    action_id   TEXT    NOT NULL UNIQUE,
    collection  TEXT,
    record      TEXT,
    kind        TEXT    NOT NULL,
    body        BLOB    NOT NULL,
    status      TEXT    NOT NULL,            -- pending | sent
    acked_index INTEGER,                     -- the index the server gave it, once acknowledged
    journal     BLOB    NOT NULL,
    written_at  TEXT    NOT NULL
);

CREATE TABLE IF NOT EXISTS cv_confirmed (
    action_id    TEXT    NOT NULL PRIMARY KEY,
    idx          INTEGER NOT NULL,
    confirmed_at TEXT    NOT NULL
) WITHOUT ROWID;

CREATE TABLE IF NOT EXISTS cv_rejections (
    action_id   TEXT NOT NULL PRIMARY KEY,
    body        BLOB NOT NULL,
    code        TEXT NOT NULL,
    message     TEXT NOT NULL,
    rejected_at TEXT NOT NULL
) WITHOUT ROWID;

CREATE TABLE IF NOT EXISTS cv_conflicts (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    action_id   TEXT NOT NULL,
    kind        TEXT NOT NULL,
    collection  TEXT NOT NULL,
    record      TEXT NOT NULL,
    field       TEXT,
    attempted   TEXT,
    winning     TEXT,
    winning_hlc TEXT NOT NULL,
    detected_at TEXT NOT NULL,
    UNIQUE (action_id, field)
);

-- The log as pulled from the server.
CREATE TABLE IF NOT EXISTS cv_log (
    idx       INTEGER NOT NULL PRIMARY KEY,
    action_id TEXT    NOT NULL,
    client_id TEXT    NOT NULL,
    principal TEXT    NOT NULL,
    body      BLOB    NOT NULL
);
