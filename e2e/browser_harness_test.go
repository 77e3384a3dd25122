package e2e

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// pageBrowser is one headless Chromium on one test server, with the small
// helpers every browser test uses.
type pageBrowser struct {
	t       *testing.T
	base    string
	out     string
	ctx     context.Context
	console *consoleLog
	loads   *int
}

// in returns the browser for a subtest: the same page, failures reported
// to the subtest.
func (b *pageBrowser) in(t *testing.T) *pageBrowser {
	c := *b
	c.t = t
	return &c
}

// newPageBrowser starts the real server (startTestServer with env) and a
// headless Chromium with the flags this machine needs: no sandbox as root,
// and no background networking, which the closed network would refuse
// many times over. The whole session has a deadline of three minutes.
func newPageBrowser(t *testing.T, env map[string]string) *pageBrowser {
	t.Helper()
	chromium := findChromium(t)
	base := strings.TrimRight(startTestServer(t, env), "/")
	out := os.Getenv("SLANT_TEST_OUTPUT")
	if out == "" {
		out = t.TempDir()
	} else if err := os.MkdirAll(out, 0o755); err != nil {
		t.Fatal(err)
	}

	// A fresh profile. Its cleanup is registered before the allocator's, so
	// it runs after the browser has stopped (cleanups run last-in, first-out);
	// Chromium's helpers can still write for a moment, so removal retries.
	profile, err := os.MkdirTemp("", "slant-chromium-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		for range 50 {
			if err := os.RemoveAll(profile); err == nil {
				return
			}
			time.Sleep(100 * time.Millisecond)
		}
		t.Logf("could not remove the browser profile %s", profile)
	})
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(chromium),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.UserDataDir(profile),
		chromedp.WindowSize(1440, 900),
	)
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	t.Cleanup(cancelAlloc)
	browserCtx, cancelBrowser := chromedp.NewContext(allocCtx, chromedp.WithLogf(t.Logf))
	t.Cleanup(cancelBrowser)
	// Start the browser without a deadline: a deadline on the first run would
	// stop the whole browser when it passes.
	if err := chromedp.Do(browserCtx); err != nil {
		t.Fatalf("starting %s: %v", chromium, err)
	}
	console := &consoleLog{}
	messages := chromedp.Console(browserCtx)
	go func() {
		for m, err := range messages {
			if err != nil {
				return
			}
			if m.Type == chromedp.ConsoleError || m.IsException() {
				where := ""
				if m.URL != "" {
					where = fmt.Sprintf(" (%s:%d)", m.URL, m.Line+1)
				}
				console.add(m.String() + where)
			}
		}
	}()
	ctx, cancel := context.WithTimeout(browserCtx, 3*time.Minute)
	t.Cleanup(cancel)
	return &pageBrowser{t: t, base: base, out: out, ctx: ctx, console: console, loads: new(int)}
}

func (b *pageBrowser) step(name string, actions ...chromedp.Action[chromedp.Void]) {
	b.t.Helper()
	if err := chromedp.Do(b.ctx, actions...); err != nil {
		if errors.Is(err, context.DeadlineExceeded) {
			shot(b.t, b.ctx, b.out, failureShot(b.t))
		}
		b.t.Fatalf("%s: %v", name, err)
	}
}

func (b *pageBrowser) eval(name, js string) bool {
	b.t.Helper()
	ok, err := chromedp.Run(b.ctx, chromedp.Evaluate[bool](js))
	if err != nil {
		b.t.Fatalf("%s: %v", name, err)
	}
	return ok
}

func (b *pageBrowser) text(name, js string) string {
	b.t.Helper()
	s, err := chromedp.Run(b.ctx, chromedp.Evaluate[string](js))
	if err != nil {
		b.t.Fatalf("%s: %v", name, err)
	}
	return s
}

// check fails the test (and goes on) when js is false.
func (b *pageBrowser) check(name, js string) {
	b.t.Helper()
	if !b.eval(name, js) {
		b.t.Errorf("%s: %s is false", name, strings.Join(strings.Fields(js), " "))
	}
}

func (b *pageBrowser) poll(name, js string) {
	b.t.Helper()
	_, err := chromedp.Run(b.ctx, chromedp.Poll[bool](js,
		chromedp.WithPollingInterval(100*time.Millisecond),
		chromedp.WithPollingTimeout(20*time.Second)))
	if err != nil {
		shot(b.t, b.ctx, b.out, failureShot(b.t))
		b.t.Fatalf("%s: waiting for %s: %v", name, strings.Join(strings.Fields(js), " "), err)
	}
}

// open loads a route of the page afresh (a new query string makes it a
// real load, not a jump within the page) and waits until ready is true.
func (b *pageBrowser) open(route, ready string) {
	b.t.Helper()
	*b.loads++
	b.step("open "+route, chromedp.Navigate(fmt.Sprintf("%s/?load=%d%s", b.base, *b.loads, route)))
	b.poll("open "+route, ready)
}

