package api

import (
	"container/list"
	"fmt"
	"math"
	"net/http"
	"net/netip"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/gin-gonic/gin"
	"golang.org/x/time/rate"
)

// Rate is how many requests one client may make: Events per Per on
// average, with up to Burst at once. The zero Rate means no limit.
type Rate struct {
	Events int
	Per    time.Duration
	Burst  int
}

// The rates serve uses unless told otherwise. Writes are rare and made by
// people, analysis is a paste-and-look page that a class may use at once
// from one school address, and a URL fetch reaches out to another site.
// Reads are what a class opening the same page does from one address at
// once: some six reads a page, thirty pupils.
var (
	DefaultWriteRate   = Rate{Events: 5, Per: time.Second, Burst: 20}
	DefaultAnalyzeRate = Rate{Events: 20, Per: time.Second, Burst: 40}
	DefaultFetchRate   = Rate{Events: 1, Per: time.Second, Burst: 5}
	DefaultReadRate    = Rate{Events: 20, Per: time.Second, Burst: 200}
)

// DefaultIPv6Prefix is how many leading bits of an IPv6 address name one
// client for the rate limits: one subscriber usually holds a whole /64.
const DefaultIPv6Prefix = 64

// Enabled reports whether the rate limits anything.
func (r Rate) Enabled() bool { return r.Events > 0 && r.Per > 0 && r.Burst > 0 }

// String writes the rate the way ParseRate reads it, such as "5/s,burst=20",
// or "0" for no limit. A Per other than a second, minute or hour (which
// ParseRate never makes) is written as a Go duration.
func (r Rate) String() string {
	if !r.Enabled() {
		return "0"
	}
	unit := map[time.Duration]string{time.Second: "s", time.Minute: "m", time.Hour: "h"}[r.Per]
	if unit == "" {
		return fmt.Sprintf("%d/%s,burst=%d", r.Events, r.Per, r.Burst)
	}
	return fmt.Sprintf("%d/%s,burst=%d", r.Events, unit, r.Burst)
}

// maxRateNumber bounds the numbers ParseRate accepts; anything larger is a
// typo rather than a limit.
const maxRateNumber = 1_000_000

// ParseRate reads a rate written as "N/s", "N/m" or "N/h" (N requests a
// second, minute or hour), optionally followed by ",burst=B" for how many
// may come at once (B defaults to N). "0" means no limit. The error says
// what is wrong without naming a variable; the caller adds that.
func ParseRate(s string) (Rate, error) {
	s = strings.TrimSpace(s)
	if s == "0" {
		return Rate{}, nil
	}
	const form = `use N/s, N/m or N/h, optionally with ",burst=B" (such as 5/s,burst=20), or 0 for no limit`
	spec, burstSpec, hasBurst := strings.Cut(s, ",")
	count, unit, ok := strings.Cut(strings.TrimSpace(spec), "/")
	if !ok {
		return Rate{}, fmt.Errorf("%q is not a rate: %s", s, form)
	}
	n, err := strconv.Atoi(strings.TrimSpace(count))
	if err != nil || n < 1 || n > maxRateNumber {
		return Rate{}, fmt.Errorf("%q: the count must be a whole number from 1 to %d (%s)", s, maxRateNumber, form)
	}
	per, ok := map[string]time.Duration{"s": time.Second, "m": time.Minute, "h": time.Hour}[strings.TrimSpace(unit)]
	if !ok {
		return Rate{}, fmt.Errorf("%q: the unit must be s, m or h (%s)", s, form)
	}
	r := Rate{Events: n, Per: per, Burst: n}
	if hasBurst {
		key, value, ok := strings.Cut(strings.TrimSpace(burstSpec), "=")
		b, err := strconv.Atoi(strings.TrimSpace(value))
		if !ok || strings.TrimSpace(key) != "burst" || err != nil || b < 1 || b > maxRateNumber {
			return Rate{}, fmt.Errorf("%q: the burst must be written burst=B with B a whole number from 1 to %d (%s)", s, maxRateNumber, form)
		}
		r.Burst = b
	}
	return r, nil
}

// limit is the rate in events per second, for x/time/rate.
func (r Rate) limit() rate.Limit {
	return rate.Limit(float64(r.Events) / r.Per.Seconds())
}

// refill is how long an empty bucket takes to fill up again.
func (r Rate) refill() time.Duration {
	return time.Duration(float64(r.Burst) / float64(r.limit()) * float64(time.Second))
}

// Bounds of the per-client limiter tables.
const (
	// maxClients caps each table. When it is full, the client seen least
	// recently is dropped to make room: memory stays bounded however many
	// addresses a flood comes from.
	maxClients = 10_000
	// minIdle is how long a client must have been quiet before its entry
	// is dropped by the sweep.
	minIdle = 10 * time.Minute
)

// clientLimiters holds one token bucket per client for one kind of request.
// It is bounded twice over: entries idle for longer than idle are dropped
// as requests come in, and the table never holds more than max entries.
// Entries live in a list ordered by last use, most recent first, so that
// both the sweep and the eviction take entries from the back without
// scanning the whole table.
type clientLimiters struct {
	rate Rate
	idle time.Duration
	max  int
	now  func() time.Time
	// ipv6Prefix is how many leading bits of an IPv6 address name a
	// client; zero means DefaultIPv6Prefix.
	ipv6Prefix int

	mu      sync.Mutex
	clients map[string]*list.Element // of *clientEntry
	order   *list.List               // most recently used first
}

// clientEntry is one client's bucket and when it was last used.
type clientEntry struct {
	key      string
	limiter  *rate.Limiter
	lastSeen time.Time
}

