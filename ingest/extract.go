package ingest

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/PuerkitoBio/goquery"
	readability "github.com/go-shiori/go-readability"
	"golang.org/x/net/html"
	"golang.org/x/net/html/charset"
)

// ErrNoArticle means an HTML page held no article text to extract.
var ErrNoArticle = errors.New("no article text found in the page")

// Article is what an Extractor finds in one HTML page. Every field is
// plain text: no markup, scripts, styles or javascript: links.
type Article struct {
	// Title is the headline: og:title, twitter:title, JSON-LD headline, or
	// readability's guess from <title> and <h1>.
	Title string `json:"title"`
	// Byline names the author(s) when the page says so.
	Byline string `json:"byline"`
	// SiteName is the outlet's name (og:site_name, JSON-LD publisher),
	// falling back to the page's domain.
	SiteName string `json:"site_name"`
	// CanonicalURL is the page's declared address (<link rel=canonical>,
	// og:url), falling back to the page URL; http or https only, or "".
	CanonicalURL string `json:"canonical_url"`
	// PublishedAt is when the article was first published, if known.
	PublishedAt *time.Time `json:"published_at,omitempty"`
	// Text is the body with paragraphs separated by blank lines, after
	// Clean has removed page furniture.
	Text string `json:"text"`
	// Removed lists the lines Clean dropped from the body, line numbers
	// counted in the extracted text before cleaning.
	Removed []RemovedLine `json:"removed,omitempty"`
}

// Extractor turns an HTML page into an Article. pageURL is where the page
// came from (used to resolve relative links and guess the outlet); it may be
// nil.
type Extractor interface {
	Extract(html []byte, pageURL *url.URL) (Article, error)
}

// ReadabilityExtractor is the Extractor built on go-readability (Mozilla's
// Readability ported to Go) for the body and goquery for the metadata. It
// never lets go-readability fetch anything: it only parses bytes it is
// given. The zero value is ready to use and safe for concurrent use.
//
// The input should be bounded by the caller (Fetcher caps it at MaxBytes).
type ReadabilityExtractor struct{}

// NewExtractor returns the default Extractor.
func NewExtractor() Extractor { return ReadabilityExtractor{} }

// Extract implements Extractor. The bytes may be UTF-8 or any encoding
// named by a byte order mark or <meta charset>; valid UTF-8 wins over a
// stale <meta charset> (as left by Fetcher, which converts to UTF-8).
//
// A page nested deeper than the HTML parser takes is flattened first (see
// parsePage); a page that cannot be read even so is ErrUnreadablePage.
func (ReadabilityExtractor) Extract(page []byte, pageURL *url.URL) (Article, error) {
	return extract(page, pageURL, nil)
}

// extract is Extract, its work counted in w (all but go-readability's).
func extract(page []byte, pageURL *url.URL, w *work) (Article, error) {
	doc, err := parsePage(decodeHTMLBytes(page), w)
	if err != nil {
		return Article{}, fmt.Errorf("parse html: %w", err)
	}
	meta := readMetadata(doc, pageURL)

	body, rd, err := readableText(doc, pageURL)
	if err != nil {
		return Article{}, err
	}
	if strings.TrimSpace(body) == "" {
		body = fallbackText(doc)
	}
	w.tick(len(body))

	a := Article{
		Title:        meta.title,
		Byline:       meta.byline,
		SiteName:     meta.siteName,
		CanonicalURL: meta.canonical,
		PublishedAt:  meta.published,
	}
	if a.Title == "" {
		a.Title = plainField(rd.Title, maxFieldRunes)
	}
	if a.Byline == "" {
		a.Byline = cleanByline(plainField(rd.Byline, maxFieldRunes))
	}
	if a.SiteName == "" {
		a.SiteName = plainField(rd.SiteName, maxFieldRunes)
	}
	if a.PublishedAt == nil && rd.PublishedTime != nil && plausibleTime(*rd.PublishedTime) {
		t := *rd.PublishedTime
		a.PublishedAt = &t
	}
	if a.SiteName == "" && pageURL != nil {
		a.SiteName, _ = OutletFromURL(pageURL)
	}
	a.Title = stripSiteSuffix(a.Title, a.SiteName)

	c := clean(defang(DropControls(body)), a.Title, w) // no known title: Clean detects one
	if a.Title == "" {
		a.Title = collapseSpace(c.Title)
	}
	a.Text, a.Removed = c.Text, c.Removed
	if strings.TrimSpace(a.Text) == "" {
		return a, ErrNoArticle
	}
	return a, nil
}

