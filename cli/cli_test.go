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

func TestUnknownCommandIsAUsageError(t *testing.T) {
	err := Run(context.Background(), []string{"frobnicate"}, func(string) string { return "" }, io.Discard, io.Discard)
	var usage UsageError
	require.ErrorAs(t, err, &usage)
	assert.Contains(t, err.Error(), "usage:")
}
