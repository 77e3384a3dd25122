// Command slant compares how several outlets cover the same event: it finds
// loaded language in each article, explains it, and serves the comparison
// as a JSON API and a web page. The commands live in package cli.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"

	"slant/cli"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := cli.Main(ctx, os.Args[1:], os.Getenv, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}
