package e2e

// A client that is really another machine: the test makes a network
// namespace of its own, joined to this one by a veth pair addressed from
// TEST-NET-2 (198.51.100.0/24, a documentation range), starts the real
// server on the host's end, and dials it from inside the namespace. The
// server sees the namespace's address, not loopback, exactly as it sees a
// student's laptop on the school network. It needs root (CI runs as root)
// and iproute2's ip; it is skipped with a message otherwise, and fails
// under CI=true.

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"net/netip"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/sys/unix"

	"slant/analysis"
	"slant/api"
	"slant/desk"
	"slant/models"
)

// netnsPrefix starts the name of every namespace these tests make, with
// the test process's id after it, so that one left by a killed run can be
// told apart and removed.
const netnsPrefix = "slant-e2e-"

// namespace is a network namespace with one end of a veth pair in it.
type namespace struct {
	name string
	host netip.Addr // this side's address, where the server listens
	peer netip.Addr // the namespace's address, the client's
}

// newNamespace makes a namespace and a veth pair between it and this one,
// on a /30 of 198.51.100.0/24 no interface here uses yet, and removes both
// when the test ends, whether it passes or not.
func newNamespace(t *testing.T) *namespace {
	t.Helper()
	needRoot(t)
	removeStaleNamespaces(t)
	ns := &namespace{name: fmt.Sprintf("%s%d-%s", netnsPrefix, os.Getpid(), randomHex(t, 3))}
	hostLink, peerLink := "sl"+randomHex(t, 3)+"h", "sl"+randomHex(t, 3)+"n" // at most 15 characters
	for range 20 {
		block := 4 * int(randomByte(t)%64)
		host := netip.AddrFrom4([4]byte{198, 51, 100, byte(block + 1)})
		if out, _ := exec.Command("ip", "-o", "addr", "show", "to", netip.PrefixFrom(host, 30).Masked().String()).Output(); len(bytes.TrimSpace(out)) == 0 {
			ns.host, ns.peer = host, netip.AddrFrom4([4]byte{198, 51, 100, byte(block + 2)})
			break
		}
	}
	if !ns.host.IsValid() {
		t.Fatal("no free /30 in 198.51.100.0/24 for the test's veth pair")
	}

	ip(t, "netns", "add", ns.name)
	// Deleting the namespace deletes the end inside it, and a veth pair
	// goes with either end; the host's end is deleted too in case it was
	// never moved.
	t.Cleanup(func() {
		_ = exec.Command("ip", "link", "del", hostLink).Run()
		if out, err := exec.Command("ip", "netns", "del", ns.name).CombinedOutput(); err != nil {
			t.Errorf("removing the namespace %s: %v: %s", ns.name, err, out)
		}
	})
	ip(t, "link", "add", hostLink, "type", "veth", "peer", "name", peerLink)
	ip(t, "link", "set", peerLink, "netns", ns.name)
	ip(t, "addr", "add", netip.PrefixFrom(ns.host, 30).String(), "dev", hostLink)
	ip(t, "link", "set", hostLink, "up")
	ip(t, "-n", ns.name, "addr", "add", netip.PrefixFrom(ns.peer, 30).String(), "dev", peerLink)
	ip(t, "-n", ns.name, "link", "set", peerLink, "up")
	ip(t, "-n", ns.name, "link", "set", "lo", "up")
	return ns
}

// needRoot skips the test without root (a namespace needs it), or fails it
// under CI, which runs as root.
func needRoot(t *testing.T) {
	t.Helper()
	msg := ""
	if os.Geteuid() != 0 {
		msg = "making a network namespace needs root; run as root (CI does) to test a client that is not on loopback"
	} else if _, err := exec.LookPath("ip"); err != nil {
		msg = "iproute2's ip is not installed (Debian package iproute2)"
	}
	if msg == "" {
		return
	}
	if os.Getenv("CI") == "true" {
		t.Fatal("CI=true and " + msg)
	}
	t.Skip(msg)
}

// removeStaleNamespaces deletes the namespaces of earlier runs of these
// tests whose process is gone (a run killed before its cleanup).
func removeStaleNamespaces(t *testing.T) {
	t.Helper()
	out, err := exec.Command("ip", "netns", "list").Output()
	if err != nil {
		return
	}
	for _, line := range strings.Split(string(out), "\n") {
		fields := strings.Fields(line) // "name (id: 3)"
		if len(fields) == 0 {
			continue
		}
		name := fields[0]
		rest, ok := strings.CutPrefix(name, netnsPrefix)
		if !ok {
			continue
		}
		pid, err := strconv.Atoi(strings.SplitN(rest, "-", 2)[0])
		if err != nil || pid == os.Getpid() || unix.Kill(pid, 0) == nil {
			continue
		}
		if err := exec.Command("ip", "netns", "del", name).Run(); err == nil {
			t.Logf("removed the namespace %s, left by a run that was killed", name)
		}
	}
}

