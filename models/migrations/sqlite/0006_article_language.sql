-- The language an article's text was found to be in, as the intake told it
-- (an ISO 639-1 code such as "en" or "es"; "und-Cyrl" for a language in
-- another script that could not be named; "" when the text was too short to
-- tell; NULL, read as "", for articles stored before this step, which were
-- not checked).
-- Slant's word lists are English: an article in another language is stored
-- but not scored.
ALTER TABLE `articles` ADD COLUMN `language` text;
