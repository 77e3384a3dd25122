package ingest

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/text/encoding/charmap"
)

// testFetcher allows loopback so that httptest servers on 127.0.0.1 can
// be reached; every other rule is as in production.
func testFetcher(opts FetcherOptions) *Fetcher {
	opts.AllowLoopback = true
	return NewFetcher(opts)
}

// serve starts a loopback test server answering with handler and counts
// the requests it receives.
func serve(t *testing.T, handler http.HandlerFunc) (*httptest.Server, *atomic.Int32) {
	t.Helper()
	var hits atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		handler(w, r)
	}))
	t.Cleanup(srv.Close)
	return srv, &hits
}

func TestFetchHTML(t *testing.T) {
	page := readFixture(t, "news.html")
	var ua string
	srv, _ := serve(t, func(w http.ResponseWriter, r *http.Request) {
		ua = r.Header.Get("User-Agent")
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		_, _ = w.Write(page)
	})
	p, err := testFetcher(FetcherOptions{UserAgent: "slant-test/1"}).Fetch(context.Background(), srv.URL+"/story")
	require.NoError(t, err)
	assert.Equal(t, srv.URL+"/story", p.URL)
	assert.Equal(t, srv.URL+"/story", p.FinalURL)
	assert.Equal(t, "text/html", p.ContentType)
	assert.Equal(t, page, p.Body)
	assert.Equal(t, "slant-test/1", ua)

	a, err := NewExtractor().Extract(p.Body, mustURL(t, p.FinalURL))
	require.NoError(t, err)
	assert.Equal(t, "Riverside council approves new footbridge", a.Title)
}

func TestFetchWindows1252WithHeader(t *testing.T) {
	page := readFixture(t, "windows-1252.html")
	require.False(t, utf8.Valid(page), "fixture must really be windows-1252")
	srv, _ := serve(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=windows-1252")
		_, _ = w.Write(page)
	})
	p, err := testFetcher(FetcherOptions{}).Fetch(context.Background(), srv.URL)
	require.NoError(t, err)
	require.True(t, utf8.Valid(p.Body))
	assert.Contains(t, string(p.Body), "Café owners in Montréal say the city’s new terrace rules are “unfair” — and costly.")

	a, err := NewExtractor().Extract(p.Body, mustURL(t, p.FinalURL))
	require.NoError(t, err)
	assert.Equal(t, "Montréal cafés count the cost of the new terrace rules", a.Title)
	assert.Contains(t, a.Text, "Renée Duchesne")
}

func TestFetchCharsets(t *testing.T) {
	greek := "Καλημέρα από την Αθήνα"
	greekBytes, err := charmap.ISO8859_7.NewEncoder().Bytes([]byte(greek))
	require.NoError(t, err)
	latin := "Ça coûte très cher"
	latinBytes, err := charmap.ISO8859_1.NewEncoder().Bytes([]byte(latin))
	require.NoError(t, err)
	utf16 := []byte{0xff, 0xfe}
	for _, r := range "<p>Grüße</p>" {
		utf16 = append(utf16, byte(r), byte(r>>8))
	}

	tests := []struct {
		name, contentType string
		body              []byte
		want              string
	}{
		{"header charset", "text/html; charset=ISO-8859-7", append([]byte("<p>"), greekBytes...), greek},
		{"meta charset", "text/html", append([]byte(`<html><head><meta charset="iso-8859-7"></head><body><p>`), greekBytes...), greek},
		{"http-equiv charset", "text/html", append([]byte(`<meta http-equiv="Content-Type" content="text/html; charset=iso-8859-7"><p>`), greekBytes...), greek},
		{"utf-8 without declaration", "text/html", []byte(strings.Repeat("<p>padding</p>", 100) + "<p>" + greek + "</p>"), greek},
		{"utf-8 BOM", "text/html", append([]byte("\xef\xbb\xbf<p>"), greek...), "<p>" + greek},
		{"utf-16 BOM", "text/html", utf16, "<p>Grüße</p>"},
		{"plain text with charset", "text/plain; charset=iso-8859-1", latinBytes, latin},
		{"plain text undeclared latin", "text/plain", latinBytes, latin},
		{"xhtml", "application/xhtml+xml; charset=iso-8859-1", latinBytes, latin},
		{"header beats meta", "text/html; charset=iso-8859-7", append([]byte(`<meta charset="iso-8859-1">`), greekBytes...), greek},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv, _ := serve(t, func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", tt.contentType)
				_, _ = w.Write(tt.body)
			})
			p, err := testFetcher(FetcherOptions{}).Fetch(context.Background(), srv.URL)
			require.NoError(t, err)
			assert.True(t, utf8.Valid(p.Body))
			assert.Contains(t, string(p.Body), tt.want)
			assert.False(t, strings.HasPrefix(string(p.Body), "\ufeff"), "BOM removed")
		})
	}
}

