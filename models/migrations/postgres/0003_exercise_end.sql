-- 0003: a teacher ends an exercise without deleting it: its class code stops
-- working for students, and the class's picks stay for the discussion.
ALTER TABLE exercises ADD COLUMN IF NOT EXISTS ended_at timestamp with time zone;
