package cli

import (
	"flag"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestParseInterspersed(t *testing.T) {
	for _, tc := range []struct {
		args       []string
		positional []string
		mode       string
	}{
		{[]string{"f.jsonl"}, []string{"f.jsonl"}, "skip"},
		{[]string{"f.jsonl", "--mode", "strict"}, []string{"f.jsonl"}, "strict"},
		{[]string{"--mode=strict", "f.jsonl"}, []string{"f.jsonl"}, "strict"},
		{[]string{"a", "--mode", "strict", "b"}, []string{"a", "b"}, "strict"},
		{[]string{"-", "--mode", "strict"}, []string{"-"}, "strict"},
		{[]string{"--", "--mode"}, []string{"--mode"}, "skip"},
	} {
		flags := flag.NewFlagSet("t", flag.ContinueOnError)
		mode := flags.String("mode", "skip", "")
		got, err := parseInterspersed(flags, tc.args)
		require.NoError(t, err, "%q", tc.args)
		assert.Equal(t, tc.positional, got, "%q", tc.args)
		assert.Equal(t, tc.mode, *mode, "%q", tc.args)
	}
}
