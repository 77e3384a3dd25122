package ingest

import (
	"bytes"
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"mime"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"strings"
	"syscall"
	"time"
	"unicode/utf8"

	"golang.org/x/net/html/charset"
	"golang.org/x/text/encoding"
)

// Errors a fetch can end with; test with errors.Is. The API maps them to
// statuses (for example ErrBlockedAddress and ErrScheme to 400,
// ErrTooLarge to 413, ErrUnsupportedContentType to 415).
var (
	// ErrScheme means the URL is not http or https (also on a redirect).
	ErrScheme = errors.New("only http and https URLs can be fetched")
	// ErrInvalidURL means the URL could not be parsed, has no host or
	// carries a user name or password.
	ErrInvalidURL = errors.New("invalid URL")
	// ErrBlockedAddress means the host is, or resolves to, an address the
	// fetcher refuses: loopback, private, link-local, cloud metadata,
	// unspecified, multicast, shared (CGNAT) or otherwise not public.
	ErrBlockedAddress = errors.New("address not allowed")
	// ErrTooLarge means the response body is larger than MaxBytes.
	ErrTooLarge = errors.New("response too large")
	// ErrUnsupportedContentType means the response is not HTML, XHTML or
	// plain text.
	ErrUnsupportedContentType = errors.New("unsupported content type")
	// ErrTooManyRedirects means the server redirected more than
	// MaxRedirects times.
	ErrTooManyRedirects = errors.New("too many redirects")
)

// HTTPStatusError is returned when the server answers with a status other
// than 2xx.
type HTTPStatusError struct {
	// StatusCode is the HTTP status received.
	StatusCode int
	// URL is the address that answered (after redirects).
	URL string
}

// Error implements error.
func (e *HTTPStatusError) Error() string {
	return fmt.Sprintf("fetch %s: server answered %d %s", e.URL, e.StatusCode, http.StatusText(e.StatusCode))
}

// Defaults for FetcherOptions left at zero.
const (
	// DefaultMaxBytes is the default body size limit: 5 MiB.
	DefaultMaxBytes = 5 << 20
	// DefaultFetchTimeout bounds a whole fetch by default.
	DefaultFetchTimeout = 15 * time.Second
	// DefaultMaxRedirects is how many redirects are followed by default.
	DefaultMaxRedirects = 3
	// DefaultUserAgent names Slant in requests.
	DefaultUserAgent = "Slant/1.0 (media-bias comparison; article fetcher)"
)

// FetcherOptions configures a Fetcher. Zero values take the defaults.
type FetcherOptions struct {
	// AllowLoopback lets the fetcher connect to 127.0.0.0/8 and ::1. It is
	// meant for tests against httptest servers; every other blocked range
	// stays blocked.
	AllowLoopback bool
	// MaxBytes is the largest body accepted (default 5 MiB); a longer body
	// is an ErrTooLarge error, never silently truncated.
	MaxBytes int64
	// Timeout bounds the whole fetch, body included (default 15 s).
	Timeout time.Duration
	// MaxRedirects is how many redirects are followed (default 3); a
	// negative value follows none.
	MaxRedirects int
	// UserAgent is sent with each request (default DefaultUserAgent).
	UserAgent string
}

// Page is a fetched document, its body converted to UTF-8.
type Page struct {
	// URL is the address asked for.
	URL string
	// FinalURL is the address that answered, after redirects.
	FinalURL string
	// ContentType is the media type without parameters: text/html,
	// application/xhtml+xml or text/plain.
	ContentType string
	// Body is the document in UTF-8, byte order mark removed.
	Body []byte
}

// Fetcher downloads web pages for extraction without letting a submitted
// URL reach internal services: only http and https, no proxy, and every
// connection's address is checked when it is dialled, after DNS
// resolution, so a name that resolves (or re-resolves) to a blocked address
// is refused. A Fetcher is safe for concurrent use.
type Fetcher struct {
	opts   FetcherOptions
	client *http.Client
}

// NewFetcher returns a Fetcher with opts, zero fields set to defaults.
func NewFetcher(opts FetcherOptions) *Fetcher {
	if opts.MaxBytes <= 0 {
		opts.MaxBytes = DefaultMaxBytes
	}
	if opts.Timeout <= 0 {
		opts.Timeout = DefaultFetchTimeout
	}
	if opts.MaxRedirects == 0 {
		opts.MaxRedirects = DefaultMaxRedirects
	}
	if opts.UserAgent == "" {
		opts.UserAgent = DefaultUserAgent
	}
	f := &Fetcher{opts: opts}
	step := min(opts.Timeout, 10*time.Second)
	dialer := &net.Dialer{Timeout: step, KeepAlive: 30 * time.Second, Control: f.checkDial}
	transport := &http.Transport{
		Proxy:                  nil, // never send requests through a proxy
		DialContext:            dialer.DialContext,
		ForceAttemptHTTP2:      true,
		TLSClientConfig:        &tls.Config{MinVersion: tls.VersionTLS12},
		TLSHandshakeTimeout:    step,
		ResponseHeaderTimeout:  opts.Timeout,
		ExpectContinueTimeout:  time.Second,
		IdleConnTimeout:        30 * time.Second,
		MaxIdleConns:           16,
		MaxResponseHeaderBytes: 64 << 10,
	}
	f.client = &http.Client{
		Transport:     transport,
		Timeout:       opts.Timeout,
		CheckRedirect: f.checkRedirect,
	}
	return f
}