// maxFieldRunes caps the length of the short metadata fields.
const maxFieldRunes = 500

// decodeHTMLBytes converts page bytes to UTF-8: a byte order mark decides
// first, then valid UTF-8 is kept as it is, then <meta charset> or the
// windows-1252 default of the HTML standard.
func decodeHTMLBytes(b []byte) []byte {
	e, name, _ := charset.DetermineEncoding(b, "")
	hasBOM := bytes.HasPrefix(b, []byte("\xef\xbb\xbf")) || bytes.HasPrefix(b, []byte("\xfe\xff")) || bytes.HasPrefix(b, []byte("\xff\xfe"))
	if !hasBOM && utf8.Valid(b) {
		return b
	}
	if name != "utf-8" {
		if out, err := e.NewDecoder().Bytes(b); err == nil {
			b = out
		}
	}
	b = bytes.TrimPrefix(b, []byte("\xef\xbb\xbf"))
	return bytes.ToValidUTF8(b, []byte("\uFFFD"))
}

// readableText runs go-readability on a copy of the document and returns
// its content as plain text with blank lines between blocks. A panic inside
// the (archived, unmaintained) library becomes ErrUnreadablePage, as does
// its error: either is the page's doing.
func readableText(doc *html.Node, pageURL *url.URL) (text string, art readability.Article, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("extract article: %w: readability failed: %v", ErrUnreadablePage, r)
		}
	}()
	art, err = readability.FromDocument(doc, pageURL)
	if err != nil {
		return "", art, fmt.Errorf("extract article: %w: %v", ErrUnreadablePage, err)
	}
	if art.Node == nil {
		return "", art, nil
	}
	root := art.Node
	if root.Parent != nil {
		root = root.Parent // Node is the first child of the content wrapper
	}
	return blockText(root, false), art, nil
}

// fallbackText is the page body's text without navigation, headers,
// footers and asides, for pages where readability finds nothing.
func fallbackText(doc *html.Node) string {
	return blockText(doc, true)
}

// metadata is what the page says about itself.
type metadata struct {
	title, byline, siteName, canonical string
	published                          *time.Time
}

// readMetadata reads title, byline, site name, canonical URL and
// publication time from meta tags, JSON-LD, <link rel=canonical> and
// <time datetime>.
func readMetadata(doc *html.Node, pageURL *url.URL) metadata {
	q := goquery.NewDocumentFromNode(doc)
	metas := map[string]string{}
	q.Find("meta").Each(func(_ int, s *goquery.Selection) {
		content, ok := s.Attr("content")
		if !ok || strings.TrimSpace(content) == "" {
			return
		}
		for _, attr := range []string{"property", "name", "itemprop"} {
			if k, ok := s.Attr(attr); ok {
				k = strings.ToLower(strings.TrimSpace(k))
				if _, seen := metas[k]; !seen && k != "" {
					metas[k] = strings.TrimSpace(content)
				}
			}
		}
	})
	first := func(keys ...string) string {
		for _, k := range keys {
			if v := metas[k]; v != "" {
				return v
			}
		}
		return ""
	}
	ld := readJSONLD(q)

	var m metadata
	m.title = plainField(firstNonEmpty(first("og:title", "twitter:title", "dc.title"), ld.headline), maxFieldRunes)
	author := first("author", "article:author", "parsely-author", "sailthru.author", "dc.creator", "byl")
	if looksLikeURL(author) {
		author = ""
	}
	m.byline = cleanByline(plainField(firstNonEmpty(author, ld.author), maxFieldRunes))
	m.siteName = plainField(firstNonEmpty(first("og:site_name", "application-name"), ld.publisher), maxFieldRunes)

	for _, v := range []string{
		first("article:published_time", "og:article:published_time", "og:published_time",
			"datepublished", "pubdate", "publishdate", "publish-date", "parsely-pub-date",
			"sailthru.date", "dc.date.issued", "dc.date", "date"),
		ld.datePublished,
		timeElementDate(q),
	} {
		if t := parseDate(v); t != nil {
			m.published = t
			break
		}
	}

	var canon []string
	q.Find("link[rel][href]").Each(func(_ int, s *goquery.Selection) {
		rel, _ := s.Attr("rel")
		for _, r := range strings.Fields(strings.ToLower(rel)) {
			if r == "canonical" {
				href, _ := s.Attr("href")
				canon = append(canon, href)
			}
		}
	})
	canon = append(canon, first("og:url", "twitter:url"), ld.url)
	if pageURL != nil {
		canon = append(canon, pageURL.String())
	}
	for _, c := range canon {
		if u := safeHTTPURL(c, pageURL); u != "" {
			m.canonical = u
			break
		}
	}
	return m
}

