package e2e

// The student's side of a lesson in a real Chromium, on a Slant with an
// admin token the browser does not hold: what a student's laptop sees. The
// page must show nothing that leads to the teacher's views, never ask the
// server for them, take one check per report, ask before checking no
// picks, and speak plainly on the result card.

import (
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"sync"
	"testing"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
)

// requestLog records every request the page makes, with its status.
type requestLog struct {
	mu   sync.Mutex
	seen []string // "GET /api/v1/exercises/ABC234 200"
}

func (l *requestLog) add(s string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.seen = append(l.seen, s)
}

func (l *requestLog) list() []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return append([]string(nil), l.seen...)
}

// watchRequests starts recording the page's requests to the server.
func watchRequests(t *testing.T, b *pageBrowser) *requestLog {
	t.Helper()
	log := &requestLog{}
	methods := sync.Map{}
	// chromedp enables the network domain for every tab it opens.
	err := chromedp.Listen(b.ctx, func(ev any) {
		switch e := ev.(type) {
		case *network.EventRequestWillBeSent:
			methods.Store(e.RequestID, e.Request.Method)
		case *network.EventResponseReceived:
			if !strings.HasPrefix(e.Response.URL, b.base) {
				return
			}
			method, _ := methods.Load(e.RequestID)
			path := strings.TrimPrefix(e.Response.URL, b.base)
			log.add(fmt.Sprintf("%v %s %d", method, path, e.Response.Status))
		}
	})
	if err != nil {
		t.Fatalf("listening to the page's requests: %v", err)
	}
	return log
}

