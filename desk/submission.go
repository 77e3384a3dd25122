package desk

import (
	"fmt"
	"net/url"
	"strings"
	"time"
	"unicode/utf8"

	"slant/ingest"
	"slant/models"
)

// Submission is an article as it comes in, whichever door it comes
// through: text pasted on the page, an HTML page uploaded or fetched from
// a URL, a line of an import file, the demo. Each door fills it in and
// hands it to the desk, which checks it once (check) against one set of
// limits, works out its text (intake.go), analyzes it with the one recipe
// (Analyze) and files it.
type Submission struct {
	// EventKey names the event of an imported article (see the rules in
	// models/imports.go); the other doors add to an event by id.
	EventKey string
	// Outlet names the publisher; a page's site name or domain stands in
	// when it is empty and the article comes as HTML or by URL.
	Outlet string
	// OutletDomain is the outlet's web domain; when empty it is taken
	// from the URL.
	OutletDomain string
	Title        string
	URL          string
	PublishedAt  *time.Time
	// Text is the article as plain text; HTML the article's page. A
	// pasted submission may instead send only a URL, whose page is then
	// fetched.
	Text string
	HTML string
	// Clean removes page furniture (share prompts, "Related News" lists,
	// repeated headlines) from Text, as ingest.Clean does for pasted text.
	// Imported and demo text is stored exactly as given.
	Clean bool
	// ExternalID and Metadata are what an import line brings beyond the
	// fields Slant reads (models/metadata.go): the researcher's own id
	// ("" for none) and the other fields.
	ExternalID string
	Metadata   models.Metadata
}

// door is the way a submission came in, where the rules differ.
type door int

const (
	// pasted: the page or the API's POST of one article (text, html or a
	// url alone); the demo comes this way too.
	pasted door = iota
	// imported: a line of an import file (text or html; the url is only
	// the article's address; text wins when both are given).
	imported
)

// problems collects what is wrong with a submission, in the store's
// vocabulary.
type problems []*models.ValidationError

func (p *problems) add(field, problem string) {
	*p = append(*p, &models.ValidationError{Field: field, Problem: problem})
}

// err is the first problem, or nil: one door answers one problem at a
// time.
func (p problems) err() error {
	if len(p) == 0 {
		return nil
	}
	return p[0]
}

// line is every problem, for a line of an import file.
func (p problems) line() string {
	msgs := make([]string, len(p))
	for i, v := range p {
		msgs[i] = v.Error()
	}
	return strings.Join(msgs, "; ")
}

// check is the one check of an incoming article, before any work is done
// on it: what it must have, and the lengths the store will hold. The text
// size limit (a *TooLargeError) is checked apart by the caller, because
// it has its own status.
func (s *Submission) check(through door) problems {
	var p problems
	s.trim()
	if through == imported {
		requireShort(&p, "event", s.EventKey, MaxEventTitle)
		checkControls(&p, "event", s.EventKey, false)
	}
	hasText, hasHTML := strings.TrimSpace(s.Text) != "", strings.TrimSpace(s.HTML) != ""
	if hasText {
		// Text is kept exactly as sent: a control character in it is
		// refused, not removed (a page's are removed: see ingest).
		checkControls(&p, "text", s.Text, true)
	}
	if through == imported {
		if !hasText && !hasHTML {
			p.add("text", "is required (or html)")
		}
	} else {
		checkPastedContent(&p, hasText, hasHTML, s.URL != "")
	}
	// An outlet can come from a page, but not from prose: a page pasted
	// as text is read as an upload is, and its outlet, like an upload's,
	// is checked once the page is read (checkTaken).
	if s.Outlet == "" && (through == imported || hasText) && !s.pastedPage(through) {
		p.add("outlet", "is required")
	}
	address := s.URL
	if through == pasted && !hasText && !hasHTML {
		// A url alone is fetched, and the fetcher says what is wrong
		// with it (ingest.ErrScheme, ingest.ErrInvalidURL, ...).
		address = ""
	}
	checkFields(&p, s.Outlet, s.OutletDomain, s.Title, address)
	if through == imported {
		checkImported(&p, s.ExternalID, s.Metadata)
	}
	return p
}