// timeElementDate returns the datetime of the <time> element most likely to
// be the publication time: itemprop=datePublished or pubdate first, then
// the first inside <article>, then the first on the page.
func timeElementDate(q *goquery.Document) string {
	for _, sel := range []string{
		`time[itemprop="datePublished"][datetime]`, `time[pubdate][datetime]`,
		`article time[datetime]`, `time[datetime]`,
	} {
		if v, ok := q.Find(sel).First().Attr("datetime"); ok && strings.TrimSpace(v) != "" {
			return v
		}
	}
	return ""
}

// jsonLD is what the page's JSON-LD says about the article.
type jsonLD struct {
	headline, author, publisher, datePublished, url string
}

// readJSONLD reads the first article-like object in the page's
// application/ld+json scripts (top level, arrays and @graph).
func readJSONLD(q *goquery.Document) jsonLD {
	var found jsonLD
	q.Find("script").EachWithBreak(func(_ int, s *goquery.Selection) bool {
		typ, _ := s.Attr("type")
		if !strings.Contains(strings.ToLower(typ), "ld+json") {
			return true
		}
		var v any
		if err := json.Unmarshal([]byte(s.Text()), &v); err != nil {
			return true
		}
		if obj := findArticleObject(v, 0); obj != nil {
			found = jsonLD{
				headline:      firstNonEmpty(jsonString(obj["headline"]), jsonString(obj["name"])),
				author:        jsonNames(obj["author"]),
				publisher:     jsonNames(obj["publisher"]),
				datePublished: jsonString(obj["datePublished"]),
				url:           jsonString(obj["url"]),
			}
			return false
		}
		return true
	})
	return found
}

// findArticleObject searches decoded JSON-LD for an object whose @type is
// an article kind, or failing that one with a headline and datePublished.
func findArticleObject(v any, depth int) map[string]any {
	if depth > 6 {
		return nil
	}
	switch x := v.(type) {
	case []any:
		for _, e := range x {
			if o := findArticleObject(e, depth+1); o != nil {
				return o
			}
		}
	case map[string]any:
		if isArticleType(x["@type"]) {
			return x
		}
		if g, ok := x["@graph"]; ok {
			if o := findArticleObject(g, depth+1); o != nil {
				return o
			}
		}
		if _, ok := x["headline"]; ok {
			if _, ok := x["datePublished"]; ok {
				return x
			}
		}
	}
	return nil
}

// isArticleType reports whether a JSON-LD @type names an article kind
// (Article, NewsArticle, ReportageNewsArticle, BlogPosting, ...).
func isArticleType(t any) bool {
	switch x := t.(type) {
	case string:
		return strings.Contains(x, "Article") || strings.HasSuffix(x, "Posting") || x == "Report"
	case []any:
		for _, e := range x {
			if isArticleType(e) {
				return true
			}
		}
	}
	return false
}

