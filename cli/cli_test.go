package cli

import (
	"context"
	"io"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestRunRejectsBadConfiguration(t *testing.T) {
	tests := []struct {
		name string
		env  map[string]string
		want string
	}{
		{"unknown driver", map[string]string{"DB_DRIVER": "oracle"}, "DB_DRIVER"},
		{"postgres without url", map[string]string{"DB_DRIVER": "postgres"}, "DATABASE_URL"},
		{"bad demo flag", map[string]string{"SLANT_DEMO": "maybe"}, "SLANT_DEMO"},
		{"tiny body limit", map[string]string{"SLANT_MAX_BODY_BYTES": "10"}, "SLANT_MAX_BODY_BYTES"},
		{"bad log level", map[string]string{"SLANT_LOG_LEVEL": "loud"}, "SLANT_LOG_LEVEL"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := Run(context.Background(), []string{"serve"}, func(k string) string { return tt.env[k] }, io.Discard, io.Discard)
			require.Error(t, err)
			assert.Contains(t, err.Error(), tt.want)
		})
	}
}

// TestDemoFlagIsTrimmed reads SLANT_DEMO as the other boolean settings
// are read: spaces around the value (as an .env file or compose leaves
// them) do not matter.
func TestDemoFlagIsTrimmed(t *testing.T) {
	for v, want := range map[string]bool{" 0 ": false, "1\n": true, "true": true, "": true} {
		cfg, err := LoadConfig(func(k string) string {
			if k == "SLANT_DEMO" {
				return v
			}
			return ""
		})
		require.NoError(t, err, "%q", v)
		assert.Equal(t, want, cfg.Demo, "%q", v)
	}
}

func TestUnknownCommandIsAUsageError(t *testing.T) {
	err := Run(context.Background(), []string{"frobnicate"}, func(string) string { return "" }, io.Discard, io.Discard)
	var usage UsageError
	require.ErrorAs(t, err, &usage)
	assert.Contains(t, err.Error(), "usage:")
}
