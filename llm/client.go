package llm

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	openai "github.com/sashabaranov/go-openai"
	"golang.org/x/time/rate"
)

// The errors callers may need to tell apart; match them with errors.Is.
var (
	// ErrInvalidOutput means the model's answers held nothing usable:
	// no JSON, or no item that passed validation.
	ErrInvalidOutput = errors.New("the model's answer was not usable")
	// ErrUnavailable means the server kept answering 429 or 5xx until
	// the retries ran out, or asked to be left alone for too long.
	ErrUnavailable = errors.New("the model's server is unavailable")
	// ErrTimeout means one request took longer than Config.Timeout.
	ErrTimeout = errors.New("the model did not answer in time")
)

// Backoff bounds: the first retry waits about baseBackoff, each later one
// twice as long, up to maxBackoff; a Retry-After longer than
// maxRetryAfter is not waited for.
const (
	baseBackoff   = time.Second
	maxBackoff    = 30 * time.Second
	maxRetryAfter = 2 * time.Minute
	// formatRetries is how many times an answer that holds no JSON is
	// asked for again.
	formatRetries = 1
	// factsBudgetFactor times Config.TokenBudget is the budget of the
	// articles sent to AgreedFacts in one request.
	factsBudgetFactor = 4
)

// Client asks one model on one OpenAI-compatible server. It is safe for
// concurrent use; the concurrency and rate limits hold across all calls.
type Client struct {
	cfg     Config
	api     *openai.Client
	log     *slog.Logger
	cache   Cache
	sem     chan struct{}
	limiter *rate.Limiter
	now     func() time.Time
	sleep   func(context.Context, time.Duration) error
	jitter  func() float64
	// plain is set once the server has rejected the JSON-schema
	// response format; later requests go without it.
	plain atomic.Bool
	// noSchema is the WithoutSchema option.
	noSchema   bool
	httpClient *http.Client
}

// Option changes how New builds a Client.
type Option func(*Client)

// WithHTTPClient sends requests through h instead of a default
// http.Client. Do not set h.Timeout: Config.Timeout bounds each request.
func WithHTTPClient(h *http.Client) Option {
	return func(c *Client) { c.httpClient = h }
}

// WithLogger logs warnings (dropped output, retries, fallbacks) to l
// instead of slog.Default().
func WithLogger(l *slog.Logger) Option {
	return func(c *Client) { c.log = l }
}

// WithCache stores and reuses validated answers in cache.
func WithCache(cache Cache) Option {
	return func(c *Client) { c.cache = cache }
}

// WithClock replaces the wall clock and the wait used for backoff and the
// rate limit, so tests run without waiting; sleep must return ctx.Err()
// when ctx ends first.
func WithClock(now func() time.Time, sleep func(ctx context.Context, d time.Duration) error) Option {
	return func(c *Client) { c.now, c.sleep = now, sleep }
}

// WithJitter replaces the random source of the backoff jitter: rnd
// returns a number in [0, 1).
func WithJitter(rnd func() float64) Option {
	return func(c *Client) { c.jitter = rnd }
}

// WithoutSchema never sends a JSON-schema response format, for servers
// known to mishandle it; the answer is asked for in the prompt instead.
func WithoutSchema() Option {
	return func(c *Client) { c.noSchema = true }
}

// New checks cfg, fills in its defaults and returns a client for it. It
// makes no request.
func New(cfg Config, opts ...Option) (*Client, error) {
	cfg, err := cfg.withDefaults()
	if err != nil {
		return nil, fmt.Errorf("new llm client: %w", err)
	}
	c := &Client{
		cfg:    cfg,
		log:    slog.Default(),
		sem:    make(chan struct{}, cfg.MaxConcurrent),
		now:    time.Now,
		sleep:  sleepContext,
		jitter: rand.Float64,
	}
	for _, o := range opts {
		o(c)
	}
	if c.httpClient == nil {
		c.httpClient = &http.Client{}
	}
	oc := openai.DefaultConfig(cfg.APIKey)
	oc.BaseURL = cfg.BaseURL
	oc.HTTPClient = c.httpClient
	c.api = openai.NewClientWithConfig(oc)
	if cfg.RatePerSecond > 0 {
		c.limiter = rate.NewLimiter(rate.Limit(cfg.RatePerSecond), cfg.Burst)
	}
	c.plain.Store(c.noSchema)
	return c, nil
}

