package api

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"slant/models"
)

// testToken is the admin token of the access tests; wrongToken is another
// of the same length.
const (
	testToken  = "s3cret-admin-token-for-tests-0001"
	wrongToken = "s3cret-admin-token-for-tests-0002"
)

// seedStore puts an event with one article straight into the store, past
// the API and its access rules, and returns their ids.
func seedStore(t *testing.T, store *models.Store) (eventID, articleID int64) {
	t.Helper()
	ctx := context.Background()
	e := models.Event{Title: "Flood in the river district"}
	require.NoError(t, store.CreateEvent(ctx, &e))
	a := models.Article{EventID: e.ID, Outlet: models.Outlet{Name: "Daily Bugle"}, Body: articleLoaded}
	require.NoError(t, store.AddArticle(ctx, &a, "", nil))
	return e.ID, a.ID
}

// accessRequest is one request of the access table; path gets the seeded
// event's and article's ids.
type accessRequest struct {
	name   string
	method string
	path   func(eventID, articleID int64) string
	body   any
	ok     int // the status when access is granted
}

func accessRequests() (writes, reads []accessRequest) {
	event := func(e, _ int64) string { return fmt.Sprintf("/api/v1/events/%d", e) }
	writes = []accessRequest{
		{"create event", http.MethodPost, func(int64, int64) string { return "/api/v1/events" }, map[string]string{"title": "New"}, http.StatusCreated},
		{"update event", http.MethodPut, event, map[string]string{"title": "Renamed"}, http.StatusOK},
		{"add article", http.MethodPost, func(e, _ int64) string { return fmt.Sprintf("/api/v1/events/%d/articles", e) },
			map[string]string{"outlet": "The Planet", "text": articlePlain}, http.StatusCreated},
		{"delete article", http.MethodDelete, func(e, a int64) string { return fmt.Sprintf("/api/v1/events/%d/articles/%d", e, a) }, nil, http.StatusNoContent},
		{"delete event", http.MethodDelete, event, nil, http.StatusNoContent},
	}
	reads = []accessRequest{
		{"health", http.MethodGet, func(int64, int64) string { return "/healthz" }, nil, http.StatusOK},
		{"list events", http.MethodGet, func(int64, int64) string { return "/api/v1/events" }, nil, http.StatusOK},
		{"get event", http.MethodGet, event, nil, http.StatusOK},
		{"list articles", http.MethodGet, func(e, _ int64) string { return fmt.Sprintf("/api/v1/events/%d/articles", e) }, nil, http.StatusOK},
		{"comparison", http.MethodGet, func(e, _ int64) string { return fmt.Sprintf("/api/v1/events/%d/comparison", e) }, nil, http.StatusOK},
		{"lexicon", http.MethodGet, func(int64, int64) string { return "/api/v1/lexicon" }, nil, http.StatusOK},
		{"analyze", http.MethodPost, func(int64, int64) string { return "/api/v1/analyze" }, map[string]string{"text": articleLoaded}, http.StatusOK},
	}
	return writes, reads
}

