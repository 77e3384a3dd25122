package ingest

import (
	"net/url"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/net/html"
)

func mustURL(t testing.TB, s string) *url.URL {
	t.Helper()
	u, err := url.Parse(s)
	require.NoError(t, err)
	return u
}

func readFixture(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile("testdata/" + name)
	require.NoError(t, err)
	return b
}

// assertInert checks that no field of a carries markup or script.
func assertInert(t *testing.T, a Article) {
	t.Helper()
	for name, v := range map[string]string{
		"Title": a.Title, "Byline": a.Byline, "SiteName": a.SiteName,
		"CanonicalURL": a.CanonicalURL, "Text": a.Text,
	} {
		low := strings.ToLower(v)
		for _, bad := range []string{"<script", "</script", "<style", "<img", "<iframe", "javascript:", "vbscript:"} {
			assert.NotContains(t, low, bad, "%s must be inert", name)
		}
	}
}

func TestExtractNewsPage(t *testing.T) {
	a, err := NewExtractor().Extract(readFixture(t, "news.html"), mustURL(t, "https://courier.example.org/local/riverside-footbridge?utm_source=feed#comments"))
	require.NoError(t, err)

	assert.Equal(t, "Riverside council approves new footbridge", a.Title)
	assert.Equal(t, "Priya Okafor", a.Byline)
	assert.Equal(t, "The Valley Courier", a.SiteName)
	assert.Equal(t, "https://courier.example.org/local/riverside-footbridge", a.CanonicalURL)
	require.NotNil(t, a.PublishedAt)
	assert.True(t, a.PublishedAt.Equal(time.Date(2024, 5, 14, 8, 30, 0, 0, time.UTC)), "published %v", a.PublishedAt)

	paras := strings.Split(a.Text, "\n\n")
	for _, p := range []string{
		"Councillors in Riverside voted seven to two",
		"estimated to cost 2.4 million pounds",
		"Opponents, led by the Mill Stream Residents' Association",
		"We have listened to every objection",
		"residents would study the full plan before deciding",
		"Construction is expected to start next spring",
	} {
		n := 0
		for _, para := range paras {
			if strings.Contains(para, p) {
				n++
			}
		}
		assert.Equal(t, 1, n, "one paragraph holds %q", p)
	}
	assert.GreaterOrEqual(t, len(paras), 6, "paragraphs separated by blank lines")

	for _, gone := range []string{
		"alert(", "onerror", "onload", "onclick", "tracking pixel", "dataLayer", "cookies", "Accept all", "Manage preferences",
		"Share on", "Tweet", "Leave a Reply", "Please enter", "Dave from Northgate", "nightmare every morning",
		"Market square redesign", "Station car park charges", "Privacy policy", "All rights reserved",
		"Weather", "Politics", "Courier-Header-Logo", "font-family",
	} {
		assert.NotContains(t, a.Text, gone)
	}
	assertInert(t, a)
}

func TestExtractWindows1252Upload(t *testing.T) {
	// An uploaded file in windows-1252 without a charset declaration: not
	// valid UTF-8, so it is read as windows-1252, the HTML default.
	a, err := NewExtractor().Extract(readFixture(t, "windows-1252.html"), nil)
	require.NoError(t, err)
	assert.Equal(t, "Montréal cafés count the cost of the new terrace rules", a.Title)
	assert.Contains(t, a.Text, "Café owners in Montréal say the city’s new terrace rules are “unfair” — and costly.")
	assert.Contains(t, a.Text, "Renée Duchesne")
	assert.Equal(t, "Le Petit Exemple", a.SiteName)
	require.NotNil(t, a.PublishedAt)
	assert.Equal(t, "2023-11-02", a.PublishedAt.Format("2006-01-02"))
}

func TestExtractStaleMetaCharset(t *testing.T) {
	// UTF-8 bytes still declaring windows-1252 (what Fetcher hands over
	// after converting) must not be decoded twice.
	page := `<html><head><meta charset="windows-1252"><title>Café news</title></head><body><article>` +
		`<p>Renée Duchesne said the terrace rules were “unfair” — and that the café would appeal against the ruling next month.</p>` +
		`<p>The city said owners had been consulted over three months last winter before the decision was taken.</p></article></body></html>`
	a, err := NewExtractor().Extract([]byte(page), nil)
	require.NoError(t, err)
	assert.Contains(t, a.Text, "Renée Duchesne said the terrace rules were “unfair” — and")
}

