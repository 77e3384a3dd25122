-- 0003: an imported article keeps the researcher's own id (unique within
-- its event; NULL for articles added by hand, and NULLs never collide) and
-- the record's other fields as a JSON object (NULL when none).
ALTER TABLE `articles` ADD COLUMN `external_id` text;
ALTER TABLE `articles` ADD COLUMN `metadata` text;
CREATE UNIQUE INDEX IF NOT EXISTS `idx_article_event_external` ON `articles`(`event_id`,`external_id`);
