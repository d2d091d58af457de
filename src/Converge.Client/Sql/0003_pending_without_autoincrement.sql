-- cv_pending without AUTOINCREMENT: every local write also rewrote sqlite_sequence, one more B-tree per commit.
-- seq keeps the order written: a new row gets one more than the largest seq present, so the queue order holds. A seq
-- may now be used again once the queue emptied; nothing outside a transaction refers to a seq.
CREATE TABLE cv_pending_0003 (
    seq         INTEGER PRIMARY KEY,
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

INSERT INTO cv_pending_0003 (seq, action_id, collection, record, kind, body, status, acked_index, journal, written_at)
SELECT seq, action_id, collection, record, kind, body, status, acked_index, journal, written_at FROM cv_pending ORDER BY seq;

DROP TABLE cv_pending;
ALTER TABLE cv_pending_0003 RENAME TO cv_pending;
DELETE FROM sqlite_sequence WHERE name IN ('cv_pending', 'cv_pending_0003');