func TestExtractMetadataSources(t *testing.T) {
	body := `<article><p>` + strings.Repeat("The harbour board met on Tuesday to discuss the dredging contract and its cost. ", 4) + `</p>` +
		`<p>` + strings.Repeat("Members agreed to publish the full tender documents before the next meeting. ", 4) + `</p></article>`
	tests := []struct {
		name, head, pageURL string
		title, byline, site string
		canonical, date     string
	}{
		{
			name:  "json-ld only",
			head:  `<script type="application/ld+json">[{"@type":"BreadcrumbList"},{"@type":["NewsArticle"],"headline":"Harbour board backs dredging","datePublished":"2022-03-04T10:00:00Z","author":{"name":"Ola Berg"},"publisher":{"@type":"Organization","name":"Harbour Times"},"url":"https://harbour.example/dredging"}]</script>`,
			title: "Harbour board backs dredging", byline: "Ola Berg", site: "Harbour Times",
			canonical: "https://harbour.example/dredging", date: "2022-03-04T10:00:00Z",
		},
		{
			name:    "time element and url fallback",
			head:    `<title>Dredging row</title>`,
			pageURL: "https://www.harbour.example/news/1",
			title:   "Dredging row", site: "harbour.example",
			canonical: "https://www.harbour.example/news/1", date: "2021-07-08T00:00:00Z",
		},
		{
			name:    "unsafe canonical and markup in metadata",
			head:    `<meta property="og:title" content="Board &lt;script&gt;alert(1)&lt;/script&gt; backs plan"><meta name="author" content="&lt;img src=x onerror=alert(1)&gt;Kim Lee"><link rel="canonical" href="javascript:alert(1)"><meta property="og:url" content="data:text/html,hi">`,
			pageURL: "https://harbour.example/a?b=c#frag",
			title:   "Board backs plan", byline: "Kim Lee", site: "harbour.example",
			canonical: "https://harbour.example/a?b=c",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			page := "<html><head>" + tt.head + "</head><body>"
			if tt.date == "2021-07-08T00:00:00Z" {
				page += `<time datetime="2021-07-08">8 July</time>`
			}
			page += body + "</body></html>"
			var u *url.URL
			if tt.pageURL != "" {
				u = mustURL(t, tt.pageURL)
			}
			a, err := NewExtractor().Extract([]byte(page), u)
			require.NoError(t, err)
			assert.Equal(t, tt.title, a.Title)
			assert.Equal(t, tt.byline, a.Byline)
			assert.Equal(t, tt.site, a.SiteName)
			assert.Equal(t, tt.canonical, a.CanonicalURL)
			if tt.date == "" {
				assert.Nil(t, a.PublishedAt)
			} else if assert.NotNil(t, a.PublishedAt) {
				assert.Equal(t, tt.date, a.PublishedAt.UTC().Format(time.RFC3339))
			}
			assertInert(t, a)
		})
	}
}

func TestExtractQuotedMarkupIsInert(t *testing.T) {
	page := `<html><body><article><p>The security researcher showed how a comment containing &lt;script&gt;alert(document.cookie)&lt;/script&gt; could run in a browser that did not escape it.</p>` +
		`<p>She also showed a link written as javascript:void(0) and an image tag with &lt;img src=x onerror=alert(1)&gt; that the forum failed to clean.</p></article></body></html>`
	a, err := NewExtractor().Extract([]byte(page), nil)
	require.NoError(t, err)
	assertInert(t, a)
	// Quoted code stays readable as text, but no tag can open.
	assert.Contains(t, a.Text, "‹script>alert(document.cookie)‹/script>")
	assert.Contains(t, a.Text, "‹img src=x onerror=alert(1)>")
}

func TestExtractNoArticle(t *testing.T) {
	_, err := NewExtractor().Extract([]byte(`<html><head><title>x</title><script>alert(1)</script></head><body><nav>Home</nav></body></html>`), nil)
	assert.ErrorIs(t, err, ErrNoArticle)
	_, err = NewExtractor().Extract(nil, nil)
	assert.ErrorIs(t, err, ErrNoArticle)
}

func TestBlockText(t *testing.T) {
	page := `<div><h2>Sub  head</h2><p>One <b>bold</b>
	word.</p><p>Line one<br>line two</p><ul><li>first</li><li>second</li></ul><script>x()</script><style>p{}</style><table><tr><td>a</td><td>b</td></tr></table></div>`
	doc := mustParseHTML(t, page)
	assert.Equal(t, "Sub head\n\nOne bold word.\n\nLine one\nline two\n\nfirst\n\nsecond\n\na b", blockText(doc, false))
}

func TestDefang(t *testing.T) {
	assert.Equal(t, "a < b and c<5", defang("a < b and c<5"))
	assert.Equal(t, "‹script>x‹/script> ‹!-- c --> ‹?php", defang("<script>x</script> <!-- c --> <?php"))
	assert.Equal(t, "see JavaScriptalert(1)", defang("see JavaScript:alert(1)"))
}

func TestStripSiteSuffix(t *testing.T) {
	assert.Equal(t, "Bridge approved", stripSiteSuffix("Bridge approved | The Courier", "The Courier"))
	assert.Equal(t, "Bridge approved", stripSiteSuffix("Bridge approved - the courier", "The Courier"))
	assert.Equal(t, "The Courier", stripSiteSuffix("The Courier", "The Courier"))
	assert.Equal(t, "A - B", stripSiteSuffix("A - B", ""))
}

func TestParseDate(t *testing.T) {
	for in, want := range map[string]string{
		"2024-05-14T09:30:00+01:00":       "2024-05-14T08:30:00Z",
		"2024-05-14T09:30:00.123Z":        "2024-05-14T09:30:00Z",
		"2024-05-14T09:30:00+0100":        "2024-05-14T08:30:00Z",
		"2024-05-14 09:30:00":             "2024-05-14T09:30:00Z",
		"2024-05-14":                      "2024-05-14T00:00:00Z",
		"Tue, 14 May 2024 09:30:00 +0000": "2024-05-14T09:30:00Z",
		"May 14, 2024":                    "2024-05-14T00:00:00Z",
	} {
		got := parseDate(in)
		if assert.NotNil(t, got, in) {
			assert.Equal(t, want, got.UTC().Truncate(time.Second).Format(time.RFC3339), in)
		}
	}
	for _, in := range []string{"", "yesterday", "0001-01-01", "3024-01-01", "14/05/2024"} {
		assert.Nil(t, parseDate(in), in)
	}
}

func mustParseHTML(t testing.TB, s string) *html.Node {
	t.Helper()
	doc, err := html.Parse(strings.NewReader(s))
	require.NoError(t, err)
	return doc
}
