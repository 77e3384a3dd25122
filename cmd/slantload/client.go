package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"
)

// apiClient makes the few API calls the load runs need to set themselves
// up.
type apiClient struct {
	base  string
	token string
	http  *http.Client
}

func newAPIClient(base, token string) *apiClient {
	return &apiClient{base: strings.TrimRight(base, "/"), token: token, http: &http.Client{Timeout: time.Minute}}
}

// call sends a JSON body (nil for none) and decodes a JSON answer into out
// (nil to drop it); any status other than want is an error quoting the
// answer.
func (a *apiClient) call(ctx context.Context, method, path string, body any, want int, out any) error {
	var r io.Reader
	if body != nil {
		data, err := json.Marshal(body)
		if err != nil {
			return err
		}
		r = bytes.NewReader(data)
	}
	req, err := http.NewRequestWithContext(ctx, method, a.base+path, r)
	if err != nil {
		return err
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if a.token != "" {
		req.Header.Set("Authorization", "Bearer "+a.token)
	}
	resp, err := a.http.Do(req)
	if err != nil {
		return fmt.Errorf("%s %s: %w", method, path, err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		return fmt.Errorf("%s %s: %w", method, path, err)
	}
	if resp.StatusCode != want {
		return fmt.Errorf("%s %s: %d %s", method, path, resp.StatusCode, bytes.TrimSpace(data))
	}
	if out != nil {
		if err := json.Unmarshal(data, out); err != nil {
			return fmt.Errorf("%s %s: decode the answer: %w", method, path, err)
		}
	}
	return nil
}

// health checks that a Slant answers at the base URL.
func (a *apiClient) health(ctx context.Context) error {
	var h struct {
		Status string `json:"status"`
	}
	if err := a.call(ctx, "GET", "/healthz", nil, http.StatusOK, &h); err != nil {
		return fmt.Errorf("no Slant at %s: %w", a.base, err)
	}
	return nil
}

// createEvent makes an event with one generated article from each of
// outlets outlets and returns its id.
func (a *apiClient) createEvent(ctx context.Context, gen *textGenerator, outlets, words int) (int64, error) {
	var event struct {
		ID int64 `json:"id"`
	}
	title := fmt.Sprintf("slantload event %s", time.Now().UTC().Format(time.RFC3339Nano))
	if err := a.call(ctx, "POST", "/api/v1/events", map[string]string{"title": title}, http.StatusCreated, &event); err != nil {
		return 0, err
	}
	for i := range outlets {
		outlet := fmt.Sprintf("Load Outlet %c", 'A'+i%26)
		article := map[string]any{
			"outlet": outlet,
			"title":  fmt.Sprintf("%s on the load-test event", outlet),
			"text":   gen.article(fmt.Sprintf("%s reports on event %d.", outlet, event.ID), words),
			"clean":  false,
		}
		if err := a.call(ctx, "POST", fmt.Sprintf("/api/v1/events/%d/articles", event.ID), article, http.StatusCreated, nil); err != nil {
			return 0, err
		}
	}
	return event.ID, nil
}
