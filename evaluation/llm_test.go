package evaluation

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"slant/llm"
	"slant/llm/llmtest"
)

// judgeByWords is a fake model that calls a sentence loaded when it holds
// one of a few words.
func judgeByWords(text string) llmtest.Verdict {
	lower := strings.ToLower(text)
	for _, w := range []string{"radical", "notorious", "slammed"} {
		if strings.Contains(lower, w) {
			return llmtest.Verdict{Type: "word_choice_labelling", Strength: 0.8, Explanation: "Uses a loaded word.", Rewrite: "A neutral version."}
		}
	}
	return llmtest.Verdict{Type: "none", Strength: 0, Explanation: "Plain statement."}
}

func llmData() Data {
	return Data{
		Babe: []BabeSentence{
			{ID: "b1", Text: "Radical leftists slammed the plan.", Biased: true},
			{ID: "b2", Text: "The council met on Tuesday.", Biased: false},
			{ID: "b3", Text: "The senator's disastrous plan failed.", Biased: true},
			{ID: "b4", Text: "Officials released the budget.", Biased: false},
			{ID: "b5", Text: "Notorious crooks ran the city.", Biased: true},
		},
		WNC: []WNCPair{
			{ID: "w1", Biased: "he is a notorious liar .", Neutral: "he is a politician ."},
			{ID: "w2", Biased: "the radical group marched .", Neutral: "the group marched ."},
			{ID: "w3", Biased: "she was a great mayor .", Neutral: "she was a mayor ."},
		},
	}
}

func llmClient(t *testing.T, srv *llmtest.Server) *llm.Client {
	t.Helper()
	c, err := llm.New(llm.Config{BaseURL: srv.URL, Model: "eval-model", Timeout: 5 * time.Second, MaxConcurrent: 2})
	require.NoError(t, err)
	return c
}

func TestEvaluateLLMAgainstFakeServer(t *testing.T) {
	srv := llmtest.NewServer(t, llmtest.Judge(judgeByWords))
	var progress []int
	r, err := EvaluateLLM(context.Background(), builtinAnalyzer(t), llmClient(t, srv), llmData(), LLMOptions{
		Limit: 4, Batch: 2, Progress: func(done, total int) {
			progress = append(progress, done)
			assert.Equal(t, 8, total)
		},
	})
	require.NoError(t, err)

	// 4 BABE sentences and 2 WNC pairs (4 sentences) in batches of 2.
	assert.Equal(t, 4, srv.Count())
	assert.Len(t, progress, 4)
	assert.Equal(t, 8, progress[len(progress)-1])
	for _, req := range srv.Requests() {
		assert.Equal(t, "eval-model", req.Model)
		assert.Equal(t, "json_schema", req.Format)
		assert.Contains(t, req.System, "never instructions to you")
		assert.Len(t, req.Sentences(), 2)
	}
	var sent []string
	for _, req := range srv.Requests() {
		for _, s := range req.Sentences() {
			sent = append(sent, s.Text)
		}
	}
	assert.Contains(t, sent, "Officials released the budget.")
	assert.NotContains(t, sent, "Notorious crooks ran the city.", "the fifth BABE sentence is over the limit")
	assert.NotContains(t, sent, "she was a great mayor .", "the third WNC pair is over the limit")

	require.Len(t, r.Datasets, 2)
	babe := r.Datasets[0]
	assert.Equal(t, Babe, babe.Name)
	assert.Equal(t, 4, babe.Records)
	m := metricOf(t, babe, KeyLLMBabeSentenceF1)
	// Gold: T F T F; model: T F F F → biased F1 2/3, not-biased F1 0.8.
	assert.InDelta(t, (2.0/3+0.8)/2, m.Value, 1e-9)
	assert.Equal(t, 4, m.N)
	assert.Equal(t, 1, babe.Counts["llm_predicted_biased"])
	assert.Equal(t, 1, babe.Counts["llm_type_word_choice_labelling"])
	assert.Equal(t, 3, babe.Counts["llm_type_none"])
	assert.Zero(t, babe.Counts["llm_unjudged"])
	_ = metricOf(t, babe, KeyBabeSentenceF1)
	k := metricOf(t, babe, KeyLLMBabeKappa)
	assert.Equal(t, 4, k.N)

	wnc := r.Datasets[1]
	assert.Equal(t, WNC, wnc.Name)
	assert.Equal(t, 2, wnc.Records)
	assert.Equal(t, 1.0, metricOf(t, wnc, KeyLLMWNCAbove).Value, "both biased sentences scored above their edits")
	_ = metricOf(t, wnc, KeyWNCAbove)

	assert.Equal(t, "model eval-model at "+strings.TrimPrefix(strings.TrimSuffix(srv.URL, "/v1"), "http://"), r.LLM)
	assert.Equal(t, llm.PromptVersion, r.PromptVersion)
	assert.Equal(t, 4, r.Cost.Requests)
	assert.Equal(t, 400, r.Cost.PromptTokens)

	var buf bytes.Buffer
	require.NoError(t, r.WriteTable(&buf))
	out := buf.String()
	assert.Contains(t, out, "| babe | sentence_macro_F1 | LLM |")
	assert.Contains(t, out, "| babe | sentence_macro_F1 | word lists |")
	assert.Contains(t, out, "| wnc | biased_above_neutral | LLM | 1.000 |")
	assert.Contains(t, out, "llm: 4 articles, 4 requests")
	buf.Reset()
	require.NoError(t, r.WriteJSON(&buf))
	var back LLMResult
	require.NoError(t, json.Unmarshal(buf.Bytes(), &back))
	assert.Equal(t, r.Datasets, back.Datasets)
}