// shots writes a full-page screenshot at 1440 and at 375 px, and checks
// that nothing sticks out sideways at 375 px.
func (b *pageBrowser) shots(name string) {
	b.t.Helper()
	b.step("wide", chromedp.EmulateViewport(1440, 900), chromedp.Evaluate[chromedp.Void](`window.scrollTo(0, 0)`), chromedp.Sleep(200*time.Millisecond))
	saveFullShot(b.t, b.ctx, b.out, name+"-1440.png")
	b.step("narrow", chromedp.EmulateViewport(375, 800), chromedp.Evaluate[chromedp.Void](`window.scrollTo(0, 0)`), chromedp.Sleep(200*time.Millisecond))
	if !b.eval("no sideways scroll", `document.documentElement.scrollWidth <= window.innerWidth + 1`) {
		b.t.Errorf("%s at 375 px is %s px wide; widest: %s", name, b.text("width", `String(document.documentElement.scrollWidth)`),
			b.text("widest", `[...document.querySelectorAll("body *")].filter((e) => !e.closest(".table-scroll") &&
				e.getBoundingClientRect().right > window.innerWidth + 1).slice(0, 5)
				.map((e) => e.tagName + "." + (e.className.baseVal ?? e.className) + " " + Math.round(e.getBoundingClientRect().right)).join(", ")`))
	}
	saveFullShot(b.t, b.ctx, b.out, name+"-375.png")
	b.step("wide again", chromedp.EmulateViewport(1440, 900))
}

// noConsoleErrors fails on console errors, except the statuses a test
// provoked on purpose.
func (b *pageBrowser) noConsoleErrors(expected ...string) {
	b.t.Helper()
	b.step("settle", chromedp.Sleep(300*time.Millisecond))
next:
	for _, p := range b.console.list() {
		for _, e := range expected {
			if strings.Contains(p, e) {
				continue next
			}
		}
		b.t.Errorf("console: %s", p)
	}
}

// failureShot names the screenshot taken when a step of t times out.
func failureShot(t *testing.T) string {
	return strings.NewReplacer("/", "_", " ", "_").Replace(t.Name()) + "-failure.png"
}

// findChromium returns the browser to drive: $SLANT_CHROMIUM, then
// /usr/bin/chromium, then chromium on the PATH. It skips the test when there is
// none, or fails it when CI is set.
func findChromium(t *testing.T) string {
	t.Helper()
	if p := os.Getenv("SLANT_CHROMIUM"); p != "" {
		if _, err := os.Stat(p); err != nil {
			t.Fatalf("SLANT_CHROMIUM=%s: %v", p, err)
		}
		return p
	}
	if _, err := os.Stat("/usr/bin/chromium"); err == nil {
		return "/usr/bin/chromium"
	}
	for _, name := range []string{"chromium", "chromium-browser"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	msg := "no chromium found (tried $SLANT_CHROMIUM, /usr/bin/chromium and chromium on the PATH); " +
		"install Debian's chromium package or set SLANT_CHROMIUM to run the browser test"
	if os.Getenv("CI") != "" {
		t.Fatal("CI is set and " + msg)
	}
	t.Skip(msg)
	return ""
}

// consoleLog collects the page's console errors and uncaught exceptions.
type consoleLog struct {
	mu       sync.Mutex
	problems []string
}

func (c *consoleLog) add(s string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.problems = append(c.problems, s)
}

func (c *consoleLog) list() []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]string(nil), c.problems...)
}

func at(s []string, i int) string {
	if i < len(s) {
		return s[i]
	}
	return "<missing>"
}

// jsonOf writes v as JSON, which is also a JavaScript literal.
func jsonOf(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// saveShot writes a screenshot of the viewport.
func saveShot(t *testing.T, ctx context.Context, dir, name string) {
	t.Helper()
	png, err := chromedp.Run(ctx, chromedp.CaptureScreenshot())
	if err != nil {
		t.Fatalf("screenshot %s: %v", name, err)
	}
	writeShot(t, dir, name, png)
}

// saveFullShot writes a screenshot of the whole page, as PNG.
func saveFullShot(t *testing.T, ctx context.Context, dir, name string) {
	t.Helper()
	png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		t.Fatalf("screenshot %s: %v", name, err)
	}
	writeShot(t, dir, name, png)
}

// shot is saveShot for failures: it only logs its own errors.
func shot(t *testing.T, ctx context.Context, dir, name string) {
	t.Helper()
	sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
	defer cancel()
	png, err := chromedp.Run(sctx, chromedp.CaptureScreenshot())
	if err != nil {
		t.Logf("screenshot %s: %v", name, err)
		return
	}
	writeShot(t, dir, name, png)
}

func writeShot(t *testing.T, dir, name string, png []byte) {
	t.Helper()
	path := filepath.Join(dir, name)
	if err := os.WriteFile(path, png, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("screenshot: %s", path)
}

// viewport resizes the page and lets it lay out again.
func (b *pageBrowser) viewport(width int64) {
	b.t.Helper()
	b.step("viewport", chromedp.EmulateViewport(width, 900), chromedp.Sleep(200*time.Millisecond))
}

// pickWord gives the first word span with this text in an article's
// column of the exercise an id, so that the mouse can click it.
func (b *pageBrowser) pickWord(articleID int64, word, id string) {
	b.t.Helper()
	ok := b.eval("find "+word, fmt.Sprintf(`(() => {
		const w = [...document.querySelectorAll('.pick-article[data-article-id="%d"] .word')].find((x) => x.textContent === %q);
		if (!w) return false;
		w.id = %q;
		w.scrollIntoView({ block: "center" });
		return true; })()`, articleID, word, id))
	if !ok {
		b.t.Fatalf("no word %q in the exercise column of article %d", word, articleID)
	}
	b.step("pick "+word, chromedp.Click(chromedp.ID(id)))
}
