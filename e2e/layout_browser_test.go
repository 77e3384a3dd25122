package e2e

// The comparison at a glance, measured in a real Chromium with
// getBoundingClientRect rather than pixels: on a laptop (1366×900) the
// summary, the index bars and the start of every article column are on the
// first screen, with the teaching panel folded to one line; on a phone
// (390 px) the summary and the bars come within two screens, nothing sticks
// out sideways and no label runs into its figure; sticky bars are opaque.

import (
	"fmt"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

func TestBrowserEventLayout(t *testing.T) {
	b := newPageBrowser(t, nil)
	eventID, _ := demoEvent(t, b.base)
	page := fmt.Sprintf("#/events/%d", eventID)
	// openAt opens the event page at a screen's size, shows its top, and
	// keeps a screenshot and where the parts sit.
	openAt := func(b *pageBrowser, width, height int64, shot string) {
		b.t.Helper()
		b.step("viewport", chromedp.EmulateViewport(width, height))
		b.open(page, `!!document.querySelector(".articles mark.finding") && !!document.querySelector("svg.chart")`)
		b.step("top", chromedp.Evaluate[chromedp.Void](`window.scrollTo(0, 0)`))
		saveShot(b.t, b.ctx, b.out, shot)
		b.t.Logf("at %d×%d: %s", width, height, b.text("figures", layoutFigures))
	}

	t.Run("laptop", func(t *testing.T) {
		b := b.in(t)
		openAt(b, 1366, 900, "layout-event-1366.png")
		b.check("summary on the first screen", `document.querySelector(".overview .summary").getBoundingClientRect().bottom <= innerHeight`)
		b.check("the bars on the first screen", `document.querySelector(".overview svg.chart").getBoundingClientRect().bottom <= innerHeight`)
		b.check("every column starts on the first screen: outlet and the headline's first line",
			`[...document.querySelectorAll(".articles > .article")].every((a) => {
				const t = a.querySelector(".article-title");
				return a.querySelector(".outlet-name").getBoundingClientRect().bottom <= innerHeight &&
					t.getBoundingClientRect().top + parseFloat(getComputedStyle(t).lineHeight) <= innerHeight; })`)
		b.check("no two texts of the index chart meet", chartTextsApart)
		b.check("the model slant beside every loaded index", `(() => { const rows = [...document.querySelectorAll("svg.chart .chart-row")];
			return rows.length === 3 && rows.every((r) => /^\d+(\.\d)? in quotations · model slant 0\.\d\d$/.test(r.querySelector(".chart-sub").textContent)); })()`)
		b.check("and explained under the bars", `document.querySelector(".chart-note").textContent.includes("Model slant: how slanted a sentence model reads")`)
		b.check("the legend's words are spaced", `document.querySelector(".legend .legend-model").closest("li").innerText.replace(/\s+/g, " ").trim() === "pushed the sentence model (no listed word)"`)
		b.check("the description folds to two lines, with a way to unfold it", `(() => { const d = document.getElementById("event-desc");
			return Math.round(d.getBoundingClientRect().height / parseFloat(getComputedStyle(d).lineHeight)) === 2 &&
				!document.getElementById("event-desc-more").hidden; })()`)
		b.step("unfold it", chromedp.Click(chromedp.ID("event-desc-more")))
		b.check("unfolded", `(() => { const d = document.getElementById("event-desc");
			return d.getBoundingClientRect().height / parseFloat(getComputedStyle(d).lineHeight) > 2.5 &&
				document.getElementById("event-desc-more").getAttribute("aria-expanded") === "true"; })()`)
		b.step("fold it again", chromedp.Click(chromedp.ID("event-desc-more")))
		b.check("the columns side by side", `(() => { const a = [...document.querySelectorAll(".articles > .article")];
			return a.length === 3 && a.every((x) => Math.abs(x.getBoundingClientRect().top - a[0].getBoundingClientRect().top) < 2); })()`)
		b.check("the teaching panel is one line until opened", `(() => { const p = document.querySelector(".class-tools");
			return p.getBoundingClientRect().height <= 60 && document.getElementById("class-tools-body").hidden &&
				document.getElementById("class-tools-open").getAttribute("aria-expanded") === "false"; })()`)
		b.step("open the teaching panel", chromedp.Click(chromedp.ID("class-tools-open")))
		b.check("opened", `!document.getElementById("class-tools-body").hidden && !!document.getElementById("worksheet-link").offsetParent`)
		b.check("blind mode's switch stays on the line", `!!document.getElementById("blind-toggle").closest(".class-tools-row")`)
		b.step("close it again", chromedp.Click(chromedp.ID("class-tools-open")))

		// Sticky bars hide what scrolls under them completely.
		b.step("scroll into the texts", chromedp.Evaluate[chromedp.Void](`document.querySelector(".articles .article-body").scrollIntoView()`))
		b.check("the legend sticks", `Math.abs(document.querySelector(".legend").getBoundingClientRect().top) < 1`)
		b.check("and is opaque", opaque(".legend"))
		saveShot(t, b.ctx, b.out, "layout-event-sticky-1366.png")
	})

	t.Run("phone", func(t *testing.T) {
		b := b.in(t)
		openAt(b, 390, 844, "layout-event-390-screen1.png")
		b.check("summary within two screens", `document.querySelector(".overview .summary").getBoundingClientRect().bottom <= 2 * innerHeight`)
		b.check("the bars within two screens", `document.querySelector(".overview svg.chart").getBoundingClientRect().bottom <= 2 * innerHeight`)
		b.step("second screen", chromedp.Evaluate[chromedp.Void](`window.scrollTo(0, innerHeight)`))
		saveShot(t, b.ctx, b.out, "layout-event-390-screen2.png")
		b.check("no sideways scroll", `document.documentElement.scrollWidth <= innerWidth + 1`)

		// No label meets its figure: the index bars, and the frames, where
		// "stressed" used to run into the share.
		b.step("open the frames", chromedp.Evaluate[chromedp.Void](`(() => { const f = document.getElementById("closer-frames");
			const open = f.querySelector("button.disclose"); if (open.getAttribute("aria-expanded") !== "true") open.click();
			f.scrollIntoView(); })()`))
		b.poll("frames shown", `document.querySelectorAll("#closer-frames .frame-row").length > 0 &&
			document.querySelector("#closer-frames .frame-row .frame-label").getBoundingClientRect().width > 0`)
		saveShot(t, b.ctx, b.out, "layout-frames-390.png")
		// At 390 and at the 360 of small phones.
		for _, width := range []int64{390, 360} {
			b.step("width", chromedp.EmulateViewport(width, 844), chromedp.Sleep(100*time.Millisecond))
			b.check(fmt.Sprintf("no two texts of the index chart meet at %d px", width), chartTextsApart)
			for _, rows := range []struct{ what, row, label, value string }{
				{"index bars", "svg.chart .chart-row", ".chart-label", ".chart-value"},
				{"frames", "#closer-frames .frame-row", ".frame-label", ".frame-value"},
			} {
				b.check(fmt.Sprintf("nothing overlaps in the %s at %d px", rows.what, width), fmt.Sprintf(`(() => { const rows = [...document.querySelectorAll(%q)];
					return rows.length > 0 && rows.every((r) => {
						const a = r.querySelector(%q).getBoundingClientRect(), v = r.querySelector(%q).getBoundingClientRect();
						return a.width > 0 && a.right + 4 <= v.left; }); })()`, rows.row, rows.label, rows.value))
			}
		}
		b.step("back to 390", chromedp.EmulateViewport(390, 844))
		b.check("a stressed frame is marked", `[...document.querySelectorAll("#closer-frames .frame-row.stressed .frame-value")].every((v) => v.textContent.startsWith("◆"))`)
		b.check("and the mark is explained", `document.querySelector("#closer-frames .frame-key").textContent.includes("stresses")`)
		b.shots("layout-event")
	})

	t.Run("student page", func(t *testing.T) {
		b := b.in(t)
		code := startExerciseLocal(t, b.base, eventID)
		b.step("viewport", chromedp.EmulateViewport(1366, 900))
		b.open("#/x/"+code, `document.querySelectorAll(".pick-article .word").length > 100`)
		b.step("scroll into the texts", chromedp.Evaluate[chromedp.Void](`document.querySelector(".pick-article .pick-body").scrollIntoView()`))
		b.check("the pick bar sticks", `Math.abs(document.querySelector(".pick-bar").getBoundingClientRect().top) < 1`)
		b.check("and is opaque", opaque(".pick-bar"))
	})
	b.noConsoleErrors()
}

// layoutFigures describes where the parts of the event page sit, in CSS
// pixels from the top of the page, for the test's log.
const layoutFigures = `(() => {
	const at = (sel) => { const e = document.querySelector(sel); if (!e) return "none";
		const r = e.getBoundingClientRect(); return Math.round(r.top + scrollY) + "–" + Math.round(r.bottom + scrollY); };
	return ["teaching panel " + at(".class-tools"), "summary " + at(".overview .summary"), "bars " + at(".overview svg.chart"),
		"legend " + at(".legend"), "first column's outlet " + at(".articles > .article .outlet-name"),
		"its headline " + at(".articles > .article .article-title"), "screen " + innerHeight].join(", "); })()`

// chartTextsApart is a check that in every row of the index chart the
// outlet's name ends before its index begins, and no text (name, index,
// the line of small figures) overlaps another text or a bar.
const chartTextsApart = `(() => { const rows = [...document.querySelectorAll("svg.chart .chart-row")];
	const meet = (a, b) => a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
	return rows.length > 0 && rows.every((r) => {
		const label = r.querySelector(".chart-label").getBoundingClientRect(), value = r.querySelector(".chart-value").getBoundingClientRect();
		const texts = [...r.querySelectorAll("text")].map((t) => t.getBoundingClientRect());
		const bars = [...r.querySelectorAll("rect")].map((x) => x.getBoundingClientRect());
		return label.width > 0 && label.right + 4 <= value.left &&
			texts.every((a, i) => texts.every((b, j) => i === j || !meet(a, b)) && bars.every((b) => !meet(a, b))); }); })()`

// opaque is a check that an element's background hides what is under it:
// a colour with no transparency.
func opaque(selector string) string {
	return fmt.Sprintf(`(() => { const c = getComputedStyle(document.querySelector(%q)).backgroundColor;
		const m = c.match(/^rgba?\(([^)]*)\)$/); if (!m) return false;
		const parts = m[1].split(/[ ,\/]+/).filter(Boolean);
		return parts.length === 3 || Number(parts[3]) === 1; })()`, selector)
}

// startExerciseLocal starts an exercise as the teacher at the server's
// own keyboard (no token configured).
func startExerciseLocal(t *testing.T, base string, eventID int64) string {
	t.Helper()
	var ex struct {
		Code string `json:"code"`
	}
	if status := postJSON(t, fmt.Sprintf("%s/api/v1/events/%d/exercises", base, eventID), map[string]bool{"blind": false}, &ex); status != 201 {
		t.Fatalf("starting an exercise: status %d", status)
	}
	return ex.Code
}