// Options returns the options in effect, defaults filled in.
func (f *Fetcher) Options() FetcherOptions { return f.opts }

// Fetch downloads rawURL and returns its body in UTF-8. It refuses
// non-http(s) URLs (ErrScheme), blocked addresses (ErrBlockedAddress),
// bodies over MaxBytes (ErrTooLarge), content other than HTML, XHTML and
// plain text (ErrUnsupportedContentType), more than MaxRedirects redirects
// (ErrTooManyRedirects) and non-2xx answers (*HTTPStatusError). The
// character set comes from a byte order mark, the Content-Type header or
// the document's <meta charset>, in that order, defaulting to UTF-8 when
// the bytes are valid UTF-8 and windows-1252 otherwise.
func (f *Fetcher) Fetch(ctx context.Context, rawURL string) (Page, error) {
	u, err := f.checkURL(rawURL)
	if err != nil {
		return Page{}, fmt.Errorf("fetch %s: %w", redact(rawURL), err)
	}
	ctx, cancel := context.WithTimeout(ctx, f.opts.Timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return Page{}, fmt.Errorf("fetch %s: %w", u, err)
	}
	req.Header.Set("User-Agent", f.opts.UserAgent)
	req.Header.Set("Accept", "text/html,application/xhtml+xml,text/plain;q=0.9,*/*;q=0.1")

	resp, err := f.client.Do(req)
	if err != nil {
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err
		}
		return Page{}, fmt.Errorf("fetch %s: %w", u, err)
	}
	defer resp.Body.Close()
	final := resp.Request.URL.String()

	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return Page{}, &HTTPStatusError{StatusCode: resp.StatusCode, URL: final}
	}
	header := resp.Header.Get("Content-Type")
	mediaType := ""
	if header != "" {
		mediaType = parseMediaType(header)
		if !acceptedType(mediaType) {
			return Page{}, fmt.Errorf("fetch %s: %w: %q (want text/html, application/xhtml+xml or text/plain)", final, ErrUnsupportedContentType, mediaType)
		}
	}
	if resp.ContentLength > f.opts.MaxBytes {
		return Page{}, fmt.Errorf("fetch %s: %w: %d bytes, limit %d", final, ErrTooLarge, resp.ContentLength, f.opts.MaxBytes)
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, f.opts.MaxBytes+1))
	if err != nil {
		return Page{}, fmt.Errorf("fetch %s: read body: %w", final, err)
	}
	if int64(len(body)) > f.opts.MaxBytes {
		return Page{}, fmt.Errorf("fetch %s: %w: more than %d bytes", final, ErrTooLarge, f.opts.MaxBytes)
	}
	if mediaType == "" {
		mediaType = parseMediaType(http.DetectContentType(body))
		if !acceptedType(mediaType) {
			return Page{}, fmt.Errorf("fetch %s: %w: no Content-Type and the body looks like %q", final, ErrUnsupportedContentType, mediaType)
		}
	}
	return Page{
		URL:         u.String(),
		FinalURL:    final,
		ContentType: mediaType,
		Body:        toUTF8(body, header, mediaType),
	}, nil
}

// checkURL parses a URL to fetch and checks its scheme, host and, for IP
// literals, the address.
func (f *Fetcher) checkURL(raw string) (*url.URL, error) {
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrInvalidURL, err)
	}
	return u, f.checkTarget(u)
}

// checkTarget vets a request target: http or https, a host, no user info,
// and an allowed address when the host is an IP literal (names are checked
// when dialled).
func (f *Fetcher) checkTarget(u *url.URL) error {
	if u.Scheme != "http" && u.Scheme != "https" {
		return fmt.Errorf("%w (got %q)", ErrScheme, u.Scheme)
	}
	if u.Hostname() == "" {
		return fmt.Errorf("%w: no host", ErrInvalidURL)
	}
	if u.User != nil {
		return fmt.Errorf("%w: user name or password in URL", ErrInvalidURL)
	}
	if ip, err := netip.ParseAddr(u.Hostname()); err == nil {
		if reason := blockedReason(ip, f.opts.AllowLoopback); reason != "" {
			return fmt.Errorf("%w: %s is %s", ErrBlockedAddress, ip, reason)
		}
	}
	return nil
}

