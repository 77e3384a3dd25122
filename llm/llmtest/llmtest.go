// Package llmtest is a fake OpenAI-compatible chat-completions server for
// tests of code that uses package llm: it listens on 127.0.0.1 only,
// answers POST /v1/chat/completions with the real response JSON shape (or
// the real error shape), records every request, and counts the requests in
// flight. It decodes requests from the wire format itself, without the
// client library, so a test sees what a real server would.
package llmtest

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"
)

// The data markers of package llm's prompts.
const (
	dataOpen  = "<slant_data>"
	dataClose = "</slant_data>"
)

// Request is one chat-completion request as the server received it.
type Request struct {
	// N numbers the requests from 1 in the order they arrived.
	N      int
	Model  string
	System string // the first system message
	User   string // the last user message
	// Format is the response_format type ("" when none was sent), with
	// the JSON schema's name, strictness and bytes when it is
	// json_schema.
	Format       string
	SchemaName   string
	SchemaStrict bool
	Schema       json.RawMessage
	Header       http.Header
	Raw          []byte
}

// Data returns the text between the data markers of the user message, or
// "" when there are none.
func (r Request) Data() string {
	_, rest, ok := strings.Cut(r.User, dataOpen)
	if !ok {
		return ""
	}
	data, _, ok := strings.Cut(rest, dataClose)
	if !ok {
		return ""
	}
	return strings.TrimSpace(data)
}

// Sentence is one sentence of a sentence request's data block.
type Sentence struct {
	ID   int    `json:"id"`
	Text string `json:"text"`
}

// Sentences decodes the sentences of a sentence request's data block; it
// is nil for other requests.
func (r Request) Sentences() []Sentence {
	var d struct {
		Sentences []Sentence `json:"sentences"`
	}
	if json.Unmarshal([]byte(r.Data()), &d) != nil {
		return nil
	}
	return d.Sentences
}

// Outlets decodes the outlet names of an agreed-facts request's data
// block; it is nil for other requests.
func (r Request) Outlets() []string {
	var d struct {
		Articles []struct {
			Outlet string `json:"outlet"`
		} `json:"articles"`
	}
	if json.Unmarshal([]byte(r.Data()), &d) != nil {
		return nil
	}
	var out []string
	for _, a := range d.Articles {
		out = append(out, a.Outlet)
	}
	return out
}

// Response is what the server answers one request with.
type Response struct {
	// Status is the HTTP status; 0 means 200.
	Status int
	// Content is the assistant message of a 200 answer.
	Content string
	// Body, when set, is sent as it is instead of a completion.
	Body string
	// Header is added to the answer (Retry-After, say).
	Header map[string]string
	// Delay holds the answer back, or until the client gives up.
	Delay time.Duration
	// FinishReason is the choice's finish_reason (default "stop").
	FinishReason string
}

// Reply answers 200 with content as the assistant message.
func Reply(content string) Response { return Response{Content: content} }

// Fail answers status with the OpenAI error JSON carrying message.
func Fail(status int, message string) Response {
	b, _ := json.Marshal(map[string]any{"error": map[string]any{
		"message": message, "type": "invalid_request_error", "param": nil, "code": nil,
	}})
	return Response{Status: status, Body: string(b)}
}

// Responder decides the answer to each request.
type Responder func(r Request) Response

// Verdict is the fake model's answer about one sentence.
type Verdict struct {
	Type        string  `json:"type"`
	Strength    float64 `json:"strength"`
	Explanation string  `json:"explanation"`
	Rewrite     string  `json:"rewrite"`
}

// Judge answers every sentence request with a well-formed judgement of
// each sentence of its data block, from rule; other requests get 400.
func Judge(rule func(text string) Verdict) Responder {
	return func(r Request) Response {
		sents := r.Sentences()
		if sents == nil {
			return Fail(http.StatusBadRequest, "fake server: not a sentence request")
		}
		type item struct {
			ID int `json:"id"`
			Verdict
		}
		items := make([]item, len(sents))
		for i, s := range sents {
			items[i] = item{ID: s.ID, Verdict: rule(s.Text)}
		}
		b, _ := json.Marshal(map[string]any{"sentences": items})
		return Reply(string(b))
	}
}

// Server is a running fake server. Its methods are safe for concurrent
// use.
type Server struct {
	// URL is the API root, ending in /v1, to use as the base URL.
	URL string

	respond     Responder
	mu          sync.Mutex
	requests    []Request
	inFlight    int
	maxInFlight int
}

