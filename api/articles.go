package api

import (
	"errors"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"slant/analysis"
	"slant/desk"
	"slant/models"
)

// OutletView is the publisher of an article.
type OutletView struct {
	ID     int64  `json:"id"`
	Name   string `json:"name"`
	Domain string `json:"domain"`
}

// ArticleView is one outlet's article on an event as the API shows it: the
// text exactly as stored (report offsets count bytes into it) and its
// report, always made with the server's current lexicon. A read of an
// event or its articles sends the text and the report only when asked
// (include=text,report); without them an article is a few hundred bytes
// however long it is, and its lexicon_version and analyzed_at are those
// of its stored report, stale or not.
type ArticleView struct {
	ID          int64      `json:"id"`
	EventID     int64      `json:"event_id"`
	Outlet      OutletView `json:"outlet"`
	Title       string     `json:"title"`
	URL         string     `json:"url"`
	PublishedAt *time.Time `json:"published_at"`
	Text        string     `json:"text,omitempty"`
	ContentHash string     `json:"content_hash"`
	// Language is the language the text was found to be in when it came
	// in ("en", "es", "und-Cyrl"; "" when unknown), LanguageName its name.
	// Scored is false for a text in another language than English: it is
	// left out of the comparison and exercises (NotScored says why).
	Language       string          `json:"language"`
	LanguageName   string          `json:"language_name"`
	Scored         bool            `json:"scored"`
	NotScored      string          `json:"not_scored,omitempty"`
	CreatedAt      time.Time       `json:"created_at"`
	LexiconVersion string          `json:"lexicon_version"`
	AnalyzedAt     time.Time       `json:"analyzed_at"`
	Report         analysis.Report `json:"report,omitzero"`
	// ExternalID is the article's own id in the file it was imported from,
	// null for an article added another way; Metadata the other fields of
	// its record ({} when none): strings, numbers as written, booleans.
	ExternalID *string         `json:"external_id"`
	Metadata   models.Metadata `json:"metadata"`
	// Ingest says how the text was obtained and what was removed from it;
	// only the answer to adding an article has it.
	Ingest *IngestView `json:"ingest,omitempty"`
}

// ArticleListView is the answer to GET /api/v1/events/{id}/articles.
type ArticleListView struct {
	Articles []ArticleView `json:"articles"`
}

// ComparisonView is the answer to GET /api/v1/events/{id}/comparison: the
// analysis.Comparison of the event's articles with the event's id, its
// fields at the top level. The desk encodes it (and caches it encoded).
type ComparisonView = desk.EventComparison

// articleInput is the body of POST /api/v1/events/{id}/articles: text,
// html, or a url alone to fetch (see desk/intake.go). Clean, true when
// absent, says whether page furniture is removed from text.
type articleInput struct {
	Outlet       string `json:"outlet"`
	OutletDomain string `json:"outlet_domain"`
	Title        string `json:"title"`
	URL          string `json:"url"`
	PublishedAt  string `json:"published_at"`
	Text         string `json:"text"`
	HTML         string `json:"html"`
	Clean        *bool  `json:"clean"`
}

// articleView converts a filed article, with its text and report.
func articleView(f desk.Filed) ArticleView {
	return articleViewWith(f, everything)
}

// articleViewWith converts a filed article with what include asks for.
func articleViewWith(f desk.Filed, include included) ArticleView {
	v := summaryView(f.Article)
	v.LexiconVersion, v.AnalyzedAt = f.Analysis.LexiconVersion, f.Analysis.AnalyzedAt
	if include.text {
		v.Text = f.Article.Body
	}
	if include.report {
		v.Report = f.Report
	}
	return v
}

// summaryView converts a stored article without its text and report,
// with the version and time of its stored report.
func summaryView(a models.Article) ArticleView {
	v := ArticleView{
		ID:           a.ID,
		EventID:      a.EventID,
		Outlet:       OutletView{ID: a.Outlet.ID, Name: a.Outlet.Name, Domain: a.Outlet.Domain},
		Title:        a.Title,
		URL:          a.URL,
		PublishedAt:  a.PublishedAt,
		ContentHash:  a.ContentHash,
		Language:     a.Language,
		LanguageName: desk.LanguageName(a),
		Scored:       desk.Scored(a),
		NotScored:    notScored(a),
		CreatedAt:    a.CreatedAt,
		ExternalID:   a.ExternalID,
		Metadata:     a.Metadata,
	}
	if v.Metadata == nil {
		v.Metadata = models.Metadata{}
	}
	if a.Analysis != nil {
		v.LexiconVersion, v.AnalyzedAt = a.Analysis.LexiconVersion, a.Analysis.AnalyzedAt
	}
	return v
}

// notScored says why an article is not scored, "" when it is.
func notScored(a models.Article) string {
	if desk.Scored(a) {
		return ""
	}
	return desk.NotScoredMessage
}

// included says what a read of an event's articles sends beyond their
// summary: ?include=text, ?include=report or both (comma-separated).
type included struct{ text, report bool }

// everything is what an article just added is answered with.
var everything = included{text: true, report: true}

// any reports whether anything beyond the summary is asked for.
func (in included) any() bool { return in.text || in.report }

// parseInclude reads ?include=.
func parseInclude(c *gin.Context) (included, error) {
	var in included
	for _, part := range strings.Split(c.Query("include"), ",") {
		switch strings.TrimSpace(part) {
		case "":
		case "text":
			in.text = true
		case "report":
			in.report = true
		default:
			return included{}, badRequest("include takes text and report, separated by a comma (include=text,report)")
		}
	}
	return in, nil
}

