package api

import (
	"context"
	"errors"
	"net/url"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"slant/ingest"
	"slant/models"
)

// An article can come in three ways (articleInput says which):
//
//   - text: pasted text. Page furniture (share prompts, "Related News"
//     lists, repeated headlines, ...) is removed with ingest.Clean unless
//     the request says "clean": false; the headline Clean detects fills an
//     empty title, and the response lists every removed line with why.
//   - html: an uploaded page. The extractor finds the story, the title,
//     the publication date, the site name (the outlet, when none is
//     given) and the canonical URL (the url, when none is given). The text
//     it returns is plain text, cleaned the same way; nothing executable
//     survives.
//   - url alone: the page is fetched (ingest.Fetcher: http and https only,
//     never loopback, private or other internal addresses, size and time
//     limits) and then read as html, or as text when it is plain text.
//     Fetches count against the client's fetch rate (Config.FetchRate).
//     The outlet, when none is given, is the page's site name or else its
//     domain, and is created when new.

// PageFetcher downloads a web page for an article added by URL.
// *ingest.Fetcher, which refuses internal addresses, is the one serve uses.
type PageFetcher interface {
	Fetch(ctx context.Context, rawURL string) (ingest.Page, error)
}

// IngestView tells the sender of an article what Slant did to get its
// text, so that a teacher can check that nothing of the story was lost.
// It is part of the answer to adding an article, not stored.
type IngestView struct {
	// Source is "text", "html" or "url": what the text was taken from.
	Source string `json:"source"`
	// Cleaned is true when page furniture was looked for and removed.
	Cleaned bool `json:"cleaned"`
	// DetectedTitle is the headline found in the text or page, "" when
	// none was.
	DetectedTitle string `json:"detected_title"`
	// Byline, SiteName and CanonicalURL are what the page says about
	// itself (html and url only); the byline is not stored.
	Byline       string `json:"byline"`
	SiteName     string `json:"site_name"`
	CanonicalURL string `json:"canonical_url"`
	// FetchedURL is the address that answered, after redirects (url
	// only).
	FetchedURL string `json:"fetched_url"`
	// Removed lists the lines taken out, with why. Line numbers count in
	// the text sent (text), or in the page's extracted text (html, url).
	Removed []ingest.RemovedLine `json:"removed"`
}

// fetchError wraps a failure to fetch a page, so that the status table
// tells it apart from the server's own failures and deadlines.
type fetchError struct{ err error }

// Error says that the page could not be fetched, and why.
func (e *fetchError) Error() string { return "fetch page: " + e.err.Error() }

// Unwrap gives the fetcher's error, which the status table maps.
func (e *fetchError) Unwrap() error { return e.err }

// sourced is an article's text and what is known about it, whichever way
// it came in.
type sourced struct {
	text      string
	title     string
	url       string
	outlet    string
	domain    string
	published *time.Time
	ingest    IngestView
}

