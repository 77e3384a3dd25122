package api

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"slant/analysis"
	"slant/desk"
	"slant/llm"
	"slant/llmjobs"
	"slant/models"
)

// The optional LLM layer: a language model's second opinion beside the
// word lists, never merged into them. The word-list report of an article
// answers at once and never changes because of the model; asking the model
// queues a job (package llmjobs runs it), and the page polls
// GET /api/v1/events/{id}/llm for what the jobs found:
//
//	POST /api/v1/articles/{id}/llm  queue the judgement of one article's sentences
//	POST /api/v1/events/{id}/llm    queue the agreed facts of an event, and the
//	                                judgement of each of its articles
//	GET  /api/v1/jobs/{id}          one job: its status and, when done, its result
//	GET  /api/v1/events/{id}/llm    everything the page shows, with a notice
//
// The POST routes answer 202 with the job they queued, or 200 with the job
// already queued or running for the same target, model and prompt version.
// Without a model configured they answer 409 "no language model is set
// up on this server: Slant uses its word lists only": the request cannot be met by this server as it is set up,
// and asking again will not help (503 would say "try later"). The GET
// routes always answer; without a model the page view says enabled: false.

// LLMConfig wires the optional LLM layer into a Server. The zero value
// means no model is configured.
type LLMConfig struct {
	// Client asks the model: the process's one client. Nil switches the
	// layer off.
	Client *llm.Client
	// Jobs is told when a job is queued, so that a worker starts it at
	// once. Nil leaves queued jobs to the runner's next poll.
	Jobs JobWaker
}

// JobWaker is told that a job was queued; *llmjobs.Runner is one.
type JobWaker interface{ Wake() }

// llmOffMessage answers a request for the model's work when no model is
// configured, and is the page's notice then.
const llmOffMessage = "no language model is set up on this server: Slant uses its word lists only"

// errLLMOff refuses the POST routes when no model is configured.
var errLLMOff = &requestError{status: http.StatusConflict, message: llmOffMessage}

// describe is what /healthz says about the layer: "model X at host" or
// "word lists only"; never the API key.
func (l LLMConfig) describe() string {
	if l.Client == nil {
		return llm.Config{}.Describe()
	}
	return l.Client.Describe()
}

// LLMJobView is a job as the API shows it.
type LLMJobView struct {
	ID int64 `json:"id"`
	// Kind is "article" (the judgement of one article's sentences) or
	// "event" (the facts every outlet of the event reports).
	Kind string `json:"kind"`
	// TargetID is the article's or the event's id.
	TargetID int64 `json:"target_id"`
	// Status is queued, running, done or failed.
	Status string `json:"status"`
	// Error says in plain words why a failed job failed; "" otherwise.
	Error         string    `json:"error"`
	Model         string    `json:"model"`
	PromptVersion string    `json:"prompt_version"`
	CreatedAt     time.Time `json:"created_at"`
	UpdatedAt     time.Time `json:"updated_at"`
	// Result is what a done job found; it is left out until then.
	Result *LLMJobResultView `json:"result,omitempty"`
}

// LLMJobResultView is what a done job found: judgements for an article
// job, agreed facts and the articles they were drawn from for an event job.
type LLMJobResultView struct {
	Judgements  []llm.SentenceJudgement `json:"judgements,omitempty"`
	AgreedFacts *llm.AgreedFacts        `json:"agreed_facts,omitempty"`
	Articles    []llmjobs.EventArticle  `json:"articles,omitempty"`
	Meta        llm.Meta                `json:"meta"`
}

// LLMEventView is the answer to GET /api/v1/events/{id}/llm: everything
// the page shows of the model's second opinion on an event, beside (never
// inside) the word-list reports.
type LLMEventView struct {
	EventID int64 `json:"event_id"`
	// Enabled is false when no model is configured; then articles is
	// empty, agreed_facts null and notice says "word lists only".
	Enabled bool `json:"enabled"`
	// LLM is /healthz's description: "model X at host" or "word lists
	// only".
	LLM string `json:"llm"`
	// Model and PromptVersion are the ones new jobs are queued for; the
	// results shown were made with them.
	Model         string `json:"model"`
	PromptVersion string `json:"prompt_version"`
	// Pending is true while a job of the event is queued or running: poll
	// again.
	Pending bool `json:"pending"`
	// Notice says in one or two sentences what is missing or still coming;
	// "" when there is nothing to say.
	Notice string `json:"notice"`
	// Types is the model's taxonomy with a plain description of each type,
	// for the page's legend.
	Types       []LLMTypeView       `json:"types"`
	Articles    []LLMArticleView    `json:"articles"`
	AgreedFacts *LLMAgreedFactsView `json:"agreed_facts"`
}

