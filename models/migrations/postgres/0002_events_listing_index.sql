-- 0002: the events list sorts by created_at, id (newest first); without an
-- index that sort reads every event (3–7 ms at 16,667 events, docs/scale.md).
CREATE INDEX IF NOT EXISTS idx_events_created ON events (created_at, id);
