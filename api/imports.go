package api

import (
	"errors"
	"io"
	"mime"
	"net/http"

	"github.com/gin-gonic/gin"

	"slant/desk"
	"slant/ingest"
	"slant/models"
)

// LineErrorView is one bad line of an import.
type LineErrorView struct {
	Line  int    `json:"line"`
	Error string `json:"error"`
}

// ImportEventView is what an import did to one event.
type ImportEventView struct {
	ID int64 `json:"id"`
	// Key is the event key the file used; Title the event's title.
	Key     string `json:"key"`
	Title   string `json:"title"`
	Created bool   `json:"created"`
	Added   int    `json:"added"`
	// Duplicates counts the articles skipped because the event already
	// held the same text.
	Duplicates int `json:"duplicates"`
}

// ChangedTextView is one record whose id was already stored with another
// text: the new text was not stored.
type ChangedTextView struct {
	Line int    `json:"line"`
	ID   string `json:"id"`
	// EventID and ArticleID name the stored article that kept its text.
	EventID   int64  `json:"event_id"`
	ArticleID int64  `json:"article_id"`
	Reason    string `json:"reason"`
}

// ImportView is the answer to POST /api/v1/import: what was stored and
// what was left out, the first desk.MaxLineErrors bad lines listed by
// number and all of them counted.
type ImportView struct {
	Mode    string `json:"mode"`
	Records int    `json:"records"`
	Added   int    `json:"added"`
	// SkippedDuplicates counts the articles whose event already held the
	// same text or id; SkippedKnownIDs those of them whose id was already
	// stored (nothing stored is ever updated).
	SkippedDuplicates int `json:"skipped_duplicates"`
	SkippedKnownIDs   int `json:"skipped_known_ids"`
	// ChangedTexts lists the first desk.MaxChangedTexts known ids that
	// came with another text, which a researcher would otherwise take for
	// stored; ChangedTextCount counts all of them.
	ChangedTexts     []ChangedTextView `json:"changed_texts"`
	ChangedTextCount int               `json:"changed_text_count"`
	LineErrors       []LineErrorView   `json:"line_errors"`
	LineErrorCount   int               `json:"line_error_count"`
	Events           []ImportEventView `json:"events"`
	OutletsCreated   int               `json:"outlets_created"`
	LexiconVersion   string            `json:"lexicon_version"`
}

// ImportRejectionView is the 422 answer to an import that stored nothing
// because of bad lines (a strict import with any, or an import with
// nothing else): the first desk.MaxLineErrors are listed, all counted.
type ImportRejectionView struct {
	Error          string          `json:"error"`
	LineErrors     []LineErrorView `json:"line_errors"`
	LineErrorCount int             `json:"line_error_count"`
}

// importMediaTypes maps the Content-Types an import body may have to its
// format. None is a type a cross-site form can send without a CORS
// preflight.
var importMediaTypes = map[string]desk.Format{
	"application/x-ndjson": desk.FormatJSONL,
	"application/jsonl":    desk.FormatJSONL,
	"application/json":     desk.FormatJSONL,
	"text/csv":             desk.FormatCSV,
}

