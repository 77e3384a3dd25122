package models

import (
	"cmp"
	"context"
	"embed"
	"fmt"
	"io/fs"
	"path"
	"slices"
	"strconv"
	"strings"
	"time"

	"gorm.io/gorm"
)

//go:embed migrations/sqlite/*.sql migrations/postgres/*.sql
var migrationFiles embed.FS

// migrationLockKey is the PostgreSQL advisory lock that serialises
// migrations when several Slant instances start at once against one
// database. SQLite needs none: its write transactions already take the
// database's one write lock (the store opens them with BEGIN IMMEDIATE).
const migrationLockKey = 7_419_225_311

// migration is one numbered SQL file of migrations/<driver>/, applied once
// and recorded in schema_migrations.
type migration struct {
	Version int
	Name    string
	SQL     string
}

// migrationsFor reads the driver's migrations in version order. File names
// are NNNN_name.sql; versions must run 1, 2, 3… without gaps, so a missing
// file is an error rather than a silently skipped step.
func migrationsFor(driver string) ([]migration, error) {
	dir := "migrations/" + driver
	entries, err := fs.ReadDir(migrationFiles, dir)
	if err != nil {
		return nil, fmt.Errorf("read %s migrations: %w", driver, err)
	}
	var out []migration
	for _, e := range entries {
		number, name, ok := strings.Cut(strings.TrimSuffix(e.Name(), ".sql"), "_")
		version, err := strconv.Atoi(number)
		if !ok || err != nil || version < 1 {
			return nil, fmt.Errorf("migration %s/%s: name it NNNN_name.sql", dir, e.Name())
		}
		data, err := migrationFiles.ReadFile(path.Join(dir, e.Name()))
		if err != nil {
			return nil, fmt.Errorf("read migration %s/%s: %w", dir, e.Name(), err)
		}
		out = append(out, migration{Version: version, Name: name, SQL: string(data)})
	}
	slices.SortFunc(out, func(a, b migration) int { return cmp.Compare(a.Version, b.Version) })
	for i, m := range out {
		if m.Version != i+1 {
			return nil, fmt.Errorf("%s migrations: expected version %d, found %d (%s)", driver, i+1, m.Version, m.Name)
		}
	}
	return out, nil
}

// statements splits a migration into its statements. Migrations hold only
// DDL, with no semicolons inside strings or bodies, so a semicolon at the
// end of a line ends a statement; comment lines are dropped.
func statements(sql string) []string {
	var out []string
	var current strings.Builder
	for _, line := range strings.Split(sql, "\n") {
		trimmed := strings.TrimSpace(line)
		if trimmed == "" || strings.HasPrefix(trimmed, "--") {
			continue
		}
		current.WriteString(line)
		current.WriteByte('\n')
		if strings.HasSuffix(trimmed, ";") {
			out = append(out, strings.TrimSpace(current.String()))
			current.Reset()
		}
	}
	if rest := strings.TrimSpace(current.String()); rest != "" {
		out = append(out, rest)
	}
	return out
}

// migrate brings the schema up to the newest migration. Each migration
// runs in its own transaction together with its row in schema_migrations,
// so a crash leaves the database at one version or the next, never in
// between; the check for whether a version is applied happens inside that
// transaction, under the lock, so concurrent starters apply each step once.
func (s *Store) migrate(ctx context.Context) error {
	migrations, err := migrationsFor(s.driver)
	if err != nil {
		return err
	}
	db := s.db.WithContext(ctx)
	err = db.Transaction(func(tx *gorm.DB) error {
		if err := s.lockMigrations(tx); err != nil {
			return err
		}
		return tx.Exec(`CREATE TABLE IF NOT EXISTS schema_migrations (version integer PRIMARY KEY, name text NOT NULL, applied_at timestamp NOT NULL)`).Error
	})
	if err != nil {
		return fmt.Errorf("migrate %s database: create schema_migrations: %w", s.driver, err)
	}
	for _, m := range migrations {
		err := db.Transaction(func(tx *gorm.DB) error {
			if err := s.lockMigrations(tx); err != nil {
				return err
			}
			var applied int64
			if err := tx.Raw(`SELECT COUNT(*) FROM schema_migrations WHERE version = ?`, m.Version).Scan(&applied).Error; err != nil {
				return err
			}
			if applied > 0 {
				return nil
			}
			for _, stmt := range statements(m.SQL) {
				if err := tx.Exec(stmt).Error; err != nil {
					return fmt.Errorf("%.80s: %w", stmt, err)
				}
			}
			return tx.Exec(`INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)`, m.Version, m.Name, time.Now().UTC()).Error
		})
		if err != nil {
			return fmt.Errorf("migrate %s database to version %d (%s): %w", s.driver, m.Version, m.Name, err)
		}
	}
	return nil
}

// lockMigrations takes the PostgreSQL advisory lock for the rest of tx.
func (s *Store) lockMigrations(tx *gorm.DB) error {
	if s.driver != DriverPostgres {
		return nil
	}
	return tx.Exec(`SELECT pg_advisory_xact_lock(?)`, migrationLockKey).Error
}

// SchemaVersion is the newest migration applied to the database.
func (s *Store) SchemaVersion(ctx context.Context) (int, error) {
	var version int
	if err := s.db.WithContext(ctx).Raw(`SELECT COALESCE(MAX(version), 0) FROM schema_migrations`).Scan(&version).Error; err != nil {
		return 0, fmt.Errorf("read schema version: %w", err)
	}
	return version, nil
}
