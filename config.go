package main

import (
	"fmt"
	"strconv"
	"strings"
)

// config is everything Slant reads from its environment, validated once at
// start so that a mistake names its variable instead of failing later.
type config struct {
	Addr         string // SLANT_ADDR
	DBDriver     string // DB_DRIVER: sqlite or postgres
	DBPath       string // DB_PATH, for sqlite
	DatabaseURL  string // DATABASE_URL, for postgres
	Demo         bool   // SLANT_DEMO: load the demo event into an empty database
	MaxBodyBytes int64  // SLANT_MAX_BODY_BYTES
	LogLevel     string // SLANT_LOG_LEVEL: debug, info, warn, error
}

const defaultMaxBodyBytes = 2 << 20

// configVariables names every environment variable loadConfig reads, so
// that deployment files can be checked against it.
func configVariables() []string {
	return []string{"SLANT_ADDR", "DB_DRIVER", "DB_PATH", "DATABASE_URL", "SLANT_DEMO", "SLANT_MAX_BODY_BYTES", "SLANT_LOG_LEVEL"}
}

func loadConfig(getenv func(string) string) (config, error) {
	cfg := config{
		Addr:         orDefault(getenv("SLANT_ADDR"), ":8080"),
		DBDriver:     strings.ToLower(orDefault(getenv("DB_DRIVER"), "sqlite")),
		DBPath:       orDefault(getenv("DB_PATH"), "slant.db"),
		DatabaseURL:  getenv("DATABASE_URL"),
		Demo:         true,
		MaxBodyBytes: defaultMaxBodyBytes,
		LogLevel:     strings.ToLower(orDefault(getenv("SLANT_LOG_LEVEL"), "info")),
	}
	switch cfg.DBDriver {
	case "sqlite":
	case "postgres":
		if cfg.DatabaseURL == "" {
			return cfg, fmt.Errorf("DATABASE_URL is required when DB_DRIVER=postgres")
		}
	default:
		return cfg, fmt.Errorf("DB_DRIVER %q is not supported: use sqlite or postgres", cfg.DBDriver)
	}
	if v := getenv("SLANT_DEMO"); v != "" {
		on, err := strconv.ParseBool(v)
		if err != nil {
			return cfg, fmt.Errorf("SLANT_DEMO %q is not a boolean (use 1 or 0)", v)
		}
		cfg.Demo = on
	}
	if v := getenv("SLANT_MAX_BODY_BYTES"); v != "" {
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil || n < 1024 {
			return cfg, fmt.Errorf("SLANT_MAX_BODY_BYTES %q must be a whole number of bytes, at least 1024", v)
		}
		cfg.MaxBodyBytes = n
	}
	switch cfg.LogLevel {
	case "debug", "info", "warn", "error":
	default:
		return cfg, fmt.Errorf("SLANT_LOG_LEVEL %q must be debug, info, warn or error", cfg.LogLevel)
	}
	return cfg, nil
}

// dsn is the data source for the configured driver.
func (c config) dsn() string {
	if c.DBDriver == "postgres" {
		return c.DatabaseURL
	}
	return c.DBPath
}

func orDefault(v, def string) string {
	if strings.TrimSpace(v) == "" {
		return def
	}
	return v
}
