package models

import (
	"errors"
	"fmt"
	"path/filepath"
	"sync"
	"testing"

	"github.com/mattn/go-sqlite3"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gorm.io/driver/sqlite"
	"gorm.io/gorm"
	"gorm.io/gorm/logger"
)

// tableModels lists every struct the store keeps in a table. A new table
// needs a migration for each driver and an entry here, so that
// TestMigrationsMatchTheModels checks it.
func tableModels() []any {
	return []any{&Event{}, &Outlet{}, &Article{}, &Analysis{}, &WordListEntry{}, &Exercise{}, &Submission{}, &ExerciseAnswers{}, &LLMJob{}, &LLMCacheEntry{}}
}

// schemaSnapshot describes the schema in a form that changes whenever a
// table, column, type, default, index or constraint does.
func schemaSnapshot(t *testing.T, s *Store) []string {
	t.Helper()
	var rows []string
	var err error
	if s.driver == DriverSQLite {
		err = s.db.Raw(`SELECT type || ' ' || name || ': ' || COALESCE(sql, '') FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' ORDER BY type, name`).Scan(&rows).Error
	} else {
		err = s.db.Raw(`
			SELECT 'column ' || table_name || '.' || column_name || ' ' || data_type || ' ' || is_nullable || ' ' || COALESCE(column_default, '')
			  FROM information_schema.columns WHERE table_schema = current_schema()
			UNION ALL
			SELECT 'index ' || tablename || ' ' || indexdef FROM pg_indexes WHERE schemaname = current_schema()
			UNION ALL
			SELECT 'constraint ' || conrelid::regclass::text || ' ' || conname || ' ' || pg_get_constraintdef(oid)
			  FROM pg_constraint WHERE connamespace = current_schema()::regnamespace
			ORDER BY 1`).Scan(&rows).Error
	}
	require.NoError(t, err)
	return rows
}

// TestMigrationsMatchTheModels checks the explicit SQL against the structs
// the store reads and writes: after the migrations, asking gorm to bring
// the schema in line with the structs must change nothing.
func TestMigrationsMatchTheModels(t *testing.T) {
	eachStore(t, func(t *testing.T, s *Store) {
		before := schemaSnapshot(t, s)
		require.NoError(t, s.db.AutoMigrate(tableModels()...))
		assert.Equal(t, before, schemaSnapshot(t, s), "the migrations and the gorm models disagree")
	})
}

func TestMigrationsAreVersionedAndIdempotent(t *testing.T) {
	eachStore(t, func(t *testing.T, s *Store) {
		latest, err := migrationsFor(s.driver)
		require.NoError(t, err)
		version, err := s.SchemaVersion(t.Context())
		require.NoError(t, err)
		assert.Equal(t, len(latest), version)

		before := schemaSnapshot(t, s)
		require.NoError(t, s.migrate(t.Context()), "running the migrations again does nothing")
		assert.Equal(t, before, schemaSnapshot(t, s))
		var rows int64
		require.NoError(t, s.db.Raw(`SELECT COUNT(*) FROM schema_migrations`).Scan(&rows).Error)
		assert.Equal(t, int64(len(latest)), rows, "one row per migration")
	})
}

func TestMigrationFilesAgreeAcrossDrivers(t *testing.T) {
	sqliteMigrations, err := migrationsFor(DriverSQLite)
	require.NoError(t, err)
	postgresMigrations, err := migrationsFor(DriverPostgres)
	require.NoError(t, err)
	require.Equal(t, len(sqliteMigrations), len(postgresMigrations))
	for i := range sqliteMigrations {
		assert.Equal(t, sqliteMigrations[i].Name, postgresMigrations[i].Name, "version %d", i+1)
		assert.NotEmpty(t, statements(sqliteMigrations[i].SQL))
	}
}

func TestStatements(t *testing.T) {
	sql := "-- a comment\nCREATE TABLE a (\n  x int\n);\n\nCREATE INDEX i ON a (x);\nSELECT 1"
	assert.Equal(t, []string{"CREATE TABLE a (\n  x int\n);", "CREATE INDEX i ON a (x);", "SELECT 1"}, statements(sql))
}

// TestConcurrentOpenMigratesOnce starts four stores at once on a new
// SQLite file, as several processes would at a first deployment.
func TestConcurrentOpenMigratesOnce(t *testing.T) {
	path := filepath.Join(t.TempDir(), "fresh.db")
	var wg sync.WaitGroup
	errs := make([]error, 4)
	for i := range errs {
		wg.Go(func() {
			s, err := Open(t.Context(), Config{Driver: DriverSQLite, DSN: path})
			if err == nil {
				err = s.Close()
			}
			errs[i] = err
		})
	}
	wg.Wait()
	for i, err := range errs {
		assert.NoError(t, err, "opener %d", i)
	}
	s, err := Open(t.Context(), Config{Driver: DriverSQLite, DSN: path})
	require.NoError(t, err)
	defer s.Close()
	var rows int64
	require.NoError(t, s.db.Raw(`SELECT COUNT(*) FROM schema_migrations`).Scan(&rows).Error)
	latest, _ := migrationsFor(DriverSQLite)
	assert.Equal(t, int64(len(latest)), rows)
}

// TestOpenAdoptsAnUnversionedDatabase opens a database that an earlier
// Slant built with gorm's AutoMigrate and no schema_migrations table: the
// store records it at the current version and keeps its rows.
func TestOpenAdoptsAnUnversionedDatabase(t *testing.T) {
	path := filepath.Join(t.TempDir(), "old.db")
	old, err := gorm.Open(sqlite.Open(sqliteDSN(path)), &gorm.Config{Logger: logger.Discard})
	require.NoError(t, err)
	require.NoError(t, old.AutoMigrate(tableModels()...))
	// The unversioned Slant predates the columns later migrations add.
	require.NoError(t, old.Migrator().DropColumn(&Exercise{}, "ended_at"))
	require.NoError(t, old.Migrator().DropIndex(&Article{}, "idx_article_event_external"))
	require.NoError(t, old.Migrator().DropColumn(&Article{}, "external_id"))
	require.NoError(t, old.Migrator().DropColumn(&Article{}, "metadata"))
	require.NoError(t, old.Migrator().DropColumn(&WordListEntry{}, "override"))
	require.NoError(t, old.Migrator().DropColumn(&Article{}, "language"))
	require.NoError(t, old.Migrator().DropTable(&ExerciseAnswers{}))
	require.NoError(t, old.Migrator().DropColumn(&Submission{}, "client"))
	require.NoError(t, old.Exec(`INSERT INTO events (title) VALUES ('kept')`).Error)
	sqlDB, _ := old.DB()
	require.NoError(t, sqlDB.Close())

	s, err := Open(t.Context(), Config{Driver: DriverSQLite, DSN: path})
	require.NoError(t, err)
	defer s.Close()
	version, err := s.SchemaVersion(t.Context())
	require.NoError(t, err)
	latest, _ := migrationsFor(DriverSQLite)
	assert.Equal(t, len(latest), version)
	assert.Equal(t, int64(1), countRows(t, s, &Event{}), "rows survive")
}

func TestSQLiteBusy(t *testing.T) {
	assert.True(t, sqliteBusy(fmt.Errorf("open: %w", sqlite3.Error{Code: sqlite3.ErrBusy})))
	assert.True(t, sqliteBusy(sqlite3.Error{Code: sqlite3.ErrLocked}))
	assert.False(t, sqliteBusy(sqlite3.Error{Code: sqlite3.ErrConstraint}))
	assert.False(t, sqliteBusy(errors.New("database is locked, said nobody")))
}
