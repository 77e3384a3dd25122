package cli

import (
	"runtime"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"slant/api"
)

func TestConfigIngestSettings(t *testing.T) {
	env := func(vars map[string]string) func(string) string { return func(k string) string { return vars[k] } }

	cfg, err := LoadConfig(env(nil))
	require.NoError(t, err)
	assert.False(t, cfg.FetchAllowLoopback, "loopback fetches are refused by default")
	assert.Equal(t, api.DefaultMaxImportBytes, cfg.MaxImportBytes)
	assert.Equal(t, max(1, runtime.NumCPU()/2), cfg.ReanalyzeWorkers)

	cfg, err = LoadConfig(env(map[string]string{
		"SLANT_FETCH_ALLOW_LOOPBACK": "1", "SLANT_MAX_IMPORT_BYTES": "4096", "SLANT_REANALYZE_WORKERS": "0",
	}))
	require.NoError(t, err)
	assert.True(t, cfg.FetchAllowLoopback)
	assert.EqualValues(t, 4096, cfg.MaxImportBytes)
	assert.Zero(t, cfg.ReanalyzeWorkers, "0 switches the sweep off")

	for _, tc := range []struct{ name, value string }{
		{"SLANT_FETCH_ALLOW_LOOPBACK", "perhaps"},
		{"SLANT_MAX_IMPORT_BYTES", "12"},
		{"SLANT_MAX_IMPORT_BYTES", "lots"},
		{"SLANT_REANALYZE_WORKERS", "-1"},
		{"SLANT_REANALYZE_WORKERS", "1000"},
	} {
		t.Run(tc.name+"="+tc.value, func(t *testing.T) {
			_, err := LoadConfig(env(map[string]string{tc.name: tc.value}))
			require.Error(t, err)
			assert.Contains(t, err.Error(), tc.name, "the error names the variable")
		})
		assert.Contains(t, ConfigVariables(), tc.name)
	}
}
