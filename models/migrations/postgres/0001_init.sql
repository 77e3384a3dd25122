-- 0001 init: events, outlets, articles and their analyses; the class word
-- list, exercises and submissions; LLM jobs and cache. Names are left
-- unqualified so the schema follows search_path. IF NOT EXISTS lets it
-- adopt a database an earlier, unversioned Slant created with the same
-- schema.
CREATE TABLE IF NOT EXISTS events (
    id bigserial PRIMARY KEY,
    title text NOT NULL,
    description text,
    date timestamp with time zone,
    import_key text,
    created_at timestamp with time zone,
    updated_at timestamp with time zone
);
CREATE UNIQUE INDEX IF NOT EXISTS idx_events_import_key ON events (import_key);
CREATE TABLE IF NOT EXISTS outlets (
    id bigserial PRIMARY KEY,
    name text NOT NULL,
    domain text
);
CREATE UNIQUE INDEX IF NOT EXISTS idx_outlets_name ON outlets (name);
CREATE TABLE IF NOT EXISTS articles (
    id bigserial PRIMARY KEY,
    event_id bigint NOT NULL,
    outlet_id bigint NOT NULL,
    title text,
    url text,
    published_at timestamp with time zone,
    body text NOT NULL,
    content_hash text NOT NULL,
    created_at timestamp with time zone,
    CONSTRAINT fk_articles_outlet FOREIGN KEY (outlet_id) REFERENCES outlets (id) ON DELETE RESTRICT,
    CONSTRAINT fk_events_articles FOREIGN KEY (event_id) REFERENCES events (id) ON DELETE CASCADE
);
CREATE INDEX IF NOT EXISTS idx_articles_outlet_id ON articles (outlet_id);
CREATE UNIQUE INDEX IF NOT EXISTS idx_article_event_hash ON articles (event_id, content_hash);
CREATE TABLE IF NOT EXISTS analyses (
    article_id bigint PRIMARY KEY,
    report bytea NOT NULL,
    lexicon_version text NOT NULL,
    analyzed_at timestamp with time zone,
    CONSTRAINT fk_articles_analysis FOREIGN KEY (article_id) REFERENCES articles (id) ON DELETE CASCADE
);
CREATE INDEX IF NOT EXISTS idx_analyses_lexicon_version ON analyses (lexicon_version);
CREATE TABLE IF NOT EXISTS word_list_entries (
    id bigserial PRIMARY KEY,
    category text NOT NULL,
    term text NOT NULL,
    also text NOT NULL,
    alternatives text NOT NULL,
    reason text NOT NULL,
    severity bigint NOT NULL,
    created_at timestamp with time zone,
    updated_at timestamp with time zone
);
CREATE UNIQUE INDEX IF NOT EXISTS idx_word_list_entries_term ON word_list_entries (term);
CREATE TABLE IF NOT EXISTS exercises (
    id bigserial PRIMARY KEY,
    code character varying(6) NOT NULL,
    event_id bigint NOT NULL,
    blind boolean NOT NULL,
    revealed boolean NOT NULL,
    created_at timestamp with time zone
);
CREATE INDEX IF NOT EXISTS idx_exercises_event_id ON exercises (event_id);
CREATE UNIQUE INDEX IF NOT EXISTS idx_exercises_code ON exercises (code);
CREATE TABLE IF NOT EXISTS submissions (
    id bigserial PRIMARY KEY,
    exercise_id bigint NOT NULL,
    article_id bigint NOT NULL,
    student character varying(64) NOT NULL,
    picks text NOT NULL,
    created_at timestamp with time zone,
    updated_at timestamp with time zone
);
CREATE INDEX IF NOT EXISTS idx_submissions_article_id ON submissions (article_id);
CREATE UNIQUE INDEX IF NOT EXISTS idx_submission_key ON submissions (exercise_id, article_id, student);
CREATE TABLE IF NOT EXISTS llm_jobs (
    id bigserial PRIMARY KEY,
    kind character varying(16) NOT NULL,
    target_id bigint NOT NULL,
    status character varying(16) NOT NULL,
    error text NOT NULL,
    model text NOT NULL,
    prompt_version text NOT NULL,
    input_hash text NOT NULL,
    result bytea,
    attempts bigint NOT NULL,
    active_key text,
    created_at timestamp with time zone,
    updated_at timestamp with time zone
);
CREATE UNIQUE INDEX IF NOT EXISTS idx_llm_jobs_active_key ON llm_jobs (active_key);
CREATE INDEX IF NOT EXISTS idx_llm_jobs_status ON llm_jobs (status);
CREATE INDEX IF NOT EXISTS idx_llm_job_target ON llm_jobs (kind, target_id);
CREATE TABLE IF NOT EXISTS llm_cache (
    key text PRIMARY KEY,
    value bytea NOT NULL,
    created_at timestamp with time zone NOT NULL
);