// newClientLimiters returns the table for r, or nil when r does not limit
// anything (a nil table allows every request). An entry is dropped after
// ten minutes of quiet, or after the bucket's refill time when that is
// longer, so that dropping an entry never hands a client a fuller bucket
// than waiting would have.
func newClientLimiters(r Rate, capacity int, now func() time.Time) *clientLimiters {
	if !r.Enabled() {
		return nil
	}
	if now == nil {
		now = time.Now
	}
	return &clientLimiters{
		rate:    r,
		idle:    max(minIdle, r.refill()),
		max:     capacity,
		now:     now,
		clients: make(map[string]*list.Element),
		order:   list.New(),
	}
}

// allow takes one token from key's bucket. When the bucket is empty it
// takes nothing and says how long until a token will be there.
func (l *clientLimiters) allow(key string) (ok bool, retryAfter time.Duration) {
	if l == nil {
		return true, 0
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	l.sweep(now)

	var e *clientEntry
	if el, found := l.clients[key]; found {
		e = el.Value.(*clientEntry)
		e.lastSeen = now
		l.order.MoveToFront(el)
	} else {
		for l.order.Len() >= l.max {
			l.remove(l.order.Back())
		}
		e = &clientEntry{key: key, limiter: rate.NewLimiter(l.rate.limit(), l.rate.Burst), lastSeen: now}
		l.clients[key] = l.order.PushFront(e)
	}

	reservation := e.limiter.ReserveN(now, 1)
	if !reservation.OK() {
		// Only possible with a zero burst, which Enabled excludes.
		return false, l.rate.Per
	}
	delay := reservation.DelayFrom(now)
	if delay <= 0 {
		return true, 0
	}
	reservation.CancelAt(now)
	return false, delay
}

// sweep drops the entries that have been idle too long. They sit at the
// back of the list, so it stops at the first recent one.
func (l *clientLimiters) sweep(now time.Time) {
	for el := l.order.Back(); el != nil; el = l.order.Back() {
		if now.Sub(el.Value.(*clientEntry).lastSeen) < l.idle {
			return
		}
		l.remove(el)
	}
}

// remove drops one entry.
func (l *clientLimiters) remove(el *list.Element) {
	delete(l.clients, el.Value.(*clientEntry).key)
	l.order.Remove(el)
}

// size returns how many clients the table holds.
func (l *clientLimiters) size() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.order.Len()
}

// clientKey is the key a client's requests are counted under: its IP
// address, or for IPv6 its /64 network, since one subscriber usually holds
// a whole /64 and could otherwise take a fresh bucket per address.
func clientKey(ip string) string { return clientKeyWithin(ip, DefaultIPv6Prefix) }

// clientKeyWithin is clientKey with IPv6 addresses counted by their first
// bits bits (SLANT_RATE_IPV6_PREFIX).
func clientKeyWithin(ip string, bits int) string {
	addr, err := netip.ParseAddr(ip)
	if err != nil {
		return ip
	}
	addr = addr.Unmap()
	if addr.Is6() {
		prefix, err := addr.Prefix(bits)
		if err == nil {
			return prefix.String()
		}
	}
	return addr.String()
}

// key is the key a client is counted under in this table.
func (l *clientLimiters) key(ip string) string {
	if l == nil || l.ipv6Prefix == 0 {
		return clientKey(ip)
	}
	return clientKeyWithin(ip, l.ipv6Prefix)
}

// limited counts the request against l under the client's key. When the
// client's bucket is empty it ends the request with 429 and reports true.
// A nil l limits nothing.
func limited(c *gin.Context, l *clientLimiters) bool {
	ok, wait := l.allow(l.key(c.ClientIP()))
	if !ok {
		tooManyRequests(c, wait)
	}
	return !ok
}

// tooManyRequests ends the request with 429 and says when to try again.
func tooManyRequests(c *gin.Context, wait time.Duration) {
	seconds := int64(math.Ceil(wait.Seconds()))
	if seconds < 1 {
		seconds = 1
	}
	c.Header("Retry-After", strconv.FormatInt(seconds, 10))
	message := fmt.Sprintf("too many requests; try again in %d seconds", seconds)
	if seconds == 1 {
		message = "too many requests; try again in a second"
	}
	c.AbortWithStatusJSON(http.StatusTooManyRequests, ErrorBody{Error: message})
}

// limitAnalysis is the middleware of POST /api/v1/analyze: it counts
// against the analysis rate (Config.AnalyzeRate).
func (s *Server) limitAnalysis(c *gin.Context) { limited(c, s.analyzeLimits) }

// limitReads is the middleware of every route under /api/v1: a GET or
// HEAD counts against the read rate (Config.ReadRate). Writes and the
// read-like POSTs have rates of their own.
func (s *Server) limitReads(c *gin.Context) {
	if c.Request.Method == http.MethodGet || c.Request.Method == http.MethodHead {
		limited(c, s.readLimits)
	}
}

// limitFetches is the middleware for routes that fetch a URL on a client's
// behalf, attached in front of the handler as in
//
//	v1.POST("/fetch", s.limitFetches, s.fetchArticle)
//
// It counts against the fetch rate (Config.FetchRate), apart from writes
// and analysis, so that a client cannot make the server hammer other
// sites. A fetch route that stores nothing must also be added to
// readLikeRoutes in router.go; one that stores is a write and passes
// guardWrites (and the write rate) as well. Adding an article fetches only
// when the body holds a url and no text or html, which only the handler
// can tell: articleSource calls limited(c, s.fetchLimits) itself then.
func (s *Server) limitFetches(c *gin.Context) { limited(c, s.fetchLimits) }