func ip(t *testing.T, args ...string) {
	t.Helper()
	if out, err := exec.Command("ip", args...).CombinedOutput(); err != nil {
		t.Fatalf("ip %s: %v: %s", strings.Join(args, " "), err, out)
	}
}

func randomHex(t *testing.T, n int) string {
	t.Helper()
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

func randomByte(t *testing.T) byte {
	t.Helper()
	var b [1]byte
	_, _ = rand.Read(b[:])
	return b[0]
}

// dial opens a connection from inside the namespace: the socket is made
// on a thread that has joined the namespace, and belongs to it from then
// on. The thread goes back to this namespace before it is given back; if
// it cannot, it stays locked and ends with its goroutine.
func (ns *namespace) dial(ctx context.Context, network, address string) (net.Conn, error) {
	type result struct {
		conn net.Conn
		err  error
	}
	done := make(chan result, 1)
	go func() {
		runtime.LockOSThread()
		home, err := os.Open("/proc/thread-self/ns/net")
		if err != nil {
			done <- result{err: err}
			return
		}
		defer home.Close()
		target, err := os.Open(filepath.Join("/var/run/netns", ns.name))
		if err != nil {
			done <- result{err: err}
			return
		}
		defer target.Close()
		if err := unix.Setns(int(target.Fd()), unix.CLONE_NEWNET); err != nil {
			done <- result{err: fmt.Errorf("join the namespace: %w", err)}
			return
		}
		var d net.Dialer
		conn, err := d.DialContext(ctx, network, address)
		if unix.Setns(int(home.Fd()), unix.CLONE_NEWNET) == nil {
			runtime.UnlockOSThread()
		}
		done <- result{conn, err}
	}()
	r := <-done
	return r.conn, r.err
}

// client is an HTTP client that connects from inside the namespace.
func (ns *namespace) client() *http.Client {
	return &http.Client{Timeout: 20 * time.Second, Transport: &http.Transport{DialContext: ns.dial, DisableKeepAlives: true}}
}

// loopbackClient connects from 127.0.0.1, so that the server, listening on
// the veth's address, sees the machine it runs on.
func loopbackClient() *http.Client {
	d := &net.Dialer{LocalAddr: &net.TCPAddr{IP: net.IPv4(127, 0, 0, 1)}}
	return &http.Client{Timeout: 20 * time.Second, Transport: &http.Transport{DialContext: d.DialContext, DisableKeepAlives: true}}
}

// do sends one request through c, with body (when not nil) as JSON, and
// returns the status and the body.
func do(t *testing.T, c *http.Client, method, url, token string, body any) (int, string) {
	t.Helper()
	var data []byte
	if body != nil {
		var err error
		data, err = json.Marshal(body)
		require.NoError(t, err)
	}
	status, _, answer := sendWith(t, c, method, url, token, string(data))
	return status, answer
}

// serverRoutes is the router's own list of routes with their access, from
// a server built only to ask (its store is never used).
func serverRoutes(t *testing.T) []api.RouteAccess {
	t.Helper()
	store, err := models.Open(t.Context(), models.Config{Driver: models.DriverSQLite, DSN: filepath.Join(t.TempDir(), "routes.db")})
	require.NoError(t, err)
	t.Cleanup(func() { _ = store.Close() })
	lex, err := analysis.BuiltinLexicon()
	require.NoError(t, err)
	analyzer, err := analysis.NewAnalyzer(lex)
	require.NoError(t, err)
	routes := api.New(desk.New(store, analyzer, desk.Config{}), nil, api.Config{}).Routes()
	require.NotEmpty(t, routes)
	return routes
}

// remoteWalk is what a walk over every route fills the paths with: the
// demo event, one of its articles, an exercise and a word-list entry,
// made by the teacher.
type remoteWalk struct {
	eventID, articleID, entryID int64
	code                        string
}

func (w remoteWalk) path(pattern string) string {
	id := w.eventID
	switch {
	case strings.HasPrefix(pattern, "/api/v1/articles/"):
		id = w.articleID
	case strings.HasPrefix(pattern, "/api/v1/wordlist/"):
		id = w.entryID
	case strings.HasPrefix(pattern, "/api/v1/jobs/"):
		id = 1
	}
	return strings.NewReplacer(":id", fmt.Sprint(id), ":articleId", fmt.Sprint(w.articleID), ":code", w.code, "*filepath", "app.js").Replace(pattern)
}

func (w remoteWalk) body(method, pattern string, student string) any {
	switch method + " " + pattern {
	case "POST /api/v1/events", "PUT /api/v1/events/:id":
		return map[string]string{"title": "Walked"}
	case "POST /api/v1/events/:id/articles":
		return map[string]string{"outlet": "Walker", "text": "A plain report of the vote."}
	case "POST /api/v1/analyze":
		return map[string]string{"text": "The lawless camp was left to fester."}
	case "POST /api/v1/wordlist", "PUT /api/v1/wordlist/:id":
		return map[string]string{"category": "pejorative-label", "term": "riffraff", "reason": "Looks down on people."}
	case "POST /api/v1/events/:id/exercises":
		return map[string]bool{"blind": false}
	case "POST /api/v1/exercises/:code/submissions":
		return map[string]any{"student": student, "article_id": w.articleID, "picks": []any{}}
	}
	return nil
}

// setUpWalk makes, as the teacher, what the walk needs.
func setUpWalk(t *testing.T, teacher *http.Client, base, token string) remoteWalk {
	t.Helper()
	var events struct {
		Events []struct {
			ID int64 `json:"id"`
		} `json:"events"`
	}
	status, body := do(t, teacher, "GET", base+"/api/v1/events", token, nil)
	require.Equal(t, http.StatusOK, status, body)
	require.NoError(t, json.Unmarshal([]byte(body), &events))
	require.NotEmpty(t, events.Events, "the demo event")
	w := remoteWalk{eventID: events.Events[0].ID}
	var ev struct {
		Articles []struct {
			ID int64 `json:"id"`
		} `json:"articles"`
	}
	status, body = do(t, teacher, "GET", fmt.Sprintf("%s/api/v1/events/%d", base, w.eventID), token, nil)
	require.Equal(t, http.StatusOK, status, body)
	require.NoError(t, json.Unmarshal([]byte(body), &ev))
	w.articleID = ev.Articles[0].ID
	var ex struct {
		Code string `json:"code"`
	}
	status, body = do(t, teacher, "POST", fmt.Sprintf("%s/api/v1/events/%d/exercises", base, w.eventID), token, map[string]bool{"blind": true})
	require.Equal(t, http.StatusCreated, status, body)
	require.NoError(t, json.Unmarshal([]byte(body), &ex))
	w.code = ex.Code
	var entry struct {
		Entry struct {
			ID int64 `json:"id"`
		} `json:"entry"`
	}
	status, body = do(t, teacher, "POST", base+"/api/v1/wordlist", token, map[string]string{"category": "pejorative-label", "term": "drizzle", "reason": "A test word for the walk."})
	require.Equal(t, http.StatusCreated, status, body)
	require.NoError(t, json.Unmarshal([]byte(body), &entry))
	w.entryID = entry.Entry.ID
	return w
}

// stored sums up what the server holds that a refused request could have
// changed, as the teacher reads it: the events' titles, the event's
// articles, its exercises' state and the word list's terms. (Reports are
// left out: the background re-analysis after a word-list change redoes
// them at its own pace.)
func stored(t *testing.T, teacher *http.Client, base, token string, w remoteWalk) string {
	t.Helper()
	read := func(path string, into any) {
		status, body := do(t, teacher, "GET", base+path, token, nil)
		require.Equal(t, http.StatusOK, status, body)
		require.NoError(t, json.Unmarshal([]byte(body), into))
	}
	var events struct {
		Events []struct {
			Title string `json:"title"`
		} `json:"events"`
	}
	var ev struct {
		Title    string `json:"title"`
		Articles []struct {
			ID int64 `json:"id"`
		} `json:"articles"`
	}
	var exercises struct {
		Exercises []struct {
			Code     string `json:"code"`
			Revealed bool   `json:"revealed"`
			Open     bool   `json:"open"`
		} `json:"exercises"`
	}
	var words struct {
		Entries []struct {
			Term string `json:"term"`
		} `json:"entries"`
	}
	read("/api/v1/events", &events)
	read(fmt.Sprintf("/api/v1/events/%d", w.eventID), &ev)
	read(fmt.Sprintf("/api/v1/events/%d/exercises", w.eventID), &exercises)
	read("/api/v1/wordlist", &words)
	return fmt.Sprintf("%+v\n%+v\n%+v\n%+v", events, ev, exercises, words)
}

// TestRemoteClients: a Slant without a token serves a student's laptop
// (the namespace) only the student side and answers everything else 401
// with a message that tells the teacher to set SLANT_ADMIN_TOKEN, while
// the machine it runs on gets it all; with a token and SLANT_PUBLIC_READ,
// the laptop reads the collection, and with the token it is the teacher.
// Every route the router lists is walked from the laptop.
func TestRemoteClients(t *testing.T) {
	ns := newNamespace(t)
	routes := serverRoutes(t)
	laptop, keyboard := ns.client(), loopbackClient()
	addr := ns.host.String() + ":0"

	t.Run("no token", func(t *testing.T) {
		// Refusals count against the write rate; the walk makes many at once.
		base := startServer(t, map[string]string{"SLANT_ADDR": addr, "SLANT_DEMO": "1", "SLANT_RATE_WRITE": "0"}).base
		w := setUpWalk(t, keyboard, base, "")
		before := stored(t, keyboard, base, "", w)

		for _, r := range routes {
			status, body := do(t, laptop, r.Method, base+w.path(r.Path), "", w.body(r.Method, r.Path, "laptop-student-0001"))
			route := r.Method + " " + r.Path
			if r.Access == "student" {
				assert.NotContains(t, []int{401, 403}, status, "%s is the student side: %s", route, body)
				continue
			}
			assert.Equal(t, http.StatusUnauthorized, status, "%s from another machine: %s", route, body)
			if r.Method != http.MethodHead { // a HEAD answer has no body to tell
				assert.Contains(t, body, "SLANT_ADMIN_TOKEN", "%s: the refusal tells the teacher what to set", route)
			}
		}
		assert.Equal(t, before, stored(t, keyboard, base, "", w), "the laptop changed nothing")

		// The student side works end to end from the laptop, once.
		status, body := do(t, laptop, "GET", base+"/api/v1/exercises/"+w.code, "", nil)
		require.Equal(t, http.StatusOK, status, body)
		assert.NotContains(t, body, `"findings"`, "no answers in the student's view")
		second := w.body("POST", "/api/v1/exercises/:code/submissions", "laptop-student-0001")
		status, body = do(t, laptop, "POST", base+"/api/v1/exercises/"+w.code+"/submissions", "", second)
		assert.Equal(t, http.StatusConflict, status, "the walk's submission was the first and only one: %s", body)
		assert.Contains(t, body, "you already checked this article")
		status, body = do(t, laptop, "GET", base+"/", "", nil)
		assert.Equal(t, http.StatusOK, status)
		assert.Contains(t, body, "<!doctype html>")

		// The machine it runs on is the teacher: every read, and a write.
		for _, r := range routes {
			if r.Method != http.MethodGet {
				continue
			}
			status, body := do(t, keyboard, "GET", base+w.path(r.Path), "", nil)
			assert.NotContains(t, []int{401, 403}, status, "%s from this machine: %s", r.Path, body)
		}
		status, body = do(t, keyboard, "POST", base+"/api/v1/events", "", map[string]string{"title": "From the keyboard"})
		assert.Equal(t, http.StatusCreated, status, body)

		// This machine through its network address is not loopback: it is
		// served like any other machine.
		status, _ = do(t, http.DefaultClient, "GET", base+"/api/v1/events", "", nil)
		assert.Equal(t, http.StatusUnauthorized, status, "the host's own network address is not the machine's keyboard")
	})

	t.Run("token and public reading", func(t *testing.T) {
		base := startServer(t, map[string]string{"SLANT_ADDR": addr, "SLANT_DEMO": "1", "SLANT_RATE_WRITE": "0", "SLANT_ADMIN_TOKEN": serveToken, "SLANT_PUBLIC_READ": "1"}).base
		w := setUpWalk(t, laptop, base, serveToken)
		before := stored(t, laptop, base, serveToken, w)

		for _, r := range routes {
			route := r.Method + " " + r.Path
			status, body := do(t, laptop, r.Method, base+w.path(r.Path), "", w.body(r.Method, r.Path, "laptop-student-0002"))
			switch r.Access {
			case "student", "public read":
				assert.NotContains(t, []int{401, 403}, status, "%s is open to all here: %s", route, body)
			default:
				assert.Equal(t, http.StatusUnauthorized, status, "%s without the token: %s", route, body)
				status, body = do(t, laptop, r.Method, base+w.path(r.Path), "not-"+serveToken, w.body(r.Method, r.Path, "laptop-student-0003"))
				assert.Equal(t, http.StatusForbidden, status, "%s with a wrong token: %s", route, body)
				status, body = do(t, keyboard, r.Method, base+w.path(r.Path), "", w.body(r.Method, r.Path, "laptop-student-0004"))
				assert.Equal(t, http.StatusUnauthorized, status, "%s from this machine without the token: %s", route, body)
			}
		}
		assert.Equal(t, before, stored(t, laptop, base, serveToken, w), "refused requests changed nothing")

		// The token holder on the laptop is the teacher.
		for _, r := range routes {
			if r.Method != http.MethodGet {
				continue
			}
			status, body := do(t, laptop, "GET", base+w.path(r.Path), serveToken, nil)
			assert.NotContains(t, []int{401, 403}, status, "%s with the token: %s", r.Path, body)
		}
		status, body := do(t, laptop, "POST", base+"/api/v1/events", serveToken, map[string]string{"title": "From the laptop"})
		assert.Equal(t, http.StatusCreated, status, body)
	})
}
