package cli

import (
	"context"
	"fmt"
	"log/slog"

	"slant/api"
	"slant/llm"
	"slant/llmjobs"
	"slant/models"
)

// startLLM builds the process's one LLM client, with its answers cached in
// the database, and starts the job runner with as many workers as the
// client may have requests in flight. It returns the API's wiring and a
// function that stops the runner and waits for it (a job in progress goes
// back to the queue), so that the store can be closed after it. Without
// SLANT_LLM_BASE_URL and SLANT_LLM_MODEL the layer is off: the zero
// api.LLMConfig and a stop that does nothing.
func startLLM(ctx context.Context, store *models.Store, cfg Config, logger *slog.Logger) (api.LLMConfig, func(), error) {
	if !cfg.LLMEnabled {
		logger.Info("llm", "analysis", cfg.LLM.Describe())
		return api.LLMConfig{}, func() {}, nil
	}
	client, err := llm.New(cfg.LLM, llm.WithCache(store.LLMCache()), llm.WithLogger(logger))
	if err != nil {
		return api.LLMConfig{}, nil, fmt.Errorf("SLANT_LLM_*: %w", err)
	}
	runner := llmjobs.New(store, client, llmjobs.Options{Workers: cfg.LLM.MaxConcurrent, Logger: logger})
	ctx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() {
		defer close(done)
		runner.Run(ctx)
	}()
	logger.Info("llm", "analysis", client.Describe(), "workers", max(cfg.LLM.MaxConcurrent, 1),
		"timeout", cfg.LLM.Timeout.String(), "max_retries", cfg.LLM.MaxRetries, "rate", cfg.LLM.RatePerSecond)
	return api.LLMConfig{Client: client, Jobs: runner}, func() {
		cancel()
		<-done
	}, nil
}
