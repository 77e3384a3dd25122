// Package testdb gives tests outside the store a fresh database of each
// kind Slant runs on: SQLite in a temporary file always, and PostgreSQL
// when SLANT_TEST_POSTGRES_URL points at a server (CI starts a throwaway
// one; see .ci/run), in a schema of its own that is dropped afterwards.
// The store's own tests have the same in models (eachStore).
package testdb

import (
	"crypto/rand"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"gorm.io/driver/postgres"
	"gorm.io/gorm"
	"gorm.io/gorm/logger"

	"slant/models"
)

// PostgresURLEnv names the variable that points the tests at a
// PostgreSQL server.
const PostgresURLEnv = "SLANT_TEST_POSTGRES_URL"

// Each runs test once per database, as a subtest named by its driver,
// each time with the configuration of a fresh, empty database. The
// PostgreSQL run is skipped, saying why, when PostgresURLEnv is not set.
func Each(t *testing.T, test func(t *testing.T, cfg models.Config)) {
	t.Helper()
	t.Run(models.DriverSQLite, func(t *testing.T) {
		test(t, models.Config{Driver: models.DriverSQLite, DSN: filepath.Join(t.TempDir(), "slant.db")})
	})
	t.Run(models.DriverPostgres, func(t *testing.T) {
		dsn := os.Getenv(PostgresURLEnv)
		if dsn == "" {
			t.Skipf("%s is not set: skipping the PostgreSQL variant", PostgresURLEnv)
		}
		test(t, Postgres(t, dsn))
	})
}

// Postgres makes a schema of its own on the server dsn names, drops it
// when the test ends, and returns the configuration of a store in it.
func Postgres(t *testing.T, dsn string) models.Config {
	t.Helper()
	admin, err := gorm.Open(postgres.Open(dsn), &gorm.Config{Logger: logger.Discard})
	if err != nil {
		t.Fatalf("connect to %s: %v", PostgresURLEnv, err)
	}
	// Lower case because search_path folds unquoted names; rand.Text is
	// base32, so the name needs no quoting anywhere.
	schema := "slant_test_" + strings.ToLower(rand.Text()[:12])
	if err := admin.Exec(fmt.Sprintf("CREATE SCHEMA %q", schema)).Error; err != nil {
		t.Fatalf("create schema: %v", err)
	}
	t.Cleanup(func() {
		if err := admin.Exec(fmt.Sprintf("DROP SCHEMA %q CASCADE", schema)).Error; err != nil {
			t.Errorf("drop schema %s: %v", schema, err)
		}
		if sqlDB, err := admin.DB(); err == nil {
			_ = sqlDB.Close()
		}
	})
	u, err := url.Parse(dsn)
	if err != nil {
		t.Fatalf("%s must be a postgres:// URL: %v", PostgresURLEnv, err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return models.Config{Driver: models.DriverPostgres, DSN: u.String()}
}

// Env is the environment of the command line for a database: DB_DRIVER
// and DB_PATH or DATABASE_URL.
func Env(cfg models.Config) map[string]string {
	if cfg.Driver == models.DriverPostgres {
		return map[string]string{"DB_DRIVER": models.DriverPostgres, "DATABASE_URL": cfg.DSN}
	}
	return map[string]string{"DB_DRIVER": models.DriverSQLite, "DB_PATH": cfg.DSN}
}
