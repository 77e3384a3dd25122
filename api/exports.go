package api

import (
	"fmt"
	"net/http"

	"github.com/gin-gonic/gin"

	"slant/export"
)

// Exports (see package export for the files themselves):
//
//	GET /api/v1/events/{id}/export?format=json|csv|jsonl[&table=articles|findings|codebook][&csv=raw]
//	GET /api/v1/export?format=json|csv|jsonl[&table=articles|findings|codebook][&csv=raw]
//
// format defaults to json, one document with a codebook and both tables.
// CSV holds one table per file: the articles table by default,
// table=findings for the findings, table=codebook for the codebook; JSON
// Lines one row per line. CSV text cells a spreadsheet would run as a
// formula get a leading apostrophe unless csv=raw. All are sent as
// attachments with a file name. An export is written as it is read; should it fail part-way,
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
		s.fail(c, badRequest("format must be json, csv or jsonl"))
		return
	}
	table, err := export.ParseTable(c.Query("table"))
	if err != nil {
		s.fail(c, badRequest("table must be articles, findings or codebook"))
		return
	}
	switch csvMode := c.Query("csv"); {
	case c.Query("table") != "" && format == export.FormatJSON:
		s.fail(c, badRequest("table applies to format=csv and format=jsonl; the JSON export holds both tables and the codebook"))
		return
	case table == export.TableCodebook && format != export.FormatCSV:
		s.fail(c, badRequest("the codebook is a CSV table: format=csv&table=codebook"))
		return
	case csvMode != "" && (csvMode != "raw" || format != export.FormatCSV):
		s.fail(c, badRequest("csv=raw is the one csv option, and applies to format=csv"))
		return
	}
	ctx := c.Request.Context()
	exporter := export.New(s.desk, export.Options{SlantVersion: s.version, CSVRaw: c.Query("csv") == "raw"})
	if err := exporter.CheckEvent(ctx, eventID); err != nil {
		s.fail(c, err)
		return
	}
	name := "slant-export"
	if eventID != 0 {
		name = fmt.Sprintf("slant-event-%d", eventID)
	}
	switch format {
	case export.FormatCSV:
		c.Header("Content-Type", "text/csv; charset=utf-8; header=present")
		c.Header("Content-Disposition", fmt.Sprintf(`attachment; filename="%s"`, export.FileName(name, table, format)))
		c.Status(http.StatusOK)
		err = exporter.WriteCSV(ctx, c.Writer, eventID, table)
	case export.FormatJSONL:
		c.Header("Content-Type", "application/x-ndjson; charset=utf-8")
		c.Header("Content-Disposition", fmt.Sprintf(`attachment; filename="%s"`, export.FileName(name, table, format)))
		c.Status(http.StatusOK)
		err = exporter.WriteJSONL(ctx, c.Writer, eventID, table)
	default:
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
