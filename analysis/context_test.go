package analysis

import (
	"context"
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/require"

	"slant/demo"
)

// countdownContext is a context whose deadline passes after it has been
// asked left times: a deadline in the middle of the work that does not
// depend on the clock.
type countdownContext struct {
	context.Context
	left, asked int
}

func (c *countdownContext) Err() error {
	c.asked++
	if c.left > 0 {
		c.left--
		return nil
	}
	return context.DeadlineExceeded
}

func TestAnalyzeContextStopsOnAHostileText(t *testing.T) {
	a := builtinTestAnalyzer(t)
	for _, in := range hostileInputs(200_000) {
		t.Run(in.name, func(t *testing.T) {
			doc := Document{Title: "Headline", Text: in.text}
			full := unstoppableWork()
			_, err := a.analyze(full, doc)
			require.NoError(t, err)

			ctx := &countdownContext{Context: context.Background(), left: 2}
			stopped := newWork(ctx)
			_, err = a.analyze(stopped, doc)
			if full.done < 4*checkEvery {
				return // too little work to be asked three times
			}
			require.ErrorIs(t, err, context.DeadlineExceeded)
			require.ErrorContains(t, err, "analyze: stopped")
			// It stops at the first look after the deadline, long before
			// the end of the work.
			require.Equal(t, 3, ctx.asked)
			require.Less(t, stopped.done, full.done/2, "work done before stopping")
		})
	}
}

func TestAnalyzeContextCancelledBeforeStarting(t *testing.T) {
	a := builtinTestAnalyzer(t)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	r, err := a.AnalyzeContext(ctx, Document{Text: repeatTo(`"`, 200_000)})
	require.ErrorIs(t, err, context.Canceled)
	require.Empty(t, r.Findings)
	require.Empty(t, r.Sentences)
}

func TestAnalyzeContextWithAnExpiredDeadline(t *testing.T) {
	a := builtinTestAnalyzer(t)
	ctx, cancel := context.WithTimeout(context.Background(), -1)
	defer cancel()
	_, err := a.AnalyzeContext(ctx, Document{Text: repeatTo("regime ", 200_000)})
	require.ErrorIs(t, err, context.DeadlineExceeded)
}

// TestAnalyzeContextMatchesAnalyze: with a context that never ends, the
// report is Analyze's.
func TestAnalyzeContextMatchesAnalyze(t *testing.T) {
	a := builtinTestAnalyzer(t)
	for _, in := range hostileInputs(20_000) {
		doc := Document{Title: "Headline", Text: in.text}
		got, err := a.AnalyzeContext(context.Background(), doc)
		require.NoError(t, err)
		requireSameJSON(t, a.Analyze(doc), got)
	}
}

func TestCompareContextStopsOnAHostileEvent(t *testing.T) {
	if testing.Short() {
		t.Skip("compares events of 600 KB")
	}
	a := builtinTestAnalyzer(t)
	for _, in := range hostileInputs(200_000) {
		switch in.name {
		case "plain-words", "quotation-marks", "tiny-sentences", "same-surname", "said-quotes":
		default:
			continue // the others are quick to compare
		}
		t.Run(in.name, func(t *testing.T) {
			articles := hostileEvent(a, in.text)
			full := unstoppableWork()
			want, err := compare(full, articles, defaultWeights)
			require.NoError(t, err)
			got, err := CompareContext(context.Background(), articles)
			require.NoError(t, err)
			requireSameJSON(t, want, got)

			ctx := &countdownContext{Context: context.Background(), left: 2}
			stopped := newWork(ctx)
			_, err = compare(stopped, articles, defaultWeights)
			if full.done < 4*checkEvery {
				return
			}
			require.ErrorIs(t, err, context.DeadlineExceeded)
			require.ErrorContains(t, err, "compare: stopped")
			require.Equal(t, 3, ctx.asked)
			require.Less(t, stopped.done, full.done/2, "work done before stopping")
		})
	}
}

func TestCompareContextCancelledBeforeStarting(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := CompareContext(ctx, []ComparedArticle{{Outlet: "A", Text: "x"}})
	require.ErrorIs(t, err, context.Canceled)
}

func requireSameJSON(t *testing.T, want, got any) {
	t.Helper()
	w, err := json.Marshal(want)
	require.NoError(t, err)
	g, err := json.Marshal(got)
	require.NoError(t, err)
	require.JSONEq(t, string(w), string(g))
}

// TestStoppedAnalysisLeavesNoTrace: an analysis stopped by its context
// puts back the buffers it was using; the next analysis that takes them
// reports exactly what a fresh analyzer does. The stops fall at every look
// at the context, inside each step of a text that fills the source
// analysis's buffers and maps.
func TestStoppedAnalysisLeavesNoTrace(t *testing.T) {
	a := builtinTestAnalyzer(t)
	fresh := builtinTestAnalyzer(t)
	ev, err := demo.Load()
	require.NoError(t, err)
	var docs []Document
	for _, art := range ev.Articles {
		docs = append(docs, Document{Title: art.Title, Text: art.Text})
	}
	for _, in := range hostileInputs(30_000) {
		docs = append(docs, Document{Title: "Headline", Text: in.text[:2_000]})
	}
	want := make([]Report, len(docs))
	for i, d := range docs {
		want[i] = fresh.Analyze(d)
	}
	for _, in := range hostileInputs(30_000) {
		if in.name != "same-surname" && in.name != "said-quotes" && in.name != "quote-lines" {
			continue
		}
		stopped := Document{Title: "Headline", Text: in.text}
		for left := 0; ; left++ {
			ctx := &countdownContext{Context: context.Background(), left: left}
			_, err := a.AnalyzeContext(ctx, stopped)
			for i, d := range docs {
				requireSameJSON(t, want[i], a.Analyze(d))
			}
			if err == nil {
				break
			}
		}
	}
}
