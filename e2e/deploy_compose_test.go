package e2e

import (
	"fmt"
	"os"
	"regexp"
	"slant/cli"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gopkg.in/yaml.v3"
)

// composeTestShell is the shell environment the compose checks pretend to
// run `docker compose up` from: an operator who set the admin token.
var composeTestShell = map[string]string{
	"SLANT_ADMIN_TOKEN": "0123456789abcdef0123456789abcdef",
}

// composeVarRE matches compose's variable references: $$, ${NAME},
// ${NAME:-default}, ${NAME-default}, ${NAME:?error}, ${NAME?error}, $NAME.
var composeVarRE = regexp.MustCompile(`\$\$|\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?])([^}]*))?\}|\$([A-Za-z_][A-Za-z0-9_]*)`)

// interpolate substitutes shell variables into a compose value the way
// `docker compose` does, for the forms above; a required variable that is
// missing (or empty, with ":?") is an error carrying its message.
func interpolate(value string, shell map[string]string) (string, error) {
	var missing error
	out := composeVarRE.ReplaceAllStringFunc(value, func(ref string) string {
		if ref == "$$" {
			return "$"
		}
		m := composeVarRE.FindStringSubmatch(ref)
		name, op, arg := m[1], m[2], m[3]
		if name == "" {
			name = m[4]
		}
		v, set := shell[name]
		unset := !set || (strings.HasPrefix(op, ":") && v == "")
		switch strings.TrimPrefix(op, ":") {
		case "-":
			if unset {
				return arg
			}
		case "?":
			if unset && missing == nil {
				missing = fmt.Errorf("required variable %s is missing a value: %s", name, arg)
			}
		}
		return v
	})
	return out, missing
}

// composeEnvironment interpolates a service's environment with shell.
func composeEnvironment(t *testing.T, env map[string]string, shell map[string]string) map[string]string {
	t.Helper()
	out := make(map[string]string, len(env))
	for k, v := range env {
		s, err := interpolate(v, shell)
		require.NoError(t, err, "%s", k)
		out[k] = s
	}
	return out
}

func TestInterpolate(t *testing.T) {
	shell := map[string]string{"SET": "x", "EMPTY": ""}
	for in, want := range map[string]string{
		"plain":           "plain",
		"${SET}":          "x",
		"$SET/y":          "x/y",
		"${UNSET:-d}":     "d",
		"${EMPTY:-d}":     "d",
		"${EMPTY-d}":      "",
		"${SET:?needed}":  "x",
		"cost $$5 ${SET}": "cost $5 x",
	} {
		got, err := interpolate(in, shell)
		require.NoError(t, err, in)
		assert.Equal(t, want, got, in)
	}
	for _, in := range []string{"${UNSET:?set it}", "${EMPTY:?set it}", "${UNSET?set it}"} {
		_, err := interpolate(in, shell)
		assert.ErrorContains(t, err, "set it", in)
	}
}

// TestDockerComposeDeployment checks the parts of docker-compose.yml that
// make it fit to deploy: it refuses to start without an admin token (and
// the token it passes on is one Slant accepts), it passes
// SLANT_TRUSTED_PROXIES through, empty unless set, and Slant's health
// check runs the binary the Dockerfile installs, against the address the
// configuration listens on.
func TestDockerComposeDeployment(t *testing.T) {
	data, err := os.ReadFile("../docker-compose.yml")
	require.NoError(t, err)
	var compose composeFile
	require.NoError(t, yaml.Unmarshal(data, &compose))
	app := compose.Services["slant"]

	token, ok := app.Environment["SLANT_ADMIN_TOKEN"]
	require.True(t, ok, "compose passes an admin token")
	_, err = interpolate(token, map[string]string{})
	assert.ErrorContains(t, err, "SLANT_ADMIN_TOKEN", "compose refuses to start without a token")
	_, err = interpolate(token, map[string]string{"SLANT_ADMIN_TOKEN": ""})
	assert.Error(t, err, "or with an empty one")

	env := composeEnvironment(t, app.Environment, composeTestShell)
	cfg, err := cli.LoadConfig(func(k string) string { return env[k] })
	require.NoError(t, err)
	assert.Equal(t, composeTestShell["SLANT_ADMIN_TOKEN"], cfg.AdminToken)
	assert.Empty(t, cfg.TrustedProxies, "no proxy is trusted unless the operator names one")
	withProxy := composeEnvironment(t, app.Environment, map[string]string{"SLANT_ADMIN_TOKEN": composeTestShell["SLANT_ADMIN_TOKEN"], "SLANT_TRUSTED_PROXIES": "172.18.0.2"})
	cfg, err = cli.LoadConfig(func(k string) string { return withProxy[k] })
	require.NoError(t, err)
	require.Len(t, cfg.TrustedProxies, 1)
	assert.Equal(t, "172.18.0.2/32", cfg.TrustedProxies[0].String())

	dockerfile, err := os.ReadFile("../Dockerfile")
	require.NoError(t, err)
	require.Len(t, app.Healthcheck.Test, 3, "healthcheck: [CMD, binary, health]")
	assert.Equal(t, "CMD", app.Healthcheck.Test[0])
	assert.Contains(t, string(dockerfile), "COPY --from=build /out/slant "+app.Healthcheck.Test[1], "the healthcheck runs the installed binary")
	assert.Equal(t, "health", app.Healthcheck.Test[2])
	url, err := cli.LocalBaseURL(cfg.Addr)
	require.NoError(t, err)
	assert.Equal(t, "http://127.0.0.1:8080", url, "slant health asks the port Slant listens on")
	assert.Contains(t, string(dockerfile), `HEALTHCHECK`, "the image checks itself when run without compose too")
}
