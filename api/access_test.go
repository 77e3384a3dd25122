package api

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/gin-gonic/gin"
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

// TestDecide is the access decision as a table: for each setting and each
// kind of visitor, the verdict on a student route, a public-read route and
// a teacher route.
func TestDecide(t *testing.T) {
	local := accessPolicy{}
	localPublic := accessPolicy{publicRead: true}
	token := accessPolicy{tokenSet: true}
	tokenPublic := accessPolicy{tokenSet: true, publicRead: true}
	var (
		keyboard      = visitor{loopback: true}
		keyboardRight = visitor{loopback: true, token: tokenRight}
		keyboardWrong = visitor{loopback: true, token: tokenWrong}
		remote        = visitor{}
		remoteRight   = visitor{token: tokenRight}
		remoteWrong   = visitor{token: tokenWrong}
	)
	tests := []struct {
		name    string
		policy  accessPolicy
		visitor visitor
		// the verdicts on a student, a public-read and a teacher route
		student, public, teacher verdict
	}{
		{"no token: the machine Slant runs on", local, keyboard, allow, allow, allow},
		{"no token: the machine Slant runs on, a token it does not need", local, keyboardWrong, allow, allow, allow},
		{"no token: another machine", local, remote, allow, refuseRemote, refuseRemote},
		{"no token: another machine with some token", local, remoteWrong, allow, refuseRemote, refuseRemote},
		{"no token, public read: the machine Slant runs on", localPublic, keyboard, allow, allow, allow},
		{"no token, public read: another machine", localPublic, remote, allow, allow, refuseRemote},
		{"token: the holder on another machine", token, remoteRight, allow, allow, allow},
		{"token: the holder on the machine Slant runs on", token, keyboardRight, allow, allow, allow},
		{"token: the machine Slant runs on, without it", token, keyboard, allow, refuseToken, refuseToken},
		{"token: the machine Slant runs on, a wrong one", token, keyboardWrong, allow, refuseWrong, refuseWrong},
		{"token: another machine, without it", token, remote, allow, refuseToken, refuseToken},
		{"token: another machine, a wrong one", token, remoteWrong, allow, refuseWrong, refuseWrong},
		{"token, public read: the holder", tokenPublic, remoteRight, allow, allow, allow},
		{"token, public read: without it", tokenPublic, remote, allow, allow, refuseToken},
		{"token, public read: a wrong one", tokenPublic, remoteWrong, allow, allow, refuseWrong},
		{"token, public read: the machine Slant runs on, without it", tokenPublic, keyboard, allow, allow, refuseToken},
	}
	for _, tt := range tests {
		for class, want := range map[routeClass]verdict{routeStudent: tt.student, routePublicRead: tt.public, routeTeacher: tt.teacher} {
			assert.Equal(t, want, decide(tt.policy, class, tt.visitor), "%s, %s route", tt.name, class)
		}
	}
}

func TestIsLoopback(t *testing.T) {
	tests := map[string]bool{
		"127.0.0.1":        true,
		"127.8.9.10":       true,
		"::1":              true,
		"::ffff:127.0.0.1": true,
		"198.51.100.2":     false,
		"192.0.2.1":        false,
		"10.0.0.1":         false,
		"::":               false,
		"0.0.0.0":          false,
		"2001:db8::1":      false,
		"::ffff:192.0.2.1": false,
		"":                 false,
		"localhost":        false,
		"127.0.0.1:80":     false,
	}
	for ip, want := range tests {
		assert.Equal(t, want, isLoopback(ip), "%q", ip)
	}
}

// studentRoutes are the routes everyone may use, pinned here so that
// opening another one is a decision this test makes visible.
var studentRoutes = []string{
	"GET /",
	"GET /api/v1/exercises/:code",
	"GET /healthz",
	"GET /static/*filepath",
	"HEAD /",
	"HEAD /api/v1/exercises/:code",
	"HEAD /healthz",
	"HEAD /static/*filepath",
	"POST /api/v1/exercises/:code/submissions",
}

// TestEveryRouteHasAnAccessClass walks the router's route list: every read
// is classed on purpose in routeAccess (a write missing from it is the
// teacher's, which is the safe default), routeAccess names only real
// routes, and the student side is exactly studentRoutes.
func TestEveryRouteHasAnAccessClass(t *testing.T) {
	env := newEnv(t, Config{}, nil)
	routes := map[string]bool{}
	var students []string
	for _, r := range env.server.Handler().(*gin.Engine).Routes() {
		key := r.Method + " " + r.Path
		routes[key] = true
		classed := key
		if r.Method == http.MethodHead {
			classed = http.MethodGet + " " + r.Path
		}
		if _, listed := routeAccess[classed]; !listed && !isWriteRoute(r.Method, r.Path) {
			t.Errorf("%s is a read without an access class: add it to routeAccess", key)
		}
		if classOf(r.Method, r.Path) == routeStudent {
			students = append(students, key)
		}
	}
	for key := range routeAccess {
		assert.True(t, routes[key], "routeAccess names %s, which is not a route", key)
	}
	slices.Sort(students)
	assert.Equal(t, studentRoutes, students)
	assert.Equal(t, routeTeacher, classOf(http.MethodPost, "/api/v1/some-future-route"), "a route nobody classed is the teacher's")

	listed := env.server.Routes()
	assert.Len(t, listed, len(routes), "Routes lists every route")
	for _, r := range listed {
		assert.Equal(t, classOf(r.Method, r.Path).String(), r.Access, "%s %s", r.Method, r.Path)
	}
}

