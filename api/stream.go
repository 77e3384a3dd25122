package api

import (
	"bytes"
	"io"
	"net/http"

	"github.com/gin-gonic/gin"

	"slant/internal/jsonstream"
)

// Large answers (an event read with its texts and reports, a comparison
// too big to keep, a report) are written as they are encoded, a piece at
// a time (package jsonstream), never built whole in memory: an event of
// twelve 200 KB articles is some 30 MB of JSON, and the report of 200 KB
// of quotation marks 17 MB.

// stream answers 200 with v encoded onto the response.
func (s *Server) stream(c *gin.Context, v any) {
	s.streamTo(c, http.StatusOK, c.Writer, v)
}

// streamTo answers status with v encoded onto w (the response, or a
// writer in front of it), and returns once all of it is written. A failure
// part-way means the client went away or the connection broke: the
// answer cannot be taken back, so the connection is cut rather than
// ended normally, and a client never takes a truncated answer for a
// whole one.
func (s *Server) streamTo(c *gin.Context, status int, w io.Writer, v any) {
	c.Header("Content-Type", jsonContentType)
	c.Status(status)
	if err := jsonstream.Write(w, v); err != nil {
		s.log.WarnContext(c.Request.Context(), "answer cut part-way", "path", c.Request.URL.Path, "error", err.Error())
		panic(http.ErrAbortHandler)
	}
}

// prefix keeps the first limit bytes written to it, and notes when more
// came: what an answer's encoding can offer back to a cache.
type prefix struct {
	limit int
	buf   bytes.Buffer
	over  bool
}

func (p *prefix) Write(b []byte) (int, error) {
	if !p.over {
		if p.buf.Len()+len(b) > p.limit {
			p.over = true
			p.buf = bytes.Buffer{}
		} else {
			p.buf.Write(b)
		}
	}
	return len(b), nil
}
