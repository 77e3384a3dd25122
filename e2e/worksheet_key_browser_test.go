package e2e

// The worksheet's key against a running class exercise: an exercise keeps
// the answer lists it started with, while the teacher copy's key shows
// what Slant flags now. After the class word list changes, the teacher
// copy says so above the key (on screen and on paper), and the event
// page's exercise card and the class results say it too; the student copy
// says nothing of it.

import (
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

func TestBrowserWorksheetKeyMismatch(t *testing.T) {
	pdftotext := findPdftotext(t)
	b := newPageBrowser(t, nil)
	eventID, demo := demoEvent(t, b.base)
	beacon := demo["The Halvern Beacon"]
	const word = "warehouse" // in the demo texts, flagged by no built-in entry
	for _, a := range demo {
		for _, f := range append(slices.Clone(a.Own), a.Quoted...) {
			if strings.EqualFold(f.Text, word) {
				t.Fatalf("%q is already flagged in %s", word, a.Outlet)
			}
		}
	}
	var ex struct {
		Code string `json:"code"`
	}
	if code := sendJSON(t, "POST", fmt.Sprintf("%s/api/v1/events/%d/exercises", b.base, eventID), map[string]bool{"blind": false}, &ex); code != http.StatusCreated {
		t.Fatalf("starting an exercise: status %d", code)
	}
	teacherCopy := fmt.Sprintf("#/events/%d/worksheet?copy=teacher", eventID)
	studentCopy := fmt.Sprintf("#/events/%d/worksheet", eventID)
	keyShown := `!!document.querySelector(".ws-key .ws-key-outlet")`
	warehouseRows := `[...document.querySelectorAll(".ws-key-table tbody th")].filter((th) => th.textContent.toLowerCase() === "warehouse").length`

	b.viewport(1366)
	b.open(teacherCopy, keyShown)
	b.check("no notice while the lists match", `!document.getElementById("ws-key-mismatch")`)
	b.check("no warehouse in the key yet", warehouseRows+` === 0`)

	// A student checks one report: the exercise's lists are kept.
	b.open("#/x/"+ex.Code, `document.querySelectorAll(".pick-article .word").length > 100`)
	col := fmt.Sprintf(`.pick-article[data-article-id="%d"]`, beacon.ID)
	b.pickWord(beacon.ID, word, "pick-warehouse")
	b.step("check my picks", chromedp.Click(chromedp.CSS(col+" .check-one")))
	b.poll("result", `!!document.querySelector('`+col+` .check-result .score-box')`)
	b.check("warehouse is an extra", `document.querySelector('`+col+` .res-extras').textContent.includes("warehouse")`)

	// The teacher adds the word to the class word list.
	b.open("#/wordlist", `!!document.getElementById("word-form") && document.querySelectorAll("#word-category option").length >= 10`)
	b.step("add a word",
		chromedp.SendKeys(chromedp.ID("word-term"), word),
		chromedp.SetValue(chromedp.ID("word-category"), "pejorative-label"),
		chromedp.SendKeys(chromedp.ID("word-reason"), "Our class thinks it makes the shelter sound cold and bare."),
		chromedp.Click(chromedp.CSS(`#word-form button[type="submit"]`)),
	)
	b.poll("added", `!!document.querySelector('.wordlist-table tr[data-term="warehouse"]')`)

	// The teacher copy: the key shows the new word, and the notice says
	// the running exercise counts the words of before.
	b.open(teacherCopy, keyShown)
	b.check("the key shows the new word", warehouseRows+` > 0`)
	b.check("notice above the key", `(() => { const n = document.getElementById("ws-key-mismatch");
		const key = document.querySelector(".ws-key");
		return !!n && key.contains(n) && !!(n.compareDocumentPosition(key.querySelector(".ws-key-outlet")) & Node.DOCUMENT_POSITION_FOLLOWING); })()`)
	notice := b.text("notice", `document.getElementById("ws-key-mismatch").textContent`)
	for _, want := range []string{"This key does not match your class exercise.", "Class exercise " + ex.Code + " started before the word list changed.",
		"Students' checks in it count the words Slant flagged then.", "This key shows the words Slant flags now."} {
		if !strings.Contains(notice, want) {
			t.Errorf("the notice %q lacks %q", notice, want)
		}
	}
	b.check("the toolbar points to it", `document.getElementById("ws-key-pointer").textContent.includes("Read the note above the key")`)
	saveFullShot(t, b.ctx, b.out, "worksheet-key-mismatch-1366.png")
	pages := pdfPages(t, pdftotext, printPDF(t, b, "worksheet-key-mismatch.pdf"))
	keyPage := slices.IndexFunc(pages, func(p string) bool { return strings.Contains(p, "Answer key") })
	if keyPage < 0 || !strings.Contains(strings.Join(strings.Fields(pages[keyPage]), " "), "This key does not match your class exercise.") {
		t.Errorf("the printed key page does not carry the notice (key on page %d of %d)", keyPage+1, len(pages))
	}
	b.viewport(390)
	b.check("fits a phone", `document.getElementById("ws-key-mismatch").getBoundingClientRect().right <= document.documentElement.clientWidth`)
	saveFullShot(t, b.ctx, b.out, "worksheet-key-mismatch-390.png")
	b.viewport(1366)

	// The student copy asks nothing and says nothing of it.
	b.open(studentCopy, `document.querySelectorAll(".ws-article").length === 3`)
	b.check("no notice on the student copy", `!document.getElementById("ws-key-mismatch") && !document.getElementById("ws-key-pointer") &&
		!document.getElementById("ws-key-unchecked") &&
		!document.body.textContent.includes("word list changed")`)

	// Where else the teacher sees the exercise: its card and its results.
	b.open(fmt.Sprintf("#/events/%d", eventID), `!!document.getElementById("exercise-open")`)
	b.step("open the teaching tools", chromedp.Click(chromedp.ID("class-tools-open")))
	b.step("open the panel", chromedp.Click(chromedp.ID("exercise-open")))
	b.poll("card", `!!document.querySelector('#exercise-list .exercise-card[data-code="`+ex.Code+`"]')`)
	b.check("the card says so", `document.querySelector('.exercise-card[data-code="`+ex.Code+`"] .exercise-stale').textContent.startsWith("Started before the word list changed.")`)
	b.step("to the card", chromedp.Evaluate[chromedp.Void](`document.querySelector('.exercise-card[data-code="`+ex.Code+`"]').scrollIntoView({ block: "center" })`))
	saveShot(t, b.ctx, b.out, "exercise-card-key-mismatch-1366.png")
	b.open("#/x/"+ex.Code+"/results", `!!document.getElementById("results-count")`)
	b.check("the results say so", `document.getElementById("results-stale").textContent.startsWith("These results count the words Slant flagged when the exercise started.")`)

	// A new exercise uses the new list: only the old one is named; once the
	// old one is ended, the notice goes.
	var fresh struct {
		Code string `json:"code"`
	}
	if code := sendJSON(t, "POST", fmt.Sprintf("%s/api/v1/events/%d/exercises", b.base, eventID), map[string]bool{"blind": false}, &fresh); code != http.StatusCreated {
		t.Fatalf("starting a second exercise: status %d", code)
	}
	b.open(teacherCopy, keyShown)
	b.check("only the old exercise is named", `document.getElementById("ws-key-mismatch").textContent.includes("`+ex.Code+`") &&
		!document.getElementById("ws-key-mismatch").textContent.includes("`+fresh.Code+`")`)
	if code := sendJSON(t, "POST", b.base+"/api/v1/exercises/"+ex.Code+"/end", nil, nil); code != http.StatusOK {
		t.Fatalf("ending the exercise: status %d", code)
	}
	b.open(teacherCopy, keyShown)
	b.check("no notice once it has ended", `!document.getElementById("ws-key-mismatch") && !document.getElementById("ws-key-pointer")`)
	b.noConsoleErrors()
}
