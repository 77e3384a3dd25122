package e2e

import (
	"io/fs"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"slant/frontend"
)

// TestBrowserCloserLook drives the "closer look" of the demo event in
// headless Chromium: the frame bars, the sources table, the "only here"
// marks in the columns and their switch, the labels table and the tone
// figures, at 1440 and 375 px. Like TestBrowser it needs Chromium.
func TestBrowserCloserLook(t *testing.T) {
	b := newPageBrowser(t, nil)
	base, out, ctx, console := b.base, b.out, b.ctx, b.console
	step, eval, text, check := b.step, b.eval, b.text, b.check

	step("open the demo event",
		chromedp.EmulateViewport(1440, 900),
		chromedp.Navigate(base+"/"),
		chromedp.WaitVisible(chromedp.CSS(".event-list .event-link")),
		chromedp.Click(chromedp.CSS(".event-list .event-link")),
		chromedp.WaitVisible(chromedp.CSS(".articles .article-body mark.finding")),
		chromedp.WaitVisible(chromedp.ID("closer-frames")),
	)

	// The closer look follows the texts: the overview and the columns
	// come first, at a glance.
	check("order", `(() => {
		const o = document.querySelector(".overview"), c = document.querySelector(".closer"), a = document.querySelector(".articles");
		return !!(o && c && a) && (o.compareDocumentPosition(a) & Node.DOCUMENT_POSITION_FOLLOWING) &&
			(a.compareDocumentPosition(c) & Node.DOCUMENT_POSITION_FOLLOWING) ? true : false; })()`)

	// Frames: one labelled SVG of bars per outlet, the stressed frames in
	// words, and the divergence with its explanation.
	check("frame bars", `(() => {
		const svgs = [...document.querySelectorAll("#closer-frames svg.frame-bars")];
		return svgs.length === 3 && new Set(svgs.map((s) => s.dataset.outlet)).size === 3 &&
			svgs.every((s) => s.getAttribute("role") === "img" && s.getAttribute("aria-label").length > 40 &&
				s.querySelectorAll("rect.frame-bar").length >= 3 && s.querySelector("g.frame-row title")); })()`)
	check("stressed in words", `/stresses morality/i.test(document.querySelector("#closer-frames .stressed-list").textContent)`)
	check("stressed bar", `document.querySelectorAll("#closer-frames .frame-row.stressed").length >= 2`)
	check("divergence", `(() => { const d = document.querySelector("#closer-frames .divergence");
		return !!d && /^0\.\d\d$/.test(d.querySelector(".figure-value").textContent) && d.textContent.includes("Jensen–Shannon"); })()`)
	step("show all frames", chromedp.Click(chromedp.CSS("#closer-frames .more-line button")))
	check("all frames", `document.querySelectorAll("#closer-frames svg.frame-bars")[0].querySelectorAll("g.frame-row").length === 15 &&
		!document.querySelector("#closer-frames .cue-box").hidden`)
	step("main frames again", chromedp.Click(chromedp.CSS("#closer-frames .more-line button")))

	// Sources: a table with headers and a caption that names the speakers,
	// marks loaded verbs with their reason, and counts the other sources.
	step("open the sources", chromedp.Click(chromedp.ID("closer-sources-toggle")),
		chromedp.WaitVisible(chromedp.CSS("#closer-sources .sources-table")))
	check("sources toggle", `document.getElementById("closer-sources-toggle").getAttribute("aria-expanded") === "true"`)
	check("Ruth Calloway", `[...document.querySelectorAll(".sources-table tbody th[scope=row]")].some((th) => th.textContent.includes("Ruth Calloway"))`)
	check("sources headers", `(() => { const t = document.querySelector(".sources-table");
		return !!t.querySelector("caption") && t.querySelectorAll("thead th[scope=col]").length === 4; })()`)
	check("loaded verb", `[...document.querySelectorAll(".sources-table .verb.loaded")].some((v) => v.textContent.startsWith("bragged") && v.title.length > 10)`)
	check("counts", `(() => { const rows = [...document.querySelectorAll(".counts-table tbody th")].map((th) => th.textContent);
		return ["Unnamed sources", "Views put to whole groups", "Claims put to nobody"].every((w) => rows.some((r) => r.startsWith(w))); })()`)
	check("reasons", `document.querySelectorAll(".verb-reasons dd").length >= 3`)

	// Only here: marks in the columns, nested with the loaded words, and a
	// legend switch that hides them.
	check("only-here marks", `[...document.querySelectorAll(".articles > .article")].filter((a) => a.querySelector(".only-here .only-tag")).length >= 2`)
	check("finding inside a passage", `document.querySelectorAll(".articles .only-here mark.finding").length >= 1`)
	check("unique terms", `document.querySelectorAll("#closer-content .chips.terms .chip").length >= 3`)
	visibleTags := `[...document.querySelectorAll(".articles .only-tag")].filter((e) => e.getClientRects().length > 0).length`
	if n := text("tags", `String(`+visibleTags+`)`); n == "0" {
		t.Error("no visible only-here tag")
	}
	step("hide the only-here marks", chromedp.Click(chromedp.ID("only-here-toggle")))
	check("marks hidden", visibleTags+` === 0 && document.getElementById("only-here-toggle").getAttribute("aria-pressed") === "false" &&
		getComputedStyle(document.querySelector(".articles .only-here")).boxShadow === "none"`)
	step("show them again", chromedp.Click(chromedp.ID("only-here-toggle")))
	check("marks back", visibleTags+` > 0`)

	// "Show in the text" in the content section brings the outlet's first
	// passage into view, and turns the marks back on if they were off.
	step("open the content section", chromedp.Click(chromedp.ID("closer-content-toggle")),
		chromedp.WaitVisible(chromedp.CSS("#closer-content .show-passages")))
	step("hide the marks, then ask for a passage",
		chromedp.Click(chromedp.ID("only-here-toggle")),
		chromedp.Evaluate[chromedp.Void](`document.querySelector("#closer-content .outlet-card:last-child .show-passages").click()`),
		chromedp.Sleep(900*time.Millisecond))
	check("passage in view", `(() => {
		const id = document.querySelector("#closer-content .outlet-card:last-child").dataset.articleId;
		const p = document.querySelector('.articles > .article[data-article-id="' + id + '"] .only-here');
		const r = p.getBoundingClientRect();
		return r.top >= 0 && r.bottom <= window.innerHeight &&
			document.getElementById("only-here-toggle").getAttribute("aria-pressed") === "true"; })()`)

	// Labels: "flophouse" is flagged as loaded, with its reason.
	check("flophouse", `[...document.querySelectorAll(".labels-table .label-word.loaded")].some((w) =>
		w.firstChild.textContent === "flophouse" && w.querySelector(".tag-loaded") && w.title.length > 10)`)
	check("labels headers", `(() => { const t = document.querySelector(".labels-table");
		return !!t.querySelector("caption") && t.querySelectorAll("thead th[scope=col]").length === 4 &&
			t.querySelectorAll("th[scope=rowgroup]").length === 2; })()`)

	// Tone: a card per outlet with its figures and plain sentences.
	check("tone cards", `document.querySelectorAll("#closer-tone .tone-card").length === 3 &&
		document.querySelectorAll("#closer-tone svg.tone-scale[role=img]").length === 3`)

	// Every control of the closer look is a real button with a name.
	check("buttons", `[...document.querySelectorAll(".closer button, #only-here-toggle")].every((b) =>
		b.tagName === "BUTTON" && b.textContent.trim().length > 0)`)

	// Open every section for the screenshots.
	step("open everything", chromedp.Evaluate[chromedp.Void](`
		document.querySelectorAll(".closer .disclose[aria-expanded=false]").forEach((b) => b.click());
		window.scrollTo(0, 0)`))
	saveFullShot(t, ctx, out, "closer-1440.png")
	step("scroll to the closer look", chromedp.Evaluate[chromedp.Void](`document.querySelector(".closer").scrollIntoView()`))
	saveShot(t, ctx, out, "closer-frames-1440.png")
	step("scroll to a passage", chromedp.Evaluate[chromedp.Void](
		`document.querySelector(".articles .only-here mark.finding").scrollIntoView({block: "center"})`))
	saveShot(t, ctx, out, "only-here-1440.png")

	step("narrow viewport", chromedp.EmulateViewport(375, 800), chromedp.Evaluate[chromedp.Void](`window.scrollTo(0, 0)`))
	if !eval("no sideways scroll at 375", `document.documentElement.scrollWidth <= window.innerWidth + 1`) {
		t.Errorf("at 375 px the page is %s px wide; widest: %s", text("width", `String(document.documentElement.scrollWidth)`),
			text("widest", `[...document.querySelectorAll("body *")].filter((e) => !e.closest(".table-scroll") && e.getBoundingClientRect().right > window.innerWidth + 1)
				.slice(0, 5).map((e) => e.tagName + "." + e.className.baseVal + e.className + " " + Math.round(e.getBoundingClientRect().right)).join(", ")`))
	}
	check("tables scroll in their box", `[...document.querySelectorAll(".closer .table-scroll")].every((b) =>
		b.clientWidth <= window.innerWidth && getComputedStyle(b).overflowX === "auto")`)
	saveFullShot(t, ctx, out, "closer-375.png")
	step("scroll to the frames", chromedp.Evaluate[chromedp.Void](`document.getElementById("closer-frames").scrollIntoView()`))
	saveShot(t, ctx, out, "closer-frames-375.png")

	step("settle", chromedp.Sleep(300*time.Millisecond))
	for _, p := range console.list() {
		t.Errorf("console: %s", p)
	}
	t.Logf("screenshots in %s", out)
}

// TestFrontendBuildsNoHTMLFromStrings keeps the page's rule that data
// becomes text nodes: no script parses HTML from a string.
func TestFrontendBuildsNoHTMLFromStrings(t *testing.T) {
	files, err := fs.Glob(frontend.Files(), "*.js")
	if err != nil || len(files) == 0 {
		t.Fatalf("no scripts found: %v", err)
	}
	for _, name := range files {
		data, err := fs.ReadFile(frontend.Files(), name)
		if err != nil {
			t.Fatal(err)
		}
		for _, bad := range []string{"innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "DOMParser", "createContextualFragment", `setAttribute("style"`, `style:`} {
			if strings.Contains(string(data), bad) {
				t.Errorf("%s uses %s", name, bad)
			}
		}
	}
}
