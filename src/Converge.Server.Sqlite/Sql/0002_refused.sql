-- Every action refused, by id: a retry of the same body gets the same answer, so a rejection is final.
CREATE TABLE IF NOT EXISTS cv_refused (
    stream    TEXT NOT NULL,
    action_id TEXT NOT NULL,
    body_hash BLOB NOT NULL,
    code      TEXT NOT NULL,
    message   TEXT NOT NULL,
    PRIMARY KEY (stream, action_id)
) WITHOUT ROWID;
