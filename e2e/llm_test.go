package e2e

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"slant/llm"
	"slant/llm/llmtest"
)

// TestServeWithLLM runs the real server with SLANT_LLM_* pointed at a
// fake model server: /healthz names the model (never the key), asking
// about the demo event queues jobs that the background runner finishes,
// and the server still stops cleanly.
func TestServeWithLLM(t *testing.T) {
	judge := llmtest.Judge(func(string) llmtest.Verdict {
		return llmtest.Verdict{Type: "none", Explanation: "States what happened."}
	})
	fake := llmtest.NewServer(t, func(r llmtest.Request) llmtest.Response {
		if outlets := r.Outlets(); outlets != nil {
			b, _ := json.Marshal(map[string]any{"summary": "Something happened.", "facts": []map[string]any{{"text": "It happened.", "outlets": outlets}}})
			return llmtest.Reply(string(b))
		}
		return judge(r)
	})
	const key = "sk-serve-test-0123456789"
	base := startTestServer(t, map[string]string{
		"SLANT_LLM_BASE_URL":       strings.TrimSuffix(fake.URL, "/v1"),
		"SLANT_LLM_MODEL":          "fake:1b",
		"SLANT_LLM_API_KEY":        key,
		"SLANT_LLM_MAX_CONCURRENT": "3",
	})

	var health struct {
		LLM string `json:"llm"`
	}
	require.Equal(t, http.StatusOK, getJSON(t, base+"/healthz", &health))
	assert.True(t, strings.HasPrefix(health.LLM, "model fake:1b at 127.0.0.1:"), health.LLM)

	var events struct {
		Events []struct {
			ID int64 `json:"id"`
		} `json:"events"`
	}
	require.Equal(t, http.StatusOK, getJSON(t, base+"/api/v1/events", &events))
	require.NotEmpty(t, events.Events)
	eventLLM := fmt.Sprintf("%s/api/v1/events/%d/llm", base, events.Events[0].ID)

	var job struct {
		ID     int64  `json:"id"`
		Status string `json:"status"`
	}
	require.Equal(t, http.StatusAccepted, postJSON(t, eventLLM, map[string]any{}, &job))
	var page struct {
		Enabled  bool `json:"enabled"`
		Pending  bool `json:"pending"`
		Articles []struct {
			Status     string                  `json:"status"`
			Judgements []llm.SentenceJudgement `json:"judgements"`
		} `json:"articles"`
		AgreedFacts *struct {
			Status  string `json:"status"`
			Summary string `json:"summary"`
		} `json:"agreed_facts"`
	}
	require.Eventually(t, func() bool {
		page.AgreedFacts = nil
		return getJSON(t, eventLLM, &page) == http.StatusOK && !page.Pending && page.AgreedFacts != nil
	}, 20*time.Second, 50*time.Millisecond)
	assert.True(t, page.Enabled)
	assert.Equal(t, "done", page.AgreedFacts.Status)
	assert.Equal(t, "Something happened.", page.AgreedFacts.Summary)
	for _, a := range page.Articles {
		assert.Equal(t, "done", a.Status)
		assert.NotEmpty(t, a.Judgements)
	}
	for _, r := range fake.Requests() {
		assert.Equal(t, "Bearer "+key, r.Header.Get("Authorization"))
	}
}