// TestAccess checks every write and read under every access setting and
// every kind of credential.
func TestAccess(t *testing.T) {
	credentials := []struct {
		name   string
		header string // Authorization; "" sends none
	}{
		{"no header", ""},
		{"right token", "Bearer " + testToken},
		{"right token, lower-case scheme", "bearer " + testToken},
		{"wrong token", "Bearer " + wrongToken},
		{"token prefix", "Bearer " + testToken[:10]},
		{"token with more after it", "Bearer " + testToken + "x"},
		{"empty bearer", "Bearer "},
		{"basic scheme", "Basic " + testToken},
		{"token without scheme", testToken},
	}
	// want gives the status of a write for a setting and a credential; 0
	// means access is granted (the route's own status).
	settings := []struct {
		name string
		cfg  Config
		want func(header string) (int, string)
	}{
		{"no token configured", Config{}, func(string) (int, string) { return 0, "" }},
		{"token configured", Config{AdminToken: testToken}, func(header string) (int, string) {
			token, ok := bearerToken(header)
			switch {
			case !ok:
				return http.StatusUnauthorized, tokenMissingMessage
			case token != testToken:
				return http.StatusForbidden, tokenWrongMessage
			}
			return 0, ""
		}},
		{"read-only", Config{ReadOnly: true}, func(string) (int, string) { return http.StatusForbidden, readOnlyMessage }},
		{"read-only with token", Config{ReadOnly: true, AdminToken: testToken}, func(string) (int, string) {
			return http.StatusForbidden, readOnlyMessage
		}},
	}
	writes, reads := accessRequests()

	// One server per setting and credential: the writes are ordered so that
	// each still succeeds after those before it (the article is deleted
	// before its event), and refused ones leave the store as it was.
	for _, setting := range settings {
		for _, cred := range credentials {
			t.Run(setting.name+"/"+cred.name, func(t *testing.T) {
				env := newEnv(t, setting.cfg, nil)
				eventID, articleID := seedStore(t, env.store)
				send := func(r accessRequest) *httptest.ResponseRecorder {
					req := newRequest(t, r.method, r.path(eventID, articleID), r.body)
					if cred.header != "" {
						req.Header.Set("Authorization", cred.header)
					}
					rec := httptest.NewRecorder()
					env.handler.ServeHTTP(rec, req)
					return rec
				}
				for _, r := range reads {
					rec := send(r)
					assert.Equal(t, r.ok, rec.Code, "%s: reads are open whatever the token: %s", r.name, rec.Body.String())
				}
				status, message := setting.want(cred.header)
				for _, w := range writes {
					rec := send(w)
					if status == 0 {
						assert.Equal(t, w.ok, rec.Code, "%s: %s", w.name, rec.Body.String())
						continue
					}
					require.Equal(t, status, rec.Code, "%s: %s", w.name, rec.Body.String())
					assert.Equal(t, message, decode[ErrorBody](t, rec).Error, w.name)
					if status == http.StatusUnauthorized {
						assert.Equal(t, `Bearer realm="slant"`, rec.Header().Get("WWW-Authenticate"), w.name)
					} else {
						assert.Empty(t, rec.Header().Get("WWW-Authenticate"), w.name)
					}
				}
				if status != 0 {
					// Refused writes changed nothing.
					a, err := env.store.GetArticle(context.Background(), eventID, articleID)
					require.NoError(t, err, "the seeded article is still there")
					assert.Equal(t, articleLoaded, a.Body)
					e, err := env.store.GetEvent(context.Background(), eventID)
					require.NoError(t, err)
					assert.Equal(t, "Flood in the river district", e.Title)
					n, err := env.store.CountEvents(context.Background())
					require.NoError(t, err)
					assert.Equal(t, int64(1), n)
				}
			})
		}
	}
}

// TestUnknownWriteRoutesAreGuarded checks that the guard does not depend on
// a route list: a write route that is not in readLikeRoutes is guarded as
// soon as it exists, while unknown paths and methods stay 404 and 405.
func TestUnknownWriteRoutesAreGuarded(t *testing.T) {
	env := newEnv(t, Config{AdminToken: testToken}, nil)
	tests := []struct {
		method, target string
		status         int
	}{
		{http.MethodPost, "/api/v1/no-such-thing", http.StatusNotFound},
		{http.MethodPatch, "/api/v1/events", http.StatusMethodNotAllowed},
		{http.MethodPost, "/api/v1/lexicon", http.StatusMethodNotAllowed},
	}
	for _, tt := range tests {
		rec := env.call(t, tt.method, tt.target, nil)
		assert.Equal(t, tt.status, rec.Code, "%s %s", tt.method, tt.target)
	}
	assert.True(t, isWriteRoute(http.MethodPost, "/api/v1/import"), "a future import route is a write")
	assert.True(t, isWriteRoute(http.MethodPatch, "/api/v1/words/:id"), "a future word-list route is a write")
	assert.False(t, isWriteRoute(http.MethodPost, "/api/v1/analyze"))
	assert.False(t, isWriteRoute(http.MethodGet, "/api/v1/events"))
}

