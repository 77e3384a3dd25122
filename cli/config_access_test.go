package cli

import (
	"context"
	"io"
	"net/netip"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"slant/api"
)

func TestConfigAccessDefaults(t *testing.T) {
	cfg, err := LoadConfig(func(string) string { return "" })
	require.NoError(t, err)
	assert.Empty(t, cfg.AdminToken, "the teacher is this machine unless a token is set")
	assert.False(t, cfg.ReadOnly)
	assert.False(t, cfg.PublicRead, "reads are the teacher's unless opened")
	assert.Equal(t, 200, cfg.MaxStudents)
	assert.Equal(t, 5, cfg.StudentsPerAddress)
	assert.Equal(t, 14*24*time.Hour, cfg.ExerciseTTL)
	assert.Equal(t, 200<<10, cfg.MaxTextBytes)
	assert.Equal(t, 12, cfg.MaxArticlesPerEvent)
	assert.Equal(t, api.Rate{Events: 5, Per: time.Second, Burst: 20}, cfg.RateWrite)
	assert.Equal(t, api.Rate{Events: 20, Per: time.Second, Burst: 40}, cfg.RateAnalyze)
	assert.Equal(t, api.Rate{Events: 1, Per: time.Second, Burst: 5}, cfg.RateFetch)
	assert.Empty(t, cfg.TrustedProxies, "no proxy is trusted unless listed")
	assert.Empty(t, cfg.CORSOrigins, "CORS is off unless origins are listed")
	assert.Equal(t, 30*time.Second, cfg.RequestTimeout)
}

func TestConfigAccessSettings(t *testing.T) {
	env := map[string]string{
		"SLANT_ADMIN_TOKEN":            "  " + serveToken + "\n",
		"SLANT_READ_ONLY":              "true",
		"SLANT_MAX_TEXT_BYTES":         "4096",
		"SLANT_MAX_ARTICLES_PER_EVENT": "6",
		"SLANT_RATE_WRITE":             "30/m,burst=5",
		"SLANT_RATE_ANALYZE":           "0",
		"SLANT_RATE_FETCH":             "10/h",
		"SLANT_TRUSTED_PROXIES":        "192.0.2.0/24, 2001:db8::1 ,198.51.100.7/32,203.0.113.9/24",
		"SLANT_CORS_ORIGINS":           "https://School.Example, http://localhost:3000,https://x.example:443/ ,http://[2001:db8::2]:8080",
		"SLANT_REQUEST_TIMEOUT":        "45s",
		"SLANT_PUBLIC_READ":            "1",
		"SLANT_MAX_STUDENTS":           "35",
		"SLANT_STUDENTS_PER_ADDRESS":   "40",
		"SLANT_EXERCISE_TTL":           "3d",
	}
	cfg, err := LoadConfig(func(k string) string { return env[k] })
	require.NoError(t, err)
	assert.Equal(t, serveToken, cfg.AdminToken, "surrounding space is trimmed")
	assert.True(t, cfg.ReadOnly)
	assert.Equal(t, 4096, cfg.MaxTextBytes)
	assert.Equal(t, 6, cfg.MaxArticlesPerEvent)
	assert.Equal(t, api.Rate{Events: 30, Per: time.Minute, Burst: 5}, cfg.RateWrite)
	assert.False(t, cfg.RateAnalyze.Enabled(), "0 switches a limit off")
	assert.Equal(t, api.Rate{Events: 10, Per: time.Hour, Burst: 10}, cfg.RateFetch)
	assert.Equal(t, []netip.Prefix{
		netip.MustParsePrefix("192.0.2.0/24"),
		netip.MustParsePrefix("2001:db8::1/128"),
		netip.MustParsePrefix("198.51.100.7/32"),
		netip.MustParsePrefix("203.0.113.0/24"),
	}, cfg.TrustedProxies)
	assert.Equal(t, []string{"https://school.example", "http://localhost:3000", "https://x.example", "http://[2001:db8::2]:8080"}, cfg.CORSOrigins)
	assert.Equal(t, 45*time.Second, cfg.RequestTimeout)
	assert.True(t, cfg.PublicRead)
	assert.Equal(t, 35, cfg.MaxStudents)
	assert.Equal(t, 40, cfg.StudentsPerAddress)
	assert.Equal(t, 72*time.Hour, cfg.ExerciseTTL)

	// 0 switches the class limits off; a TTL may be a Go duration.
	cfg, err = LoadConfig(func(k string) string {
		return map[string]string{"SLANT_MAX_STUDENTS": "0", "SLANT_STUDENTS_PER_ADDRESS": "0", "SLANT_EXERCISE_TTL": "0"}[k]
	})
	require.NoError(t, err)
	assert.Negative(t, cfg.MaxStudents, "no limit")
	assert.Negative(t, cfg.StudentsPerAddress, "no cap")
	assert.Negative(t, cfg.ExerciseTTL, "codes work until the teacher ends the exercise")
	cfg, err = LoadConfig(func(k string) string { return map[string]string{"SLANT_EXERCISE_TTL": "36h"}[k] })
	require.NoError(t, err)
	assert.Equal(t, 36*time.Hour, cfg.ExerciseTTL)

	// A small body limit set on its own brings the text limit down.
	cfg, err = LoadConfig(func(k string) string { return map[string]string{"SLANT_MAX_BODY_BYTES": "65536"}[k] })
	require.NoError(t, err)
	assert.Equal(t, 65536, cfg.MaxTextBytes)

	assert.Equal(t, 60*time.Second, writeTimeout(30*time.Second))
	assert.Equal(t, 130*time.Second, writeTimeout(2*time.Minute), "the response can still be written after the deadline")
}

