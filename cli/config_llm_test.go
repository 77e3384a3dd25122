package cli

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"slant/llm"
)

func TestConfigLLM(t *testing.T) {
	cfg, err := LoadConfig(func(string) string { return "" })
	require.NoError(t, err)
	assert.False(t, cfg.LLMEnabled, "off unless configured")

	env := map[string]string{"SLANT_LLM_BASE_URL": "http://localhost:11434", "SLANT_LLM_MODEL": "llama3.1:8b", "SLANT_LLM_TIMEOUT": "30s"}
	cfg, err = LoadConfig(func(k string) string { return env[k] })
	require.NoError(t, err)
	assert.True(t, cfg.LLMEnabled)
	assert.Equal(t, "http://localhost:11434/v1", cfg.LLM.BaseURL)
	assert.Equal(t, 30*time.Second, cfg.LLM.Timeout)

	_, err = LoadConfig(func(k string) string { return map[string]string{"SLANT_LLM_MODEL": "m"}[k] })
	assert.ErrorContains(t, err, "SLANT_LLM_BASE_URL")

	for _, name := range llm.EnvVariables() {
		assert.Contains(t, ConfigVariables(), name)
	}
}