// LLMTypeView is one bias type the model may give a sentence.
type LLMTypeView struct {
	Type        llm.BiasType `json:"type"`
	Biased      bool         `json:"biased"`
	Description string       `json:"description"`
}

// LLMArticleView is the model's reading of one article of the event.
type LLMArticleView struct {
	ArticleID int64  `json:"article_id"`
	Outlet    string `json:"outlet"`
	// Status is the newest job's: none (never asked), queued, running,
	// done or failed.
	Status string `json:"status"`
	// JobID is the newest job's id; null when never asked.
	JobID *int64 `json:"job_id"`
	// Error is the newest job's failure message; "" unless it failed.
	Error string `json:"error"`
	// Model, PromptVersion and JudgedAt are the provenance of the
	// judgements shown: the newest done job's ("" and null when none).
	Model         string     `json:"model"`
	PromptVersion string     `json:"prompt_version"`
	JudgedAt      *time.Time `json:"judged_at"`
	// Judgements are the model's, by sentence index and byte span of the
	// word-list report; empty when none is done.
	Judgements []llm.SentenceJudgement `json:"judgements"`
	// Agreement sets them beside the word lists' sentence verdicts; null
	// when there are no judgements.
	Agreement *llm.AgreementSummary `json:"agreement"`
	Meta      *llm.Meta             `json:"meta"`
}

// LLMAgreedFactsView is the model's account of what every outlet of the
// event reports.
type LLMAgreedFactsView struct {
	// Status, JobID and Error are the newest event job's.
	Status string `json:"status"`
	JobID  int64  `json:"job_id"`
	Error  string `json:"error"`
	// The rest come from the newest done event job; Summary is "" and the
	// lists empty when there is none.
	Model         string     `json:"model"`
	PromptVersion string     `json:"prompt_version"`
	MadeAt        *time.Time `json:"made_at"`
	Summary       string     `json:"summary"`
	Facts         []llm.Fact `json:"facts"`
	// Outlets are the outlet names the facts were drawn from.
	Outlets []string `json:"outlets"`
	// Stale is true when articles were added or removed since.
	Stale bool      `json:"stale"`
	Meta  *llm.Meta `json:"meta"`
}

// jobView converts a stored job; a done job's result is decoded.
func jobView(j models.LLMJob) (LLMJobView, error) {
	v := LLMJobView{
		ID: j.ID, Kind: j.Kind, TargetID: j.TargetID, Status: j.Status, Error: j.Error,
		Model: j.Model, PromptVersion: j.PromptVersion, CreatedAt: j.CreatedAt, UpdatedAt: j.UpdatedAt,
	}
	if j.Status != models.LLMJobDone {
		return v, nil
	}
	switch j.Kind {
	case models.LLMJobArticle:
		var r llmjobs.ArticleResult
		if err := json.Unmarshal(j.Result, &r); err != nil {
			return LLMJobView{}, fmt.Errorf("decode result of llm job %d: %w", j.ID, err)
		}
		v.Result = &LLMJobResultView{Judgements: nonNil(r.Judgements), Meta: r.Meta}
	case models.LLMJobEvent:
		var r llmjobs.EventResult
		if err := json.Unmarshal(j.Result, &r); err != nil {
			return LLMJobView{}, fmt.Errorf("decode result of llm job %d: %w", j.ID, err)
		}
		r.AgreedFacts.Facts = nonNil(r.AgreedFacts.Facts)
		v.Result = &LLMJobResultView{AgreedFacts: &r.AgreedFacts, Articles: nonNil(r.Articles), Meta: r.Meta}
	}
	return v, nil
}

// newJob is a job of kind on target for the configured model and the
// current prompts.
func (s *Server) newJob(kind string, target int64) models.LLMJob {
	return models.LLMJob{Kind: kind, TargetID: target, Model: s.llm.Client.Model(), PromptVersion: llm.PromptVersion}
}

// answerJob answers a POST with its job: 202 when it was queued now, 200
// when the same job was already queued or running.
func (s *Server) answerJob(c *gin.Context, j models.LLMJob, created bool) {
	if created && s.llm.Jobs != nil {
		s.llm.Jobs.Wake()
	}
	v, err := jobView(j)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.Header("Location", "/api/v1/jobs/"+strconv.FormatInt(j.ID, 10))
	status := http.StatusOK
	if created {
		status = http.StatusAccepted
	}
	c.JSON(status, v)
}

