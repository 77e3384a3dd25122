package models

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// The kinds of LLMJob.
const (
	// LLMJobArticle asks the model to judge each sentence of one article
	// (TargetID is the article's id).
	LLMJobArticle = "article"
	// LLMJobEvent asks the model for the facts every outlet of one event
	// reports (TargetID is the event's id).
	LLMJobEvent = "event"
)

// The states of an LLMJob: queued → running → done or failed. A running
// job whose worker went away (a crash, a restart) goes back to queued.
const (
	LLMJobQueued  = "queued"
	LLMJobRunning = "running"
	LLMJobDone    = "done"
	LLMJobFailed  = "failed"
)

// Limits on job fields, checked before anything is written.
const (
	// MaxLLMJobError is the longest error message kept, in bytes.
	MaxLLMJobError = 500
	// MaxLLMModel is the longest model name accepted, in bytes.
	MaxLLMModel = 200
)

// LLMJob is one request for the optional language model's second opinion,
// done in the background: the word-list analysis answers at once, the
// model's takes seconds to minutes. Model and PromptVersion say who was
// asked and with which prompts; they are fixed when the job is queued.
//
// Error is a plain message for readers ("the model did not answer in
// time"), never the model's output or a server's error text. Result is the
// job's JSON outcome once done; its shape belongs to the job runner
// (package llmjobs). InputHash identifies the input the result was made
// from (an article's content hash, or a hash of an event's articles), so
// that a reader can tell whether it still fits.
//
// ActiveKey is set while the job is queued or running and unique, so that
// at most one job per kind, target, model and prompt version waits or runs
// at a time; it is cleared when the job ends.
type LLMJob struct {
	ID            int64     `json:"id" gorm:"primaryKey"`
	Kind          string    `json:"kind" gorm:"not null;size:16;index:idx_llm_job_target"`
	TargetID      int64     `json:"target_id" gorm:"not null;index:idx_llm_job_target"`
	Status        string    `json:"status" gorm:"not null;size:16;index"`
	Error         string    `json:"error" gorm:"not null"`
	Model         string    `json:"model" gorm:"not null"`
	PromptVersion string    `json:"prompt_version" gorm:"not null"`
	InputHash     string    `json:"input_hash" gorm:"not null"`
	Result        []byte    `json:"-"`
	Attempts      int       `json:"attempts" gorm:"not null"`
	ActiveKey     *string   `json:"-" gorm:"uniqueIndex"`
	CreatedAt     time.Time `json:"created_at"`
	UpdatedAt     time.Time `json:"updated_at"`
}

// LLMCacheEntry is one validated model answer kept under its cache key
// (see llm.CacheKey), so that the same text is never paid for twice.
type LLMCacheEntry struct {
	Key       string    `gorm:"primaryKey;type:text"`
	Value     []byte    `gorm:"not null"`
	CreatedAt time.Time `gorm:"not null"`
}

// TableName keeps the cache table's name short and plain.
func (LLMCacheEntry) TableName() string { return "llm_cache" }

// activeKey is the ActiveKey of a job that waits or runs.
func activeKey(j *LLMJob) string {
	return strings.Join([]string{j.Kind, strconv.FormatInt(j.TargetID, 10), j.Model, j.PromptVersion}, "|")
}

// validateLLMJob checks a job about to be queued.
func validateLLMJob(j *LLMJob) error {
	j.Model = strings.TrimSpace(j.Model)
	j.PromptVersion = strings.TrimSpace(j.PromptVersion)
	switch {
	case j.Kind != LLMJobArticle && j.Kind != LLMJobEvent:
		return &ValidationError{Field: "kind", Problem: "must be article or event"}
	case j.TargetID <= 0:
		return &ValidationError{Field: "target_id", Problem: "must be a positive id"}
	case j.Model == "":
		return &ValidationError{Field: "model", Problem: "is required"}
	case len(j.Model) > MaxLLMModel:
		return &ValidationError{Field: "model", Problem: fmt.Sprintf("must be at most %d bytes", MaxLLMModel)}
	case j.PromptVersion == "":
		return &ValidationError{Field: "prompt_version", Problem: "is required"}
	}
	return nil
}

// EnqueueLLMJob queues a job for j's kind, target, model and prompt
// version, unless one is already queued or running: then that one is
// returned in j and created is false. It does not check that the target
// exists; the runner finds out when it runs the job.
func (s *Store) EnqueueLLMJob(ctx context.Context, j *LLMJob) (created bool, err error) {
	if err := validateLLMJob(j); err != nil {
		return false, fmt.Errorf("queue llm job: %w", err)
	}
	key := activeKey(j)
	db := s.db.WithContext(ctx)
	// Insert-or-nothing, then read: stays right when two requests queue the
	// same job at once. The active job found may end between the two
	// statements; then the insert is tried again.
	for range 3 {
		job := LLMJob{
			Kind: j.Kind, TargetID: j.TargetID, Status: LLMJobQueued,
			Model: j.Model, PromptVersion: j.PromptVersion, ActiveKey: &key,
		}
		res := db.Clauses(clause.OnConflict{DoNothing: true}).Create(&job)
		if res.Error != nil {
			return false, wrap(res.Error, "queue llm job")
		}
		if res.RowsAffected == 1 {
			normalizeLLMJob(&job)
			*j = job
			return true, nil
		}
		var active LLMJob
		err := db.Where("active_key = ?", key).Take(&active).Error
		if errors.Is(err, gorm.ErrRecordNotFound) {
			continue
		}
		if err != nil {
			return false, wrap(err, "queue llm job")
		}
		normalizeLLMJob(&active)
		*j = active
		return false, nil
	}
	return false, fmt.Errorf("queue llm job: the active job kept changing")
}