// NewServer starts a fake server on 127.0.0.1 that answers with respond;
// it is closed when the test ends.
func NewServer(t testing.TB, respond Responder) *Server {
	t.Helper()
	s := &Server{respond: respond}
	srv := httptest.NewServer(http.HandlerFunc(s.serve))
	t.Cleanup(srv.Close)
	s.URL = srv.URL + "/v1"
	return s
}

// SetResponder replaces how the server answers from the next request on.
func (s *Server) SetResponder(respond Responder) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.respond = respond
}

// Requests returns the requests received so far, in arrival order.
func (s *Server) Requests() []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Request(nil), s.requests...)
}

// Count is how many requests arrived.
func (s *Server) Count() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.requests)
}

// MaxInFlight is the most requests that were being answered at once.
func (s *Server) MaxInFlight() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.maxInFlight
}

// wireRequest is the chat-completions request body as sent on the wire.
type wireRequest struct {
	Model    string `json:"model"`
	Messages []struct {
		Role    string `json:"role"`
		Content string `json:"content"`
	} `json:"messages"`
	ResponseFormat *struct {
		Type       string `json:"type"`
		JSONSchema *struct {
			Name   string          `json:"name"`
			Schema json.RawMessage `json:"schema"`
			Strict bool            `json:"strict"`
		} `json:"json_schema"`
	} `json:"response_format"`
}

func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost || r.URL.Path != "/v1/chat/completions" {
		writeResponse(w, Fail(http.StatusNotFound, fmt.Sprintf("fake server: no route %s %s", r.Method, r.URL.Path)), "")
		return
	}
	var raw json.RawMessage
	if err := json.NewDecoder(r.Body).Decode(&raw); err != nil {
		writeResponse(w, Fail(http.StatusBadRequest, "fake server: body is not JSON: "+err.Error()), "")
		return
	}
	var wr wireRequest
	if err := json.Unmarshal(raw, &wr); err != nil {
		writeResponse(w, Fail(http.StatusBadRequest, "fake server: bad request shape: "+err.Error()), "")
		return
	}
	req := Request{Model: wr.Model, Header: r.Header.Clone(), Raw: raw}
	for _, m := range wr.Messages {
		switch {
		case m.Role == "system" && req.System == "":
			req.System = m.Content
		case m.Role == "user":
			req.User = m.Content
		}
	}
	if f := wr.ResponseFormat; f != nil {
		req.Format = f.Type
		if f.JSONSchema != nil {
			req.SchemaName, req.Schema, req.SchemaStrict = f.JSONSchema.Name, f.JSONSchema.Schema, f.JSONSchema.Strict
		}
	}

	s.mu.Lock()
	req.N = len(s.requests) + 1
	s.requests = append(s.requests, req)
	s.inFlight++
	s.maxInFlight = max(s.maxInFlight, s.inFlight)
	respond := s.respond
	s.mu.Unlock()
	defer func() {
		s.mu.Lock()
		s.inFlight--
		s.mu.Unlock()
	}()

	resp := respond(req)
	if resp.Delay > 0 {
		t := time.NewTimer(resp.Delay)
		defer t.Stop()
		select {
		case <-t.C:
		case <-r.Context().Done():
			return
		}
	}
	writeResponse(w, resp, wr.Model)
}

func writeResponse(w http.ResponseWriter, resp Response, model string) {
	for k, v := range resp.Header {
		w.Header().Set(k, v)
	}
	w.Header().Set("Content-Type", "application/json")
	status := resp.Status
	if status == 0 {
		status = http.StatusOK
	}
	body := resp.Body
	if body == "" {
		finish := resp.FinishReason
		if finish == "" {
			finish = "stop"
		}
		b, _ := json.Marshal(map[string]any{
			"id":      "chatcmpl-fake",
			"object":  "chat.completion",
			"created": 1700000000,
			"model":   model,
			"choices": []any{map[string]any{
				"index":         0,
				"message":       map[string]any{"role": "assistant", "content": resp.Content},
				"logprobs":      nil,
				"finish_reason": finish,
			}},
			"usage":              map[string]any{"prompt_tokens": 100, "completion_tokens": 20, "total_tokens": 120},
			"system_fingerprint": "fake",
		})
		body = string(b)
	}
	w.WriteHeader(status)
	_, _ = w.Write([]byte(body))
}
