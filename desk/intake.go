package desk

import (
	"context"
	"errors"
	"net/url"
	"strings"

	"slant/ingest"
	"slant/models"
)

// How the desk gets an article's text, whichever door it came through:
//
//   - text: kept exactly as given (imports, the demo), or, for pasted text
//     with Clean, rid of page furniture by ingest.Clean, whose headline
//     fills an empty title; the intake lists every removed line with why.
//   - html: an uploaded or imported page. The extractor finds the story,
//     the title, the publication date, the site name (the outlet, when
//     none is given) and the canonical URL (the url, when none is given).
//     The text it returns is plain text, cleaned the same way; nothing
//     executable survives.
//   - url alone (pasted only): the page is fetched (ingest.Fetcher: http
//     and https only, never loopback, private or other internal addresses,
//     size and time limits) and then read as html, or as text when it is
//     plain text. The outlet, when none is given, is the page's site name
//     or else its domain.
//
// The outlet's domain, when none is given, is that of the address the
// page came from, else of its canonical URL, else of the article's URL.
// It is recorded when the outlet is new or has no domain yet.
//
// Pasted text that is an HTML page (ingest.LooksLikeHTML) is read as an
// uploaded page, unless "clean" is false. Whatever the door, the intake
// tells the text's language (ingest.DetectLanguage), which the article
// keeps: see language.go.

// PageFetcher downloads a web page for an article added by URL.
// *ingest.Fetcher, which refuses internal addresses, is the one serve uses.
type PageFetcher interface {
	Fetch(ctx context.Context, rawURL string) (ingest.Page, error)
}

// Intake tells the sender of an article what the desk did to get its
// text, so that a teacher can check that nothing of the story was lost.
// It is part of the answer to adding an article, not stored.
type Intake struct {
	// Source is "text", "html" or "url": what the text was taken from.
	Source string
	// Cleaned is true when page furniture was looked for and removed.
	Cleaned bool
	// DetectedTitle is the headline found in the text or page, "" when
	// none was.
	DetectedTitle string
	// Byline, SiteName and CanonicalURL are what the page says about
	// itself (html and url only); the byline is not stored.
	Byline, SiteName, CanonicalURL string
	// FetchedURL is the address that answered, after redirects (url
	// only).
	FetchedURL string
	// Removed lists the lines taken out, with why. Line numbers count in
	// the text sent (text), or in the page's extracted text (html, url).
	// Never nil.
	Removed []ingest.RemovedLine
	// HTMLInText is true when pasted text was an HTML page (or its
	// source), read as an uploaded page is (Source is then "html").
	HTMLInText bool
	// Language is the language the text was found to be in; an article in
	// another language than English is stored but not scored.
	Language ingest.Language
}

// takenIn is a submission whose text has been worked out: the article to
// analyze and file, with how its text was got.
type takenIn struct {
	sub    Submission
	intake Intake
	hash   string
	// domain is the outlet domain the page gives: that of the address it
	// came from, else of its canonical URL.
	domain string
}

// takeIn works out the text and fields of a checked submission (see the
// comment at the top of this file). beforeFetch, when not nil, is called
// just before a page is fetched; its error stops the intake.
func (d *Desk) takeIn(ctx context.Context, sub Submission, through door, beforeFetch func() error) (takenIn, error) {
	in := takenIn{sub: sub}
	var err error
	switch {
	case sub.pastedPage(through):
		err = in.fromPastedPage(d.extractor, parseURL(sub.URL))
	case strings.TrimSpace(sub.Text) != "":
		in.fromText(sub.Text, "text", sub.Clean)
	case strings.TrimSpace(sub.HTML) != "":
		err = in.extract(d.extractor, []byte(sub.HTML), parseURL(sub.URL), "html")
		if err != nil && through == imported {
			err = pageProblem(err)
		}
	default:
		if beforeFetch != nil {
			if err := beforeFetch(); err != nil {
				return takenIn{}, err
			}
		}
		err = in.fetch(ctx, d.fetcher, d.extractor)
	}
	if err != nil {
		return takenIn{}, err
	}
	if in.sub.OutletDomain == "" {
		in.sub.OutletDomain = in.domain
	}
	if in.sub.OutletDomain == "" {
		_, in.sub.OutletDomain = ingest.OutletFromURL(parseURL(in.sub.URL))
	}
	in.hash = models.ContentHash(in.sub.Text)
	in.intake.Language = ingest.DetectLanguage(strings.TrimSpace(in.sub.Title + "\n\n" + in.sub.Text))
	return in, nil
}

