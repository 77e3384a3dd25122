package cli

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"slant/api"
)

func TestConfigReadRateAndIPv6Prefix(t *testing.T) {
	cfg, err := LoadConfig(func(string) string { return "" })
	require.NoError(t, err)
	assert.Equal(t, api.Rate{Events: 20, Per: time.Second, Burst: 200}, cfg.RateRead, "a class opening one page from one address")
	assert.Equal(t, 64, cfg.RateIPv6Prefix)

	env := map[string]string{"SLANT_RATE_READ": "100/m,burst=30", "SLANT_RATE_IPV6_PREFIX": "/56"}
	cfg, err = LoadConfig(func(k string) string { return env[k] })
	require.NoError(t, err)
	assert.Equal(t, api.Rate{Events: 100, Per: time.Minute, Burst: 30}, cfg.RateRead)
	assert.Equal(t, 56, cfg.RateIPv6Prefix)
	assert.Equal(t, 56, apiConfig(cfg, nil, api.LLMConfig{}).IPv6Prefix)
	assert.Equal(t, cfg.RateRead, apiConfig(cfg, nil, api.LLMConfig{}).ReadRate)

	for _, bad := range []map[string]string{
		{"SLANT_RATE_READ": "lots"},
		{"SLANT_RATE_IPV6_PREFIX": "16"},
		{"SLANT_RATE_IPV6_PREFIX": "129"},
		{"SLANT_RATE_IPV6_PREFIX": "sixty-four"},
	} {
		_, err := LoadConfig(func(k string) string { return bad[k] })
		require.Error(t, err, "%v", bad)
		for name := range bad {
			assert.Contains(t, err.Error(), name)
		}
	}
	assert.Contains(t, ConfigVariables(), "SLANT_RATE_READ")
	assert.Contains(t, ConfigVariables(), "SLANT_RATE_IPV6_PREFIX")
}
