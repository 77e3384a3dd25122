package api

import (
	"crypto/rand"
	"database/sql"
	"net/http"
	"net/url"
	"os"
	"strings"
	"testing"

	_ "github.com/jackc/pgx/v5/stdlib"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"slant/models"
)

// postgresURLEnv points the store tests at a PostgreSQL server (see
// models/store_test.go and .ci/run).
const postgresURLEnv = "SLANT_TEST_POSTGRES_URL"

// eachDriver runs test over a fresh SQLite store and, when
// SLANT_TEST_POSTGRES_URL is set, over a fresh PostgreSQL schema.
func eachDriver(t *testing.T, test func(t *testing.T, store *models.Store)) {
	t.Run(models.DriverSQLite, func(t *testing.T) { test(t, openStore(t)) })
	t.Run(models.DriverPostgres, func(t *testing.T) {
		dsn := os.Getenv(postgresURLEnv)
		if dsn == "" {
			t.Skipf("%s is not set: skipping the PostgreSQL variant", postgresURLEnv)
		}
		test(t, openPostgresStore(t, dsn))
	})
}

// openPostgresStore opens a store in a schema of its own, dropped when the
// test ends.
func openPostgresStore(t *testing.T, dsn string) *models.Store {
	t.Helper()
	admin, err := sql.Open("pgx", dsn)
	require.NoError(t, err)
	// Lower case because search_path folds unquoted names; rand.Text is
	// base32, so the name needs no quoting.
	schema := "slant_api_" + strings.ToLower(rand.Text()[:12])
	_, err = admin.ExecContext(t.Context(), "CREATE SCHEMA "+schema)
	require.NoError(t, err)
	t.Cleanup(func() {
		_, _ = admin.Exec("DROP SCHEMA " + schema + " CASCADE")
		_ = admin.Close()
	})
	u, err := url.Parse(dsn)
	require.NoError(t, err)
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	store, err := models.Open(t.Context(), models.Config{Driver: models.DriverPostgres, DSN: u.String()})
	require.NoError(t, err)
	t.Cleanup(func() { _ = store.Close() })
	return store
}

// TestControlCharacters sends NUL and other control characters in every
// field a person types. PostgreSQL cannot store NUL (its insert failed
// and the API answered 500) where SQLite stored it: now both answer 422
// naming the field and the byte, store nothing, and keep tabs and line
// breaks; a page's control characters are dropped with the rest of its
// markup.
func TestControlCharacters(t *testing.T) {
	eachDriver(t, func(t *testing.T, store *models.Store) {
		env := newEnvWith(t, store, testLexicon(t), Config{}, nil)
		articles := env.newEvent(t)
		refused := func(method, target string, body any, want string) {
			t.Helper()
			rec := env.call(t, method, target, body)
			require.Equal(t, http.StatusUnprocessableEntity, rec.Code, rec.Body.String())
			assert.Equal(t, want, decode[ErrorBody](t, rec).Error)
		}
		refused(http.MethodPost, articles, map[string]any{"outlet": "Courier", "text": "The river rose.\u0000 Then it fell."},
			"text contains an invisible control character (U+0000) at byte 16: remove it and send it again")
		refused(http.MethodPost, articles, map[string]any{"outlet": "Courier", "text": "The river rose.\u001b[31m", "clean": false},
			"text contains an invisible control character (U+001B) at byte 16: remove it and send it again")
		refused(http.MethodPost, articles, map[string]any{"outlet": "Courier", "title": "Flood\u0007", "text": "The river rose."},
			"title contains an invisible control character (U+0007) at byte 6: remove it and send it again")
		refused(http.MethodPost, articles, map[string]any{"outlet": "Cour\u0000ier", "text": "The river rose."},
			"outlet contains an invisible control character (U+0000) at byte 5: remove it and send it again")
		refused(http.MethodPost, "/api/v1/events", map[string]any{"title": "Flood\u0000"},
			"title contains an invisible control character (U+0000) at byte 6: remove it and send it again")
		refused(http.MethodPost, "/api/v1/analyze", map[string]any{"text": "Paste\u0000and see."},
			"text contains an invisible control character (U+0000) at byte 6: remove it and send it again")

		rec := env.call(t, http.MethodGet, articles, nil)
		require.Equal(t, http.StatusOK, rec.Code)
		assert.Empty(t, decode[ArticleListView](t, rec).Articles, "nothing stored")

		rec = env.call(t, http.MethodPost, articles, map[string]any{"outlet": "Courier", "text": "Line one of the story.\r\n\tLine two of the story.", "clean": false})
		require.Equal(t, http.StatusCreated, rec.Code, rec.Body.String())
		assert.Equal(t, "Line one of the story.\r\n\tLine two of the story.", decode[ArticleView](t, rec).Text, "tabs and line breaks kept exactly")

		rec = env.call(t, http.MethodPost, articles, map[string]any{"outlet": "Page", "html": "<html><head><title>Flood\u0000 warning</title></head><body><p>The river \u0001rose \u0000on Monday and the council met.</p></body></html>"})
		require.Equal(t, http.StatusCreated, rec.Code, rec.Body.String())
		page := decode[ArticleView](t, rec)
		_, _, found := models.ControlCharacter(page.Text+page.Title, true)
		assert.False(t, found, "a page's control characters are dropped: %q %q", page.Title, page.Text)

		rec = env.postImport(t, "/api/v1/import", "application/x-ndjson",
			`{"event":"Imported","outlet":"Courier","text":"Fine text."}`+"\n"+`{"event":"Imported","outlet":"Courier","text":"Bad \u0000 text."}`+"\n", nil)
		require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
		assert.Contains(t, rec.Body.String(), `"line":2`)
		assert.Contains(t, rec.Body.String(), "text contains an invisible control character (U+0000) at byte 5")
		assert.NotContains(t, env.logs.String(), "level=ERROR", "no internal error")
	})
}
