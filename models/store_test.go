package models

import (
	"crypto/rand"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gorm.io/driver/postgres"
	"gorm.io/gorm"
	"gorm.io/gorm/logger"
)

// postgresURLEnv names the variable that points the suite at a PostgreSQL
// server. Each test gets its own schema there, dropped afterwards.
const postgresURLEnv = "SLANT_TEST_POSTGRES_URL"

// eachStore runs test once per available driver, each time on a fresh, empty
// database, so that every store test checks both SQLite and PostgreSQL.
func eachStore(t *testing.T, test func(t *testing.T, s *Store)) {
	t.Helper()
	t.Run(DriverSQLite, func(t *testing.T) {
		test(t, openSQLite(t))
	})
	t.Run(DriverPostgres, func(t *testing.T) {
		dsn := os.Getenv(postgresURLEnv)
		if dsn == "" {
			t.Skipf("%s is not set: skipping the PostgreSQL variant", postgresURLEnv)
		}
		test(t, openPostgres(t, dsn))
	})
}

// openSQLite opens a store on a new database file in the test's temp dir.
func openSQLite(t *testing.T) *Store {
	t.Helper()
	s, err := Open(t.Context(), Config{Driver: DriverSQLite, DSN: filepath.Join(t.TempDir(), "slant.db")})
	require.NoError(t, err)
	t.Cleanup(func() { assert.NoError(t, s.Close()) })
	return s
}

// openPostgres opens a store in a schema of its own, so tests cannot see each
// other's rows, and drops the schema when the test ends.
func openPostgres(t *testing.T, dsn string) *Store {
	t.Helper()
	admin, err := gorm.Open(postgres.Open(dsn), &gorm.Config{Logger: logger.Discard})
	require.NoError(t, err, "connect to %s", postgresURLEnv)
	// Lower case because search_path folds unquoted names; rand.Text is
	// base32, so the name needs no quoting anywhere.
	schema := "slant_test_" + strings.ToLower(rand.Text()[:12])
	require.NoError(t, admin.Exec(fmt.Sprintf("CREATE SCHEMA %q", schema)).Error)
	t.Cleanup(func() {
		assert.NoError(t, admin.Exec(fmt.Sprintf("DROP SCHEMA %q CASCADE", schema)).Error)
		if sqlDB, err := admin.DB(); err == nil {
			_ = sqlDB.Close()
		}
	})

	u, err := url.Parse(dsn)
	require.NoError(t, err, "%s must be a postgres:// URL", postgresURLEnv)
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()

	s, err := Open(t.Context(), Config{Driver: DriverPostgres, DSN: u.String()})
	require.NoError(t, err)
	t.Cleanup(func() { assert.NoError(t, s.Close()) })
	return s
}

// countRows counts the rows of model's table, to check what a delete left.
func countRows(t *testing.T, s *Store, model any) int64 {
	t.Helper()
	var n int64
	require.NoError(t, s.db.Model(model).Count(&n).Error)
	return n
}

func TestOpenSQLiteAppliesPragmasOnEveryConnection(t *testing.T) {
	s := openSQLite(t)
	assert.Equal(t, DriverSQLite, s.Driver())
	require.NoError(t, s.Ping(t.Context()))

	sqlDB, err := s.db.DB()
	require.NoError(t, err)
	// Holding several connections at once forces the pool to open distinct
	// ones: settings made by a single PRAGMA statement would miss the rest.
	conns := make([]*sql.Conn, 3)
	for i := range conns {
		conns[i], err = sqlDB.Conn(t.Context())
		require.NoError(t, err)
		defer conns[i].Close()
	}

	tests := []struct {
		pragma string
		want   string
	}{
		{"journal_mode", "wal"},
		{"foreign_keys", "1"},
		{"busy_timeout", "5000"},
		{"synchronous", "1"}, // NORMAL
	}
	for i, conn := range conns {
		for _, tt := range tests {
			var got string
			require.NoError(t, conn.QueryRowContext(t.Context(), "PRAGMA "+tt.pragma).Scan(&got))
			assert.Equal(t, tt.want, got, "connection %d: PRAGMA %s", i, tt.pragma)
		}
	}
}

func TestOpenInMemorySQLite(t *testing.T) {
	// One connection only: a second one would see a different, empty
	// in-memory database.
	s, err := Open(t.Context(), Config{DSN: ":memory:"})
	require.NoError(t, err)
	defer s.Close()
	e := Event{Title: "In memory"}
	require.NoError(t, s.CreateEvent(t.Context(), &e))
	got, err := s.GetEvent(t.Context(), e.ID)
	require.NoError(t, err)
	assert.Equal(t, "In memory", got.Title)
}

func TestOpenRejectsBadConfig(t *testing.T) {
	tests := []struct {
		name    string
		cfg     Config
		mention string
	}{
		{"unknown driver", Config{Driver: "mysql", DSN: "x"}, "DB_DRIVER"},
		{"empty dsn", Config{Driver: DriverSQLite}, "DATABASE_URL"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := Open(t.Context(), tt.cfg)
			require.Error(t, err)
			assert.Nil(t, s)
			assert.Contains(t, err.Error(), tt.mention)
		})
	}
}

func TestSQLiteDSN(t *testing.T) {
	const all = "_journal_mode=WAL&_foreign_keys=on&_busy_timeout=5000&_synchronous=NORMAL&_txlock=immediate"
	tests := []struct {
		in, want string
	}{
		{"slant.db", "slant.db?" + all},
		{":memory:", ":memory:?" + all},
		{"a.db?_busy_timeout=100", "a.db?_busy_timeout=100&_journal_mode=WAL&_foreign_keys=on&_synchronous=NORMAL&_txlock=immediate"},
		{"a.db?cache=shared", "a.db?cache=shared&" + all},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, sqliteDSN(tt.in), tt.in)
	}
}

func TestTranslate(t *testing.T) {
	other := errors.New("disk on fire")
	verr := &ValidationError{Field: "title", Problem: "is required"}
	tests := []struct {
		in   error
		want error
	}{
		{nil, nil},
		{gorm.ErrRecordNotFound, ErrNotFound},
		{fmt.Errorf("find: %w", gorm.ErrRecordNotFound), ErrNotFound},
		{gorm.ErrDuplicatedKey, ErrConflict},
		{gorm.ErrForeignKeyViolated, ErrInvalid},
		{verr, verr},
		{other, other},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, translate(tt.in), "%v", tt.in)
	}
}

func TestForeignKeysAreEnforced(t *testing.T) {
	eachStore(t, func(t *testing.T, s *Store) {
		// Write straight through gorm, past AddArticle's own check, to see
		// that the database refuses an orphan and that the error translates.
		orphan := Article{EventID: 999, OutletID: 999, Body: "x", ContentHash: ContentHash("x")}
		err := wrap(s.db.Omit("Outlet", "Analysis").Create(&orphan).Error, "insert orphan")
		require.ErrorIs(t, err, ErrInvalid)
	})
}