// Describe is Config.Describe of the client's configuration.
func (c *Client) Describe() string { return c.cfg.Describe() }

// Model is the model the client asks.
func (c *Client) Model() string { return c.cfg.Model }

// sleepContext waits d or until ctx ends.
func sleepContext(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// request is one chat completion to make: the system message is built
// per attempt, because it differs when the schema cannot be sent.
type request struct {
	system     func(plain bool) string
	user       string
	schemaName string
	schema     json.RawMessage
}

// answer is the text of a completion and what it cost.
type answer struct {
	content string
	finish  openai.FinishReason
	usage   openai.Usage
	plain   bool
}

// complete sends the request, retrying 429 and 5xx answers with backoff
// and falling back to plain prompting when the server rejects the
// response format.
func (c *Client) complete(ctx context.Context, r request) (answer, error) {
	for attempt := 0; ; {
		plain := c.plain.Load()
		req := openai.ChatCompletionRequest{
			Model: c.cfg.Model,
			Messages: []openai.ChatCompletionMessage{
				{Role: openai.ChatMessageRoleSystem, Content: r.system(plain)},
				{Role: openai.ChatMessageRoleUser, Content: r.user},
			},
			Seed: new(int), // 0: the same answer for the same input, where the server can
		}
		if !plain {
			req.ResponseFormat = &openai.ChatCompletionResponseFormat{
				Type: openai.ChatCompletionResponseFormatTypeJSONSchema,
				JSONSchema: &openai.ChatCompletionResponseFormatJSONSchema{
					Name:   r.schemaName,
					Schema: r.schema,
					Strict: true,
				},
			}
		}
		resp, err := c.send(ctx, req)
		if err == nil {
			if len(resp.Choices) == 0 {
				return answer{}, fmt.Errorf("chat completion: answer has no choices: %w", ErrInvalidOutput)
			}
			ch := resp.Choices[0]
			return answer{content: ch.Message.Content, finish: ch.FinishReason, usage: resp.Usage, plain: plain}, nil
		}
		if !plain && rejectsResponseFormat(err) {
			if c.plain.CompareAndSwap(false, true) {
				c.log.Warn("llm: the server rejected the JSON-schema response format; asking for JSON in the prompt from now on",
					"model", c.cfg.Model, "error", err)
			}
			continue // not a retry: the request changed
		}
		if ctx.Err() != nil || errors.Is(err, ErrTimeout) {
			return answer{}, fmt.Errorf("chat completion: %w", err)
		}
		status := HTTPStatus(err)
		if !retryable(status) {
			return answer{}, fmt.Errorf("chat completion: %w", err)
		}
		if attempt >= c.cfg.MaxRetries {
			return answer{}, fmt.Errorf("chat completion: gave up after %d attempts (last status %d): %w: %w", attempt+1, status, ErrUnavailable, err)
		}
		wait, asked := retryAfter(resp.Header(), c.now())
		if asked && wait > maxRetryAfter {
			return answer{}, fmt.Errorf("chat completion: server asked to retry after %s, more than %s: %w: %w", wait, maxRetryAfter, ErrUnavailable, err)
		}
		if !asked {
			wait = c.backoff(attempt)
		}
		c.log.Warn("llm: retrying", "model", c.cfg.Model, "status", status, "attempt", attempt+1, "wait", wait)
		if err := c.sleep(ctx, wait); err != nil {
			return answer{}, fmt.Errorf("chat completion: wait to retry: %w", err)
		}
		attempt++
	}
}

// send makes one request inside the concurrency limit, the rate limit and
// the per-request timeout.
func (c *Client) send(ctx context.Context, req openai.ChatCompletionRequest) (openai.ChatCompletionResponse, error) {
	select {
	case c.sem <- struct{}{}:
	case <-ctx.Done():
		return openai.ChatCompletionResponse{}, ctx.Err()
	}
	defer func() { <-c.sem }()
	if err := c.waitRate(ctx); err != nil {
		return openai.ChatCompletionResponse{}, err
	}
	rctx, cancel := context.WithTimeout(ctx, c.cfg.Timeout)
	defer cancel()
	resp, err := c.api.CreateChatCompletion(rctx, req)
	if err != nil && ctx.Err() == nil && errors.Is(rctx.Err(), context.DeadlineExceeded) {
		err = fmt.Errorf("%w (%s): %w", ErrTimeout, c.cfg.Timeout, err)
	}
	return resp, err
}

// waitRate waits for the rate limiter, on the client's clock.
func (c *Client) waitRate(ctx context.Context) error {
	if c.limiter == nil {
		return nil
	}
	now := c.now()
	r := c.limiter.ReserveN(now, 1)
	if !r.OK() {
		return errors.New("rate limit: burst is below one request")
	}
	if d := r.DelayFrom(now); d > 0 {
		if err := c.sleep(ctx, d); err != nil {
			r.CancelAt(c.now())
			return fmt.Errorf("wait for rate limit: %w", err)
		}
	}
	return nil
}

// backoff is the wait before retry number attempt+1: baseBackoff doubled
// per attempt, capped at maxBackoff, of which the upper half is jitter.
func (c *Client) backoff(attempt int) time.Duration {
	d := baseBackoff << min(attempt, 10)
	d = min(d, maxBackoff)
	return d/2 + time.Duration(c.jitter()*float64(d/2))
}

// HTTPStatus returns the HTTP status of a failed request's error, or 0
// when the error did not come from an HTTP answer.
func HTTPStatus(err error) int {
	var apiErr *openai.APIError
	if errors.As(err, &apiErr) {
		return apiErr.HTTPStatusCode
	}
	var reqErr *openai.RequestError
	if errors.As(err, &reqErr) {
		return reqErr.HTTPStatusCode
	}
	return 0
}

// retryable reports whether an answer with this status may succeed when
// asked again.
func retryable(status int) bool {
	return status == http.StatusTooManyRequests || status == http.StatusRequestTimeout || status >= 500 && status <= 599
}

// rejectsResponseFormat reports whether the server refused the request
// because of its response_format: a 400 or 422 whose message names it.
func rejectsResponseFormat(err error) bool {
	status := HTTPStatus(err)
	if status != http.StatusBadRequest && status != http.StatusUnprocessableEntity {
		return false
	}
	var text string
	var apiErr *openai.APIError
	var reqErr *openai.RequestError
	switch {
	case errors.As(err, &apiErr):
		text = apiErr.Message
		if apiErr.Param != nil {
			text += " " + *apiErr.Param
		}
	case errors.As(err, &reqErr):
		text = string(reqErr.Body)
	}
	text = strings.ToLower(text)
	return strings.Contains(text, "response_format") || strings.Contains(text, "json_schema") || strings.Contains(text, "response format")
}

// retryAfter reads Retry-After (seconds or an HTTP date) or
// Retry-After-Ms from a failed answer's headers.
func retryAfter(h http.Header, now time.Time) (time.Duration, bool) {
	if h == nil {
		return 0, false
	}
	if v := strings.TrimSpace(h.Get("Retry-After-Ms")); v != "" {
		if ms, err := strconv.ParseFloat(v, 64); err == nil && ms >= 0 {
			return time.Duration(ms * float64(time.Millisecond)), true
		}
	}
	v := strings.TrimSpace(h.Get("Retry-After"))
	if v == "" {
		return 0, false
	}
	if s, err := strconv.ParseFloat(v, 64); err == nil && s >= 0 {
		return time.Duration(s * float64(time.Second)), true
	}
	if t, err := http.ParseTime(v); err == nil {
		return max(t.Sub(now), 0), true
	}
	return 0, false
}