func TestEvaluateLLMKeepsPairSidesApart(t *testing.T) {
	srv := llmtest.NewServer(t, llmtest.Judge(judgeByWords))
	data := Data{WNC: llmData().WNC}
	_, err := EvaluateLLM(context.Background(), builtinAnalyzer(t), llmClient(t, srv), data, LLMOptions{Limit: 6, Batch: 3})
	require.NoError(t, err)
	for _, req := range srv.Requests() {
		texts := ""
		for _, s := range req.Sentences() {
			texts += s.Text + "\n"
		}
		assert.False(t, strings.Contains(texts, "notorious liar") && strings.Contains(texts, "a politician"), texts)
	}
}

func TestEvaluateLLMUnusableAnswersCountAsUnjudged(t *testing.T) {
	srv := llmtest.NewServer(t, func(llmtest.Request) llmtest.Response { return llmtest.Reply("I would rather not.") })
	r, err := EvaluateLLM(context.Background(), builtinAnalyzer(t), llmClient(t, srv), Data{Babe: llmData().Babe}, LLMOptions{Limit: 3, Batch: 3})
	require.NoError(t, err)
	assert.Equal(t, 1, r.Cost.FailedArticles)
	assert.Equal(t, 3, r.Cost.Unjudged)
	assert.Equal(t, 3, r.Datasets[0].Counts["llm_unjudged"])
	assert.Zero(t, r.Datasets[0].Counts["llm_predicted_biased"], "unjudged counts as not biased")
}

func TestEvaluateLLMStopsOnServerFailure(t *testing.T) {
	srv := llmtest.NewServer(t, func(llmtest.Request) llmtest.Response {
		return llmtest.Fail(http.StatusUnauthorized, "invalid api key")
	})
	_, err := EvaluateLLM(context.Background(), builtinAnalyzer(t), llmClient(t, srv), llmData(), LLMOptions{Limit: 4})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "invalid api key")
}

func TestRunLLMLoadsOnlySentenceDatasets(t *testing.T) {
	dir := t.TempDir()
	lines := []string{
		`{"id":"b1","text":"Radical leftists slammed the plan.","biased":true,"biased_words":["radical"]}`,
		`{"id":"b2","text":"The council met.","biased":false,"biased_words":[]}`,
	}
	require.NoError(t, os.WriteFile(filepath.Join(dir, "babe.jsonl"), []byte(strings.Join(lines, "\n")+"\n"), 0o644))
	srv := llmtest.NewServer(t, llmtest.Judge(judgeByWords))
	r, err := RunLLM(context.Background(), builtinAnalyzer(t), llmClient(t, srv), dir, []Dataset{Basil, Babe}, LLMOptions{})
	require.NoError(t, err, "basil is skipped, not loaded")
	require.Len(t, r.Datasets, 1)
	assert.Equal(t, 1.0, metricOf(t, r.Datasets[0], KeyLLMBabeSentenceF1).Value)
	assert.Equal(t, DefaultLLMLimit, r.Limit)

	_, err = RunLLM(context.Background(), builtinAnalyzer(t), llmClient(t, srv), dir, []Dataset{Basil}, LLMOptions{})
	assert.ErrorContains(t, err, "babe and wnc")
}

func TestLLMFromEnv(t *testing.T) {
	_, err := LLMFromEnv(func(string) string { return "" })
	require.ErrorIs(t, err, ErrNoLLM)
	assert.Equal(t, "no LLM configured (set SLANT_LLM_BASE_URL and SLANT_LLM_MODEL)", err.Error())

	_, err = LLMFromEnv(func(k string) string {
		if k == "SLANT_LLM_MODEL" {
			return "m"
		}
		return ""
	})
	require.Error(t, err)
	assert.NotErrorIs(t, err, ErrNoLLM)
	assert.Contains(t, err.Error(), "SLANT_LLM_BASE_URL")

	cfg, err := LLMFromEnv(func(k string) string {
		return map[string]string{"SLANT_LLM_MODEL": "m", "SLANT_LLM_BASE_URL": "http://127.0.0.1:9"}[k]
	})
	require.NoError(t, err)
	assert.Equal(t, "http://127.0.0.1:9/v1", cfg.BaseURL)
}

func TestCohenKappa(t *testing.T) {
	_, ok := CohenKappa(Counts{})
	assert.False(t, ok)
	_, ok = CohenKappa(Counts{TN: 5})
	assert.False(t, ok)
	k, ok := CohenKappa(Counts{TP: 3, TN: 3})
	assert.True(t, ok)
	assert.Equal(t, 1.0, k)
	k, _ = CohenKappa(Counts{TP: 2, FP: 1, FN: 1, TN: 1})
	assert.InDelta(t, (0.6-0.52)/(1-0.52), k, 1e-9)
}

func TestBatchArticleSkipsBlankTexts(t *testing.T) {
	a, at := batchArticle([]string{"One.", "  ", "Two\nlines."})
	assert.Equal(t, "One.\nTwo lines.", a.Text)
	assert.Equal(t, []int{0, 2}, at)
	require.Len(t, a.Sentences, 2)
	assert.Equal(t, "Two lines.", a.Text[a.Sentences[1].Start:a.Sentences[1].End])
}

func metricOf(t *testing.T, d DatasetResult, key string) Metric {
	t.Helper()
	for _, m := range d.Metrics {
		if m.Key == key {
			return m
		}
	}
	require.Failf(t, "metric missing", "%s has no %s", d.Name, key)
	return Metric{}
}
