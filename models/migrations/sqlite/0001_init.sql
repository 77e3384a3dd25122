-- 0001 init: events, outlets, articles and their analyses; the class word
-- list, exercises and submissions; LLM jobs and cache. IF NOT EXISTS lets
-- it adopt a database an earlier, unversioned Slant created with the same
-- schema.
CREATE TABLE IF NOT EXISTS `events` (`id` integer PRIMARY KEY AUTOINCREMENT,`title` text NOT NULL,`description` text,`date` datetime,`import_key` text,`created_at` datetime,`updated_at` datetime);
CREATE UNIQUE INDEX IF NOT EXISTS `idx_events_import_key` ON `events`(`import_key`);
CREATE TABLE IF NOT EXISTS `outlets` (`id` integer PRIMARY KEY AUTOINCREMENT,`name` text NOT NULL,`domain` text);
CREATE UNIQUE INDEX IF NOT EXISTS `idx_outlets_name` ON `outlets`(`name`);
CREATE TABLE IF NOT EXISTS `articles` (`id` integer PRIMARY KEY AUTOINCREMENT,`event_id` integer NOT NULL,`outlet_id` integer NOT NULL,`title` text,`url` text,`published_at` datetime,`body` text NOT NULL,`content_hash` text NOT NULL,`created_at` datetime,CONSTRAINT `fk_articles_outlet` FOREIGN KEY (`outlet_id`) REFERENCES `outlets`(`id`) ON DELETE RESTRICT,CONSTRAINT `fk_events_articles` FOREIGN KEY (`event_id`) REFERENCES `events`(`id`) ON DELETE CASCADE);
CREATE INDEX IF NOT EXISTS `idx_articles_outlet_id` ON `articles`(`outlet_id`);
CREATE UNIQUE INDEX IF NOT EXISTS `idx_article_event_hash` ON `articles`(`event_id`,`content_hash`);
CREATE TABLE IF NOT EXISTS `analyses` (`article_id` integer,`report` blob NOT NULL,`lexicon_version` text NOT NULL,`analyzed_at` datetime,PRIMARY KEY (`article_id`),CONSTRAINT `fk_articles_analysis` FOREIGN KEY (`article_id`) REFERENCES `articles`(`id`) ON DELETE CASCADE);
CREATE INDEX IF NOT EXISTS `idx_analyses_lexicon_version` ON `analyses`(`lexicon_version`);
CREATE TABLE IF NOT EXISTS `word_list_entries` (`id` integer PRIMARY KEY AUTOINCREMENT,`category` text NOT NULL,`term` text NOT NULL,`also` text NOT NULL,`alternatives` text NOT NULL,`reason` text NOT NULL,`severity` integer NOT NULL,`created_at` datetime,`updated_at` datetime);
CREATE UNIQUE INDEX IF NOT EXISTS `idx_word_list_entries_term` ON `word_list_entries`(`term`);
CREATE TABLE IF NOT EXISTS `exercises` (`id` integer PRIMARY KEY AUTOINCREMENT,`code` text NOT NULL,`event_id` integer NOT NULL,`blind` numeric NOT NULL,`revealed` numeric NOT NULL,`created_at` datetime);
CREATE INDEX IF NOT EXISTS `idx_exercises_event_id` ON `exercises`(`event_id`);
CREATE UNIQUE INDEX IF NOT EXISTS `idx_exercises_code` ON `exercises`(`code`);
CREATE TABLE IF NOT EXISTS `submissions` (`id` integer PRIMARY KEY AUTOINCREMENT,`exercise_id` integer NOT NULL,`article_id` integer NOT NULL,`student` text NOT NULL,`picks` text NOT NULL,`created_at` datetime,`updated_at` datetime);
CREATE INDEX IF NOT EXISTS `idx_submissions_article_id` ON `submissions`(`article_id`);
CREATE UNIQUE INDEX IF NOT EXISTS `idx_submission_key` ON `submissions`(`exercise_id`,`article_id`,`student`);
CREATE TABLE IF NOT EXISTS `llm_jobs` (`id` integer PRIMARY KEY AUTOINCREMENT,`kind` text NOT NULL,`target_id` integer NOT NULL,`status` text NOT NULL,`error` text NOT NULL,`model` text NOT NULL,`prompt_version` text NOT NULL,`input_hash` text NOT NULL,`result` blob,`attempts` integer NOT NULL,`active_key` text,`created_at` datetime,`updated_at` datetime);
CREATE UNIQUE INDEX IF NOT EXISTS `idx_llm_jobs_active_key` ON `llm_jobs`(`active_key`);
CREATE INDEX IF NOT EXISTS `idx_llm_jobs_status` ON `llm_jobs`(`status`);
CREATE INDEX IF NOT EXISTS `idx_llm_job_target` ON `llm_jobs`(`kind`,`target_id`);
CREATE TABLE IF NOT EXISTS `llm_cache` (`key` text,`value` blob NOT NULL,`created_at` datetime NOT NULL,PRIMARY KEY (`key`));
