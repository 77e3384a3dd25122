// Package llmjobs does the optional language model's work in the
// background. The word-list analysis answers a request at once; asking a
// model takes seconds to minutes, so the API only queues a job
// (models.LLMJob) and a Runner started by serve works through the queue
// with a small, bounded pool of workers, one *llm.Client for the process.
//
// What a job finds is kept apart from the word-list report it sits beside:
// an article job stores the model's sentence judgements, an event job the
// facts every outlet agrees on, each in the job's own result (ArticleResult,
// EventResult) with the model and prompt version that made it. Nothing here
// writes to an article or its analysis.
//
// A job that fails keeps a plain message for readers (Message), never the
// model's output or a server's error text; the detail goes to the log.
package llmjobs

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"slant/analysis"
	"slant/llm"
	"slant/models"
)

// ArticleResult is the result of a done article job: the model's
// judgement of each sentence of the article, by the sentence's index and
// byte span in the word-list report (see llm.SpansOf).
type ArticleResult struct {
	// ContentHash is the content hash of the text the judgements were
	// made on.
	ContentHash string                  `json:"content_hash"`
	Judgements  []llm.SentenceJudgement `json:"judgements"`
	Meta        llm.Meta                `json:"meta"`
}

// EventResult is the result of a done event job: the facts every outlet
// reports, and the articles they were drawn from.
type EventResult struct {
	AgreedFacts llm.AgreedFacts `json:"agreed_facts"`
	Articles    []EventArticle  `json:"articles"`
	Meta        llm.Meta        `json:"meta"`
}

// EventArticle is one article an event job read, under the outlet name
// the model saw (made distinct when two articles share an outlet).
type EventArticle struct {
	ArticleID int64  `json:"article_id"`
	Outlet    string `json:"outlet"`
}

// The messages a failed job keeps. They are written for the person reading
// the page; the word-list findings stand whatever they say.
const (
	MessageTimeout     = "the model did not answer in time"
	MessageInvalid     = "the model's answer did not fit the expected shape and was dropped"
	MessageUnavailable = "the model server is unavailable"
	MessageRefused     = "the model server refused the request"
	MessageArticleGone = "the article no longer exists"
	MessageEventGone   = "the event no longer exists"
	MessageTooFew      = "agreed facts need at least two articles"
	MessageNoReport    = "the article has no word-list analysis to set the model's judgements beside"
	MessageChanged     = "the model or its prompts changed before this job ran: ask again"
	MessageInterrupted = "the job was interrupted too many times"
	MessageInternal    = "the job failed inside Slant (the detail is in the server log)"
)

// errNoReport is a failure found before the model is asked.
var errNoReport = errors.New(MessageNoReport)

// Message is the plain message a failed job keeps for err: what a reader
// needs to know, never the model's output or a server's own words.
func Message(err error) string {
	switch {
	case errors.Is(err, llm.ErrTimeout), errors.Is(err, context.DeadlineExceeded):
		return MessageTimeout
	case errors.Is(err, llm.ErrInvalidOutput):
		return MessageInvalid
	case errors.Is(err, llm.ErrUnavailable):
		return MessageUnavailable
	case errors.Is(err, errNoReport):
		return MessageNoReport
	}
	switch status := llm.HTTPStatus(err); {
	case status == http.StatusUnauthorized || status == http.StatusForbidden:
		return MessageRefused + " (check SLANT_LLM_API_KEY)"
	case status == http.StatusNotFound:
		return MessageRefused + " (check SLANT_LLM_MODEL and SLANT_LLM_BASE_URL)"
	case status >= 400:
		return MessageRefused
	}
	// No HTTP answer at all: the server could not be reached.
	return MessageUnavailable
}

// EventInputHash identifies the articles an event job reads: it changes
// when an article is added, removed or has other text, so that agreed
// facts made before can be told apart from current ones.
func EventInputHash(articles []models.Article) string {
	lines := make([]string, len(articles))
	for i, a := range articles {
		lines[i] = strconv.FormatInt(a.ID, 10) + ":" + a.ContentHash
	}
	slices.Sort(lines)
	sum := sha256.Sum256([]byte(strings.Join(lines, "\n")))
	return hex.EncodeToString(sum[:])
}

