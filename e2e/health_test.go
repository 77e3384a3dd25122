package e2e

import (
	"bytes"
	"context"
	"io"
	"net"
	"slant/cli"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestHealthCommand runs `slant health` against the real server, found by
// --url and by SLANT_ADDR, and against a port nobody listens on.
func TestHealthCommand(t *testing.T) {
	base := startTestServer(t, map[string]string{"SLANT_DEMO": "0"})
	var out bytes.Buffer
	require.NoError(t, cli.Run(context.Background(), []string{"health", "--url", base}, func(string) string { return "" }, &out, io.Discard))
	assert.Contains(t, out.String(), "ok: "+base)

	_, port, err := net.SplitHostPort(strings.TrimPrefix(base, "http://"))
	require.NoError(t, err)
	env := map[string]string{"SLANT_ADDR": ":" + port} // as in the container: every interface
	require.NoError(t, cli.Run(context.Background(), []string{"health"}, func(k string) string { return env[k] }, io.Discard, io.Discard))

	closed, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	deadAddr := closed.Addr().String()
	require.NoError(t, closed.Close())
	err = cli.Run(context.Background(), []string{"health", "--url", "http://" + deadAddr}, func(string) string { return "" }, io.Discard, io.Discard)
	require.Error(t, err, "nothing listens there")

	var usage cli.UsageError
	assert.ErrorAs(t, cli.Run(context.Background(), []string{"health", "extra"}, func(string) string { return "" }, io.Discard, io.Discard), &usage)
}
