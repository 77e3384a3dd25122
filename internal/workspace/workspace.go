// Package workspace finds the shared folder that sits beside the project
// (../shared, or wherever SLANT_SHARED points): the seed articles and the
// labelled evaluation data, which are never copied into the repository.
package workspace

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
)

// ErrNoShared means neither SLANT_SHARED nor a ../shared folder beside the
// module root was found.
var ErrNoShared = errors.New("shared folder not found: set SLANT_SHARED or put it at ../shared beside the project")

// SharedDir returns the shared folder: $SLANT_SHARED when set, else the
// folder named shared beside the directory holding go.mod, searched upward
// from the working directory.
func SharedDir() (string, error) {
	if dir := os.Getenv("SLANT_SHARED"); dir != "" {
		if _, err := os.Stat(dir); err != nil {
			return "", fmt.Errorf("SLANT_SHARED %s: %w", dir, err)
		}
		return dir, nil
	}
	dir, err := os.Getwd()
	if err != nil {
		return "", fmt.Errorf("find shared folder: %w", err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			shared := filepath.Join(filepath.Dir(dir), "shared")
			if _, err := os.Stat(shared); err != nil {
				return "", ErrNoShared
			}
			return shared, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", ErrNoShared
		}
		dir = parent
	}
}

// Skipper is the part of testing.TB that Require uses; taking it instead
// of testing.TB keeps the testing package out of the slant binary, which
// uses SharedDir for `slant eval`.
type Skipper interface {
	Helper()
	Skipf(format string, args ...any)
}

// Require returns the shared folder's sub-path, or skips the test with a
// message naming what is missing.
func Require(t Skipper, parts ...string) string {
	t.Helper()
	dir, err := SharedDir()
	if err != nil {
		t.Skipf("skipping: %v", err)
	}
	p := filepath.Join(append([]string{dir}, parts...)...)
	if _, err := os.Stat(p); err != nil {
		t.Skipf("skipping: %s is missing from the shared folder %s", filepath.Join(parts...), dir)
	}
	return p
}
