-- A class word-list term that the built-in lexicon has already replaces the
-- built-in entry only when the teacher says so (override); otherwise it is
-- refused. Entries stored before this step replaced the built-in entry
-- silently: they keep doing so.
ALTER TABLE `word_list_entries` ADD COLUMN `override` numeric NOT NULL DEFAULT false;
UPDATE `word_list_entries` SET `override` = true;