// Defaults of the Options fields.
const (
	DefaultWorkers     = 1
	DefaultPoll        = 5 * time.Second
	DefaultStaleAfter  = 5 * time.Minute
	DefaultMaxAttempts = 3
)

// Options tunes a Runner. The zero value of each field means its default.
type Options struct {
	// Workers is how many jobs run at once; serve passes the client's
	// MaxConcurrent, since more would only wait on the client's limit.
	Workers int
	// Poll is how often an idle worker looks for queued jobs that no Wake
	// announced (queued by another process sharing the database, or put
	// back after a restart).
	Poll time.Duration
	// StaleAfter is how long a running job may go without a sign of life
	// from its worker before it is put back in the queue. Workers touch
	// their jobs several times within it.
	StaleAfter time.Duration
	// MaxAttempts is how many times a job may be started (it is started
	// again after its worker stopped) before it fails for good.
	MaxAttempts int
	// Logger receives job failures and progress. Nil means slog.Default().
	Logger *slog.Logger
}

// Runner works through the queue of LLM jobs. Build it with New; it is
// safe for concurrent use.
type Runner struct {
	store  *models.Store
	client *llm.Client
	opts   Options
	log    *slog.Logger

	mu     sync.Mutex
	signal chan struct{} // closed by Wake, then replaced
}

// New returns a runner that asks client and keeps its jobs in store.
func New(store *models.Store, client *llm.Client, opts Options) *Runner {
	if opts.Workers <= 0 {
		opts.Workers = DefaultWorkers
	}
	if opts.Poll <= 0 {
		opts.Poll = DefaultPoll
	}
	if opts.StaleAfter <= 0 {
		opts.StaleAfter = DefaultStaleAfter
	}
	if opts.MaxAttempts <= 0 {
		opts.MaxAttempts = DefaultMaxAttempts
	}
	log := opts.Logger
	if log == nil {
		log = slog.Default()
	}
	return &Runner{store: store, client: client, opts: opts, log: log, signal: make(chan struct{})}
}

// Model is the model the runner's client asks, which every job it runs
// must have been queued for.
func (r *Runner) Model() string { return r.client.Model() }

// Wake tells idle workers that a job was queued, so that they start it
// now rather than at their next poll.
func (r *Runner) Wake() {
	r.mu.Lock()
	defer r.mu.Unlock()
	close(r.signal)
	r.signal = make(chan struct{})
}

// woken returns the channel the next Wake closes.
func (r *Runner) woken() <-chan struct{} {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.signal
}

// Run puts back in the queue the jobs a stopped worker left running, then
// runs queued jobs with Options.Workers workers until ctx ends. A job in
// progress when ctx ends goes back to the queue for the next start. Run
// returns when every worker has stopped.
func (r *Runner) Run(ctx context.Context) {
	r.requeueStale(ctx)
	var wg sync.WaitGroup
	for range r.opts.Workers {
		wg.Go(func() { r.work(ctx) })
	}
	wg.Go(func() {
		t := time.NewTicker(max(r.opts.StaleAfter/2, time.Millisecond))
		defer t.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-t.C:
				if r.requeueStale(ctx) > 0 {
					r.Wake()
				}
			}
		}
	})
	wg.Wait()
}

// requeueStale puts back the running jobs not touched within StaleAfter.
func (r *Runner) requeueStale(ctx context.Context) int64 {
	n, err := r.store.RequeueStaleLLMJobs(ctx, time.Now().Add(-r.opts.StaleAfter))
	if err != nil {
		if ctx.Err() == nil {
			r.log.Error("llm jobs: requeue stale jobs", "error", err.Error())
		}
		return 0
	}
	if n > 0 {
		r.log.Info("llm jobs: put stale running jobs back in the queue", "jobs", n)
	}
	return n
}

// work is one worker: it runs jobs while there are any, then waits for a
// Wake or the next poll.
func (r *Runner) work(ctx context.Context) {
	for ctx.Err() == nil {
		signal := r.woken() // before looking, so that no Wake is missed
		ran, err := r.RunNext(ctx)
		if err != nil && ctx.Err() == nil {
			r.log.Error("llm jobs: run next job", "error", err.Error())
		}
		if ran {
			continue
		}
		t := time.NewTimer(r.opts.Poll)
		select {
		case <-ctx.Done():
		case <-signal:
		case <-t.C:
		}
		t.Stop()
	}
}