func jsonString(v any) string {
	s, _ := v.(string)
	return strings.TrimSpace(s)
}

// jsonNames turns a JSON-LD person or organisation (a string, an object
// with "name", or a list of those) into "A, B".
func jsonNames(v any) string {
	switch x := v.(type) {
	case string:
		if looksLikeURL(x) {
			return ""
		}
		return strings.TrimSpace(x)
	case map[string]any:
		return jsonString(x["name"])
	case []any:
		var names []string
		for _, e := range x {
			if n := jsonNames(e); n != "" {
				names = append(names, n)
			}
		}
		return strings.Join(names, ", ")
	}
	return ""
}

// dateLayouts are the timestamp forms accepted in page metadata.
var dateLayouts = []string{
	time.RFC3339Nano,
	"2006-01-02T15:04:05Z0700",
	"2006-01-02T15:04:05.999999999Z0700",
	"2006-01-02T15:04Z07:00",
	"2006-01-02T15:04:05",
	"2006-01-02T15:04",
	"2006-01-02 15:04:05Z07:00",
	"2006-01-02 15:04:05 -0700",
	"2006-01-02 15:04:05",
	"2006-01-02 15:04",
	"2006-01-02",
	"20060102",
	time.RFC1123Z,
	time.RFC1123,
	"Mon, 2 Jan 2006 15:04:05 -0700",
	"Mon, 2 Jan 2006 15:04:05 MST",
	"January 2, 2006",
	"Jan 2, 2006",
	"2 January 2006",
}

// parseDate parses a metadata timestamp; nil when empty, unparseable or
// outside 1900–2200.
func parseDate(s string) *time.Time {
	s = strings.TrimSpace(s)
	if s == "" || len(s) > 64 {
		return nil
	}
	for _, layout := range dateLayouts {
		if t, err := time.Parse(layout, s); err == nil && plausibleTime(t) {
			return &t
		}
	}
	return nil
}

func plausibleTime(t time.Time) bool {
	return t.Year() >= 1900 && t.Year() <= 2200
}

// safeHTTPURL resolves ref against base and returns it when it is an
// absolute http or https URL with a host, without fragment or user info;
// otherwise "". This is how javascript: and data: links are kept out.
func safeHTTPURL(ref string, base *url.URL) string {
	ref = strings.TrimSpace(ref)
	if ref == "" || len(ref) > 2048 {
		return ""
	}
	u, err := url.Parse(ref)
	if err != nil {
		return ""
	}
	if base != nil {
		u = base.ResolveReference(u)
	}
	if (u.Scheme != "http" && u.Scheme != "https") || u.Hostname() == "" {
		return ""
	}
	u.Fragment, u.RawFragment, u.User = "", "", nil
	return u.String()
}

func looksLikeURL(s string) bool {
	s = strings.ToLower(strings.TrimSpace(s))
	return strings.HasPrefix(s, "http://") || strings.HasPrefix(s, "https://") || strings.HasPrefix(s, "//")
}

// cleanByline drops a leading "By " from a byline.
func cleanByline(s string) string {
	for _, p := range []string{"By ", "by ", "BY "} {
		if strings.HasPrefix(s, p) {
			return strings.TrimSpace(s[len(p):])
		}
	}
	return s
}

// stripSiteSuffix removes " | Site", " - Site" or " — Site" from the end of
// a title when Site is the site name.
func stripSiteSuffix(title, site string) string {
	if site == "" {
		return title
	}
	for _, sep := range []string{" | ", " - ", " – ", " — ", " :: ", " · "} {
		if strings.HasSuffix(strings.ToLower(title), strings.ToLower(sep+site)) {
			t := strings.TrimSpace(title[:len(title)-len(sep+site)])
			if t != "" {
				return t
			}
		}
	}
	return title
}

func firstNonEmpty(vals ...string) string {
	for _, v := range vals {
		if strings.TrimSpace(v) != "" {
			return v
		}
	}
	return ""
}