// routeVisitor is a client of the route walk: where it connects from and
// what Authorization header it sends.
type routeVisitor struct {
	name   string
	addr   string
	header string
}

// accessSettings are the servers of the route walk: without and with a
// token, without and with public reading.
var accessSettings = []struct {
	name string
	cfg  Config
}{
	{"no token", Config{}},
	{"no token, public read", Config{PublicRead: true}},
	{"token", Config{AdminToken: testToken}},
	{"token, public read", Config{AdminToken: testToken, PublicRead: true}},
}

var routeVisitors = []routeVisitor{
	{"this machine", "127.0.0.1:40000", ""},
	{"this machine over IPv6", "[::1]:40000", ""},
	{"this machine with the token", "127.0.0.1:40000", "Bearer " + testToken},
	{"another machine", "198.51.100.2:40000", ""},
	{"another machine with the token", "198.51.100.2:40000", "Bearer " + testToken},
	{"another machine with the token, lower-case scheme", "198.51.100.2:40000", "bearer " + testToken},
	{"another machine with a wrong token", "198.51.100.2:40000", "Bearer " + wrongToken},
	{"another machine with a token prefix", "198.51.100.2:40000", "Bearer " + testToken[:10]},
	{"another machine with the token as Basic", "198.51.100.2:40000", "Basic " + testToken},
	{"another machine with the token without scheme", "198.51.100.2:40000", testToken},
}

// expectedVerdict works out, from the setting and the visitor alone, what
// the server must answer a route of this class. It is written apart from
// decide, as the README's table reads.
func expectedVerdict(cfg Config, class routeClass, v routeVisitor) verdict {
	loopback := strings.HasPrefix(v.addr, "127.") || strings.HasPrefix(v.addr, "[::1]")
	token, hasToken := bearerToken(v.header)
	teacher := loopback
	if cfg.AdminToken != "" {
		teacher = hasToken && token == cfg.AdminToken
	}
	switch {
	case class == routeStudent, teacher, class == routePublicRead && cfg.PublicRead:
		return allow
	case cfg.AdminToken == "":
		return refuseRemote
	case hasToken:
		return refuseWrong
	}
	return refuseToken
}

// TestAccessEveryRoute sends a request to every route the router lists,
// under every access setting and from every kind of visitor: a route
// allowed is never 401 or 403, a route refused is exactly the refusal with
// its message and challenge, and refused requests change nothing stored.
// A new route is walked as soon as it exists.
func TestAccessEveryRoute(t *testing.T) {
	assets := fstest.MapFS{"index.html": {Data: []byte("<!doctype html>")}, "app.js": {Data: []byte("//")}}
	for _, setting := range accessSettings {
		for _, v := range routeVisitors {
			t.Run(setting.name+"/"+v.name, func(t *testing.T) {
				env := newEnv(t, setting.cfg, assets)
				w := seedWalk(t, env)
				before := w.snapshot(t, env)
				refusals := 0
				for _, r := range env.server.Handler().(*gin.Engine).Routes() {
					class := classOf(r.Method, r.Path)
					want := expectedVerdict(setting.cfg, class, v)
					req := newRequest(t, r.Method, w.path(r.Path), w.body(r.Method, r.Path))
					req.RemoteAddr = v.addr
					if v.header != "" {
						req.Header.Set("Authorization", v.header)
					}
					rec := httptest.NewRecorder()
					env.server.Handler().ServeHTTP(rec, req)
					route := r.Method + " " + r.Path
					switch want {
					case allow:
						assert.NotContains(t, []int{http.StatusUnauthorized, http.StatusForbidden}, rec.Code, "%s (%s) is allowed: %s", route, class, rec.Body.String())
						continue
					case refuseRemote:
						assert.Equal(t, http.StatusUnauthorized, rec.Code, route)
						assert.Equal(t, remoteMessage, decode[ErrorBody](t, rec).Error, route)
						assert.Contains(t, remoteMessage, "SLANT_ADMIN_TOKEN", "the message tells the teacher what to set")
					case refuseToken:
						assert.Equal(t, http.StatusUnauthorized, rec.Code, route)
						assert.Equal(t, tokenMissingMessage, decode[ErrorBody](t, rec).Error, route)
					case refuseWrong:
						assert.Equal(t, http.StatusForbidden, rec.Code, route)
						assert.Equal(t, tokenWrongMessage, decode[ErrorBody](t, rec).Error, route)
					}
					refusals++
					if rec.Code == http.StatusUnauthorized {
						assert.Equal(t, authScheme, rec.Header().Get("WWW-Authenticate"), route)
					} else {
						assert.Empty(t, rec.Header().Get("WWW-Authenticate"), route)
					}
				}
				if refusals > 0 {
					assert.Equal(t, before, w.snapshot(t, env), "refused requests changed nothing")
				}
			})
		}
	}
}

