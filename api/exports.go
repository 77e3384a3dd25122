package api

import (
	"fmt"
	"net/http"

	"github.com/gin-gonic/gin"

	"slant/export"
)

// Exports (see package export for the files themselves):
//
//	GET /api/v1/events/{id}/export?format=json|csv[&table=articles|findings]
//	GET /api/v1/export?format=json|csv[&table=articles|findings]
//
// format defaults to json, one document with a codebook and both tables.
// CSV holds one table per file: the articles table by default,
// table=findings for the findings. Both are sent as attachments with a
// file name. An export is written as it is read; should it fail part-way,
// the connection is cut rather than ended normally, so that a client never
// takes a truncated file for a whole one.

// exportEvent answers GET /api/v1/events/{id}/export.
func (s *Server) exportEvent(c *gin.Context) {
	id, err := pathID(c, "id")
	if err != nil {
		s.fail(c, err)
		return
	}
	s.writeExport(c, id)
}

// exportAll answers GET /api/v1/export: every event.
func (s *Server) exportAll(c *gin.Context) { s.writeExport(c, 0) }

// writeExport sends the export of one event, or of all when eventID is 0.
func (s *Server) writeExport(c *gin.Context, eventID int64) {
	format, err := export.ParseFormat(c.Query("format"))
	if err != nil {
		s.fail(c, badRequest("format must be json or csv"))
		return
	}
	table, err := export.ParseTable(c.Query("table"))
	if err != nil {
		s.fail(c, badRequest("table must be articles or findings"))
		return
	}
	if c.Query("table") != "" && format != export.FormatCSV {
		s.fail(c, badRequest("table applies to format=csv; the JSON export holds both tables"))
		return
	}
	ctx := c.Request.Context()
	exporter := export.New(s.desk, export.Options{SlantVersion: s.version})
	if err := exporter.CheckEvent(ctx, eventID); err != nil {
		s.fail(c, err)
		return
	}
	name := "slant-export"
	if eventID != 0 {
		name = fmt.Sprintf("slant-event-%d", eventID)
	}
	if format == export.FormatCSV {
		c.Header("Content-Type", "text/csv; charset=utf-8; header=present")
		c.Header("Content-Disposition", fmt.Sprintf(`attachment; filename="%s-%s.csv"`, name, table))
		c.Status(http.StatusOK)
		err = exporter.WriteCSV(ctx, c.Writer, eventID, table)
	} else {
		c.Header("Content-Type", "application/json; charset=utf-8")
		c.Header("Content-Disposition", fmt.Sprintf(`attachment; filename="%s.json"`, name))
		c.Status(http.StatusOK)
		err = exporter.WriteJSON(ctx, c.Writer, eventID)
	}
	if err == nil {
		return
	}
	if !c.Writer.Written() {
		c.Header("Content-Disposition", "")
		s.fail(c, err)
		return
	}
	s.log.ErrorContext(ctx, "export failed part-way; connection cut", "path", c.Request.URL.Path, "error", err.Error())
	panic(http.ErrAbortHandler)
}