// importArticles answers POST /api/v1/import?mode=skip|strict: a JSON
// Lines (or CSV) body of records {id, event, outlet, title, url,
// published_at, text | html, any other field as metadata}, streamed
// through one transaction (desk.Import); the Content-Type's charset names
// the body's encoding (UTF-8 when absent). In skip mode (the default) bad
// lines are left out and counted, the first 100 listed; in strict mode any
// bad line refuses the whole batch with 422, and so does a body whose
// every line is bad. The per-event article limit and the text limit apply
// to each record. The body is read as it is imported: a body over the
// limit, or one that cannot be read, stores nothing.
func (s *Server) importArticles(c *gin.Context) {
	mode, err := desk.ParseMode(c.Query("mode"))
	if err != nil {
		s.fail(c, badRequest("mode must be skip or strict"))
		return
	}
	mediaType, params, err := mime.ParseMediaType(c.GetHeader("Content-Type"))
	format, ok := importMediaTypes[mediaType]
	if err != nil || !ok {
		s.fail(c, &requestError{status: http.StatusUnsupportedMediaType, message: "Content-Type must be application/x-ndjson (JSON Lines) or text/csv"})
		return
	}
	if c.Request.ContentLength > s.maxImport {
		s.fail(c, &http.MaxBytesError{Limit: s.maxImport})
		return
	}
	body := &readErrorRecorder{r: http.MaxBytesReader(c.Writer, c.Request.Body, s.maxImport)}
	src, err := desk.OpenRecords(body, format, params["charset"])
	if errors.Is(err, ingest.ErrUnknownEncoding) {
		s.fail(c, &requestError{status: http.StatusUnsupportedMediaType, message: "the charset of the Content-Type is not an encoding Slant reads: " + err.Error()})
		return
	}
	if err != nil {
		s.fail(c, err)
		return
	}
	ctx := c.Request.Context()
	res, err := s.desk.Import(ctx, src, desk.ImportOptions{Mode: mode})
	switch {
	case ctx.Err() != nil:
		// The deadline or the client, not the body: 503.
		s.fail(c, ctx.Err())
		return
	case body.err != nil:
		// A body over the limit (413), or one that broke off, is the
		// whole request's problem; nothing was stored.
		var tooBig *http.MaxBytesError
		if errors.As(body.err, &tooBig) {
			s.fail(c, body.err)
			return
		}
		s.fail(c, badRequest("the request body could not be read; nothing was stored"))
		return
	case err != nil:
		s.fail(c, err)
		return
	case res.Records == 0:
		s.fail(c, &models.ValidationError{Field: "import", Problem: "holds no records"})
		return
	}
	c.JSON(http.StatusOK, importView(res))
}

// readErrorRecorder passes reads through and keeps the first error other
// than io.EOF.
type readErrorRecorder struct {
	r   io.Reader
	err error
}

// Read reads from the body and remembers the first error it meets.
func (r *readErrorRecorder) Read(p []byte) (int, error) {
	n, err := r.r.Read(p)
	if err != nil && err != io.EOF && r.err == nil {
		r.err = err
	}
	return n, err
}

// importView converts an import's result.
func importView(res desk.ImportResult) ImportView {
	v := ImportView{
		Mode:              string(res.Mode),
		Records:           res.Records,
		Added:             res.Added,
		SkippedDuplicates: res.SkippedDuplicates,
		SkippedKnownIDs:   res.SkippedKnownIDs,
		ChangedTexts:      make([]ChangedTextView, 0, len(res.ChangedTexts)),
		ChangedTextCount:  res.ChangedTextCount,
		LineErrors:        lineErrorViews(res.LineErrors),
		LineErrorCount:    res.LineErrorCount,
		Events:            make([]ImportEventView, 0, len(res.Events)),
		OutletsCreated:    res.OutletsCreated,
		LexiconVersion:    res.LexiconVersion,
	}
	for _, o := range res.ChangedTexts {
		v.ChangedTexts = append(v.ChangedTexts, ChangedTextView{
			Line: o.Line, ID: o.ID, EventID: o.EventID, ArticleID: o.ArticleID, Reason: o.Reason,
		})
	}
	for _, ev := range res.Events {
		v.Events = append(v.Events, ImportEventView{
			ID: ev.ID, Key: ev.Key, Title: ev.Title, Created: ev.Created, Added: ev.Added, Duplicates: ev.Duplicates,
		})
	}
	return v
}

// lineErrorViews converts line errors; never nil, so the JSON is [].
func lineErrorViews(errs []ingest.LineError) []LineErrorView {
	out := make([]LineErrorView, 0, len(errs))
	for _, e := range errs {
		out = append(out, LineErrorView{Line: e.Line, Error: e.Err})
	}
	return out
}