// Drain runs queued jobs one after another until none is left or ctx
// ends, and returns how many it ran: for tests and one-off runs.
func (r *Runner) Drain(ctx context.Context) (int, error) {
	n := 0
	for {
		ran, err := r.RunNext(ctx)
		if err != nil {
			return n, err
		}
		if !ran {
			return n, nil
		}
		n++
	}
}

// RunNext claims the oldest queued job and runs it to its end; ran is
// false when no job was queued. The error is about the queue itself (the
// database); how the job went is in the job.
func (r *Runner) RunNext(ctx context.Context) (ran bool, _ error) {
	job, ok, err := r.store.ClaimLLMJob(ctx)
	if err != nil || !ok {
		return false, err
	}
	r.run(ctx, job)
	return true, nil
}

// run does one claimed job and records how it ended.
func (r *Runner) run(ctx context.Context, job models.LLMJob) {
	log := r.log.With("job", job.ID, "kind", job.Kind, "target", job.TargetID)
	var (
		out models.LLMJobOutcome
		err error
	)
	switch {
	case job.Attempts > r.opts.MaxAttempts:
		out = models.LLMJobOutcome{Status: models.LLMJobFailed, Error: MessageInterrupted}
	case job.Model != r.client.Model() || job.PromptVersion != llm.PromptVersion:
		out = models.LLMJobOutcome{Status: models.LLMJobFailed, Error: MessageChanged}
	default:
		stop := r.keepAlive(ctx, job.ID, log)
		out, err = r.do(ctx, job)
		stop()
	}
	if err != nil {
		if ctx.Err() != nil {
			// Stopping: give the job back for the next start.
			out = models.LLMJobOutcome{Status: models.LLMJobQueued}
			log.Info("llm jobs: stopping; job goes back to the queue")
		} else {
			out = models.LLMJobOutcome{Status: models.LLMJobFailed, Error: Message(err)}
			log.Warn("llm jobs: job failed", "message", out.Error, "error", err.Error())
		}
	}
	// Record the end even when ctx has ended, within a short time of its own.
	saveCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
	defer cancel()
	if err := r.store.FinishLLMJob(saveCtx, job.ID, out); err != nil {
		log.Error("llm jobs: record the job's end", "status", out.Status, "error", err.Error())
	}
}

// keepAlive touches the job every fifth of StaleAfter while it runs, so
// that no one takes it for abandoned. The returned function stops it.
func (r *Runner) keepAlive(ctx context.Context, id int64, log *slog.Logger) (stop func()) {
	ctx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() {
		defer close(done)
		t := time.NewTicker(max(r.opts.StaleAfter/5, time.Millisecond))
		defer t.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-t.C:
				if err := r.store.TouchLLMJob(ctx, id); err != nil && ctx.Err() == nil {
					log.Warn("llm jobs: touch running job", "error", err.Error())
				}
			}
		}
	}()
	return func() {
		cancel()
		<-done
	}
}

// do runs the job's work. An error is a failure (or, when ctx has ended,
// an interruption); a job whose target is gone is an outcome, not an
// error.
func (r *Runner) do(ctx context.Context, job models.LLMJob) (models.LLMJobOutcome, error) {
	switch job.Kind {
	case models.LLMJobArticle:
		return r.doArticle(ctx, job.TargetID)
	case models.LLMJobEvent:
		return r.doEvent(ctx, job.TargetID)
	}
	return models.LLMJobOutcome{}, fmt.Errorf("unknown job kind %q", job.Kind)
}

// failed is the outcome of a job that failed with a message of its own.
func failed(message string) models.LLMJobOutcome {
	return models.LLMJobOutcome{Status: models.LLMJobFailed, Error: message}
}

