// Package frontend holds Slant's web page, embedded in the binary: plain HTML,
// CSS and ES modules with no build step, served by the api package.
package frontend

import (
	"embed"
	"io/fs"
)

// files holds the page. The server serves index.html at / and every other
// file at /static/<name>.
//
//go:embed index.html *.js *.css *.svg
var files embed.FS

// Files returns the page's static files (index.html at the root).
func Files() fs.FS { return files }