// GetLLMJob returns one job with its result.
func (s *Store) GetLLMJob(ctx context.Context, id int64) (LLMJob, error) {
	var j LLMJob
	if err := s.db.WithContext(ctx).Where("id = ?", id).Take(&j).Error; err != nil {
		return LLMJob{}, wrap(err, "get llm job %d", id)
	}
	normalizeLLMJob(&j)
	return j, nil
}

// ClaimLLMJob marks the oldest queued job running and returns it, with
// Attempts counting this run; ok is false when none is queued. Several
// workers, in one process or several sharing a database, may claim at
// once: each job goes to one of them.
func (s *Store) ClaimLLMJob(ctx context.Context) (_ LLMJob, ok bool, _ error) {
	db := s.db.WithContext(ctx)
	for range 10 {
		var j LLMJob
		err := db.Where("status = ?", LLMJobQueued).Order("id").Take(&j).Error
		if errors.Is(err, gorm.ErrRecordNotFound) {
			return LLMJob{}, false, nil
		}
		if err != nil {
			return LLMJob{}, false, wrap(err, "claim llm job")
		}
		t := now()
		res := db.Model(&LLMJob{}).Where("id = ? AND status = ?", j.ID, LLMJobQueued).
			Updates(map[string]any{"status": LLMJobRunning, "attempts": gorm.Expr("attempts + 1"), "updated_at": t})
		if res.Error != nil {
			return LLMJob{}, false, wrap(res.Error, "claim llm job %d", j.ID)
		}
		if res.RowsAffected == 1 {
			j.Status, j.Attempts, j.UpdatedAt = LLMJobRunning, j.Attempts+1, t
			normalizeLLMJob(&j)
			return j, true, nil
		}
		// Another worker took it first: look again.
	}
	return LLMJob{}, false, nil
}

// TouchLLMJob records that a running job's worker is still at it, so that
// RequeueStaleLLMJobs leaves the job alone. It fails with ErrNotFound when
// the job is no longer running.
func (s *Store) TouchLLMJob(ctx context.Context, id int64) error {
	res := s.db.WithContext(ctx).Model(&LLMJob{}).Where("id = ? AND status = ?", id, LLMJobRunning).
		Update("updated_at", now())
	if res.Error != nil {
		return wrap(res.Error, "touch llm job %d", id)
	}
	if res.RowsAffected == 0 {
		return wrap(ErrNotFound, "touch llm job %d", id)
	}
	return nil
}

// LLMJobOutcome is how a running job ended.
type LLMJobOutcome struct {
	// Status is LLMJobDone, LLMJobFailed, or LLMJobQueued to give the job
	// back (its worker is stopping).
	Status string
	// Error is the plain message of a failed job.
	Error     string
	Result    []byte
	InputHash string
}

// FinishLLMJob ends a running job with its outcome. It fails with
// ErrNotFound when the job is not running (another worker took it over
// after it was thought stale), so that two outcomes never overwrite each
// other.
func (s *Store) FinishLLMJob(ctx context.Context, id int64, out LLMJobOutcome) error {
	updates := map[string]any{"status": out.Status, "updated_at": now()}
	switch out.Status {
	case LLMJobDone, LLMJobFailed:
		updates["error"], updates["result"], updates["input_hash"] = jobError(out.Error), out.Result, out.InputHash
		updates["active_key"] = nil
	case LLMJobQueued:
	default:
		return fmt.Errorf("finish llm job %d: %w", id, &ValidationError{Field: "status", Problem: "must be done, failed or queued"})
	}
	res := s.db.WithContext(ctx).Model(&LLMJob{}).Where("id = ? AND status = ?", id, LLMJobRunning).Updates(updates)
	if res.Error != nil {
		return wrap(res.Error, "finish llm job %d", id)
	}
	if res.RowsAffected == 0 {
		return wrap(ErrNotFound, "finish llm job %d", id)
	}
	return nil
}

// jobError tidies a job's error message for storing: valid UTF-8 without
// NUL bytes (PostgreSQL text takes neither), at most MaxLLMJobError bytes,
// cut between characters.
func jobError(msg string) string {
	msg = strings.TrimSpace(strings.ToValidUTF8(strings.ReplaceAll(msg, "\x00", ""), ""))
	if len(msg) <= MaxLLMJobError {
		return msg
	}
	cut := MaxLLMJobError
	for cut > 0 && !utf8.RuneStart(msg[cut]) {
		cut--
	}
	return msg[:cut]
}

