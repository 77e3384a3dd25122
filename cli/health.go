package cli

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"time"
)

// healthTimeout bounds `slant health`: a container health check that
// hangs is worse than one that fails.
const healthTimeout = 5 * time.Second

// healthCommand is `slant health [--url URL]`: it asks a running Slant for
// GET /healthz and succeeds only on 200 with status "ok". It exists so
// that the container image, which has no curl, can check itself
// (HEALTHCHECK in the Dockerfile and docker-compose.yml). Without --url it
// asks the server this environment configures: SLANT_ADDR, with a
// wildcard or empty host replaced by 127.0.0.1.
func healthCommand(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("slant health", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	target := fs.String("url", "", "base URL of the server (default: from SLANT_ADDR)")
	if err := fs.Parse(args); errors.Is(err, flag.ErrHelp) {
		return helpFor(fs, "health [--url URL]", "Exits 0 when the server answers /healthz \"ok\".")
	} else if err != nil {
		return UsageError{fmt.Sprintf("health: %v", err)}
	}
	if fs.NArg() > 0 {
		return UsageError{fmt.Sprintf("health takes no arguments, got %q", fs.Args())}
	}
	base := *target
	if base == "" {
		var err error
		if base, err = LocalBaseURL(orDefault(getenv("SLANT_ADDR"), ":8080")); err != nil {
			return err
		}
	}
	ctx, cancel := context.WithTimeout(ctx, healthTimeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, base+"/healthz", nil)
	if err != nil {
		return fmt.Errorf("health: %w", err)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return fmt.Errorf("health: %w", err)
	}
	defer resp.Body.Close()
	var health struct {
		Status   string `json:"status"`
		Database string `json:"database"`
		Version  string `json:"version"`
	}
	if err := json.NewDecoder(io.LimitReader(resp.Body, 1<<16)).Decode(&health); err != nil {
		return fmt.Errorf("health: %s answered %d without a health report: %w", base, resp.StatusCode, err)
	}
	if resp.StatusCode != http.StatusOK || health.Status != "ok" {
		return fmt.Errorf("health: %s is %q (HTTP %d)", base, health.Status, resp.StatusCode)
	}
	fmt.Fprintf(stdout, "ok: %s (database %s, version %s)\n", base, health.Database, health.Version)
	return nil
}

// LocalBaseURL turns a listen address into the URL that reaches it from
// the same machine.
func LocalBaseURL(addr string) (string, error) {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return "", fmt.Errorf("health: SLANT_ADDR %q is not host:port: %w", addr, err)
	}
	if ip := net.ParseIP(host); host == "" || (ip != nil && ip.IsUnspecified()) {
		host = "127.0.0.1"
	}
	return "http://" + net.JoinHostPort(host, port), nil
}