// requestArticleLLM answers POST /api/v1/articles/{id}/llm.
func (s *Server) requestArticleLLM(c *gin.Context) {
	if s.llm.Client == nil {
		s.fail(c, errLLMOff)
		return
	}
	id, err := pathID(c, "id")
	if err != nil {
		s.fail(c, err)
		return
	}
	ctx := c.Request.Context()
	if _, err := s.store.ArticleByID(ctx, id); err != nil {
		s.fail(c, err)
		return
	}
	job := s.newJob(models.LLMJobArticle, id)
	created, err := s.store.EnqueueLLMJob(ctx, &job)
	if err != nil {
		s.fail(c, err)
		return
	}
	s.answerJob(c, job, created)
}

// requestEventLLM answers POST /api/v1/events/{id}/llm: it queues the
// event's agreed facts and the judgement of each of its articles (each
// left as it is when already queued or running), and answers with the
// event job.
func (s *Server) requestEventLLM(c *gin.Context) {
	if s.llm.Client == nil {
		s.fail(c, errLLMOff)
		return
	}
	id, err := pathID(c, "id")
	if err != nil {
		s.fail(c, err)
		return
	}
	ctx := c.Request.Context()
	articles, err := s.store.ListArticles(ctx, id)
	if err != nil {
		s.fail(c, err)
		return
	}
	if len(articles) < 2 {
		s.fail(c, &requestError{
			status:  http.StatusUnprocessableEntity,
			message: "agreed facts need at least two articles: add another outlet's article, or ask about one article with POST /api/v1/articles/{id}/llm",
		})
		return
	}
	woken := false
	for _, a := range articles {
		job := s.newJob(models.LLMJobArticle, a.ID)
		created, err := s.store.EnqueueLLMJob(ctx, &job)
		if err != nil {
			s.fail(c, err)
			return
		}
		if created && !woken && s.llm.Jobs != nil {
			s.llm.Jobs.Wake()
			woken = true
		}
	}
	job := s.newJob(models.LLMJobEvent, id)
	created, err := s.store.EnqueueLLMJob(ctx, &job)
	if err != nil {
		s.fail(c, err)
		return
	}
	s.answerJob(c, job, created)
}

// getJob answers GET /api/v1/jobs/{id}.
func (s *Server) getJob(c *gin.Context) {
	id, err := pathID(c, "id")
	if err != nil {
		s.fail(c, err)
		return
	}
	j, err := s.store.GetLLMJob(c.Request.Context(), id)
	if err != nil {
		s.fail(c, err)
		return
	}
	v, err := jobView(j)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, v)
}

// llmTypes is the taxonomy for the page's legend.
func llmTypes() []LLMTypeView {
	types := llm.Types()
	out := make([]LLMTypeView, len(types))
	for i, t := range types {
		out[i] = LLMTypeView{Type: t, Biased: t.Biased(), Description: t.Description()}
	}
	return out
}

// eventLLM answers GET /api/v1/events/{id}/llm: the model's judgements of
// each article, set beside the word lists' verdicts, the agreed facts, the
// jobs' states and a notice. The word-list reports themselves are not
// repeated (GET /api/v1/events/{id} has them) and never change here.
func (s *Server) eventLLM(c *gin.Context) {
	id, err := pathID(c, "id")
	if err != nil {
		s.fail(c, err)
		return
	}
	ctx := c.Request.Context()
	articles, err := s.store.ListArticles(ctx, id)
	if err != nil {
		s.fail(c, err)
		return
	}
	out := LLMEventView{
		EventID: id, LLM: s.llm.describe(), Types: llmTypes(), Articles: []LLMArticleView{},
	}
	if s.llm.Client == nil {
		out.Notice = llmOffMessage
		c.JSON(http.StatusOK, out)
		return
	}
	out.Enabled, out.Model, out.PromptVersion = true, s.llm.Client.Model(), llm.PromptVersion
	if err := s.fillEventLLM(ctx, &out, id, articles); err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, out)
}

