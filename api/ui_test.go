package api

import (
	"net/http"
	"net/http/httptest"
	"testing"
	"testing/fstest"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestUI(t *testing.T) {
	assets := fstest.MapFS{
		"index.html":     {Data: []byte(`<!doctype html><title>Slant</title><script type="module" src="/static/app.js"></script>`)},
		"app.js":         {Data: []byte(`import { api } from "./api.js";`)},
		"style.css":      {Data: []byte(`body { margin: 0 }`)},
		"favicon.svg":    {Data: []byte(`<svg xmlns="http://www.w3.org/2000/svg"/>`)},
		"fonts/x.woff2":  {Data: []byte("wOF2")},
		"notes/read.txt": {Data: []byte("hello")},
	}
	env := newEnv(t, Config{}, assets)

	tests := []struct {
		target      string
		status      int
		contentType string
		body        string
	}{
		{"/", 200, "text/html; charset=utf-8", string(assets["index.html"].Data)},
		{"/static/app.js", 200, "text/javascript; charset=utf-8", string(assets["app.js"].Data)},
		{"/static/style.css", 200, "text/css; charset=utf-8", string(assets["style.css"].Data)},
		{"/static/favicon.svg", 200, "image/svg+xml", string(assets["favicon.svg"].Data)},
		{"/static/fonts/x.woff2", 200, "font/woff2", "wOF2"},
		{"/static/index.html", 200, "text/html; charset=utf-8", string(assets["index.html"].Data)},
		{"/static/missing.js", 404, "text/plain; charset=utf-8", ""},
		{"/static/", 404, "text/plain; charset=utf-8", ""},
		{"/static/fonts", 404, "text/plain; charset=utf-8", ""},
		{"/static/../index.html", 404, "text/plain; charset=utf-8", ""},
		{"/static//app.js", 404, "text/plain; charset=utf-8", ""},
		{"/index.html", 404, "text/plain; charset=utf-8", ""},
	}
	for _, tt := range tests {
		t.Run(tt.target, func(t *testing.T) {
			rec := httptest.NewRecorder()
			req := httptest.NewRequest(http.MethodGet, "/", nil)
			req.URL.Path = tt.target // unclean paths reach the router as sent
			env.handler.ServeHTTP(rec, req)
			require.Equal(t, tt.status, rec.Code, rec.Body.String())
			assert.Equal(t, tt.contentType, rec.Header().Get("Content-Type"))
			assert.Equal(t, "nosniff", rec.Header().Get("X-Content-Type-Options"))
			if tt.status == http.StatusOK {
				assert.Equal(t, tt.body, rec.Body.String())
				assert.NotEmpty(t, rec.Header().Get("ETag"))
				assert.Equal(t, "no-cache", rec.Header().Get("Cache-Control"))
			}
		})
	}

	t.Run("unchanged file is 304", func(t *testing.T) {
		rec := httptest.NewRecorder()
		env.handler.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/static/app.js", nil))
		etag := rec.Header().Get("ETag")
		require.NotEmpty(t, etag)

		req := httptest.NewRequest(http.MethodGet, "/static/app.js", nil)
		req.Header.Set("If-None-Match", etag)
		rec = httptest.NewRecorder()
		env.handler.ServeHTTP(rec, req)
		assert.Equal(t, http.StatusNotModified, rec.Code)
		assert.Empty(t, rec.Body.String())
	})
}

func TestUIWithoutAssets(t *testing.T) {
	env := newEnv(t, Config{}, nil)
	for _, target := range []string{"/", "/static/app.js"} {
		rec := env.call(t, http.MethodGet, target, nil)
		assert.Equal(t, http.StatusNotFound, rec.Code, target)
	}
	// The API still works.
	assert.Equal(t, http.StatusOK, env.call(t, http.MethodGet, "/healthz", nil).Code)
}