func TestHealthReportsAccessButNeverTheToken(t *testing.T) {
	tests := []struct {
		name     string
		cfg      Config
		readOnly bool
		auth     string
	}{
		{"open", Config{}, false, "open"},
		{"token", Config{AdminToken: testToken}, false, "token"},
		{"read-only", Config{ReadOnly: true}, true, "open"},
		{"read-only with token", Config{ReadOnly: true, AdminToken: testToken}, true, "token"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			env := newEnv(t, tt.cfg, nil)
			rec := env.call(t, http.MethodGet, "/healthz", nil)
			require.Equal(t, http.StatusOK, rec.Code)
			got := decode[HealthView](t, rec)
			assert.Equal(t, tt.readOnly, got.ReadOnly)
			assert.Equal(t, tt.auth, got.Auth)
			assert.NotContains(t, rec.Body.String(), testToken)
		})
	}
}

// TestTokenNeverLogged sends the right and a wrong token with writes that
// succeed, fail and panic, and checks that neither reaches the log, and
// that the server does not even keep the token itself.
func TestTokenNeverLogged(t *testing.T) {
	env := newEnv(t, Config{AdminToken: testToken}, nil)
	eventID, _ := seedStore(t, env.store)
	for _, header := range []string{"Bearer " + testToken, "Bearer " + wrongToken, "Basic " + wrongToken} {
		for _, target := range []string{"/api/v1/events", fmt.Sprintf("/api/v1/events/%d/articles", eventID), "/api/v1/events/9999/articles"} {
			req := newRequest(t, http.MethodPost, target, map[string]string{"title": "x", "outlet": "x", "text": "Some text."})
			req.Header.Set("Authorization", header)
			env.handler.ServeHTTP(httptest.NewRecorder(), req)
		}
	}
	require.NoError(t, env.store.Close()) // now writes fail with a logged internal error
	req := newRequest(t, http.MethodPost, "/api/v1/events", map[string]string{"title": "x"})
	req.Header.Set("Authorization", "Bearer "+testToken)
	rec := httptest.NewRecorder()
	env.handler.ServeHTTP(rec, req)
	require.Equal(t, http.StatusInternalServerError, rec.Code)

	logs := env.logs.String()
	assert.Contains(t, logs, "status=403", "the requests were logged")
	assert.Contains(t, logs, "database is closed", "the internal error was logged")
	for _, secret := range []string{testToken, wrongToken, "Authorization", "Bearer"} {
		assert.NotContains(t, logs, secret)
	}
	assert.NotContains(t, fmt.Sprintf("%+v", *env.server), testToken, "the server keeps only the token's digest")
}

func TestBearerToken(t *testing.T) {
	tests := []struct {
		header string
		token  string
		ok     bool
	}{
		{"Bearer abc", "abc", true},
		{"bearer abc", "abc", true},
		{"BEARER abc", "abc", true},
		{"  Bearer   abc  ", "abc", true},
		{"Bearer", "", false},
		{"Bearer ", "", false},
		{"Basic abc", "", false},
		{"abc", "", false},
		{"", "", false},
		{"Bearerabc", "", false},
	}
	for _, tt := range tests {
		token, ok := bearerToken(tt.header)
		assert.Equal(t, tt.ok, ok, "%q", tt.header)
		assert.Equal(t, tt.token, token, "%q", tt.header)
	}
}

// TestReadOnlyMessage checks the exact words a read-only server answers.
func TestReadOnlyMessage(t *testing.T) {
	env := newEnv(t, Config{ReadOnly: true}, nil)
	rec := env.call(t, http.MethodPost, "/api/v1/events", map[string]string{"title": "x"})
	require.Equal(t, http.StatusForbidden, rec.Code)
	assert.JSONEq(t, `{"error":"this Slant is read-only"}`, rec.Body.String())
	assert.True(t, strings.HasPrefix(rec.Header().Get("Content-Type"), "application/json"))
}
