package llmjobs

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"path/filepath"
	"testing"
	"time"

	"github.com/sashabaranov/go-openai"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"slant/analysis"
	"slant/llm"
	"slant/llm/llmtest"
	"slant/models"
)

var quiet = slog.New(slog.NewTextHandler(io.Discard, nil))

// fixture is a store with one event of two articles, and a client talking
// to a fake server.
type fixture struct {
	store    *models.Store
	fake     *llmtest.Server
	client   *llm.Client
	eventID  int64
	articles []models.Article
}

func newFixture(t *testing.T, respond llmtest.Responder) *fixture {
	t.Helper()
	store, err := models.Open(t.Context(), models.Config{Driver: models.DriverSQLite, DSN: filepath.Join(t.TempDir(), "slant.db")})
	require.NoError(t, err)
	t.Cleanup(func() { _ = store.Close() })
	fake := llmtest.NewServer(t, respond)
	client, err := llm.New(llm.Config{BaseURL: fake.URL, Model: "m", Timeout: 5 * time.Second},
		llm.WithCache(store.LLMCache()), llm.WithLogger(quiet))
	require.NoError(t, err)

	lex, err := analysis.BuiltinLexicon()
	require.NoError(t, err)
	analyzer, err := analysis.NewAnalyzer(lex)
	require.NoError(t, err)
	f := &fixture{store: store, fake: fake, client: client}
	ev := models.Event{Title: "Flood"}
	require.NoError(t, store.CreateEvent(t.Context(), &ev))
	f.eventID = ev.ID
	for i, text := range []string{"The river rose. Shops closed.", "The river rose overnight. The mayor spoke."} {
		report := analyzer.Analyze(analysis.Document{Text: text})
		data, err := json.Marshal(report)
		require.NoError(t, err)
		a := models.Article{EventID: ev.ID, Outlet: models.Outlet{Name: "Bugle"}, Body: text, Title: fmt.Sprint("Title ", i)}
		require.NoError(t, store.AddArticle(t.Context(), &a, "", &models.Analysis{Report: data, LexiconVersion: report.LexiconVersion}))
		f.articles = append(f.articles, a)
	}
	return f
}

// queue queues a job for the client's model and the current prompts.
func (f *fixture) queue(t *testing.T, kind string, target int64) models.LLMJob {
	t.Helper()
	j := models.LLMJob{Kind: kind, TargetID: target, Model: f.client.Model(), PromptVersion: llm.PromptVersion}
	created, err := f.store.EnqueueLLMJob(t.Context(), &j)
	require.NoError(t, err)
	require.True(t, created)
	return j
}

func (f *fixture) job(t *testing.T, id int64) models.LLMJob {
	t.Helper()
	j, err := f.store.GetLLMJob(t.Context(), id)
	require.NoError(t, err)
	return j
}

func answerAll(r llmtest.Request) llmtest.Response {
	if outlets := r.Outlets(); outlets != nil {
		b, _ := json.Marshal(map[string]any{"summary": "The river rose.", "facts": []map[string]any{{"text": "The river rose.", "outlets": outlets}}})
		return llmtest.Reply(string(b))
	}
	return llmtest.Judge(func(string) llmtest.Verdict { return llmtest.Verdict{Type: "none", Explanation: "Plain."} })(r)
}

func TestRunnerDoesArticleAndEventJobs(t *testing.T) {
	f := newFixture(t, answerAll)
	a := f.queue(t, models.LLMJobArticle, f.articles[0].ID)
	e := f.queue(t, models.LLMJobEvent, f.eventID)
	r := New(f.store, f.client, Options{Logger: quiet})
	n, err := r.Drain(t.Context())
	require.NoError(t, err)
	assert.Equal(t, 2, n)

	got := f.job(t, a.ID)
	require.Equal(t, models.LLMJobDone, got.Status, got.Error)
	var ar ArticleResult
	require.NoError(t, json.Unmarshal(got.Result, &ar))
	assert.Len(t, ar.Judgements, 2)
	assert.Equal(t, f.articles[0].ContentHash, ar.ContentHash)
	assert.Equal(t, f.articles[0].ContentHash, got.InputHash)
	assert.Equal(t, "m", ar.Meta.Model)

	got = f.job(t, e.ID)
	require.Equal(t, models.LLMJobDone, got.Status, got.Error)
	var er EventResult
	require.NoError(t, json.Unmarshal(got.Result, &er))
	assert.Equal(t, "The river rose.", er.AgreedFacts.Summary)
	assert.Equal(t, []EventArticle{{f.articles[0].ID, "Bugle"}, {f.articles[1].ID, "Bugle (2)"}}, er.Articles,
		"two articles of one outlet get distinct names")
	assert.Equal(t, EventInputHash(f.articles), got.InputHash)
	assert.Equal(t, []string{"Bugle", "Bugle (2)"}, f.fake.Requests()[1].Outlets())
}

func TestRunnerFailsWithoutAskingWhenItCannot(t *testing.T) {
	f := newFixture(t, answerAll)
	gone := f.queue(t, models.LLMJobArticle, 424242)
	noEvent := f.queue(t, models.LLMJobEvent, 424242)
	ev := models.Event{Title: "Alone"}
	require.NoError(t, f.store.CreateEvent(t.Context(), &ev))
	alone := f.queue(t, models.LLMJobEvent, ev.ID)
	changed := models.LLMJob{Kind: models.LLMJobArticle, TargetID: f.articles[0].ID, Model: "another-model", PromptVersion: llm.PromptVersion}
	_, err := f.store.EnqueueLLMJob(t.Context(), &changed)
	require.NoError(t, err)

	r := New(f.store, f.client, Options{Logger: quiet})
	_, err = r.Drain(t.Context())
	require.NoError(t, err)
	for id, want := range map[int64]string{gone.ID: MessageArticleGone, noEvent.ID: MessageEventGone, alone.ID: MessageTooFew, changed.ID: MessageChanged} {
		got := f.job(t, id)
		assert.Equal(t, models.LLMJobFailed, got.Status)
		assert.Equal(t, want, got.Error)
		assert.Nil(t, got.ActiveKey)
	}
	assert.Zero(t, f.fake.Count())
}

