package models

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/mattn/go-sqlite3"
	"gorm.io/driver/postgres"
	"gorm.io/driver/sqlite"
	"gorm.io/gorm"
	"gorm.io/gorm/logger"
)

// Driver names accepted in Config.Driver (the DB_DRIVER setting).
const (
	DriverSQLite   = "sqlite"
	DriverPostgres = "postgres"
)

// sqliteParams are the per-connection settings go-sqlite3 applies each time it
// opens a connection. They live in the DSN rather than in a one-off PRAGMA
// statement because database/sql opens connections lazily: a PRAGMA run once
// would reach only one connection of the pool.
//
//   - WAL lets readers run while one writer writes.
//   - foreign_keys is off by default in SQLite, so without it the schema's
//     references would be decoration.
//   - busy_timeout makes a second writer wait for the lock instead of failing
//     at once with "database is locked".
//   - synchronous=NORMAL is safe with WAL (a crash can lose the last commits
//     but never corrupts the file) and much faster than FULL.
//   - _txlock=immediate starts every transaction with BEGIN IMMEDIATE, so a
//     writing transaction takes the write lock up front, where busy_timeout
//     can wait for it. With the default deferred BEGIN a transaction that reads
//     first and writes later fails with SQLITE_BUSY without waiting when
//     another writer got there in between.
var sqliteParams = [][2]string{
	{"_journal_mode", "WAL"},
	{"_foreign_keys", "on"},
	{"_busy_timeout", "5000"},
	{"_synchronous", "NORMAL"},
	{"_txlock", "immediate"},
}

// sqliteMaxOpenConns bounds the SQLite pool. SQLite has a single writer, so
// more connections only add readers; a handful is plenty for this program and
// keeps the number of waiters on the write lock small.
const sqliteMaxOpenConns = 4

// Config says which database to use. Driver is "sqlite" (the default when
// empty) or "postgres". DSN is a file path for SQLite (":memory:" works, for
// tests) and a connection URL for PostgreSQL.
type Config struct {
	Driver string
	DSN    string
}

// Store keeps events, outlets, articles and their analyses in SQLite or
// PostgreSQL. It is safe for concurrent use. Every error it returns is
// either one of the errors in errors.go (test with errors.Is / errors.As) or
// an unexpected failure that should be logged, not shown.
type Store struct {
	db     *gorm.DB
	driver string
}

// Open connects to the database named by cfg, checks that it answers and
// brings the schema up to date. Close the Store when done.
func Open(ctx context.Context, cfg Config) (*Store, error) {
	driver := strings.ToLower(strings.TrimSpace(cfg.Driver))
	if driver == "" {
		driver = DriverSQLite
	}
	dsn := strings.TrimSpace(cfg.DSN)
	if dsn == "" {
		return nil, errors.New("open database: DATABASE_URL is empty: give a file path for sqlite or a URL for postgres")
	}

	var dialector func() gorm.Dialector
	switch driver {
	case DriverSQLite:
		dialector = func() gorm.Dialector { return sqlite.Open(sqliteDSN(dsn)) }
	case DriverPostgres:
		dialector = func() gorm.Dialector { return postgres.Open(dsn) }
	default:
		return nil, fmt.Errorf("open database: DB_DRIVER %q is not supported: use %q or %q", cfg.Driver, DriverSQLite, DriverPostgres)
	}

	db, err := openGorm(ctx, dialector)
	if err != nil {
		return nil, fmt.Errorf("open %s database: %w", driver, err)
	}
	s := &Store{db: db, driver: driver}

	sqlDB, err := db.DB()
	if err != nil {
		return nil, fmt.Errorf("open %s database: %w", driver, err)
	}
	if driver == DriverSQLite {
		maxConns := sqliteMaxOpenConns
		if isSQLiteMemory(dsn) {
			// Every connection to ":memory:" gets its own empty database,
			// so a pool would lose the tables between queries.
			maxConns = 1
		}
		sqlDB.SetMaxOpenConns(maxConns)
		// Keep idle connections rather than reopening them, which would
		// redo the per-connection pragmas each time.
		sqlDB.SetMaxIdleConns(maxConns)
	}

	if err := s.Ping(ctx); err != nil {
		_ = sqlDB.Close()
		return nil, fmt.Errorf("open %s database: %w", driver, err)
	}
	if err := s.migrate(ctx); err != nil {
		_ = sqlDB.Close()
		return nil, err
	}
	return s, nil
}

// openAttempts bounds how often Open tries a database that is busy. Only
// SQLite is retried: a new file's first connection switches it to WAL,
// which takes an exclusive lock that SQLite does not wait for (the busy
// timeout does not apply), so when several processes open a new file at
// once the losers see "database is locked" and simply try again.
const openAttempts = 50

