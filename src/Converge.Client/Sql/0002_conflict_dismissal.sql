-- Conflicts the app has seen stay known (so a rebase does not report them again) but leave the inbox.
ALTER TABLE cv_conflicts ADD COLUMN dismissed INTEGER NOT NULL DEFAULT 0;