// RequeueStaleLLMJobs puts back in the queue the running jobs not touched
// since before: their worker stopped without finishing them. It returns
// how many it put back.
func (s *Store) RequeueStaleLLMJobs(ctx context.Context, before time.Time) (int64, error) {
	res := s.db.WithContext(ctx).Model(&LLMJob{}).
		Where("status = ? AND updated_at < ?", LLMJobRunning, utc(before)).
		Updates(map[string]any{"status": LLMJobQueued, "updated_at": now()})
	if res.Error != nil {
		return 0, wrap(res.Error, "requeue stale llm jobs")
	}
	return res.RowsAffected, nil
}

// LatestLLMJobs is, for one target, its newest job and its newest done
// job (the same job when the newest is done); nil when there is none.
type LatestLLMJobs struct {
	Latest *LLMJob
	Done   *LLMJob
}

// LatestLLMJobs returns, for each of the targets of one kind, the newest
// job and the newest done job made with model and promptVersion. Targets
// without any are left out of the map.
func (s *Store) LatestLLMJobs(ctx context.Context, kind string, targets []int64, model, promptVersion string) (map[int64]LatestLLMJobs, error) {
	out := map[int64]LatestLLMJobs{}
	if len(targets) == 0 {
		return out, nil
	}
	db := s.db.WithContext(ctx)
	scope := func(tx *gorm.DB) *gorm.DB {
		return tx.Where("kind = ? AND target_id IN ? AND model = ? AND prompt_version = ?", kind, targets, model, promptVersion)
	}
	newest := db.Model(&LLMJob{}).Select("MAX(id)").Scopes(scope).Group("target_id")
	newestDone := db.Model(&LLMJob{}).Select("MAX(id)").Scopes(scope).Where("status = ?", LLMJobDone).Group("target_id")
	var jobs []LLMJob
	if err := db.Where("id IN (?) OR id IN (?)", newest, newestDone).Order("id").Find(&jobs).Error; err != nil {
		return nil, wrap(err, "latest llm jobs")
	}
	for i := range jobs {
		j := &jobs[i]
		normalizeLLMJob(j)
		l := out[j.TargetID]
		// In id order: the last seen is the newest.
		l.Latest = j
		if j.Status == LLMJobDone {
			l.Done = j
		}
		out[j.TargetID] = l
	}
	return out, nil
}

// ArticleByID returns an article with its outlet and analysis, whatever
// its event.
func (s *Store) ArticleByID(ctx context.Context, id int64) (Article, error) {
	var a Article
	err := s.db.WithContext(ctx).Preload("Outlet").Preload("Analysis").Where("id = ?", id).Take(&a).Error
	if err != nil {
		return Article{}, wrap(err, "get article %d", id)
	}
	normalizeArticle(&a)
	return a, nil
}

// normalizeLLMJob puts read times in UTC.
func normalizeLLMJob(j *LLMJob) {
	j.CreatedAt = j.CreatedAt.UTC()
	j.UpdatedAt = j.UpdatedAt.UTC()
}

// LLMCache keeps validated model answers in the database. It has the
// methods of llm.Cache and is safe for concurrent use.
type LLMCache struct {
	store *Store
}

// LLMCache returns the store's model-answer cache.
func (s *Store) LLMCache() *LLMCache { return &LLMCache{store: s} }

// Get returns the value stored under key, and false when there is none.
func (c *LLMCache) Get(ctx context.Context, key string) ([]byte, bool, error) {
	var e LLMCacheEntry
	err := c.store.db.WithContext(ctx).Where(clause.Eq{Column: clause.Column{Name: "key"}, Value: key}).Take(&e).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, false, nil
	}
	if err != nil {
		return nil, false, wrap(err, "read llm cache")
	}
	return slices.Clone(e.Value), true, nil
}

// Put stores value under key, replacing any value there.
func (c *LLMCache) Put(ctx context.Context, key string, value []byte) error {
	if value == nil {
		value = []byte{}
	}
	e := LLMCacheEntry{Key: key, Value: value, CreatedAt: now()}
	err := c.store.db.WithContext(ctx).Clauses(clause.OnConflict{
		Columns:   []clause.Column{{Name: "key"}},
		DoUpdates: clause.AssignmentColumns([]string{"value", "created_at"}),
	}).Create(&e).Error
	return wrap(err, "write llm cache")
}

// Purge deletes the answers stored before the given time and returns how
// many went: the cache is only ever a saving, so old answers may go at
// any time.
func (c *LLMCache) Purge(ctx context.Context, before time.Time) (int64, error) {
	res := c.store.db.WithContext(ctx).Where("created_at < ?", utc(before)).Delete(&LLMCacheEntry{})
	if res.Error != nil {
		return 0, wrap(res.Error, "purge llm cache")
	}
	return res.RowsAffected, nil
}
