// Package e2e tests Slant from the outside, on the real program: the
// server started through cli.Run on loopback with a real SQLite file
// (PostgreSQL where the store suite runs it), the command line run
// in-process, a real Chromium driven through chromedp, a child process
// killed mid-write, a soak of concurrent writers, and the deployment files
// read as Docker would read them. The shared harness is harness_test.go
// and browser_harness_test.go.
package e2e
