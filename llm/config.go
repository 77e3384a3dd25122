package llm

import (
	"fmt"
	"math"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// Config says which model to ask and how hard to lean on its server. The
// zero value of every field but BaseURL and Model means its default.
type Config struct {
	// BaseURL is the root of the OpenAI-compatible API, ending in /v1
	// (http://localhost:11434/v1 for Ollama).
	BaseURL string
	// APIKey is sent as a bearer token when set; local servers need none.
	// It never appears in errors, logs or Describe.
	APIKey string
	// Model is the model name the server knows ("llama3.1:8b").
	Model string
	// Timeout bounds each request (default DefaultTimeout).
	Timeout time.Duration
	// MaxConcurrent bounds the requests in flight across all calls of one
	// Client (default DefaultMaxConcurrent).
	MaxConcurrent int
	// RatePerSecond bounds how many requests start per second across all
	// calls of one Client; 0 means no limit.
	RatePerSecond float64
	// Burst is how many requests may start at once under RatePerSecond
	// (default 1).
	Burst int
	// MaxRetries is how many times a request answered 429 or 5xx is
	// retried before giving up (0 means DefaultMaxRetries; -1 means no
	// retries, and is what FromEnv makes of SLANT_LLM_MAX_RETRIES=0).
	MaxRetries int
	// TokenBudget is the most article tokens (estimated as bytes/4) sent
	// in one request; longer articles are cut into chunks of whole
	// sentences (default DefaultTokenBudget).
	TokenBudget int
}

// Defaults of the Config fields that have them.
const (
	DefaultTimeout       = 90 * time.Second
	DefaultMaxConcurrent = 2
	DefaultMaxRetries    = 3
	DefaultTokenBudget   = 1200
)

// Limits FromEnv and New enforce.
const (
	minTokenBudget = 50
	maxTokenBudget = 200_000
	maxRetriesCap  = 10
	maxConcurrent  = 256
)

// The environment variables FromEnv reads.
const (
	EnvBaseURL       = "SLANT_LLM_BASE_URL"
	EnvAPIKey        = "SLANT_LLM_API_KEY"
	EnvModel         = "SLANT_LLM_MODEL"
	EnvTimeout       = "SLANT_LLM_TIMEOUT"
	EnvMaxConcurrent = "SLANT_LLM_MAX_CONCURRENT"
	EnvRate          = "SLANT_LLM_RATE"
	EnvBurst         = "SLANT_LLM_BURST"
	EnvMaxRetries    = "SLANT_LLM_MAX_RETRIES"
	EnvTokenBudget   = "SLANT_LLM_TOKEN_BUDGET"
)

// EnvVariables returns every environment variable FromEnv reads, so that
// deployment files can be checked against it.
func EnvVariables() []string {
	return []string{EnvBaseURL, EnvAPIKey, EnvModel, EnvTimeout, EnvMaxConcurrent, EnvRate, EnvBurst, EnvMaxRetries, EnvTokenBudget}
}

// FromEnv reads the LLM settings through getenv. The layer is off
// (enabled false, no error) when neither SLANT_LLM_BASE_URL nor
// SLANT_LLM_MODEL is set; setting only one of them is an error, as is any
// malformed value, and every error names its variable. The optional
// tuning variables are SLANT_LLM_TIMEOUT (a Go duration such as 90s),
// SLANT_LLM_MAX_CONCURRENT, SLANT_LLM_RATE (requests per second),
// SLANT_LLM_BURST, SLANT_LLM_MAX_RETRIES and SLANT_LLM_TOKEN_BUDGET. The
// returned Config has its defaults filled in.
func FromEnv(getenv func(string) string) (Config, bool, error) {
	base := strings.TrimSpace(getenv(EnvBaseURL))
	model := strings.TrimSpace(getenv(EnvModel))
	switch {
	case base == "" && model == "":
		return Config{}, false, nil
	case base == "":
		return Config{}, false, fmt.Errorf("%s is set but %s is not: set both to use an LLM, or neither", EnvModel, EnvBaseURL)
	case model == "":
		return Config{}, false, fmt.Errorf("%s is set but %s is not: set both to use an LLM, or neither", EnvBaseURL, EnvModel)
	}
	cfg := Config{BaseURL: base, Model: model, APIKey: strings.TrimSpace(getenv(EnvAPIKey))}
	var err error
	if v := strings.TrimSpace(getenv(EnvTimeout)); v != "" {
		if cfg.Timeout, err = time.ParseDuration(v); err != nil || cfg.Timeout <= 0 {
			return Config{}, false, fmt.Errorf("%s %q must be a positive duration such as 90s or 2m", EnvTimeout, v)
		}
	}
	ints := []struct {
		name string
		dst  *int
		min  int
		max  int
	}{
		{EnvMaxConcurrent, &cfg.MaxConcurrent, 1, maxConcurrent},
		{EnvBurst, &cfg.Burst, 1, 10_000},
		{EnvMaxRetries, &cfg.MaxRetries, 0, maxRetriesCap},
		{EnvTokenBudget, &cfg.TokenBudget, minTokenBudget, maxTokenBudget},
	}
	for _, f := range ints {
		v := strings.TrimSpace(getenv(f.name))
		if v == "" {
			continue
		}
		n, err := strconv.Atoi(v)
		if err != nil || n < f.min || n > f.max {
			return Config{}, false, fmt.Errorf("%s %q must be a whole number from %d to %d", f.name, v, f.min, f.max)
		}
		*f.dst = n
	}
	if cfg.MaxRetries == 0 && strings.TrimSpace(getenv(EnvMaxRetries)) == "0" {
		cfg.MaxRetries = -1 // an explicit 0 means no retries, not the default
	}
	if v := strings.TrimSpace(getenv(EnvRate)); v != "" {
		r, err := strconv.ParseFloat(v, 64)
		if err != nil || r < 0 || math.IsNaN(r) || math.IsInf(r, 0) {
			return Config{}, false, fmt.Errorf("%s %q must be a number of requests per second, 0 for no limit", EnvRate, v)
		}
		cfg.RatePerSecond = r
	}
	cfg, err = cfg.withDefaults()
	if err != nil {
		return Config{}, false, err
	}
	return cfg, true, nil
}

// withDefaults checks the config and fills in the defaults; errors name
// the environment variable behind the field.
func (c Config) withDefaults() (Config, error) {
	if strings.TrimSpace(c.Model) == "" {
		return c, fmt.Errorf("%s: no model named", EnvModel)
	}
	c.Model = strings.TrimSpace(c.Model)
	base, err := NormalizeBaseURL(c.BaseURL)
	if err != nil {
		return c, err
	}
	c.BaseURL = base
	switch {
	case c.Timeout < 0:
		return c, fmt.Errorf("%s must be positive", EnvTimeout)
	case c.Timeout == 0:
		c.Timeout = DefaultTimeout
	}
	switch {
	case c.MaxConcurrent < 0 || c.MaxConcurrent > maxConcurrent:
		return c, fmt.Errorf("%s %d must be from 1 to %d", EnvMaxConcurrent, c.MaxConcurrent, maxConcurrent)
	case c.MaxConcurrent == 0:
		c.MaxConcurrent = DefaultMaxConcurrent
	}
	if c.RatePerSecond < 0 || math.IsNaN(c.RatePerSecond) || math.IsInf(c.RatePerSecond, 0) {
		return c, fmt.Errorf("%s %v must be a number of requests per second, 0 for no limit", EnvRate, c.RatePerSecond)
	}
	switch {
	case c.Burst < 0:
		return c, fmt.Errorf("%s %d must be positive", EnvBurst, c.Burst)
	case c.Burst == 0:
		c.Burst = 1
	}
	switch {
	case c.MaxRetries < -1 || c.MaxRetries > maxRetriesCap:
		return c, fmt.Errorf("%s %d must be from 0 to %d", EnvMaxRetries, c.MaxRetries, maxRetriesCap)
	case c.MaxRetries == 0:
		c.MaxRetries = DefaultMaxRetries
	}
	switch {
	case c.TokenBudget == 0:
		c.TokenBudget = DefaultTokenBudget
	case c.TokenBudget < minTokenBudget || c.TokenBudget > maxTokenBudget:
		return c, fmt.Errorf("%s %d must be from %d to %d", EnvTokenBudget, c.TokenBudget, minTokenBudget, maxTokenBudget)
	}
	return c, nil
}

// NormalizeBaseURL checks an OpenAI-compatible API root and returns it
// ending in /v1 with no trailing slash: "http://localhost:11434" becomes
// "http://localhost:11434/v1". It must be http or https with a host, and
// carry no credentials, query or fragment; the chat-completions endpoint
// itself is refused, since the client appends that path.
func NormalizeBaseURL(raw string) (string, error) {
	raw = strings.TrimSpace(raw)
	u, err := url.Parse(raw)
	if err != nil {
		return "", fmt.Errorf("%s %q is not a URL: %w", EnvBaseURL, raw, err)
	}
	switch {
	case u.Scheme != "http" && u.Scheme != "https":
		return "", fmt.Errorf("%s %q must start with http:// or https://", EnvBaseURL, raw)
	case u.Host == "" || u.Hostname() == "":
		return "", fmt.Errorf("%s %q has no host", EnvBaseURL, raw)
	case u.User != nil:
		// Do not echo the URL: it holds a secret.
		return "", fmt.Errorf("%s must not hold credentials: put the key in %s", EnvBaseURL, EnvAPIKey)
	case u.RawQuery != "" || u.Fragment != "" || u.ForceQuery:
		return "", fmt.Errorf("%s %q must not have a query or fragment", EnvBaseURL, raw)
	case strings.Contains(u.Path, "/chat/completions"):
		return "", fmt.Errorf("%s %q must be the API root ending in /v1, not the chat/completions endpoint", EnvBaseURL, raw)
	}
	path := strings.TrimRight(u.Path, "/")
	if !strings.HasSuffix(path, "/v1") {
		path += "/v1"
	}
	u.Path, u.RawPath = path, ""
	return u.String(), nil
}

// Describe says in a few words what the analysis uses, for /healthz and
// the page: "model llama3.1:8b at localhost:11434", or "word lists only"
// when no model is configured. It never shows the API key.
func (c Config) Describe() string {
	if strings.TrimSpace(c.Model) == "" || strings.TrimSpace(c.BaseURL) == "" {
		return "word lists only"
	}
	host := "an unreadable address"
	if u, err := url.Parse(strings.TrimSpace(c.BaseURL)); err == nil && u.Host != "" {
		host = u.Host
	}
	return fmt.Sprintf("model %s at %s", strings.TrimSpace(c.Model), host)
}
