package e2e

// The browser test drives the real page in headless Chromium: the demo event,
// the highlights and their popover, the forms, and a stored-XSS check. It
// needs Debian's chromium (or $SLANT_CHROMIUM); without one it skips, except
// under CI, where a missing browser fails the test.

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// xssPayload is pasted as an article body. It must show as text and never run.
const xssPayload = `<script>window.__xss=1</script><img src=x onerror="window.__xss=2">`

func TestBrowser(t *testing.T) {
	b := newPageBrowser(t, nil)
	base, out, ctx, console := b.base, b.out, b.ctx, b.console
	step, eval, text, poll := b.step, b.eval, b.text, b.poll

	// 1. The events list shows the demo event; open it.
	step("open the events list",
		chromedp.EmulateViewport(1440, 900),
		chromedp.Navigate(base+"/"),
		chromedp.WaitVisible(chromedp.CSS(".event-list .event-link")),
	)
	if got := text("count events", `String(document.querySelectorAll(".event-list .event-card").length)`); got != "1" {
		t.Errorf("events listed = %s, want 1 (the demo event)", got)
	}
	if !eval("header", `document.querySelector(".site-header").textContent.replace(/\s+/g, " ").includes("Slant — compare how outlets cover the same event")`) {
		t.Error("the page header does not say what Slant is")
	}
	saveShot(t, ctx, out, "events-1440.png")
	checkByteOffsets(t, ctx)

	step("open the demo event",
		chromedp.Click(chromedp.CSS(".event-list .event-link")),
		chromedp.WaitVisible(chromedp.CSS(".article .article-body mark.finding")),
	)

	// 2. Every article is a column, and every article with findings shows
	// them as marks: the demo has three outlets, and its plain wire report
	// may rightly have none. The page must show exactly the findings that
	// the API reports, which checks the byte-to-UTF-16 offset conversion.
	type articleFindings struct {
		ID       int64 `json:"id"`
		Body     int   `json:"body"`
		Headline int   `json:"headline"`
	}
	want, err := chromedp.Run(ctx, chromedp.Evaluate[[]articleFindings](`(async () => {
		const id = location.hash.match(/events\/(\d+)/)[1];
		const ev = await (await fetch("/api/v1/events/" + id + "?include=report")).json();
		return ev.articles.map((a) => ({ id: a.id,
			body: (a.report.findings || []).length, headline: (a.report.title_findings || []).length }));
	})()`, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatalf("reading the demo event from the API: %v", err)
	}
	if len(want) < 3 {
		t.Fatalf("the demo event has %d articles, want at least 3", len(want))
	}
	withFindings := 0
	for _, a := range want {
		if a.Body > 0 {
			withFindings++
		}
	}
	if withFindings < 2 {
		t.Fatalf("only %d demo articles have findings; the comparison needs at least 2", withFindings)
	}
	poll("highlights in the columns", fmt.Sprintf(`[...document.querySelectorAll(".articles > .article")]
		.filter((a) => a.querySelector(".article-body mark.finding")).length >= %d`, withFindings))
	for _, a := range want {
		got := text("count marks", fmt.Sprintf(`(() => {
			const col = document.querySelector('.articles > .article[data-article-id="%d"]');
			if (!col) return "no column";
			const ids = (sel) => new Set([...col.querySelectorAll(sel)].map((m) => m.dataset.finding)).size;
			return ids(".article-body mark.finding") + "/" + ids(".article-title mark.finding");
		})()`, a.ID))
		if w := fmt.Sprintf("%d/%d", a.Body, a.Headline); got != w {
			t.Errorf("article %d: marked findings (body/headline) = %s, the API reports %s", a.ID, got, w)
		}
	}
	if !eval("chart", `(() => { const svg = document.querySelector("svg.chart");
		return !!svg && svg.getAttribute("role") === "img" && svg.getAttribute("aria-label").length > 20 &&
			!!svg.querySelector("title") && svg.querySelectorAll("rect.chart-bar").length >= 1; })()`) {
		t.Error("no labelled loaded-index chart with bars")
	}
	if !eval("legend", `document.querySelectorAll(".legend .legend-toggle").length >= 1`) {
		t.Error("no category legend")
	}
	if !eval("summary", `document.querySelectorAll(".summary-list li").length >= 1`) {
		t.Error("no plain-language summary")
	}
	if !eval("mark attributes", `[...document.querySelectorAll("mark.finding")].every((m) =>
		m.getAttribute("tabindex") === "0" && m.getAttribute("role") === "button" && m.getAttribute("aria-label"))`) {
		t.Error("a mark is not focusable, not a button or has no aria-label")
	}

	// A loaded word inside a quotation is styled apart from one in the
	// outlet's own voice.
	if !eval("quoted finding", `(() => {
		const q = document.querySelector(".article-body .quote mark.finding.in-quote");
		const own = document.querySelector(".article-body mark.finding:not(.in-quote)");
		if (!q || !own) return false;
		const sq = getComputedStyle(q), so = getComputedStyle(own);
		return sq.outlineStyle === "dotted" && sq.backgroundColor !== so.backgroundColor;
	})()`) {
		t.Error("no loaded word inside a quotation styled apart (dotted outline, no fill)")
	}

	// 3. Keyboard: focus a mark, Enter opens the popover, Escape closes it.
	step("open the popover with Enter",
		chromedp.Focus(chromedp.CSS(".article-body mark.finding:not(.in-quote)")),
		chromedp.KeyEvent(kb.Enter),
		chromedp.WaitVisible(chromedp.ID("popover")),
	)
	if reason := text("reason", `document.querySelector("#popover .popover-reason").textContent.trim()`); reason == "" {
		t.Error("the popover shows no reason")
	}
	if !eval("try instead", `document.querySelector("#popover").textContent.includes("Try instead")`) {
		t.Error(`the popover does not say "Try instead"`)
	}
	if !eval("popover role", `document.querySelector("#popover").getAttribute("role") === "dialog"`) {
		t.Error("the popover is not a dialog")
	}
	saveShot(t, ctx, out, "popover-1440.png")
	step("close the popover with Escape",
		chromedp.KeyEvent(kb.Escape),
		chromedp.WaitNotVisible(chromedp.ID("popover")),
	)
	if !eval("focus back", `!!document.activeElement && document.activeElement.matches("mark.finding")`) {
		t.Error("focus did not return to the mark after Escape")
	}

	// A click on a quoted word explains whose words they are.
	step("open the popover of a quoted word",
		chromedp.Click(chromedp.CSS(".article-body mark.finding.in-quote")),
		chromedp.WaitVisible(chromedp.ID("popover")),
	)
	if !eval("quote note", `document.querySelector("#popover").textContent.includes("the speaker's words, not the outlet's")`) {
		t.Error("the popover of a quoted word does not say the words are the speaker's")
	}
	step("close the popover with its button",
		chromedp.Click(chromedp.CSS("#popover .popover-close")),
		chromedp.WaitNotVisible(chromedp.ID("popover")),
	)

	// 4. Layout: columns side by side at 1440 px, stacked at 375 px, and no
	// sideways scrolling on a phone.
	sideBySide := `(() => { const a = document.querySelectorAll(".articles > .article");
		return a.length >= 2 && Math.abs(a[0].getBoundingClientRect().top - a[1].getBoundingClientRect().top) < 2 &&
			a[1].getBoundingClientRect().left > a[0].getBoundingClientRect().right; })()`
	if !eval("columns at 1440", sideBySide) {
		t.Error("at 1440 px the articles are not side by side")
	}
	step("scroll to the top", chromedp.Evaluate[chromedp.Void](`window.scrollTo(0, 0)`))
	saveFullShot(t, ctx, out, "event-1440.png")

	step("narrow viewport", chromedp.EmulateViewport(375, 800))
	poll("stacked at 375", `(() => { const a = document.querySelectorAll(".articles > .article");
		return a.length >= 2 && Math.abs(a[0].getBoundingClientRect().left - a[1].getBoundingClientRect().left) < 2; })()`)
	if !eval("no sideways scroll", `document.documentElement.scrollWidth <= window.innerWidth + 1`) {
		t.Errorf("at 375 px the page is %s px wide", text("width", `String(document.documentElement.scrollWidth)`))
	}
	saveFullShot(t, ctx, out, "event-375.png")
	step("wide viewport", chromedp.EmulateViewport(1440, 900))

	// 5. A new event through the form, and an article with markup in it: the
	// markup must show as text and never run.
	title := fmt.Sprintf("Browser test event %d", time.Now().UnixNano())
	step("go back to the events list",
		chromedp.Click(chromedp.CSS("a.brand")),
		chromedp.WaitVisible(chromedp.ID("new-event-form")),
	)
	step("create an event",
		chromedp.SendKeys(chromedp.ID("new-event-title"), title),
		chromedp.SendKeys(chromedp.ID("new-event-description"), "Made by the browser test."),
		chromedp.SetValue(chromedp.ID("new-event-date"), "2026-03-05"),
		chromedp.Click(chromedp.CSS(`#new-event-form button[type="submit"]`)),
		chromedp.WaitVisible(chromedp.ID("add-article-form")),
	)
	poll("event page", fmt.Sprintf(`document.querySelector("#event-title")?.textContent === %q`, title))

	// Accents, emoji and curly quotes before the loaded word shift byte
	// offsets away from UTF-16 indexes: the mark must still hold exactly it.
	body := "Crème brûlée fans 😀👍🏽 called the “district” a hellhole.\n\n" + xssPayload + "\n\nThe council met on Tuesday."
	step("add an article",
		chromedp.SendKeys(chromedp.ID("article-outlet"), "Test Outlet"),
		chromedp.SendKeys(chromedp.ID("article-domain"), "test.example"),
		chromedp.SendKeys(chromedp.ID("article-title"), "<b>Bold</b> headline"),
		chromedp.SetValue(chromedp.ID("article-text"), body),
		chromedp.Click(chromedp.CSS(`#add-article-form button[type="submit"]`)),
		chromedp.WaitVisible(chromedp.CSS(".articles > .article .article-body")),
	)
	// An injected <img> would fire onerror after a moment; give it the chance.
	step("wait", chromedp.Sleep(500*time.Millisecond))
	if !eval("no script ran", `typeof window.__xss === "undefined"`) {
		t.Errorf("stored markup ran: window.__xss = %s", text("xss", `String(window.__xss)`))
	}
	if !eval("markup as text", fmt.Sprintf(`document.querySelector(".articles > .article .article-body").textContent.includes(%q)`, xssPayload)) {
		t.Error("the pasted markup does not show literally in the article")
	}
	if !eval("no injected elements", `document.querySelectorAll(".articles script, .articles img, .article-title b").length === 0`) {
		t.Error("the pasted markup became elements")
	}
	if !eval("headline as text", `document.querySelector(".articles > .article .article-title").textContent.includes("<b>Bold</b>")`) {
		t.Error("the headline's markup does not show literally")
	}
	if !eval("hellhole marked", `[...document.querySelectorAll(".articles > .article mark.finding")].some((m) => m.textContent === "hellhole")`) {
		t.Errorf(`"hellhole" is not highlighted exactly; marks: %s`,
			text("marks", `JSON.stringify([...document.querySelectorAll(".articles > .article mark.finding")].map((m) => m.textContent))`))
	}
	step("narrow viewport", chromedp.EmulateViewport(375, 800), chromedp.Evaluate[chromedp.Void](`window.scrollTo(0, 0)`))
	saveFullShot(t, ctx, out, "new-event-375.png")

	// The same text again is a conflict, which the form shows inline.
	step("add the same text again",
		chromedp.SendKeys(chromedp.ID("article-outlet"), "Another Outlet"),
		chromedp.SetValue(chromedp.ID("article-text"), body),
		chromedp.Click(chromedp.CSS(`#add-article-form button[type="submit"]`)),
		chromedp.WaitVisible(chromedp.CSS("#add-article-form .form-error")),
	)
	if msg := text("conflict message", `document.querySelector("#add-article-form .form-error").textContent`); !strings.Contains(msg, "already") {
		t.Errorf("the duplicate article shows %q, want a message that the text is already there", msg)
	}
	if got := text("columns", `String(document.querySelectorAll(".articles > .article").length)`); got != "1" {
		t.Errorf("after the refused duplicate there are %s columns, want 1", got)
	}
	step("wide viewport", chromedp.EmulateViewport(1440, 900))

	// 6. Delete the new event (the confirm dialog is answered yes).
	step("delete the event",
		chromedp.Evaluate[chromedp.Void](`window.confirm = () => true`),
		chromedp.Click(chromedp.ID("delete-event")),
		chromedp.WaitVisible(chromedp.ID("new-event-form")),
	)
	poll("event gone", fmt.Sprintf(`!!document.querySelector(".event-list") &&
		![...document.querySelectorAll(".event-link")].some((a) => a.textContent === %q)`, title))

	// Let late console messages arrive, then check there were none.
	step("settle", chromedp.Sleep(300*time.Millisecond))
	for _, p := range console.list() {
		// The browser logs the refused duplicate's 409 itself; it is expected.
		if strings.Contains(p, "status of 409") {
			continue
		}
		t.Errorf("console: %s", p)
	}
	t.Logf("screenshots in %s", out)
}

// checkByteOffsets feeds the page's own byte-to-UTF-16 conversion
// (frontend/text.js) with byte offsets computed here in Go, over text with
// 2-, 3- and 4-byte characters, and checks that each slice comes back whole.
func checkByteOffsets(t *testing.T, ctx context.Context) {
	t.Helper()
	sample := "Crème brûlée 😀👍🏽 “hellholes” — naïve 𝒳 résumé, regime."
	type span struct {
		Start int    `json:"start"`
		End   int    `json:"end"`
		Want  string `json:"want"`
	}
	var spans []span
	for _, w := range []string{"Crème", "brûlée", "😀", "👍🏽", "“hellholes”", "hellholes", "—", "naïve", "𝒳", "résumé", "regime", "."} {
		i := strings.Index(sample, w)
		if i < 0 {
			t.Fatalf("%q not in the sample", w)
		}
		spans = append(spans, span{i, i + len(w), w})
	}
	js := fmt.Sprintf(`(async () => {
		const { byteConverter } = await import("/static/text.js");
		const text = %s, spans = %s;
		const at = byteConverter(text);
		return spans.map((s) => text.slice(at(s.start), at(s.end)));
	})()`, jsonOf(t, sample), jsonOf(t, spans))
	got, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](js, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatalf("byte offsets: %v", err)
	}
	for i, s := range spans {
		if i >= len(got) || got[i] != s.Want {
			t.Errorf("bytes [%d, %d) in the page = %q, want %q", s.Start, s.End, at(got, i), s.Want)
		}
	}
}
