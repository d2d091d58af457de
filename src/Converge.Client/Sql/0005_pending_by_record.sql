-- Which queued actions act on a record: a pull whose actions touch none of the queue's records applies them on top,
-- without undoing the queue (Sync/PullApplier), and asks this for each record it brings.
CREATE INDEX IF NOT EXISTS cv_pending_record ON cv_pending (collection, record);