// articleSource works out the text and metadata of an article to add from
// the text, html or url sent. It answers with 422 when none (or both text
// and html) is sent, and fetches the page when only a url is. The event is
// checked first, so that a full or missing event costs no fetch.
func (s *Server) articleSource(c *gin.Context, eventID int64, in articleInput) (sourced, error) {
	ctx := c.Request.Context()
	hasText := strings.TrimSpace(in.Text) != ""
	hasHTML := strings.TrimSpace(in.HTML) != ""
	hasURL := strings.TrimSpace(in.URL) != ""
	switch {
	case hasText && hasHTML:
		return sourced{}, &models.ValidationError{Field: "html", Problem: "cannot be sent with text: send one of them"}
	case !hasText && !hasHTML && !hasURL:
		return sourced{}, &models.ValidationError{Field: "text", Problem: "is required"}
	case hasText && strings.TrimSpace(in.Outlet) == "":
		return sourced{}, &models.ValidationError{Field: "outlet", Problem: "is required"}
	}
	if hasText {
		if err := s.checkText("text", in.Text); err != nil {
			return sourced{}, err
		}
	}
	if err := s.checkRoom(ctx, eventID); err != nil {
		return sourced{}, err
	}
	published, err := parseTime("published_at", in.PublishedAt)
	if err != nil {
		return sourced{}, err
	}
	out := sourced{title: strings.TrimSpace(in.Title), url: strings.TrimSpace(in.URL), outlet: strings.TrimSpace(in.Outlet), published: published}
	cleanText := in.Clean == nil || *in.Clean

	switch {
	case hasText:
		out.text = in.Text
		out.ingest = IngestView{Source: "text", Removed: []ingest.RemovedLine{}}
		if cleanText {
			out.fromCleaned(ingest.Clean(in.Text))
		}
	case hasHTML:
		var pageURL *url.URL
		if out.url != "" {
			pageURL, _ = url.Parse(out.url)
		}
		art, err := s.extractor.Extract([]byte(in.HTML), pageURL)
		if err != nil {
			return sourced{}, err
		}
		out.fromPage(art, "html")
	default:
		if _, err := s.store.GetEvent(ctx, eventID); errors.Is(err, models.ErrNotFound) {
			return sourced{}, &models.ValidationError{Field: "event", Problem: "does not exist"}
		} else if err != nil {
			return sourced{}, err
		}
		if limited(c, s.fetchLimits) {
			return sourced{}, errAnswered
		}
		if err := s.fetchSource(ctx, &out, cleanText); err != nil {
			return sourced{}, err
		}
	}
	if strings.TrimSpace(out.text) == "" {
		return sourced{}, &models.ValidationError{Field: "text", Problem: "has nothing left once page furniture is removed; send \"clean\": false to keep it as it is"}
	}
	if out.outlet == "" {
		return sourced{}, &models.ValidationError{Field: "outlet", Problem: "is required: the page does not say which outlet published it"}
	}
	if err := s.checkText("text", out.text); err != nil {
		return sourced{}, err
	}
	return out, nil
}

// errAnswered means a middleware-style check has already answered the
// request (such as a 429); the handler just stops.
var errAnswered = errors.New("request already answered")

// fetchSource fetches out.url and reads the page into out.
func (s *Server) fetchSource(ctx context.Context, out *sourced, cleanText bool) error {
	page, err := s.fetcher.Fetch(ctx, out.url)
	if err != nil {
		if ctx.Err() != nil {
			// The request's own deadline, not the site's: 503.
			return ctx.Err()
		}
		return &fetchError{err: err}
	}
	final, _ := url.Parse(page.FinalURL)
	if page.ContentType == "text/plain" {
		out.text = string(page.Body)
		out.ingest = IngestView{Source: "url", Removed: []ingest.RemovedLine{}}
		if cleanText {
			out.fromCleaned(ingest.Clean(out.text))
		}
	} else {
		art, err := s.extractor.Extract(page.Body, final)
		if err != nil {
			return err
		}
		out.fromPage(art, "url")
	}
	out.ingest.FetchedURL = page.FinalURL
	name, domain := ingest.OutletFromURL(final)
	if out.outlet == "" {
		out.outlet = name
	}
	out.domain = domain
	return nil
}

// fromCleaned takes the text and headline of cleaned pasted text.
func (out *sourced) fromCleaned(c ingest.Cleaned) {
	out.text = c.Text
	out.ingest.Cleaned = true
	out.ingest.DetectedTitle = c.Title
	out.ingest.Removed = c.Removed
	if out.ingest.Removed == nil {
		out.ingest.Removed = []ingest.RemovedLine{}
	}
	if out.title == "" {
		out.title = c.Title
	}
}

// fromPage takes the text and metadata an extractor found in a page; the
// fields sent with the request win over the page's.
func (out *sourced) fromPage(art ingest.Article, source string) {
	out.text = art.Text
	out.ingest = IngestView{
		Source: source, Cleaned: true, DetectedTitle: art.Title,
		Byline: art.Byline, SiteName: art.SiteName, CanonicalURL: art.CanonicalURL,
		Removed: art.Removed,
	}
	if out.ingest.Removed == nil {
		out.ingest.Removed = []ingest.RemovedLine{}
	}
	if out.title == "" {
		out.title = art.Title
	}
	if out.published == nil {
		out.published = art.PublishedAt
	}
	if out.url == "" {
		out.url = art.CanonicalURL
	}
	if out.outlet == "" {
		out.outlet = art.SiteName
	}
	if out.domain == "" && art.CanonicalURL != "" {
		if u, err := url.Parse(art.CanonicalURL); err == nil {
			_, out.domain = ingest.OutletFromURL(u)
		}
	}
}