// fillEventLLM reads the event's jobs into out and writes its notice.
func (s *Server) fillEventLLM(ctx context.Context, out *LLMEventView, eventID int64, articles []models.Article) error {
	ids := make([]int64, len(articles))
	for i, a := range articles {
		ids[i] = a.ID
	}
	articleJobs, err := s.store.LatestLLMJobs(ctx, models.LLMJobArticle, ids, out.Model, out.PromptVersion)
	if err != nil {
		return err
	}
	eventJobs, err := s.store.LatestLLMJobs(ctx, models.LLMJobEvent, []int64{eventID}, out.Model, out.PromptVersion)
	if err != nil {
		return err
	}

	// One analyzer for the whole event, so that every article's word-list
	// verdicts come from the same lexicon even if it changes meanwhile.
	analyzer := s.desk.Analyzer()
	asked, failed := 0, 0
	var failures []string
	for _, a := range articles {
		v, err := s.articleLLM(ctx, analyzer, a, articleJobs[a.ID])
		if err != nil {
			return err
		}
		switch v.Status {
		case models.LLMJobQueued, models.LLMJobRunning:
			out.Pending = true
		case models.LLMJobFailed:
			failed++
			if !slices.Contains(failures, v.Error) {
				failures = append(failures, v.Error)
			}
		}
		if v.Status != "none" {
			asked++
		}
		out.Articles = append(out.Articles, v)
	}

	var notes []string
	if jobs, ok := eventJobs[eventID]; ok {
		facts, err := agreedFactsView(jobs, llmjobs.EventInputHash(articles))
		if err != nil {
			return err
		}
		out.AgreedFacts = facts
		switch facts.Status {
		case models.LLMJobQueued, models.LLMJobRunning:
			out.Pending = true
		case models.LLMJobFailed:
			notes = append(notes, fmt.Sprintf("The agreed facts are missing: %s.", facts.Error))
		}
		if facts.Stale && !out.Pending {
			notes = append(notes, "The agreed facts were drawn before the event's articles changed; ask the model again to bring them up to date.")
		}
	}
	if failed > 0 {
		notes = append([]string{fmt.Sprintf("The model's judgements are missing for %d of %d articles: %s. The word-list findings stand on their own.",
			failed, len(articles), strings.Join(failures, "; "))}, notes...)
	}
	switch {
	case out.Pending:
		notes = append(notes, "The model is still reading; its results will appear here when it is done.")
	case asked == 0 && out.AgreedFacts == nil:
		notes = append(notes, "The model has not been asked about this event yet: the findings shown are the word lists' alone.")
	}
	out.Notice = strings.Join(notes, " ")
	return nil
}

// articleLLM is the model's reading of one article from its newest jobs.
func (s *Server) articleLLM(ctx context.Context, analyzer *analysis.Analyzer, a models.Article, jobs models.LatestLLMJobs) (LLMArticleView, error) {
	v := LLMArticleView{ArticleID: a.ID, Outlet: a.Outlet.Name, Status: "none", Judgements: []llm.SentenceJudgement{}}
	if jobs.Latest != nil {
		v.Status, v.JobID, v.Error = jobs.Latest.Status, &jobs.Latest.ID, jobs.Latest.Error
	}
	done := jobs.Done
	if done == nil || done.InputHash != a.ContentHash {
		return v, nil
	}
	var r llmjobs.ArticleResult
	if err := json.Unmarshal(done.Result, &r); err != nil {
		return LLMArticleView{}, fmt.Errorf("decode result of llm job %d: %w", done.ID, err)
	}
	filed, err := s.desk.Report(ctx, analyzer, a, desk.SaveRedone)
	if err != nil {
		return LLMArticleView{}, err
	}
	report := filed.Report
	at := done.UpdatedAt
	agreement := llm.Agreement(report, r.Judgements)
	v.Model, v.PromptVersion, v.JudgedAt = done.Model, done.PromptVersion, &at
	v.Judgements, v.Agreement, v.Meta = nonNil(r.Judgements), &agreement, &r.Meta
	return v, nil
}

// agreedFactsView is the event's agreed facts from its newest jobs;
// current is the EventInputHash of the event's articles now.
func agreedFactsView(jobs models.LatestLLMJobs, current string) (*LLMAgreedFactsView, error) {
	v := &LLMAgreedFactsView{
		Status: jobs.Latest.Status, JobID: jobs.Latest.ID, Error: jobs.Latest.Error,
		Facts: []llm.Fact{}, Outlets: []string{},
	}
	done := jobs.Done
	if done == nil {
		return v, nil
	}
	var r llmjobs.EventResult
	if err := json.Unmarshal(done.Result, &r); err != nil {
		return nil, fmt.Errorf("decode result of llm job %d: %w", done.ID, err)
	}
	at := done.UpdatedAt
	v.Model, v.PromptVersion, v.MadeAt = done.Model, done.PromptVersion, &at
	v.Summary, v.Facts, v.Meta = r.AgreedFacts.Summary, nonNil(r.AgreedFacts.Facts), &r.Meta
	for _, a := range r.Articles {
		v.Outlets = append(v.Outlets, a.Outlet)
	}
	v.Stale = done.InputHash != current
	return v, nil
}
