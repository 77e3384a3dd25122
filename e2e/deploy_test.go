package e2e

import (
	"net"
	"net/url"
	"os"
	"slant/cli"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gopkg.in/yaml.v3"
)

// composeFile is the part of docker-compose.yml the checks below read.
type composeFile struct {
	Services map[string]struct {
		Build       any               `yaml:"build"`
		Image       string            `yaml:"image"`
		Ports       []string          `yaml:"ports"`
		Environment map[string]string `yaml:"environment"`
		Volumes     []string          `yaml:"volumes"`
		DependsOn   map[string]struct {
			Condition string `yaml:"condition"`
		} `yaml:"depends_on"`
		Healthcheck struct {
			Test []string `yaml:"test"`
		} `yaml:"healthcheck"`
	} `yaml:"services"`
	Volumes map[string]any `yaml:"volumes"`
}

// TestDockerCompose checks docker-compose.yml against the configuration
// code, since no Docker engine runs where the tests do: every variable it
// sets is one Slant reads and accepts, the published port is the one
// Slant listens on, and PostgreSQL is healthy before Slant starts and keeps
// its data in a named volume.
func TestDockerCompose(t *testing.T) {
	data, err := os.ReadFile("../docker-compose.yml")
	require.NoError(t, err)
	var compose composeFile
	require.NoError(t, yaml.Unmarshal(data, &compose))

	app, ok := compose.Services["slant"]
	require.True(t, ok, "a service named slant")
	db, ok := compose.Services["db"]
	require.True(t, ok, "a service named db")

	for name := range app.Environment {
		assert.Contains(t, cli.ConfigVariables(), name, "docker-compose sets %s, which Slant does not read", name)
	}
	env := composeEnvironment(t, app.Environment, composeTestShell)
	cfg, err := cli.LoadConfig(func(k string) string { return env[k] })
	require.NoError(t, err, "Slant accepts the compose environment")
	assert.Equal(t, "postgres", cfg.DBDriver)

	_, port, err := net.SplitHostPort(cfg.Addr)
	require.NoError(t, err)
	require.Len(t, app.Ports, 1)
	assert.True(t, strings.HasSuffix(app.Ports[0], ":"+port), "published port %s reaches SLANT_ADDR %s", app.Ports[0], cfg.Addr)

	dbURL, err := url.Parse(cfg.DatabaseURL)
	require.NoError(t, err)
	assert.Equal(t, "db", dbURL.Hostname(), "DATABASE_URL points at the db service")
	assert.Equal(t, db.Environment["POSTGRES_USER"], dbURL.User.Username())
	password, _ := dbURL.User.Password()
	assert.Equal(t, db.Environment["POSTGRES_PASSWORD"], password)
	assert.Equal(t, "/"+db.Environment["POSTGRES_DB"], dbURL.Path)

	assert.Equal(t, "service_healthy", app.DependsOn["db"].Condition)
	assert.NotEmpty(t, db.Healthcheck.Test, "db has a healthcheck")
	require.Len(t, db.Volumes, 1)
	volume, mount, _ := strings.Cut(db.Volumes[0], ":")
	assert.Contains(t, compose.Volumes, volume, "the database volume is a named volume")
	assert.Equal(t, "/var/lib/postgresql/data", mount)
}

// TestDockerfile checks what the Dockerfile promises: a cgo build stage,
// a glibc runtime, a non-root user, and the port and database path the
// configuration expects.
func TestDockerfile(t *testing.T) {
	data, err := os.ReadFile("../Dockerfile")
	require.NoError(t, err)
	var froms, users []string
	env := map[string]string{}
	for _, line := range strings.Split(string(data), "\n") {
		fields := strings.Fields(line)
		if len(fields) < 2 {
			continue
		}
		switch fields[0] {
		case "FROM":
			froms = append(froms, fields[1])
		case "USER":
			users = append(users, fields[1])
		case "ENV":
			for _, kv := range fields[1:] {
				if k, v, ok := strings.Cut(kv, "="); ok {
					env[k] = v
				}
			}
		}
	}
	require.Len(t, froms, 2, "a multi-stage build")
	assert.True(t, strings.HasPrefix(froms[0], "golang:1.26"), "build stage uses Go 1.26")
	assert.True(t, strings.HasPrefix(froms[1], "debian:"), "runtime is glibc-based (cgo SQLite)")
	assert.Contains(t, string(data), "CGO_ENABLED=1")
	require.NotEmpty(t, users)
	assert.NotEqual(t, "root", users[len(users)-1], "runs as a non-root user")
	for name := range env {
		assert.True(t, slices.Contains(cli.ConfigVariables(), name), "Dockerfile sets %s, which Slant does not read", name)
	}
	cfg, err := cli.LoadConfig(func(k string) string { return env[k] })
	require.NoError(t, err)
	assert.Contains(t, string(data), "EXPOSE "+strings.TrimPrefix(cfg.Addr, ":"))
}
