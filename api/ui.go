package api

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"mime"
	"net/http"
	"path"
	"strings"
	"time"

	"github.com/gin-gonic/gin"
)

// index answers GET / with the page itself.
func (s *Server) index(c *gin.Context) {
	s.serveAsset(c, "index.html")
}

// static answers GET /static/{path} with a file from the frontend's root,
// so that index.html can load /static/app.js and /static/style.css.
func (s *Server) static(c *gin.Context) {
	s.serveAsset(c, strings.TrimPrefix(c.Param("filepath"), "/"))
}

// serveAsset writes one file of the embedded frontend. Directories and
// anything outside the file system are 404: there is no directory listing.
// The ETag is a hash of the content (embedded files have no modification
// time), and no-cache makes the browser revalidate, so a new build is seen
// at once while an unchanged file costs only a 304.
func (s *Server) serveAsset(c *gin.Context, name string) {
	if s.assets == nil || name == "" || !fs.ValidPath(name) {
		s.notFound(c)
		return
	}
	data, err := fs.ReadFile(s.assets, name)
	if err != nil {
		if !errors.Is(err, fs.ErrNotExist) && !isDirError(s.assets, name) {
			s.log.ErrorContext(c.Request.Context(), "read asset", "name", name, "error", err.Error())
		}
		s.notFound(c)
		return
	}
	sum := sha256.Sum256(data)
	h := c.Writer.Header()
	h.Set("Content-Type", contentType(name))
	h.Set("ETag", fmt.Sprintf(`"%s"`, hex.EncodeToString(sum[:12])))
	h.Set("Cache-Control", "no-cache")
	http.ServeContent(c.Writer, c.Request, name, time.Time{}, bytes.NewReader(data))
}

// isDirError reports whether name is a directory, whose read error is the
// expected answer to a request for a directory rather than a fault.
func isDirError(fsys fs.FS, name string) bool {
	info, err := fs.Stat(fsys, name)
	return err == nil && info.IsDir()
}

// contentType picks the media type by extension. The file types the
// frontend ships are fixed here rather than taken from the system's MIME
// table, which varies between machines and has been known to call .js
// files something browsers refuse to run as modules.
func contentType(name string) string {
	switch strings.ToLower(path.Ext(name)) {
	case ".html":
		return "text/html; charset=utf-8"
	case ".js", ".mjs":
		return "text/javascript; charset=utf-8"
	case ".css":
		return "text/css; charset=utf-8"
	case ".json":
		return "application/json"
	case ".svg":
		return "image/svg+xml"
	case ".png":
		return "image/png"
	case ".ico":
		return "image/x-icon"
	case ".txt":
		return "text/plain; charset=utf-8"
	case ".woff2":
		return "font/woff2"
	}
	if t := mime.TypeByExtension(path.Ext(name)); t != "" {
		return t
	}
	return "application/octet-stream"
}
