package llm

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func env(m map[string]string) func(string) string {
	return func(k string) string { return m[k] }
}

func TestFromEnvOffWhenUnset(t *testing.T) {
	cfg, on, err := FromEnv(env(nil))
	require.NoError(t, err)
	assert.False(t, on)
	assert.Equal(t, "word lists only", cfg.Describe())
}

func TestFromEnvHalfConfiguredNamesTheMissingVariable(t *testing.T) {
	_, on, err := FromEnv(env(map[string]string{EnvBaseURL: "http://localhost:11434"}))
	assert.False(t, on)
	require.Error(t, err)
	assert.Contains(t, err.Error(), EnvModel)

	_, _, err = FromEnv(env(map[string]string{EnvModel: "llama3.1:8b"}))
	require.Error(t, err)
	assert.Contains(t, err.Error(), EnvBaseURL)
}

func TestFromEnvDefaultsAndDescribe(t *testing.T) {
	cfg, on, err := FromEnv(env(map[string]string{
		EnvBaseURL: " http://localhost:11434/ ", EnvModel: "llama3.1:8b", EnvAPIKey: "sk-secret-key",
	}))
	require.NoError(t, err)
	assert.True(t, on)
	assert.Equal(t, "http://localhost:11434/v1", cfg.BaseURL)
	assert.Equal(t, DefaultTimeout, cfg.Timeout)
	assert.Equal(t, DefaultMaxConcurrent, cfg.MaxConcurrent)
	assert.Equal(t, DefaultMaxRetries, cfg.MaxRetries)
	assert.Equal(t, DefaultTokenBudget, cfg.TokenBudget)
	assert.Equal(t, 1, cfg.Burst)
	assert.Zero(t, cfg.RatePerSecond)
	assert.Equal(t, "model llama3.1:8b at localhost:11434", cfg.Describe())
	assert.NotContains(t, cfg.Describe(), "sk-secret")

	again, err := cfg.withDefaults()
	require.NoError(t, err)
	assert.Equal(t, cfg, again, "defaults are idempotent")
}

func TestFromEnvTuning(t *testing.T) {
	cfg, on, err := FromEnv(env(map[string]string{
		EnvBaseURL: "https://llm.example.org/openai/v1", EnvModel: "m",
		EnvTimeout: "2m", EnvMaxConcurrent: "4", EnvRate: "0.5", EnvBurst: "3", EnvMaxRetries: "0", EnvTokenBudget: "800",
	}))
	require.NoError(t, err)
	require.True(t, on)
	assert.Equal(t, 2*time.Minute, cfg.Timeout)
	assert.Equal(t, 4, cfg.MaxConcurrent)
	assert.Equal(t, 0.5, cfg.RatePerSecond)
	assert.Equal(t, 3, cfg.Burst)
	assert.Equal(t, -1, cfg.MaxRetries, "an explicit 0 means no retries")
	assert.Equal(t, 800, cfg.TokenBudget)
	again, err := cfg.withDefaults()
	require.NoError(t, err)
	assert.Equal(t, -1, again.MaxRetries, "no retries survives a second pass")
}

func TestFromEnvErrorsNameTheVariable(t *testing.T) {
	base := map[string]string{EnvBaseURL: "http://localhost:8000", EnvModel: "m"}
	cases := map[string]string{
		EnvTimeout:       "soon",
		EnvMaxConcurrent: "0",
		EnvRate:          "-1",
		EnvBurst:         "many",
		EnvMaxRetries:    "99",
		EnvTokenBudget:   "10",
	}
	for name, value := range cases {
		t.Run(name, func(t *testing.T) {
			m := map[string]string{name: value}
			for k, v := range base {
				m[k] = v
			}
			_, on, err := FromEnv(env(m))
			assert.False(t, on)
			require.Error(t, err)
			assert.Contains(t, err.Error(), name)
		})
	}
}

func TestNormalizeBaseURL(t *testing.T) {
	good := map[string]string{
		"http://localhost:11434":          "http://localhost:11434/v1",
		"http://localhost:11434/":         "http://localhost:11434/v1",
		"http://127.0.0.1:8000/v1":        "http://127.0.0.1:8000/v1",
		"http://127.0.0.1:8000/v1/":       "http://127.0.0.1:8000/v1",
		"https://api.example.com/openai":  "https://api.example.com/openai/v1",
		"https://api.example.com/x/v1///": "https://api.example.com/x/v1",
	}
	for in, want := range good {
		got, err := NormalizeBaseURL(in)
		require.NoError(t, err, in)
		assert.Equal(t, want, got, in)
	}
	bad := []string{
		"", "localhost:11434", "ftp://host/v1", "http:///v1", "http://user:pw@host/v1",
		"http://host/v1?key=1", "http://host/v1#x", "http://host/v1/chat/completions", "http://host:bad/",
	}
	for _, in := range bad {
		_, err := NormalizeBaseURL(in)
		require.Error(t, err, in)
		assert.Contains(t, err.Error(), EnvBaseURL, in)
		assert.NotContains(t, err.Error(), "pw@", "credentials are never echoed")
	}
}

func TestNewRejectsBadConfig(t *testing.T) {
	_, err := New(Config{BaseURL: "http://localhost:1/v1"})
	require.Error(t, err)
	assert.Contains(t, err.Error(), EnvModel)
	_, err = New(Config{BaseURL: "file:///etc/passwd", Model: "m"})
	require.Error(t, err)
	_, err = New(Config{BaseURL: "http://localhost:1", Model: "m", TokenBudget: 5})
	assert.ErrorContains(t, err, EnvTokenBudget)
	c, err := New(Config{BaseURL: "http://localhost:1", Model: "m", APIKey: "secret"})
	require.NoError(t, err)
	assert.Equal(t, "model m at localhost:1", c.Describe())
	assert.Equal(t, "m", c.Model())
}

func TestEnvVariablesListsEveryVariable(t *testing.T) {
	assert.ElementsMatch(t, []string{
		"SLANT_LLM_BASE_URL", "SLANT_LLM_API_KEY", "SLANT_LLM_MODEL", "SLANT_LLM_TIMEOUT", "SLANT_LLM_MAX_CONCURRENT",
		"SLANT_LLM_RATE", "SLANT_LLM_BURST", "SLANT_LLM_MAX_RETRIES", "SLANT_LLM_TOKEN_BUDGET",
	}, EnvVariables())
}