// openGorm opens the database, trying again while SQLite reports it busy.
func openGorm(ctx context.Context, dialector func() gorm.Dialector) (*gorm.DB, error) {
	for attempt := 1; ; attempt++ {
		db, err := gorm.Open(dialector(), &gorm.Config{
			// TranslateError makes gorm map driver error codes (unique and
			// foreign-key violations) to its own sentinels, which
			// translate() then maps to ours; without it we would have to
			// parse driver text.
			TranslateError: true,
			Logger:         logger.Discard,
			NowFunc:        now,
		})
		if err == nil || !sqliteBusy(err) || attempt == openAttempts {
			return db, err
		}
		if db != nil {
			if sqlDB, dbErr := db.DB(); dbErr == nil {
				_ = sqlDB.Close()
			}
		}
		select {
		case <-ctx.Done():
			return nil, ctx.Err()
		case <-time.After(time.Duration(attempt) * 5 * time.Millisecond):
		}
	}
}

// sqliteBusy reports whether err is SQLite's "database is locked" or
// "busy".
func sqliteBusy(err error) bool {
	var sqliteErr sqlite3.Error
	return errors.As(err, &sqliteErr) && (sqliteErr.Code == sqlite3.ErrBusy || sqliteErr.Code == sqlite3.ErrLocked)
}

// sqliteDSN appends the connection settings in sqliteParams to a file path,
// leaving alone any of them the caller already gave.
func sqliteDSN(path string) string {
	base, query, _ := strings.Cut(path, "?")
	given, err := url.ParseQuery(query)
	if err != nil {
		given = url.Values{}
	}
	var extra []string
	for _, p := range sqliteParams {
		if !given.Has(p[0]) {
			extra = append(extra, p[0]+"="+p[1])
		}
	}
	if len(extra) == 0 {
		return path
	}
	if query != "" {
		return base + "?" + query + "&" + strings.Join(extra, "&")
	}
	return base + "?" + strings.Join(extra, "&")
}

// isSQLiteMemory reports whether dsn names an in-memory SQLite database.
func isSQLiteMemory(dsn string) bool {
	return strings.HasPrefix(dsn, ":memory:") || strings.Contains(dsn, "mode=memory")
}

// Close releases the database connections.
func (s *Store) Close() error {
	sqlDB, err := s.db.DB()
	if err != nil {
		return fmt.Errorf("close database: %w", err)
	}
	if err := sqlDB.Close(); err != nil {
		return fmt.Errorf("close database: %w", err)
	}
	return nil
}

// Driver names the database in use: "sqlite" or "postgres".
func (s *Store) Driver() string { return s.driver }

// Ping checks that the database answers, for health checks.
func (s *Store) Ping(ctx context.Context) error {
	sqlDB, err := s.db.DB()
	if err != nil {
		return fmt.Errorf("ping database: %w", err)
	}
	if err := sqlDB.PingContext(ctx); err != nil {
		return fmt.Errorf("ping database: %w", err)
	}
	return nil
}

// ContentHash returns the hex SHA-256 of an article body. The store uses it to
// refuse the same text twice in one event.
func ContentHash(body string) string {
	sum := sha256.Sum256([]byte(body))
	return hex.EncodeToString(sum[:])
}

// now is the store's clock. Times are kept in UTC so that they sort and
// compare the same on both drivers (SQLite stores them as text), and are cut
// to microseconds because that is all PostgreSQL keeps.
func now() time.Time { return utc(time.Now()) }

// utc normalises a time the way the store keeps it.
func utc(t time.Time) time.Time { return t.UTC().Truncate(time.Microsecond) }

// utcPtr normalises an optional time without changing the caller's value.
func utcPtr(t *time.Time) *time.Time {
	if t == nil {
		return nil
	}
	u := utc(*t)
	return &u
}

// translate maps gorm's errors (already translated from driver codes because
// of TranslateError) to the store's error vocabulary. Errors that are already
// ours, and unexpected ones, pass through unchanged.
func translate(err error) error {
	switch {
	case err == nil:
		return nil
	case errors.Is(err, gorm.ErrRecordNotFound):
		return ErrNotFound
	case errors.Is(err, gorm.ErrDuplicatedKey):
		return ErrConflict
	case errors.Is(err, gorm.ErrForeignKeyViolated):
		return ErrInvalid
	}
	return err
}

// wrap translates err and adds context in the usual "doing what: why" form.
// It returns nil for a nil err.
func wrap(err error, format string, args ...any) error {
	if err == nil {
		return nil
	}
	return fmt.Errorf(format+": %w", append(args, translate(err))...)
}
