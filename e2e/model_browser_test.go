package e2e

import (
	"fmt"
	"net/http"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestBrowserSentenceModel checks the sentence model on the page: a
// sentence the model reads as slanted without any listed word is marked
// quietly (a dashed underline, no flag, no popover) on the words that
// pushed it, the column lists it with "pushed by", and the comparison
// shows model slant beside the loaded index, which stays the ranking. The
// articles are made up for the test.
func TestBrowserSentenceModel(t *testing.T) {
	b := newPageBrowser(t, nil)
	var ev struct {
		ID int64 `json:"id"`
	}
	if code := postJSON(t, b.base+"/api/v1/events", map[string]string{"title": "Library opens"}, &ev); code != http.StatusCreated {
		t.Fatalf("new event: status %d", code)
	}
	for _, a := range []map[string]string{
		{"outlet": "Plain Post", "title": "Library opens", "text": "The new library opened on Monday. It has two floors and a reading room.\n\nThe city paid for the building from its budget."},
		{"outlet": "Glad Gazette", "title": "Library opens", "text": "The new library opened on Monday.\n\nResidents were thrilled and grateful for the wonderful new library."},
	} {
		var created struct {
			ID int64 `json:"id"`
		}
		if code := postJSON(t, fmt.Sprintf("%s/api/v1/events/%d/articles", b.base, ev.ID), a, &created); code != http.StatusCreated {
			t.Fatalf("new article: status %d", code)
		}
	}
	b.viewport(1440)
	b.open(fmt.Sprintf("#/events/%d", ev.ID), `document.querySelectorAll(".articles > .article .article-body").length === 2`)

	glad := `[...document.querySelectorAll(".articles > .article")].find((a) => a.querySelector(".outlet-name").textContent === "Glad Gazette")`
	plain := `[...document.querySelectorAll(".articles > .article")].find((a) => a.querySelector(".outlet-name").textContent === "Plain Post")`
	b.check("quiet marks, no flags", `(() => { const a = `+glad+`;
		const words = [...a.querySelectorAll(".article-body .model-word")].map((w) => w.textContent);
		return a.querySelectorAll(".article-body mark.finding").length === 0 && words.length >= 1 && words.length <= 3 &&
			words.every((w) => ["thrilled", "grateful", "wonderful"].includes(w)); })()`)
	b.check("quieter than a flag", `(() => { const w = `+glad+`.querySelector(".model-word"); const cs = getComputedStyle(w);
		return w.tagName === "SPAN" && cs.borderBottomStyle === "dashed" && (cs.backgroundColor === "rgba(0, 0, 0, 0)" || cs.backgroundColor === "transparent") &&
			/pushed by: /.test(w.title) && /no listed word/.test(w.title); })()`)
	b.check("pushed by, in the column", `(() => { const d = `+glad+`.querySelector(".model-sentences");
		return !!d && /1 more sentence/.test(d.querySelector("summary").textContent) &&
			/pushed by: /.test(d.querySelector(".model-pushed").textContent) &&
			d.querySelector(".model-sentence").textContent.startsWith("Residents were thrilled"); })()`)
	b.check("legend", `!!document.querySelector(".legend .legend-model")`)
	b.check("the plain outlet has none", `!`+plain+`.querySelector(".model-word, .model-sentences")`)
	b.check("model slant beside the loaded index", `(() => { const v = (a) => Number(a.querySelector(".model-slant-value").textContent);
		return v(`+glad+`) > v(`+plain+`) && `+glad+`.querySelector(".index-line").textContent.includes("model slant"); })()`)
	b.check("chart shows it", `[...document.querySelectorAll(".chart .chart-sub")].every((t) => /model slant 0\.\d\d/.test(t.textContent))`)
	b.step("click a model word", chromedp.Click(chromedp.CSS(".articles .model-word")))
	b.check("no popover for the model", `!document.querySelector(".popover:not([hidden])")`)
	b.shots("sentence-model")
	b.noConsoleErrors()
}