// eventArticles reads an event's articles as include asks: summaries from
// the store when nothing more is asked, else the reading, with every
// report current (a report redone for the read is kept: desk.SaveRedone).
func (s *Server) eventArticles(c *gin.Context, id int64, include included) (models.Event, []ArticleView, error) {
	ctx := c.Request.Context()
	if !include.any() {
		event, articles, err := s.desk.Summaries(ctx, id)
		if err != nil {
			return models.Event{}, nil, err
		}
		views := make([]ArticleView, 0, len(articles))
		for _, a := range articles {
			views = append(views, summaryView(a))
		}
		return event, views, nil
	}
	reading, err := s.desk.ReadEvent(ctx, id, desk.SaveRedone)
	if err != nil {
		return models.Event{}, nil, err
	}
	views := make([]ArticleView, 0, len(reading.Articles))
	for _, f := range reading.Articles {
		views = append(views, articleViewWith(f, include))
	}
	return reading.Event, views, nil
}

// listArticles answers GET /api/v1/events/{id}/articles[?include=text,report]:
// summaries, or with texts and current reports when asked (see
// eventArticles), written as they are encoded.
func (s *Server) listArticles(c *gin.Context) {
	id, err := pathID(c, "id")
	if err != nil {
		s.fail(c, err)
		return
	}
	include, err := parseInclude(c)
	if err != nil {
		s.fail(c, err)
		return
	}
	_, views, err := s.eventArticles(c, id, include)
	if err != nil {
		s.fail(c, err)
		return
	}
	s.stream(c, ArticleListView{Articles: views})
}

// addArticle answers POST /api/v1/events/{id}/articles: the desk takes the
// text from what was sent (pasted text, cleaned; an HTML page; or a page
// fetched from a url, which counts against the fetch rate), analyzes it
// and files it with its report. The answer says what was removed from the
// text.
func (s *Server) addArticle(c *gin.Context) {
	eventID, err := pathID(c, "id")
	if err != nil {
		s.fail(c, err)
		return
	}
	var in articleInput
	if err := s.decodeJSON(c, &in); err != nil {
		s.fail(c, err)
		return
	}
	sub, err := in.submission()
	if err != nil {
		s.fail(c, err)
		return
	}
	beforeFetch := func() error {
		if limited(c, s.fetchLimits) {
			return errAnswered
		}
		return nil
	}
	added, err := s.desk.AddArticle(c.Request.Context(), eventID, sub, beforeFetch)
	if errors.Is(err, errAnswered) {
		return
	}
	if err != nil {
		s.fail(c, err)
		return
	}
	view := articleView(added.Filed)
	view.Ingest = ingestView(added.Intake)
	c.Header("Location", "/api/v1/events/"+strconv.FormatInt(eventID, 10)+"/articles/"+strconv.FormatInt(added.Article.ID, 10))
	s.streamTo(c, http.StatusCreated, c.Writer, view)
}

// submission turns the body into what the desk takes in. Clean is true
// unless the body says "clean": false.
func (in articleInput) submission() (desk.Submission, error) {
	published, err := desk.ParseTime("published_at", in.PublishedAt)
	if err != nil {
		return desk.Submission{}, err
	}
	return desk.Submission{
		Outlet: in.Outlet, OutletDomain: in.OutletDomain, Title: in.Title, URL: in.URL,
		PublishedAt: published, Text: in.Text, HTML: in.HTML, Clean: in.Clean == nil || *in.Clean,
	}, nil
}

// errAnswered means a middleware-style check has already answered the
// request (such as a 429); the handler just stops.
var errAnswered = errors.New("request already answered")

// deleteArticle answers DELETE /api/v1/events/{id}/articles/{articleId}.
func (s *Server) deleteArticle(c *gin.Context) {
	eventID, err := pathID(c, "id")
	if err != nil {
		s.fail(c, err)
		return
	}
	articleID, err := pathID(c, "articleId")
	if err != nil {
		s.fail(c, err)
		return
	}
	if err := s.store.DeleteArticle(c.Request.Context(), eventID, articleID); err != nil {
		s.fail(c, err)
		return
	}
	c.Status(http.StatusNoContent)
}

// jsonContentType is what gin's c.JSON sends; comparisons, sent as the
// desk encoded them, say the same.
const jsonContentType = "application/json; charset=utf-8"

// comparison answers GET /api/v1/events/{id}/comparison: the event's
// articles ranked and summed up side by side. The desk keeps the encoded
// answer until the event or the lexicon changes; a new one is written as
// it is encoded, and offered back to the desk when it is small enough to
// keep.
func (s *Server) comparison(c *gin.Context) {
	id, err := pathID(c, "id")
	if err != nil {
		s.fail(c, err)
		return
	}
	answer, err := s.desk.Comparison(c.Request.Context(), id, desk.SaveRedone)
	if err != nil {
		s.fail(c, err)
		return
	}
	if answer.Body != nil {
		c.Data(http.StatusOK, jsonContentType, answer.Body)
		return
	}
	kept := &prefix{limit: answer.KeepLimit()}
	s.streamTo(c, http.StatusOK, io.MultiWriter(c.Writer, kept), answer.Value)
	if !kept.over {
		answer.Keep(c.Request.Context(), kept.buf.Bytes())
	}
}
