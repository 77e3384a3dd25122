package cli

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestLocalBaseURL(t *testing.T) {
	for addr, want := range map[string]string{
		":8080":          "http://127.0.0.1:8080",
		"0.0.0.0:8080":   "http://127.0.0.1:8080",
		"[::]:9000":      "http://127.0.0.1:9000",
		"127.0.0.1:8081": "http://127.0.0.1:8081",
		"[::1]:8082":     "http://[::1]:8082",
	} {
		got, err := LocalBaseURL(addr)
		require.NoError(t, err, addr)
		assert.Equal(t, want, got, addr)
	}
	_, err := LocalBaseURL("8080")
	assert.ErrorContains(t, err, "SLANT_ADDR")
}
