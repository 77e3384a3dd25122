package api

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"slant/analysis"
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
// report, always made with the server's current lexicon.
type ArticleView struct {
	ID             int64           `json:"id"`
	EventID        int64           `json:"event_id"`
	Outlet         OutletView      `json:"outlet"`
	Title          string          `json:"title"`
	URL            string          `json:"url"`
	PublishedAt    *time.Time      `json:"published_at"`
	Text           string          `json:"text"`
	ContentHash    string          `json:"content_hash"`
	CreatedAt      time.Time       `json:"created_at"`
	LexiconVersion string          `json:"lexicon_version"`
	AnalyzedAt     time.Time       `json:"analyzed_at"`
	Report         analysis.Report `json:"report"`
	// Ingest says how the text was obtained and what was removed from it;
	// only the answer to adding an article has it.
	Ingest *IngestView `json:"ingest,omitempty"`
}

// ArticleListView is the answer to GET /api/v1/events/{id}/articles.
type ArticleListView struct {
	Articles []ArticleView `json:"articles"`
}

// ComparisonView is the answer to GET /api/v1/events/{id}/comparison: the
// analysis.Comparison of the event's articles with the event's id. The
// comparison is embedded so that its fields sit at the top level.
type ComparisonView struct {
	EventID int64 `json:"event_id"`
	analysis.Comparison
}

// articleInput is the body of POST /api/v1/events/{id}/articles: text,
// html, or a url alone to fetch (see ingest.go). Clean, true when absent,
// says whether page furniture is removed from text.
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

// articleView converts a stored article whose report is known.
func articleView(a models.Article, an models.Analysis, report analysis.Report) ArticleView {
	return ArticleView{
		ID:             a.ID,
		EventID:        a.EventID,
		Outlet:         OutletView{ID: a.Outlet.ID, Name: a.Outlet.Name, Domain: a.Outlet.Domain},
		Title:          a.Title,
		URL:            a.URL,
		PublishedAt:    a.PublishedAt,
		Text:           a.Body,
		ContentHash:    a.ContentHash,
		CreatedAt:      a.CreatedAt,
		LexiconVersion: an.LexiconVersion,
		AnalyzedAt:     an.AnalyzedAt,
		Report:         report,
	}
}

// newAnalysis analyzes an article's title and text and packs the report
// for the store.
func newAnalysis(analyzer *analysis.Analyzer, articleID int64, title, text string) (models.Analysis, analysis.Report, error) {
	report := analyzer.Analyze(analysis.Document{Title: title, Text: text})
	data, err := json.Marshal(report)
	if err != nil {
		return models.Analysis{}, analysis.Report{}, fmt.Errorf("encode report: %w", err)
	}
	return models.Analysis{
		ArticleID:      articleID,
		Report:         data,
		LexiconVersion: report.LexiconVersion,
		AnalyzedAt:     time.Now().UTC(),
	}, report, nil
}

// currentReport returns an article's report made with the analyzer's
// lexicon. A stored report made with another lexicon version (or missing,
// or unreadable) is redone and saved, so that articles of one event are
// always compared with the same words. Saving is only a cache: if it
// fails, the fresh report is still used and the failure logged.
func (s *Server) currentReport(ctx context.Context, analyzer *analysis.Analyzer, a models.Article) (models.Analysis, analysis.Report, error) {
	version := analyzer.Version()
	if an := a.Analysis; an != nil && an.LexiconVersion == version {
		var report analysis.Report
		err := json.Unmarshal(an.Report, &report)
		if err == nil && report.LexiconVersion == version {
			return *an, report, nil
		}
		if err != nil {
			s.log.WarnContext(ctx, "stored report unreadable, analyzing again", "article_id", a.ID, "error", err.Error())
		}
	}
	an, report, err := newAnalysis(analyzer, a.ID, a.Title, a.Body)
	if err != nil {
		return models.Analysis{}, analysis.Report{}, fmt.Errorf("analyze article %d: %w", a.ID, err)
	}
	if err := s.store.SaveAnalysis(ctx, &an); err != nil {
		s.log.WarnContext(ctx, "save refreshed analysis", "article_id", a.ID, "error", err.Error())
	}
	return an, report, nil
}