// pageProblem says in a line of an import file why a page gave no text.
func pageProblem(err error) error {
	if errors.Is(err, ingest.ErrNoArticle) {
		return &models.ValidationError{Field: "html", Problem: "has no article text that could be found"}
	}
	return &models.ValidationError{Field: "html", Problem: "could not be read as a page"}
}

// fromPastedPage reads a page (or its source) pasted as text
// (Submission.pastedPage) as an uploaded page is, rather than keeping its
// tags, and says so; "clean": false keeps the text exactly as sent. The
// page's route and AnalyzeDraft both come this way.
func (in *takenIn) fromPastedPage(extractor ingest.Extractor, pageURL *url.URL) error {
	err := in.extract(extractor, []byte(in.sub.Text), pageURL, "html")
	in.intake.HTMLInText = true
	return err
}

// fromText takes text as it is, or cleaned.
func (in *takenIn) fromText(text, source string, clean bool) {
	in.sub.Text = text
	in.intake = Intake{Source: source, Removed: []ingest.RemovedLine{}}
	if !clean {
		return
	}
	c := ingest.Clean(text)
	in.sub.Text = c.Text
	in.intake.Cleaned = true
	in.intake.DetectedTitle = c.Title
	if c.Removed != nil {
		in.intake.Removed = c.Removed
	}
	if in.sub.Title == "" {
		in.sub.Title = c.Title
	}
}

// extract reads a page with the extractor and takes its text and what it
// says about itself; the fields sent win over the page's.
func (in *takenIn) extract(extractor ingest.Extractor, page []byte, pageURL *url.URL, source string) error {
	art, err := extractor.Extract(page, pageURL)
	if err != nil {
		return err
	}
	in.sub.Text = art.Text
	in.intake = Intake{
		Source: source, Cleaned: true, DetectedTitle: art.Title,
		Byline: art.Byline, SiteName: art.SiteName, CanonicalURL: art.CanonicalURL,
		Removed: art.Removed,
	}
	if in.intake.Removed == nil {
		in.intake.Removed = []ingest.RemovedLine{}
	}
	s := &in.sub
	if s.Title == "" {
		s.Title = strings.TrimSpace(art.Title)
	}
	if s.PublishedAt == nil {
		s.PublishedAt = art.PublishedAt
	}
	if s.URL == "" {
		s.URL = art.CanonicalURL
	}
	if s.Outlet == "" {
		s.Outlet = strings.TrimSpace(art.SiteName)
	}
	if art.CanonicalURL != "" {
		_, in.domain = ingest.OutletFromURL(parseURL(art.CanonicalURL))
	}
	return nil
}

// fetch fetches the submission's url and reads the page.
func (in *takenIn) fetch(ctx context.Context, fetcher PageFetcher, extractor ingest.Extractor) error {
	page, err := fetcher.Fetch(ctx, in.sub.URL)
	if err != nil {
		if ctx.Err() != nil {
			// The request's own deadline, not the site's.
			return ctx.Err()
		}
		return &FetchError{Err: err}
	}
	final := parseURL(page.FinalURL)
	if page.ContentType == "text/plain" {
		in.fromText(ingest.DropControls(string(page.Body)), "url", in.sub.Clean)
	} else if err := in.extract(extractor, page.Body, final, "url"); err != nil {
		return err
	}
	in.intake.FetchedURL = page.FinalURL
	name, domain := ingest.OutletFromURL(final)
	if in.sub.Outlet == "" {
		in.sub.Outlet = name
	}
	if domain != "" {
		in.domain = domain
	}
	return nil
}

// parseURL parses an address, nil when there is none or it cannot be
// parsed.
func parseURL(raw string) *url.URL {
	if raw == "" {
		return nil
	}
	u, err := url.Parse(raw)
	if err != nil {
		return nil
	}
	return u
}

// cleanedEmptyProblem is the Problem with a pasted text that cleaning
// left empty (an article added or a draft analyzed), saying how to keep
// it as sent.
const cleanedEmptyProblem = "has nothing left once page furniture is removed; send \"clean\": false to keep it as it is"

// checkTaken checks the article worked out from a submission: it has
// text and an outlet, and its fields, some of which a page filled in, fit
// the limits. Pasted text that cleaning left empty is told how to keep
// it.
func checkTaken(in *takenIn) problems {
	var p problems
	switch {
	case strings.TrimSpace(in.sub.Text) != "":
	case in.intake.Cleaned && in.intake.Source != "html":
		p.add("text", cleanedEmptyProblem)
	default:
		p.add("text", "is required")
	}
	if in.sub.Outlet == "" {
		p.add("outlet", "is required: the page does not say which outlet published it")
	}
	checkFields(&p, in.sub.Outlet, in.sub.OutletDomain, in.sub.Title, in.sub.URL)
	return p
}
