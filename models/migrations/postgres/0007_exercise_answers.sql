-- An exercise's answer list is fixed when it starts: for each article, what
-- Slant flagged then (in the text and in the headline, with what a
-- student's card says about each flag), so that changing the class word
-- list or the lexicon later does not rescore the lesson. Exercises started
-- before this step have none: the desk makes an article's list the first
-- time the exercise is read after the upgrade, and keeps it from then on.
CREATE TABLE IF NOT EXISTS exercise_answers (
    id bigserial PRIMARY KEY,
    exercise_id bigint NOT NULL,
    article_id bigint NOT NULL,
    analysis_version text NOT NULL,
    flags text NOT NULL,
    title_flags text NOT NULL,
    created_at timestamp with time zone
);
CREATE UNIQUE INDEX IF NOT EXISTS idx_exercise_answers_key ON exercise_answers (exercise_id, article_id);
CREATE INDEX IF NOT EXISTS idx_exercise_answers_article_id ON exercise_answers (article_id);