func TestRunnerGivesJobBackOnShutdown(t *testing.T) {
	started := make(chan struct{}, 1)
	f := newFixture(t, func(r llmtest.Request) llmtest.Response {
		select {
		case started <- struct{}{}:
		default:
		}
		return llmtest.Response{Delay: time.Minute, Content: "{}"}
	})
	j := f.queue(t, models.LLMJobArticle, f.articles[0].ID)
	r := New(f.store, f.client, Options{Logger: quiet, Workers: 2})
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan struct{})
	go func() {
		defer close(done)
		r.Run(ctx)
	}()
	select {
	case <-started:
	case <-time.After(10 * time.Second):
		t.Fatal("the job did not start")
	}
	assert.Equal(t, models.LLMJobRunning, f.job(t, j.ID).Status)
	cancel()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("Run did not return")
	}
	got := f.job(t, j.ID)
	assert.Equal(t, models.LLMJobQueued, got.Status, "an interrupted job waits for the next start")
	assert.Empty(t, got.Error)
}

func TestRunnerRequeuesStaleJobsAndGivesUp(t *testing.T) {
	f := newFixture(t, answerAll)
	j := f.queue(t, models.LLMJobArticle, f.articles[0].ID)
	// A worker that died: the job is running, and stays so.
	for attempt := 1; attempt <= DefaultMaxAttempts; attempt++ {
		claimed, ok, err := f.store.ClaimLLMJob(t.Context())
		require.NoError(t, err)
		require.True(t, ok)
		require.Equal(t, attempt, claimed.Attempts)
		if attempt < DefaultMaxAttempts {
			n, err := f.store.RequeueStaleLLMJobs(t.Context(), time.Now().Add(time.Hour))
			require.NoError(t, err)
			require.EqualValues(t, 1, n)
		}
	}
	// Run puts stale jobs back first; the job was started too often.
	r := New(f.store, f.client, Options{Logger: quiet, StaleAfter: time.Nanosecond, Poll: 10 * time.Millisecond})
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan struct{})
	go func() {
		defer close(done)
		r.Run(ctx)
	}()
	require.Eventually(t, func() bool { return f.job(t, j.ID).Status == models.LLMJobFailed }, 10*time.Second, 10*time.Millisecond)
	cancel()
	<-done
	assert.Equal(t, MessageInterrupted, f.job(t, j.ID).Error)
	assert.Zero(t, f.fake.Count())
}

func TestMessage(t *testing.T) {
	tests := []struct {
		err  error
		want string
	}{
		{fmt.Errorf("chunk 0: %w", llm.ErrTimeout), MessageTimeout},
		{context.DeadlineExceeded, MessageTimeout},
		{fmt.Errorf("x: %w", llm.ErrInvalidOutput), MessageInvalid},
		{fmt.Errorf("x: %w: %w", llm.ErrUnavailable, &openai.APIError{HTTPStatusCode: 503}), MessageUnavailable},
		{&openai.APIError{HTTPStatusCode: http.StatusUnauthorized, Message: "bad key sk-123"}, MessageRefused + " (check SLANT_LLM_API_KEY)"},
		{&openai.APIError{HTTPStatusCode: http.StatusNotFound, Message: "model not found"}, MessageRefused + " (check SLANT_LLM_MODEL and SLANT_LLM_BASE_URL)"},
		{&openai.APIError{HTTPStatusCode: http.StatusBadRequest, Message: "context too long"}, MessageRefused},
		{errors.New("dial tcp 127.0.0.1:1: connect: connection refused"), MessageUnavailable},
		{errNoReport, MessageNoReport},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, Message(tt.err), tt.err.Error())
	}
}

func TestOutletNames(t *testing.T) {
	arts := func(names ...string) []models.Article {
		out := make([]models.Article, len(names))
		for i, n := range names {
			out[i].Outlet.Name = n
		}
		return out
	}
	assert.Equal(t, []string{"A", "B"}, OutletNames(arts("A", "B")))
	assert.Equal(t, []string{"A", "a (2)", "A (3)"}, OutletNames(arts("A", "a", "A")))
	got := OutletNames(arts("A", "A (2)", "A"))
	assert.Len(t, got, 3)
	seen := map[string]bool{}
	for _, n := range got {
		assert.False(t, seen[n], "names are distinct: %v", got)
		seen[n] = true
	}
	assert.Equal(t, []string{"Outlet", "Outlet (2)"}, OutletNames(arts("", " ")))
}

func TestEventInputHash(t *testing.T) {
	a := []models.Article{{ID: 1, ContentHash: "x"}, {ID: 2, ContentHash: "y"}}
	b := []models.Article{{ID: 2, ContentHash: "y"}, {ID: 1, ContentHash: "x"}}
	assert.Equal(t, EventInputHash(a), EventInputHash(b), "order does not count")
	assert.NotEqual(t, EventInputHash(a), EventInputHash(a[:1]))
	assert.NotEqual(t, EventInputHash(a), EventInputHash([]models.Article{{ID: 1, ContentHash: "x"}, {ID: 3, ContentHash: "y"}}))
}
