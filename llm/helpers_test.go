package llm

import (
	"bytes"
	"context"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"slant/analysis"
	"slant/llm/llmtest"
)

// fakeClock is a clock that moves only when the client sleeps, recording
// every wait.
type fakeClock struct {
	mu     sync.Mutex
	t      time.Time
	sleeps []time.Duration
}

func newFakeClock() *fakeClock {
	return &fakeClock{t: time.Date(2026, 11, 21, 12, 0, 0, 0, time.UTC)}
}

func (f *fakeClock) Now() time.Time {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.t
}

func (f *fakeClock) Sleep(ctx context.Context, d time.Duration) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	f.sleeps = append(f.sleeps, d)
	f.t = f.t.Add(d)
	return nil
}

func (f *fakeClock) Sleeps() []time.Duration {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]time.Duration(nil), f.sleeps...)
}

// logBuffer collects log output from concurrent goroutines.
type logBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (l *logBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.Write(p)
}

func (l *logBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.String()
}

// harness is a client talking to a fake server, on a fake clock, logging
// into a buffer.
type harness struct {
	srv    *llmtest.Server
	client *Client
	clock  *fakeClock
	logs   *logBuffer
}

func newHarness(t *testing.T, respond llmtest.Responder, edit func(*Config), opts ...Option) *harness {
	t.Helper()
	srv := llmtest.NewServer(t, respond)
	cfg := Config{BaseURL: srv.URL, Model: "test-model", Timeout: 5 * time.Second}
	if edit != nil {
		edit(&cfg)
	}
	h := &harness{srv: srv, clock: newFakeClock(), logs: &logBuffer{}}
	logger := slog.New(slog.NewTextHandler(h.logs, &slog.HandlerOptions{Level: slog.LevelInfo}))
	all := append([]Option{WithLogger(logger), WithClock(h.clock.Now, h.clock.Sleep), WithJitter(func() float64 { return 0.5 })}, opts...)
	c, err := New(cfg, all...)
	require.NoError(t, err)
	h.client = c
	return h
}

// article builds an Article from sentences joined by single spaces, with
// their spans.
func article(title string, sentences ...string) Article {
	var b strings.Builder
	a := Article{Title: title}
	for i, s := range sentences {
		if i > 0 {
			b.WriteString(" ")
		}
		a.Sentences = append(a.Sentences, analysis.Span{Start: b.Len(), End: b.Len() + len(s)})
		b.WriteString(s)
	}
	a.Text = b.String()
	return a
}

// ruleJudge labels a sentence by a word in it, as a well-behaved model
// would answer.
func ruleJudge(text string) llmtest.Verdict {
	switch {
	case strings.Contains(text, "slammed"):
		return llmtest.Verdict{Type: "word_choice_labelling", Strength: 0.7, Explanation: "Slammed dramatises a criticism.", Rewrite: strings.ReplaceAll(text, "slammed", "criticised")}
	case strings.Contains(text, "catastrophe"):
		return llmtest.Verdict{Type: "sensationalism", Strength: 0.9, Explanation: "Catastrophe overstates the event.", Rewrite: ""}
	default:
		return llmtest.Verdict{Type: "none", Strength: 0, Explanation: "States facts plainly."}
	}
}
