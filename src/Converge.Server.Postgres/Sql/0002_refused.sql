-- Every action refused, by id: a retry of the same body gets the same answer, so a rejection is final.
CREATE TABLE IF NOT EXISTS cv_refused (
    stream    text COLLATE "C" NOT NULL,
    action_id uuid  NOT NULL,
    body_hash bytea NOT NULL,
    code      text  NOT NULL,
    message   text  NOT NULL,
    PRIMARY KEY (stream, action_id)
);