// checkRedirect limits redirects and re-checks each target.
func (f *Fetcher) checkRedirect(req *http.Request, via []*http.Request) error {
	if f.opts.MaxRedirects < 0 || len(via) > f.opts.MaxRedirects {
		return fmt.Errorf("%w (limit %d)", ErrTooManyRedirects, max(f.opts.MaxRedirects, 0))
	}
	if err := f.checkTarget(req.URL); err != nil {
		return fmt.Errorf("redirect to %s: %w", redact(req.URL.String()), err)
	}
	return nil
}

// checkDial runs on every connection attempt with the resolved address;
// it is where DNS names meet the address rules.
func (f *Fetcher) checkDial(network, address string, _ syscall.RawConn) error {
	if network != "tcp4" && network != "tcp6" {
		return fmt.Errorf("%w: network %s", ErrBlockedAddress, network)
	}
	host, _, err := net.SplitHostPort(address)
	if err != nil {
		return fmt.Errorf("%w: %s", ErrBlockedAddress, address)
	}
	ip, err := netip.ParseAddr(host)
	if err != nil {
		return fmt.Errorf("%w: %s", ErrBlockedAddress, host)
	}
	if reason := blockedReason(ip, f.opts.AllowLoopback); reason != "" {
		return fmt.Errorf("%w: %s is %s", ErrBlockedAddress, ip, reason)
	}
	return nil
}

func parseMediaType(header string) string {
	mt, _, err := mime.ParseMediaType(header)
	if err != nil {
		mt, _, _ = strings.Cut(header, ";")
	}
	return strings.ToLower(strings.TrimSpace(mt))
}

func acceptedType(mt string) bool {
	return mt == "text/html" || mt == "application/xhtml+xml" || mt == "text/plain"
}

// toUTF8 converts a body to UTF-8. For HTML the order is byte order mark,
// header charset, <meta charset>, then UTF-8 if valid, else windows-1252;
// plain text skips the <meta> step.
func toUTF8(body []byte, header, mediaType string) []byte {
	var enc encoding.Encoding
	name := ""
	if mediaType == "text/plain" {
		enc, name = textEncoding(body, header)
	} else {
		enc, name, _ = charset.DetermineEncoding(body, header)
		// DetermineEncoding only looks at the first 1024 bytes to guess
		// UTF-8; a valid UTF-8 document without any declaration stays UTF-8.
		if name == "windows-1252" && !headerCharsetKnown(header) && !hasMetaCharset(body) && utf8.Valid(body) {
			enc, name = encoding.Nop, "utf-8"
		}
	}
	out := body
	if name != "utf-8" && enc != nil && enc != encoding.Nop {
		if d, err := enc.NewDecoder().Bytes(body); err == nil {
			out = d
		}
	}
	out = bytes.TrimPrefix(out, []byte("\xef\xbb\xbf"))
	return bytes.ToValidUTF8(out, []byte("\uFFFD"))
}

// textEncoding picks the encoding of a text/plain body: BOM, header
// charset, valid UTF-8, else windows-1252.
func textEncoding(body []byte, header string) (encoding.Encoding, string) {
	switch {
	case bytes.HasPrefix(body, []byte("\xef\xbb\xbf")):
		return encoding.Nop, "utf-8"
	case bytes.HasPrefix(body, []byte("\xfe\xff")):
		return charset.Lookup("utf-16be")
	case bytes.HasPrefix(body, []byte("\xff\xfe")):
		return charset.Lookup("utf-16le")
	}
	if _, params, err := mime.ParseMediaType(header); err == nil && params["charset"] != "" {
		if e, name := charset.Lookup(params["charset"]); e != nil {
			return e, name
		}
	}
	if utf8.Valid(body) {
		return encoding.Nop, "utf-8"
	}
	return charset.Lookup("windows-1252")
}

// headerCharsetKnown reports whether a Content-Type header names a
// charset the HTML standard knows.
func headerCharsetKnown(header string) bool {
	_, params, err := mime.ParseMediaType(header)
	if err != nil || params["charset"] == "" {
		return false
	}
	e, _ := charset.Lookup(params["charset"])
	return e != nil
}

// hasMetaCharset reports whether the first 1024 bytes of an HTML document
// appear to declare a charset.
func hasMetaCharset(body []byte) bool {
	head := body[:min(len(body), 1024)]
	return bytes.Contains(bytes.ToLower(head), []byte("charset"))
}

// redact drops user info from a URL for error messages.
func redact(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		if len(raw) > 100 {
			raw = raw[:100] + "…"
		}
		return fmt.Sprintf("%q", raw)
	}
	return u.Redacted()
}