func TestFetchSniffsMissingContentType(t *testing.T) {
	srv, _ := serve(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header()["Content-Type"] = nil // stop net/http from sniffing for us
		_, _ = w.Write([]byte("<!DOCTYPE html><html><body><p>Hello</p></body></html>"))
	})
	p, err := testFetcher(FetcherOptions{}).Fetch(context.Background(), srv.URL)
	require.NoError(t, err)
	assert.Equal(t, "text/html", p.ContentType)

	bin, _ := serve(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header()["Content-Type"] = nil
		_, _ = w.Write([]byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"))
	})
	_, err = testFetcher(FetcherOptions{}).Fetch(context.Background(), bin.URL)
	assert.ErrorIs(t, err, ErrUnsupportedContentType)
}

func TestFetchRefusesContentTypes(t *testing.T) {
	for _, ct := range []string{"image/png", "application/json", "application/pdf", "video/mp4", "application/octet-stream"} {
		t.Run(ct, func(t *testing.T) {
			srv, _ := serve(t, func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", ct)
				_, _ = w.Write([]byte("{}"))
			})
			_, err := testFetcher(FetcherOptions{}).Fetch(context.Background(), srv.URL)
			assert.ErrorIs(t, err, ErrUnsupportedContentType)
			assert.Contains(t, err.Error(), ct)
		})
	}
}

func TestFetchSizeLimit(t *testing.T) {
	const limit = 1000
	body := func(n int) []byte { return []byte("<p>" + strings.Repeat("a", n-3)) }
	tests := []struct {
		name          string
		size          int
		contentLength bool
		wantErr       bool
	}{
		{"exactly the limit", limit, true, false},
		{"one over, streamed", limit + 1, false, true},
		{"far over, streamed", 50 * limit, false, true},
		{"over, declared length", limit + 1, true, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv, _ := serve(t, func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", "text/html")
				b := body(tt.size)
				if tt.contentLength {
					w.Header().Set("Content-Length", fmt.Sprint(len(b)))
					_, _ = w.Write(b)
					return
				}
				for len(b) > 0 { // chunked: no Content-Length
					n := min(len(b), 100)
					_, _ = w.Write(b[:n])
					w.(http.Flusher).Flush()
					b = b[n:]
				}
			})
			p, err := testFetcher(FetcherOptions{MaxBytes: limit}).Fetch(context.Background(), srv.URL)
			if tt.wantErr {
				assert.ErrorIs(t, err, ErrTooLarge)
				assert.Nil(t, p.Body, "no truncated body")
			} else {
				require.NoError(t, err)
				assert.Len(t, p.Body, limit)
			}
		})
	}
}

func TestFetchRedirects(t *testing.T) {
	var srv *httptest.Server
	srv, _ = serve(t, func(w http.ResponseWriter, r *http.Request) {
		var n int
		if _, err := fmt.Sscanf(r.URL.Path, "/hop/%d", &n); err == nil && n > 0 {
			http.Redirect(w, r, fmt.Sprintf("/hop/%d", n-1), http.StatusFound)
			return
		}
		switch r.URL.Path {
		case "/to-ftp":
			http.Redirect(w, r, "ftp://files.example.org/x", http.StatusFound)
		case "/to-unspecified":
			http.Redirect(w, r, "http://0.0.0.0:"+srv.URL[strings.LastIndex(srv.URL, ":")+1:]+"/", http.StatusFound)
		case "/to-metadata":
			http.Redirect(w, r, "http://169.254.169.254/latest/meta-data/", http.StatusFound)
		default:
			w.Header().Set("Content-Type", "text/html")
			_, _ = w.Write([]byte("<p>arrived at " + r.URL.Path + "</p>"))
		}
	})
	ctx := context.Background()

	p, err := testFetcher(FetcherOptions{}).Fetch(ctx, srv.URL+"/hop/3")
	require.NoError(t, err, "three redirects are allowed by default")
	assert.Equal(t, srv.URL+"/hop/0", p.FinalURL)
	assert.Equal(t, srv.URL+"/hop/3", p.URL)

	_, err = testFetcher(FetcherOptions{}).Fetch(ctx, srv.URL+"/hop/4")
	assert.ErrorIs(t, err, ErrTooManyRedirects)

	_, err = testFetcher(FetcherOptions{MaxRedirects: -1}).Fetch(ctx, srv.URL+"/hop/1")
	assert.ErrorIs(t, err, ErrTooManyRedirects)

	_, err = testFetcher(FetcherOptions{MaxRedirects: 1}).Fetch(ctx, srv.URL+"/hop/1")
	assert.NoError(t, err)

	_, err = testFetcher(FetcherOptions{}).Fetch(ctx, srv.URL+"/to-ftp")
	assert.ErrorIs(t, err, ErrScheme)

	// Redirect targets are re-checked: blocked before any connection.
	_, err = testFetcher(FetcherOptions{}).Fetch(ctx, srv.URL+"/to-unspecified")
	assert.ErrorIs(t, err, ErrBlockedAddress)
	_, err = testFetcher(FetcherOptions{}).Fetch(ctx, srv.URL+"/to-metadata")
	assert.ErrorIs(t, err, ErrBlockedAddress)
	assert.Contains(t, err.Error(), "metadata")
}

