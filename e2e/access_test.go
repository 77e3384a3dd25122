package e2e

import (
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestServeWithAdminToken runs the real server with a token and checks the
// whole path from the environment to the answers, and that the token never
// reaches the log.
func TestServeWithAdminToken(t *testing.T) {
	base, logs := startLoggedServer(t, map[string]string{"SLANT_ADMIN_TOKEN": serveToken})

	status, _, body := send(t, http.MethodGet, base+"/healthz", "", "")
	require.Equal(t, http.StatusOK, status)
	assert.Contains(t, body, `"auth":"token"`)
	assert.Contains(t, body, `"read_only":false`)
	assert.NotContains(t, body, serveToken)

	status, header, _ := send(t, http.MethodPost, base+"/api/v1/events", "", `{"title":"Bridge reopens"}`)
	assert.Equal(t, http.StatusUnauthorized, status)
	assert.Equal(t, `Bearer realm="slant"`, header.Get("WWW-Authenticate"))
	status, _, _ = send(t, http.MethodPost, base+"/api/v1/events", "not-"+serveToken, `{"title":"Bridge reopens"}`)
	assert.Equal(t, http.StatusForbidden, status)
	status, _, _ = send(t, http.MethodPost, base+"/api/v1/events", serveToken, `{"title":"Bridge reopens"}`)
	assert.Equal(t, http.StatusCreated, status)

	status, _, body = send(t, http.MethodGet, base+"/api/v1/events", "", "")
	assert.Equal(t, http.StatusUnauthorized, status, "with a token, reads are the token holder's too, on this machine as well: %s", body)
	status, _, _ = send(t, http.MethodGet, base+"/api/v1/events", serveToken, "")
	assert.Equal(t, http.StatusOK, status)
	status, _, _ = send(t, http.MethodPost, base+"/api/v1/analyze", "", `{"text":"The so-called repairs were a disaster."}`)
	assert.Equal(t, http.StatusUnauthorized, status, "analysis is the teacher's unless SLANT_PUBLIC_READ is on")
	status, _, _ = send(t, http.MethodGet, base+"/healthz", "", "")
	assert.Equal(t, http.StatusOK, status, "the student side needs no token")

	out := logs.String()
	assert.Contains(t, out, "writes=\"need the admin token\"", "the start-up log says writes need the token")
	assert.Contains(t, out, `teacher="the holder of the admin token"`)
	assert.Contains(t, out, "path=/api/v1/events status=401", "requests are logged")
	assert.NotContains(t, out, serveToken, "the token never reaches the log")
	assert.NotContains(t, out, "Bearer")
}

func TestServeReadOnly(t *testing.T) {
	base, logs := startLoggedServer(t, map[string]string{"SLANT_READ_ONLY": "1", "SLANT_ADMIN_TOKEN": serveToken})

	status, _, body := send(t, http.MethodGet, base+"/healthz", "", "")
	require.Equal(t, http.StatusOK, status)
	assert.Contains(t, body, `"read_only":true`)

	status, _, body = send(t, http.MethodPost, base+"/api/v1/events", serveToken, `{"title":"Bridge reopens"}`)
	assert.Equal(t, http.StatusForbidden, status, "not even with the token")
	assert.JSONEq(t, `{"error":"this Slant is read-only"}`, body)
	status, _, _ = send(t, http.MethodPost, base+"/api/v1/analyze", serveToken, `{"text":"A calm report."}`)
	assert.Equal(t, http.StatusOK, status)
	assert.Contains(t, logs.String(), `writes="refused (read-only)"`)
}

// TestServePublicRead runs a read-only public copy of a collection:
// everyone reads and analyses, nobody writes, the class's results stay the
// teacher's.
func TestServePublicRead(t *testing.T) {
	base, logs := startLoggedServer(t, map[string]string{"SLANT_READ_ONLY": "1", "SLANT_PUBLIC_READ": "1", "SLANT_ADMIN_TOKEN": serveToken, "SLANT_DEMO": "1"})
	status, _, body := send(t, http.MethodGet, base+"/healthz", "", "")
	require.Equal(t, http.StatusOK, status)
	assert.Contains(t, body, `"public_read":true`)
	for _, path := range []string{"/api/v1/events", "/api/v1/lexicon", "/api/v1/export?format=json", "/api/openapi.yaml"} {
		status, _, body = send(t, http.MethodGet, base+path, "", "")
		assert.Equal(t, http.StatusOK, status, "%s: %s", path, body)
	}
	status, _, _ = send(t, http.MethodPost, base+"/api/v1/analyze", "", `{"text":"A calm report."}`)
	assert.Equal(t, http.StatusOK, status)
	status, _, _ = send(t, http.MethodPost, base+"/api/v1/events", "", `{"title":"Bridge reopens"}`)
	assert.Equal(t, http.StatusForbidden, status, "read-only")
	status, _, _ = send(t, http.MethodGet, base+"/api/v1/events/1/exercises", "", "")
	assert.Equal(t, http.StatusUnauthorized, status, "the class codes stay the teacher's")
	assert.Contains(t, logs.String(), `reads="open to everyone (SLANT_PUBLIC_READ)"`)
}