// articleViews lists an event's articles with reports made with analyzer.
// It fails with models.ErrNotFound when the event does not exist.
func (s *Server) articleViews(ctx context.Context, analyzer *analysis.Analyzer, eventID int64) ([]ArticleView, error) {
	articles, err := s.store.ListArticles(ctx, eventID)
	if err != nil {
		return nil, err
	}
	views := make([]ArticleView, 0, len(articles))
	for _, a := range articles {
		an, report, err := s.currentReport(ctx, analyzer, a)
		if err != nil {
			return nil, err
		}
		views = append(views, articleView(a, an, report))
	}
	return views, nil
}

// listArticles answers GET /api/v1/events/{id}/articles.
func (s *Server) listArticles(c *gin.Context) {
	id, err := pathID(c, "id")
	if err != nil {
		s.fail(c, err)
		return
	}
	views, err := s.articleViews(c.Request.Context(), s.engine().analyzer, id)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, ArticleListView{Articles: views})
}

// addArticle answers POST /api/v1/events/{id}/articles: it takes the text
// from what was sent (pasted text, cleaned; an HTML page; or a page fetched
// from a url), analyzes title and text and stores article and analysis
// together, so that no article is ever stored without its report. The
// answer says what was removed from the text.
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
	src, err := s.articleSource(c, eventID, in)
	if errors.Is(err, errAnswered) {
		return
	}
	if err != nil {
		s.fail(c, err)
		return
	}
	domain := in.OutletDomain
	if strings.TrimSpace(domain) == "" {
		domain = src.domain
	}
	article := models.Article{
		EventID:     eventID,
		Outlet:      models.Outlet{Name: src.outlet},
		Title:       src.title,
		URL:         src.url,
		PublishedAt: src.published,
		Body:        src.text,
	}
	// The store trims the title; analyze the title it will keep, so that
	// title offsets point into the stored title.
	an, report, err := newAnalysis(s.engine().analyzer, 0, strings.TrimSpace(src.title), src.text)
	if err != nil {
		s.fail(c, err)
		return
	}
	err = s.store.AddArticle(c.Request.Context(), &article, domain, &an)
	if errors.Is(err, models.ErrConflict) {
		// The only unique key an added article can hit is (event, text).
		err = withMessage(err, "this article is already in this event")
	}
	if err != nil {
		s.fail(c, err)
		return
	}
	view := articleView(article, an, report)
	view.Ingest = &src.ingest
	c.Header("Location", "/api/v1/events/"+strconv.FormatInt(eventID, 10)+"/articles/"+strconv.FormatInt(article.ID, 10))
	c.JSON(http.StatusCreated, view)
}

// checkRoom refuses with 422 an article for an event that already holds
// the most articles allowed. The count is read before the article is
// stored, outside its transaction, so two requests racing for the last
// place may both get it: the cap bounds growth, it is not an exact quota.
func (s *Server) checkRoom(ctx context.Context, eventID int64) error {
	n, err := s.store.CountArticles(ctx, eventID)
	if err != nil {
		return fmt.Errorf("count articles of event %d: %w", eventID, err)
	}
	if n >= int64(s.maxArticles) {
		return &requestError{
			status:  http.StatusUnprocessableEntity,
			message: fmt.Sprintf("this event already has %d articles, the most one event may hold", n),
		}
	}
	return nil
}

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

// comparison answers GET /api/v1/events/{id}/comparison: the event's
// articles ranked and summed up side by side.
func (s *Server) comparison(c *gin.Context) {
	id, err := pathID(c, "id")
	if err != nil {
		s.fail(c, err)
		return
	}
	analyzer := s.engine().analyzer
	key, answered := s.cachedComparison(c, id, analyzer.Version())
	if answered {
		return
	}
	views, err := s.articleViews(c.Request.Context(), analyzer, id)
	if err != nil {
		s.fail(c, err)
		return
	}
	compared := make([]analysis.ComparedArticle, 0, len(views))
	for _, v := range views {
		compared = append(compared, analysis.ComparedArticle{
			ArticleID: v.ID,
			Outlet:    v.Outlet.Name,
			Title:     v.Title,
			Text:      v.Text,
			Report:    v.Report,
		})
	}
	cmp := analysis.Compare(compared)
	if cmp.LexiconVersion == "" {
		// No articles yet: say which lexicon the empty comparison is for.
		cmp.LexiconVersion = analyzer.Version()
	}
	s.sendComparison(c, key, ComparisonView{EventID: id, Comparison: cmp})
}