func TestBrowserStudentPage(t *testing.T) {
	b := newPageBrowser(t, map[string]string{"SLANT_ADMIN_TOKEN": serveToken})
	eventID, demo := demoEventAs(t, b.base, serveToken)
	beacon := demo["The Halvern Beacon"]
	code := startExercise(t, b.base, eventID, true)
	requests := watchRequests(t, b)

	b.step("viewport", chromedp.EmulateViewport(1366, 900))
	b.open("#/x/"+code, `document.querySelectorAll(".pick-article .word").length > 100`)
	saveShot(t, b.ctx, b.out, "student-page-1366.png")

	// No way to the teacher's views: the header's links are gone, the
	// brand and the breadcrumb lead to the class-code box, and no link on
	// the page goes anywhere else.
	b.check("no header links", `document.querySelectorAll(".site-nav a").length === 0`)
	b.check("brand leads to the code box", `document.querySelector(".brand").getAttribute("href") === "#/join"`)
	links := b.text("links", `JSON.stringify([...document.querySelectorAll("a[href]")].map((a) => a.getAttribute("href")))`)
	for _, href := range regexp.MustCompile(`"([^"]*)"`).FindAllStringSubmatch(links, -1) {
		if h := href[1]; h != "#/join" && h != "#main" && h != "#/x/"+code {
			t.Errorf("the student page links to %q", h)
		}
	}
	b.check("no answers on the page", `document.querySelectorAll("mark, .finding, .res-miss").length === 0`)
	b.check("keyboard help with a mouse", `getComputedStyle(document.getElementById("pick-help")).display !== "none"`)
	// On a phone (narrow, or a coarse pointer) the keyboard's way is not shown.
	b.step("phone width", chromedp.EmulateViewport(375, 800))
	b.check("no keyboard help on a phone", `getComputedStyle(document.getElementById("pick-help")).display === "none"`)
	b.step("desktop again", chromedp.EmulateViewport(1366, 900))

	// Zero picks: the question, once; "Go back" sends nothing.
	col := fmt.Sprintf(`.pick-article[data-article-id="%d"]`, beacon.ID)
	b.step("check with no picks", chromedp.Evaluate[chromedp.Void](`document.querySelector('`+col+` .check-one').scrollIntoView({block: "center"})`),
		chromedp.Click(chromedp.CSS(col+" .check-one")))
	b.poll("asked", `!document.querySelector('`+col+` .zero-pick-question').hidden`)
	if got := b.text("question", `document.querySelector('`+col+` .zero-pick-question .question').textContent`); got != "You picked no words. Check anyway?" {
		t.Errorf("the question is %q", got)
	}
	b.check("the answer is the focus", `document.activeElement === document.querySelector('`+col+` .confirm-yes')`)
	saveShot(t, b.ctx, b.out, "student-zero-picks-1366.png")
	b.step("go back", chromedp.Click(chromedp.CSS(col+" .confirm-no")))
	b.check("question gone", `document.querySelector('`+col+` .zero-pick-question').hidden`)
	b.check("nothing sent", `!document.querySelector('`+col+` .score-box')`)
	for _, r := range requests.list() {
		if strings.Contains(r, "/submissions") {
			t.Errorf("going back sent %s", r)
		}
	}

	// Pick one loaded word and one plain word, check: the card in plain
	// words, no figures, no null.
	loaded := ""
	for _, f := range beacon.Own {
		if !strings.ContainsAny(f.Text, " -'") {
			loaded = f.Text
			break
		}
	}
	b.pickWord(beacon.ID, loaded, "pick-loaded")
	b.pickWord(beacon.ID, "warehouse", "pick-neutral")
	b.step("check", chromedp.Click(chromedp.CSS(col+" .check-one")))
	b.poll("result", `!!document.querySelector('`+col+` .score-box')`)
	want := fmt.Sprintf("You found 1 of the %d words Slant flags.", len(beacon.Own))
	if got := b.text("first line", `document.querySelector('`+col+` .score-words').textContent`); got != want {
		t.Errorf("the card says %q, want %q", got, want)
	}
	if got := b.text("second line", `document.querySelector('`+col+` .score-sub').textContent`); got != "1 of your picks is not on Slant's list: talk about it with your class." {
		t.Errorf("the card's second line is %q", got)
	}
	b.check("no null", `!/\bnull\b/.test(document.querySelector("main").textContent)`)
	b.check("no figures", `!/Precision|Recall|\bF1\b/.test(document.querySelector("main").textContent)`)
	b.check("categories named", `[...document.querySelectorAll('`+col+` .result-cat')].every((e) => e.textContent.trim().length > 3)`)
	// Each category's name comes with a plain gloss, and no suggested
	// wording shows a raw placeholder such as "(named person)".
	b.check("categories glossed", `[...document.querySelectorAll('`+col+` .result-cat')].every((e) => /\(.{8,}\)\.\s*$/.test(e.textContent))`)
	b.check("no raw placeholders", `!/\((named [a-z ]+|source|share|name)\)/.test(document.querySelector('`+col+` .check-result').textContent)`)
	// Students see no highlights: the footer speaks of Slant's list.
	b.check("student footer", `!document.querySelector(".footer-student").hidden && document.querySelector(".footer-teacher").hidden`)
	b.check("locked", `document.querySelector('`+col+` .check-one').disabled`)
	b.step("to the card", chromedp.Evaluate[chromedp.Void](`document.querySelector('`+col+` .check-result').scrollIntoView()`))
	saveShot(t, b.ctx, b.out, "student-result-1366.png")

	// A reload shows the answer again, locked: no second try from the page.
	b.open("#/x/"+code, `!!document.querySelector('`+col+` .score-box')`)
	b.check("still locked after a reload", `document.querySelector('`+col+` .check-one').disabled &&
		document.querySelector('`+col+` .check-one').textContent === "Checked"`)
	b.check("picks kept", `document.querySelectorAll('`+col+` .word.picked').length === 2`)

	// With the tab's record of the check lost but the same student key,
	// a second check reaches the server, which refuses it. forgetCheck
	// drops the record (the checks and the picks, the student key kept)
	// and opens the exercise again, unlocked.
	forgetCheck := func(name string) {
		b.step(name, chromedp.Evaluate[chromedp.Void](fmt.Sprintf(`(() => {
		const k = "slant.exercise.%s"; const s = JSON.parse(sessionStorage.getItem(k));
		s.checked = {}; s.picks = {}; sessionStorage.setItem(k, JSON.stringify(s)); })()`, code)))
		b.open("#/x/"+code, `document.querySelectorAll(".pick-article .word").length > 100 && !document.querySelector('`+col+` .check-one').disabled`)
	}
	forgetCheck("forget the check")
	b.pickWord(beacon.ID, loaded, "pick-again")
	b.step("second check", chromedp.Click(chromedp.CSS(col+" .check-one")))
	b.poll("refused", `!!document.querySelector('`+col+` .check-result .form-error')`)
	if got := b.text("refusal", `document.querySelector('`+col+` .check-result .form-error').textContent`); got != "You already checked this report: your first check is the one that counts." {
		t.Errorf("the second check says %q", got)
	}
	b.check("locked after the refusal", `document.querySelector('`+col+` .check-one').disabled`)

	// Through "Check all my picks" a refusal is said beside the button
	// too: the report's own message may be a long scroll away on a phone.
	forgetCheck("forget the check again")
	b.pickWord(beacon.ID, loaded, "pick-a-third-time")
	b.step("check all", chromedp.Click(chromedp.CSS("#check-all")))
	b.step("check anyway", chromedp.Evaluate[chromedp.Void](`(() => { const yes = document.querySelector("#check-all-question .confirm-yes"); if (yes) yes.click(); })()`))
	b.poll("refused beside the button", `!!document.querySelector("#overall-score .form-error")`)
	b.check("which report and why", `document.querySelector("#overall-score .form-error").textContent.includes("You already checked this report")`)

	// The brand leads to the class-code box, which asks the server nothing.
	before := len(requests.list())
	b.step("brand", chromedp.Click(chromedp.CSS(".brand")))
	b.poll("join page", `location.hash === "#/join" && !!document.getElementById("join-form")`)
	b.check("still no header links", `document.querySelectorAll(".site-nav a").length === 0`)
	if after := requests.list()[before:]; len(after) > 0 {
		t.Errorf("the class-code box asked the server: %v", after)
	}

	// The phone.
	b.open("#/x/"+code, `document.querySelectorAll(".pick-article .word").length > 100`)
	b.shots("student-page")

	// The teacher ends the exercise: the code stops working, in words.
	if status, _, body := send(t, http.MethodPost, b.base+"/api/v1/exercises/"+code+"/end", serveToken, ""); status != http.StatusOK {
		t.Fatalf("ending the exercise: %d %s", status, body)
	}
	b.open("#/x/"+code, `!!document.querySelector("main h1") && document.querySelector("main h1").textContent === "This exercise is over"`)
	b.check("says why", `document.querySelector("main").textContent.includes("This exercise has ended: your teacher closed it.")`)
	b.check("and where to go", `!!document.querySelector('main a[href="#/join"]')`)

	// Everything the page asked for was the student side, and nothing
	// was refused but the second check.
	for _, r := range requests.list() {
		path := strings.Fields(r)[1]
		student := path == "/" || strings.HasPrefix(path, "/?") || strings.HasPrefix(path, "/static/") || path == "/healthz" ||
			strings.HasPrefix(path, "/api/v1/exercises/"+code) && !strings.Contains(path, "/results")
		if !student {
			t.Errorf("the student page asked for %s", r)
		}
		if strings.HasSuffix(r, " 401") || strings.HasSuffix(r, " 403") {
			t.Errorf("the student page was refused: %s", r)
		}
	}
	b.noConsoleErrors("status of 409", "status of 410")
}

// startExercise starts an exercise on an event with the admin token and
// returns its code.
func startExercise(t *testing.T, base string, eventID int64, blind bool) string {
	t.Helper()
	status, _, body := send(t, http.MethodPost, fmt.Sprintf("%s/api/v1/events/%d/exercises", base, eventID), serveToken, fmt.Sprintf(`{"blind":%v}`, blind))
	if status != http.StatusCreated {
		t.Fatalf("starting an exercise: %d %s", status, body)
	}
	code := regexp.MustCompile(`"code":"([A-Z2-9]{6})"`).FindStringSubmatch(body)
	if code == nil {
		t.Fatalf("no code in %s", body)
	}
	return code[1]
}