func TestFetchRefusesLoopbackByDefault(t *testing.T) {
	srv, hits := serve(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		_, _ = w.Write([]byte("<p>secret</p>"))
	})
	port := srv.URL[strings.LastIndex(srv.URL, ":")+1:]
	f := NewFetcher(FetcherOptions{})
	for _, u := range []string{
		srv.URL + "/",                    // http://127.0.0.1:PORT/, refused before dialling
		"http://localhost:" + port + "/", // a name: refused when dialled, after DNS
		"http://[::ffff:127.0.0.1]:" + port + "/",
		"http://[::1]:" + port + "/",
	} {
		_, err := f.Fetch(context.Background(), u)
		assert.ErrorIs(t, err, ErrBlockedAddress, u)
	}
	assert.Zero(t, hits.Load(), "the server must never be reached")

	// The dial-time check on its own (the path a DNS name takes).
	err := f.checkDial("tcp4", "127.0.0.1:"+port, nil)
	assert.ErrorIs(t, err, ErrBlockedAddress)
	assert.NoError(t, f.checkDial("tcp4", "93.184.216.34:443", nil))
	assert.ErrorIs(t, f.checkDial("udp", "93.184.216.34:53", nil), ErrBlockedAddress)
}

func TestFetchIgnoresProxyEnvironment(t *testing.T) {
	// A proxy would resolve names itself and bypass the dial check.
	t.Setenv("HTTP_PROXY", "http://127.0.0.1:1")
	t.Setenv("http_proxy", "http://127.0.0.1:1")
	srv, hits := serve(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain")
		_, _ = w.Write([]byte("direct"))
	})
	p, err := testFetcher(FetcherOptions{}).Fetch(context.Background(), srv.URL)
	require.NoError(t, err)
	assert.Equal(t, "direct", string(p.Body))
	assert.EqualValues(t, 1, hits.Load())
}

func TestFetchRejectsURLs(t *testing.T) {
	f := NewFetcher(FetcherOptions{})
	for u, want := range map[string]error{
		"ftp://files.example.org/a":     ErrScheme,
		"file:///etc/passwd":            ErrScheme,
		"javascript:alert(1)":           ErrScheme,
		"gopher://example.org/":         ErrScheme,
		"example.org/no-scheme":         ErrScheme,
		"http:///no-host":               ErrInvalidURL,
		"http://user:pw@example.org/":   ErrInvalidURL,
		"http://%zz/":                   ErrInvalidURL,
		"http://0.0.0.0/":               ErrBlockedAddress,
		"http://[::]/":                  ErrBlockedAddress,
		"http://169.254.169.254/latest": ErrBlockedAddress,
	} {
		_, err := f.Fetch(context.Background(), u)
		assert.ErrorIs(t, err, want, u)
		if err != nil {
			assert.NotContains(t, err.Error(), "pw@", "credentials not echoed")
		}
	}
}

func TestFetchStatusAndTimeout(t *testing.T) {
	srv, _ := serve(t, func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/missing":
			http.NotFound(w, r)
		case "/slow":
			select {
			case <-r.Context().Done():
			case <-time.After(5 * time.Second):
			}
		case "/slow-body":
			w.Header().Set("Content-Type", "text/html")
			_, _ = w.Write([]byte("<p>start"))
			w.(http.Flusher).Flush()
			select {
			case <-r.Context().Done():
			case <-time.After(5 * time.Second):
			}
		}
	})
	_, err := testFetcher(FetcherOptions{}).Fetch(context.Background(), srv.URL+"/missing")
	var se *HTTPStatusError
	require.True(t, errors.As(err, &se), "got %v", err)
	assert.Equal(t, http.StatusNotFound, se.StatusCode)

	f := testFetcher(FetcherOptions{Timeout: 200 * time.Millisecond})
	for _, path := range []string{"/slow", "/slow-body"} {
		start := time.Now()
		_, err = f.Fetch(context.Background(), srv.URL+path)
		assert.Error(t, err, path)
		assert.Less(t, time.Since(start), 3*time.Second, path)
	}

	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err = testFetcher(FetcherOptions{}).Fetch(ctx, srv.URL+"/slow")
	assert.ErrorIs(t, err, context.Canceled)
}

func TestFetcherDefaults(t *testing.T) {
	o := NewFetcher(FetcherOptions{}).Options()
	assert.Equal(t, FetcherOptions{MaxBytes: 5 << 20, Timeout: 15 * time.Second, MaxRedirects: 3, UserAgent: DefaultUserAgent}, o)
	assert.False(t, o.AllowLoopback)
}

func TestOutletFromURL(t *testing.T) {
	for raw, want := range map[string]string{
		"https://www.example.com/news/1":   "example.com",
		"https://WWW.Example.COM:8443/":    "example.com",
		"http://news.example.co.uk./world": "news.example.co.uk",
		"https://t4k3.example/":            "t4k3.example",
		"/relative/path":                   "",
	} {
		u, err := url.Parse(raw)
		require.NoError(t, err)
		name, domain := OutletFromURL(u)
		assert.Equal(t, want, domain, raw)
		assert.Equal(t, want, name, raw)
	}
	name, domain := OutletFromURL(nil)
	assert.Empty(t, name)
	assert.Empty(t, domain)
}