// routeWalk is what the route walk seeds and fills paths with.
type routeWalk struct {
	eventID, articleID, entryID int64
	code                        string
}

// seedWalk stores an event with an article, an exercise with one
// submission and a word-list entry, past the API.
func seedWalk(t *testing.T, env *testEnv) routeWalk {
	t.Helper()
	eventID, articleID := seedStore(t, env.store)
	ctx := t.Context()
	ex := models.Exercise{EventID: eventID, Blind: true}
	require.NoError(t, env.store.CreateExercise(ctx, &ex))
	require.NoError(t, env.store.SaveSubmission(ctx, &models.Submission{ExerciseID: ex.ID, ArticleID: articleID, Student: "seeded-student", Picks: []models.Pick{}}, models.ExerciseRules{}))
	entry := models.WordListEntry{Category: "pejorative-label", Term: "rabble", Reason: "Calls a crowd a disorderly mob."}
	require.NoError(t, env.store.CreateWordListEntry(ctx, &entry, nil))
	return routeWalk{eventID: eventID, articleID: articleID, entryID: entry.ID, code: ex.Code}
}

// path fills a route pattern with the seeded ids.
func (w routeWalk) path(pattern string) string {
	id := w.eventID
	switch {
	case strings.HasPrefix(pattern, "/api/v1/articles/"):
		id = w.articleID
	case strings.HasPrefix(pattern, "/api/v1/wordlist/"):
		id = w.entryID
	case strings.HasPrefix(pattern, "/api/v1/jobs/"):
		id = 1
	}
	return strings.NewReplacer(
		":id", fmt.Sprint(id),
		":articleId", fmt.Sprint(w.articleID),
		":code", w.code,
		"*filepath", "app.js",
	).Replace(pattern)
}

// body is a plausible body for a route: enough that an allowed request
// reaches its handler.
func (w routeWalk) body(method, pattern string) any {
	switch method + " " + pattern {
	case "POST /api/v1/events", "PUT /api/v1/events/:id":
		return map[string]string{"title": "Walked"}
	case "POST /api/v1/events/:id/articles":
		return map[string]string{"outlet": "Walker", "text": articlePlain}
	case "POST /api/v1/analyze":
		return map[string]string{"text": articleLoaded}
	case "POST /api/v1/wordlist", "PUT /api/v1/wordlist/:id":
		return map[string]string{"category": "pejorative-label", "term": "riffraff", "reason": "Looks down on people."}
	case "POST /api/v1/events/:id/exercises":
		return map[string]bool{"blind": false}
	case "POST /api/v1/exercises/:code/submissions":
		return map[string]any{"student": "walking-student", "article_id": w.articleID, "picks": []models.Pick{}}
	}
	return nil
}

// snapshot is what the store holds, read past the API.
func (w routeWalk) snapshot(t *testing.T, env *testEnv) string {
	t.Helper()
	ctx := t.Context()
	events, err := env.store.CountEvents(ctx)
	require.NoError(t, err)
	e, err := env.store.GetEvent(ctx, w.eventID)
	require.NoError(t, err)
	articles, err := env.store.ListArticles(ctx, w.eventID)
	require.NoError(t, err)
	exercises, err := env.store.ListExercises(ctx, w.eventID)
	require.NoError(t, err)
	ex, err := env.store.GetExercise(ctx, w.code)
	require.NoError(t, err)
	subs, err := env.store.ListSubmissions(ctx, ex.ID)
	require.NoError(t, err)
	// The walk's own submission is the student side, which everyone may use.
	subs = slices.DeleteFunc(subs, func(s models.Submission) bool { return s.Student == "walking-student" })
	words, err := env.store.ListWordList(ctx)
	require.NoError(t, err)
	return fmt.Sprintf("events %d, title %q, articles %d, exercises %d (revealed %v, ended %v), submissions %d, words %d",
		events, e.Title, len(articles), len(exercises), ex.Revealed, ex.EndedAt != nil, len(subs), len(words))
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
		{"local", Config{}, false, "local"},
		{"token", Config{AdminToken: testToken}, false, "token"},
		{"read-only", Config{ReadOnly: true}, true, "local"},
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
