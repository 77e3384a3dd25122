package e2e

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// spanishReport is the demo event's vote told in Spanish, written for this
// test.
const spanishReport = "El concejo municipal de Halvern votó el martes por la noche, por cinco votos contra cuatro, cerrar el " +
	"campamento de tiendas que hay bajo el puente de la calle Ashby antes del 30 de abril. La alcaldesa dijo que el nuevo " +
	"albergue tendrá ciento veinte camas y que abrirá sus puertas a mediados de abril. Los vecinos de la orilla del río " +
	"siguieron el debate hasta la medianoche."

// TestBrowserWhatTeachersPaste: a text in another language shows on the
// page, marked "not scored", with no marks and no figures, and stays out
// of the ranking, the summary, the exercise and the worksheet; a page's
// HTML pasted into the text box is read as a page, and the page says so.
func TestBrowserWhatTeachersPaste(t *testing.T) {
	b := newPageBrowser(t, nil)
	eventID, _ := demoEvent(t, b.base)
	page := fmt.Sprintf("#/events/%d", eventID)
	b.step("viewport", chromedp.EmulateViewport(1440, 900))
	b.open(page, `!!document.getElementById("add-article-form") && document.querySelectorAll(".articles > .article").length === 3`)
	b.step("paste a report in Spanish",
		chromedp.Evaluate[chromedp.Void](`document.querySelector("#add-article-form").closest("details").open = true`),
		chromedp.SendKeys(chromedp.ID("article-outlet"), "El Diario"),
		chromedp.SetValue(chromedp.ID("article-text"), spanishReport),
		chromedp.Click(chromedp.CSS(`#add-article-form button[type="submit"]`)),
	)
	b.poll("added", `document.querySelectorAll(".articles > .article").length === 4`)
	column := `document.querySelector(".articles > .article.not-scored")`
	b.check("its column says it is not scored, and why", column+` && `+column+`.querySelector(".not-scored-badge").textContent.startsWith(
		"Not scored: Slant's word lists are English, and this text reads as Spanish.")`)
	b.check("its text is there", column+`.querySelector(".article-body").textContent.includes("El concejo municipal de Halvern")`)
	b.check("with no marks and no figures", `!`+column+`.querySelector("mark, .model-word, .figures, .loaded-index")`)
	b.check("the other columns keep theirs, ranked among themselves", `document.querySelectorAll(".articles > .article:not(.not-scored) .figures").length === 3 &&
		[...document.querySelectorAll(".articles .rank")].map((r) => r.textContent.trim()).sort().join("|") === "· rank 1 of 3|· rank 2 of 3|· rank 3 of 3"`)
	b.check("the overview says it is left out", `document.getElementById("not-scored-note").textContent ===
		"Left out: El Diario (Spanish) — not scored: Slant's word lists are English."`)
	b.check("out of the ranking", `(() => { const rows = [...document.querySelectorAll("svg.chart .chart-label")].map((x) => x.textContent);
		return rows.length === 3 && rows.every((x) => !x.includes("El Diario")); })()`)
	b.check("and the summary", `!document.querySelector(".overview .summary-list").textContent.includes("El Diario")`)
	b.check("the legend counts the marks shown, none of the Spanish text's", `(() => {
		const both = Number(document.querySelector("#voice-both + .segment-text .count").textContent);
		const seen = new Set([...document.querySelectorAll(".articles mark.finding")].map((m) =>
			m.closest(".article").dataset.articleId + (m.closest(".article-title") ? "t" : "b") + m.dataset.finding));
		return both > 0 && both === seen.size; })()`)
	b.shots("not-scored")

	// The exercise and the worksheet leave it out too.
	code := startExerciseLocal(t, b.base, eventID)
	b.open("#/x/"+code, `document.querySelectorAll(".pick-article").length > 0`)
	b.check("three texts to pick in", `document.querySelectorAll(".pick-article").length === 3 &&
		!document.body.textContent.includes("El concejo municipal")`)
	b.open(page+"/worksheet", `document.querySelectorAll(".ws-article, .ws-text").length > 0`)
	b.check("not on the worksheet", `!document.body.textContent.includes("El Diario") && !document.body.textContent.includes("El concejo municipal")`)

	// HTML pasted as text.
	var ev struct {
		ID int64 `json:"id"`
	}
	if code := postJSON(t, b.base+"/api/v1/events", map[string]string{"title": "Bridge reopens"}, &ev); code != http.StatusCreated {
		t.Fatalf("new event: status %d", code)
	}
	source := "<article><h1>Bridge reopens after repairs</h1>\n" +
		"<p>The Ashby Street bridge reopened on Monday after four months of repairs, the city said.</p>\n" +
		"<p>Traffic was light in the <em>morning</em>. Buses return to the bridge next week.</p></article>"
	b.open(fmt.Sprintf("#/events/%d", ev.ID), `!!document.getElementById("add-article-form")`)
	b.step("paste a page's source",
		chromedp.SendKeys(chromedp.ID("article-outlet"), "Pasted Gazette"),
		chromedp.SetValue(chromedp.ID("article-text"), source),
		chromedp.Click(chromedp.CSS(`#add-article-form button[type="submit"]`)),
	)
	b.poll("added", `!!document.querySelector(".articles > .article .article-body")`)
	b.check("read as a page", `document.getElementById("ingest-note").textContent.startsWith("The pasted text was a web page (HTML)")`)
	b.check("no tags in the text", `(() => { const t = document.querySelector(".articles .article-body").textContent;
		return !t.includes("<") && t.includes("Traffic was light in the morning."); })()`)
	b.check("the headline from the page", `document.querySelector(".articles .article-title").textContent === "Bridge reopens after repairs"`)
	b.noConsoleErrors()
}