// pastedPage reports whether the submission is an HTML page (or its
// source) pasted as text, which the intake reads as an uploaded page
// rather than keeping its tags; "clean": false keeps it as sent.
func (s *Submission) pastedPage(through door) bool {
	return through == pasted && s.Clean && strings.TrimSpace(s.Text) != "" && ingest.LooksLikeHTML(s.Text)
}

// checkImported checks what an import line brings beyond an article: its
// id and its other fields, with the store's limits.
func checkImported(p *problems, id string, meta models.Metadata) {
	if msg := models.CheckExternalID(id); msg != "" {
		p.add("id", msg)
	}
	for _, msg := range models.CheckMetadata(meta) {
		p.add("metadata", msg)
	}
}

// checkPastedContent checks that a pasted submission sends one of text,
// html or a url to fetch.
func checkPastedContent(p *problems, hasText, hasHTML, hasURL bool) {
	switch {
	case hasText && hasHTML:
		p.add("html", "cannot be sent with text: send one of them")
	case !hasText && !hasHTML && !hasURL:
		p.add("text", "is required")
	}
}

// trim takes surrounding space off the short fields; the text and the
// page are kept exactly as given, since report offsets point into the
// text.
func (s *Submission) trim() {
	s.EventKey = strings.TrimSpace(s.EventKey)
	s.Outlet = strings.TrimSpace(s.Outlet)
	s.OutletDomain = strings.ToLower(strings.TrimSpace(s.OutletDomain))
	s.Title = strings.TrimSpace(s.Title)
	s.URL = strings.TrimSpace(s.URL)
	s.ExternalID = strings.TrimSpace(s.ExternalID)
}

// checkControls adds the store's problem with a control character in
// value (models.ControlCharacter), so that it is found before any work is
// done and answered the same whichever database is behind.
func checkControls(p *problems, field, value string, multiline bool) {
	if r, at, found := models.ControlCharacter(value, multiline); found {
		p.add(field, models.ControlProblem(r, at))
	}
}

// checkFields checks the lengths and forms of the short fields, the same
// for a submission as sent and for the article worked out from it.
func checkFields(p *problems, outlet, domain, title, rawURL string) {
	checkControls(p, "outlet", outlet, false)
	checkControls(p, "outlet_domain", domain, false)
	checkControls(p, "title", title, false)
	if utf8.RuneCountInString(outlet) > MaxOutletName {
		p.add("outlet", fmt.Sprintf("must be at most %d characters", MaxOutletName))
	}
	if len(domain) > MaxOutletDomain {
		p.add("outlet_domain", fmt.Sprintf("must be at most %d characters", MaxOutletDomain))
	}
	if utf8.RuneCountInString(title) > MaxArticleTitle {
		p.add("title", fmt.Sprintf("must be at most %d characters", MaxArticleTitle))
	}
	if rawURL != "" {
		if len(rawURL) > MaxArticleURL {
			p.add("url", fmt.Sprintf("must be at most %d characters", MaxArticleURL))
		} else if !httpURL(rawURL) {
			p.add("url", "must be an http or https URL")
		}
	}
}

// requireShort checks a required short field and its length.
func requireShort(p *problems, field, value string, max int) {
	switch {
	case value == "":
		p.add(field, "is required")
	case utf8.RuneCountInString(value) > max:
		p.add(field, fmt.Sprintf("must be at most %d characters", max))
	}
}

// httpURL reports whether raw is an absolute http or https URL with a
// host.
func httpURL(raw string) bool {
	u, err := url.Parse(raw)
	return err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != ""
}

// ParseTime reads an optional time sent as RFC 3339 or as YYYY-MM-DD
// (midnight UTC), the forms every door accepts (ingest.ParseTime). Empty
// means none; anything else is a *models.ValidationError about field.
func ParseTime(field, raw string) (*time.Time, error) {
	if raw == "" {
		return nil, nil
	}
	t, ok := ingest.ParseTime(raw)
	if !ok {
		return nil, &models.ValidationError{Field: field, Problem: "must be an RFC 3339 time or a YYYY-MM-DD date"}
	}
	return &t, nil
}