// doArticle asks for the judgements of one article's sentences, cut where
// its word-list report cuts them.
func (r *Runner) doArticle(ctx context.Context, id int64) (models.LLMJobOutcome, error) {
	a, err := r.store.ArticleByID(ctx, id)
	if errors.Is(err, models.ErrNotFound) {
		return failed(MessageArticleGone), nil
	}
	if err != nil {
		return models.LLMJobOutcome{}, err
	}
	if a.Analysis == nil {
		return models.LLMJobOutcome{}, errNoReport
	}
	var report analysis.Report
	if err := json.Unmarshal(a.Analysis.Report, &report); err != nil {
		return models.LLMJobOutcome{}, fmt.Errorf("%w: %w", errNoReport, err)
	}
	// Sentence spans do not depend on the lexicon, so a report made with
	// an older lexicon cuts the text the same way as a current one.
	judgements, meta, err := r.client.AnalyzeSentences(ctx, llm.Article{
		Title: a.Title, Text: a.Body, Sentences: llm.SpansOf(report),
	})
	if err != nil {
		return models.LLMJobOutcome{}, err
	}
	r.log.Info("llm jobs: judged article", "article", id, "judgements", len(judgements),
		"chunks", meta.Chunks, "cached", meta.Cached, "dropped", meta.Dropped, "unjudged", meta.Unjudged,
		"prompt_tokens", meta.PromptTokens, "completion_tokens", meta.CompletionTokens, "duration", meta.Duration)
	result, err := json.Marshal(ArticleResult{ContentHash: a.ContentHash, Judgements: judgements, Meta: meta})
	if err != nil {
		return models.LLMJobOutcome{}, fmt.Errorf("encode result: %w", err)
	}
	return models.LLMJobOutcome{Status: models.LLMJobDone, Result: result, InputHash: a.ContentHash}, nil
}

// doEvent asks for the facts every outlet of the event reports.
func (r *Runner) doEvent(ctx context.Context, id int64) (models.LLMJobOutcome, error) {
	ev, err := r.store.GetEvent(ctx, id)
	if errors.Is(err, models.ErrNotFound) {
		return failed(MessageEventGone), nil
	}
	if err != nil {
		return models.LLMJobOutcome{}, err
	}
	articles, err := r.store.ListArticles(ctx, id)
	if errors.Is(err, models.ErrNotFound) {
		return failed(MessageEventGone), nil
	}
	if err != nil {
		return models.LLMJobOutcome{}, err
	}
	if len(articles) < 2 {
		return failed(MessageTooFew), nil
	}
	names := OutletNames(articles)
	in := llm.EventInput{Title: ev.Title, Articles: make([]llm.EventArticle, len(articles))}
	read := make([]EventArticle, len(articles))
	for i, a := range articles {
		in.Articles[i] = llm.EventArticle{Outlet: names[i], Title: a.Title, Text: a.Body}
		read[i] = EventArticle{ArticleID: a.ID, Outlet: names[i]}
	}
	facts, meta, err := r.client.AgreedFacts(ctx, in)
	if err != nil {
		return models.LLMJobOutcome{}, err
	}
	r.log.Info("llm jobs: agreed facts", "event", id, "facts", len(facts.Facts), "cached", meta.Cached,
		"dropped", meta.Dropped, "truncated", meta.Truncated,
		"prompt_tokens", meta.PromptTokens, "completion_tokens", meta.CompletionTokens, "duration", meta.Duration)
	if facts.Facts == nil {
		facts.Facts = []llm.Fact{}
	}
	result, err := json.Marshal(EventResult{AgreedFacts: facts, Articles: read, Meta: meta})
	if err != nil {
		return models.LLMJobOutcome{}, fmt.Errorf("encode result: %w", err)
	}
	return models.LLMJobOutcome{Status: models.LLMJobDone, Result: result, InputHash: EventInputHash(articles)}, nil
}

// OutletNames returns the outlet name of each article as the model sees
// it: facts are attributed by outlet name, so a name that comes again (two
// articles from one outlet) gets a number, "Daily Bugle (2)".
func OutletNames(articles []models.Article) []string {
	names := make([]string, len(articles))
	seen := map[string]int{}
	for i, a := range articles {
		name := strings.TrimSpace(a.Outlet.Name)
		if name == "" {
			name = "Outlet"
		}
		key := strings.ToLower(name)
		seen[key]++
		if n := seen[key]; n > 1 {
			name = fmt.Sprintf("%s (%d)", name, n)
			for seen[strings.ToLower(name)] > 0 {
				n++
				name = fmt.Sprintf("%s (%d)", strings.TrimSpace(a.Outlet.Name), n)
			}
			seen[strings.ToLower(name)]++
		}
		names[i] = name
	}
	return names
}