func TestConfigAccessErrorsNameTheVariable(t *testing.T) {
	const badToken = "short-secret"
	tests := []struct {
		name string
		env  map[string]string
		want string
	}{
		{"short token", map[string]string{"SLANT_ADMIN_TOKEN": badToken}, "SLANT_ADMIN_TOKEN is too short"},
		{"token with a space", map[string]string{"SLANT_ADMIN_TOKEN": "a perfectly long secret phrase"}, "SLANT_ADMIN_TOKEN must be printable ASCII"},
		{"token with non-ASCII", map[string]string{"SLANT_ADMIN_TOKEN": "geheimes-passwort-für-alle"}, "SLANT_ADMIN_TOKEN must be printable ASCII"},
		{"read-only not a boolean", map[string]string{"SLANT_READ_ONLY": "sometimes"}, "SLANT_READ_ONLY"},
		{"text limit not a number", map[string]string{"SLANT_MAX_TEXT_BYTES": "200KiB"}, "SLANT_MAX_TEXT_BYTES"},
		{"text limit too small", map[string]string{"SLANT_MAX_TEXT_BYTES": "100"}, "SLANT_MAX_TEXT_BYTES"},
		{"text limit above body limit", map[string]string{"SLANT_MAX_TEXT_BYTES": "5000000"}, "SLANT_MAX_TEXT_BYTES (5000000) must not be larger than SLANT_MAX_BODY_BYTES"},
		{"articles per event too few", map[string]string{"SLANT_MAX_ARTICLES_PER_EVENT": "1"}, "SLANT_MAX_ARTICLES_PER_EVENT"},
		{"articles per event not a number", map[string]string{"SLANT_MAX_ARTICLES_PER_EVENT": "six"}, "SLANT_MAX_ARTICLES_PER_EVENT"},
		{"articles per event too many", map[string]string{"SLANT_MAX_ARTICLES_PER_EVENT": "5000"}, "SLANT_MAX_ARTICLES_PER_EVENT"},
		{"write rate", map[string]string{"SLANT_RATE_WRITE": "5 per second"}, "SLANT_RATE_WRITE"},
		{"analyze rate unit", map[string]string{"SLANT_RATE_ANALYZE": "20/d"}, "SLANT_RATE_ANALYZE"},
		{"fetch rate burst", map[string]string{"SLANT_RATE_FETCH": "1/s,burst=0"}, "SLANT_RATE_FETCH"},
		{"proxy not a prefix", map[string]string{"SLANT_TRUSTED_PROXIES": "192.0.2.0/24,loadbalancer"}, "SLANT_TRUSTED_PROXIES"},
		{"proxy bad bits", map[string]string{"SLANT_TRUSTED_PROXIES": "192.0.2.0/40"}, "SLANT_TRUSTED_PROXIES"},
		{"proxy trusts everyone", map[string]string{"SLANT_TRUSTED_PROXIES": "0.0.0.0/0"}, "SLANT_TRUSTED_PROXIES"},
		{"proxy trusts every IPv6", map[string]string{"SLANT_TRUSTED_PROXIES": "::/0"}, "SLANT_TRUSTED_PROXIES"},
		{"CORS wildcard", map[string]string{"SLANT_CORS_ORIGINS": "*"}, "SLANT_CORS_ORIGINS"},
		{"CORS null", map[string]string{"SLANT_CORS_ORIGINS": "null"}, "SLANT_CORS_ORIGINS"},
		{"CORS with a path", map[string]string{"SLANT_CORS_ORIGINS": "https://school.example/slant"}, "SLANT_CORS_ORIGINS"},
		{"CORS without a scheme", map[string]string{"SLANT_CORS_ORIGINS": "school.example"}, "SLANT_CORS_ORIGINS"},
		{"CORS other scheme", map[string]string{"SLANT_CORS_ORIGINS": "ftp://school.example"}, "SLANT_CORS_ORIGINS"},
		{"CORS wildcard host", map[string]string{"SLANT_CORS_ORIGINS": "https://*.school.example"}, "SLANT_CORS_ORIGINS"},
		{"timeout not a duration", map[string]string{"SLANT_REQUEST_TIMEOUT": "30"}, "SLANT_REQUEST_TIMEOUT"},
		{"timeout too short", map[string]string{"SLANT_REQUEST_TIMEOUT": "10ms"}, "SLANT_REQUEST_TIMEOUT"},
		{"timeout too long", map[string]string{"SLANT_REQUEST_TIMEOUT": "2h"}, "SLANT_REQUEST_TIMEOUT"},
		{"public read not a boolean", map[string]string{"SLANT_PUBLIC_READ": "students"}, "SLANT_PUBLIC_READ"},
		{"students not a number", map[string]string{"SLANT_MAX_STUDENTS": "a class"}, "SLANT_MAX_STUDENTS"},
		{"students negative", map[string]string{"SLANT_MAX_STUDENTS": "-5"}, "SLANT_MAX_STUDENTS"},
		{"students too many", map[string]string{"SLANT_MAX_STUDENTS": "1000000"}, "SLANT_MAX_STUDENTS"},
		{"per address not a number", map[string]string{"SLANT_STUDENTS_PER_ADDRESS": "five"}, "SLANT_STUDENTS_PER_ADDRESS"},
		{"per address negative", map[string]string{"SLANT_STUDENTS_PER_ADDRESS": "-1"}, "SLANT_STUDENTS_PER_ADDRESS"},
		{"per address too many", map[string]string{"SLANT_STUDENTS_PER_ADDRESS": "1000000"}, "SLANT_STUDENTS_PER_ADDRESS"},
		{"TTL not a duration", map[string]string{"SLANT_EXERCISE_TTL": "two weeks"}, "SLANT_EXERCISE_TTL"},
		{"TTL too short", map[string]string{"SLANT_EXERCISE_TTL": "10m"}, "SLANT_EXERCISE_TTL"},
		{"TTL too long", map[string]string{"SLANT_EXERCISE_TTL": "400d"}, "SLANT_EXERCISE_TTL"},
		{"TTL of half days", map[string]string{"SLANT_EXERCISE_TTL": "1.5d"}, "SLANT_EXERCISE_TTL"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := LoadConfig(func(k string) string { return tt.env[k] })
			require.Error(t, err)
			assert.Contains(t, err.Error(), tt.want)
			if v, ok := tt.env["SLANT_ADMIN_TOKEN"]; ok {
				assert.NotContains(t, err.Error(), v, "a token, even a bad one, is never repeated")
			}
			// run reports the same error before opening anything.
			err = Run(context.Background(), []string{"serve"}, func(k string) string { return tt.env[k] }, io.Discard, io.Discard)
			require.Error(t, err)
			assert.Contains(t, err.Error(), tt.want)
		})
	}
}

// serveToken is an admin token of the right length for configuration tests.
const serveToken = "cli-admin-token-0123456789abcdef"