// TestBrowserPastedPageAndTooLong: a page's HTML pasted with no outlet
// takes the outlet the page names, as an upload does; a text over the
// limit is refused with the server's words, the limit in words and bytes.
func TestBrowserPastedPageAndTooLong(t *testing.T) {
	b := newPageBrowser(t, map[string]string{"SLANT_MAX_TEXT_BYTES": "2048", "SLANT_DEMO": "0"})
	var ev struct {
		ID int64 `json:"id"`
	}
	if code := postJSON(t, b.base+"/api/v1/events", map[string]string{"title": "Pool reopens"}, &ev); code != http.StatusCreated {
		t.Fatalf("new event: status %d", code)
	}
	b.step("viewport", chromedp.EmulateViewport(1440, 900))
	b.open(fmt.Sprintf("#/events/%d", ev.ID), `!!document.getElementById("add-article-form")`)
	page := `<!DOCTYPE html><html><head><title>Pool reopens | Valley Herald</title>
<meta property="og:site_name" content="Valley Herald"></head><body><article><h1>Pool reopens</h1>
<p>The town pool opened again on Friday after four months of repairs to its roof.</p>
<p>Swimmers queued at the gate before eight, and the manager said the water was warm.</p></article></body></html>`
	b.step("paste a page with no outlet",
		chromedp.SetValue(chromedp.ID("article-text"), page),
		chromedp.Click(chromedp.CSS(`#add-article-form button[type="submit"]`)),
	)
	b.poll("added", `!!document.querySelector(".articles > .article .article-body")`)
	b.check("the page names the outlet", `document.querySelector(".articles .outlet-name").textContent === "Valley Herald"`)

	b.step("prose with no outlet",
		chromedp.Evaluate[chromedp.Void](`document.querySelector("#add-article-form").closest("details").open = true`),
		chromedp.SetValue(chromedp.ID("article-text"), "The pool opened again on Friday."),
		chromedp.Click(chromedp.CSS(`#add-article-form button[type="submit"]`)),
	)
	b.poll("asked for the outlet", `(() => { const e = document.querySelector("#add-article-form .form-error");
		return !e.hidden && e.textContent === "Name the outlet that published the article."; })()`)

	b.step("paste one word list entry written two ways",
		chromedp.SendKeys(chromedp.ID("article-outlet"), "Forms Daily"),
		chromedp.SetValue(chromedp.ID("article-text"), "The council rammed through the plan on Monday. "+
			"A week later the mayor bulldozed through a second vote. The budget was rammed through as well."),
		chromedp.Click(chromedp.CSS(`#add-article-form button[type="submit"]`)),
	)
	b.poll("added", `document.querySelectorAll(".articles > .article").length === 2`)
	b.check("each form as written, with its own count", `(() => {
		const col = [...document.querySelectorAll(".articles > .article")].find((a) => a.querySelector(".outlet-name").textContent === "Forms Daily");
		return col.querySelector(".top-terms").textContent === "Strongest words: rammed through ×2, bulldozed through"; })()`)

	long := strings.Repeat("The pool opened again on Friday after repairs. ", 60)
	b.step("paste a text over the limit",
		chromedp.Evaluate[chromedp.Void](`document.querySelector("#add-article-form").closest("details").open = true`),
		chromedp.SetValue(chromedp.ID("article-outlet"), "Hill Gazette"),
		chromedp.SetValue(chromedp.ID("article-text"), long),
		chromedp.Click(chromedp.CSS(`#add-article-form button[type="submit"]`)),
	)
	b.poll("refused", `(() => { const e = document.querySelector("#add-article-form .form-error");
		return !e.hidden && e.textContent.includes("is too long"); })()`)
	msg := b.text("the message", `document.querySelector("#add-article-form .form-error").textContent`)
	if want := "Text is too long: this Slant accepts at most about 340 words (2,048 bytes). Paste a shorter part of the story."; msg != want {
		t.Errorf("message %q, want %q", msg, want)
	}
	b.check("no article added", `document.querySelectorAll(".articles > .article").length === 2`)
	b.noConsoleErrors("413")
}
