-- Rejections the user has seen leave the list (converge rejections --clear) but stay known, so the action still reads as rejected.
ALTER TABLE cv_rejections ADD COLUMN dismissed INTEGER NOT NULL DEFAULT 0;
