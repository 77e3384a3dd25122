-- Each submission names, without saying who, the device it came from (a
-- digest of the client address and the class code; no address is
-- stored), so that one device cannot fill a class with made-up students
-- (SLANT_STUDENTS_PER_ADDRESS). NULL for submissions stored before this
-- step, which are not counted.
ALTER TABLE submissions ADD COLUMN IF NOT EXISTS client text;
