package e2e

// The classroom browser tests drive the teacher's and the students' side of
// the page in headless Chromium against the real server with the demo
// event: the exercise and its scoring, the class's results, blind mode, the
// neutral version, the article editor, the class word list and the
// printable worksheet. Like TestBrowser they need Chromium, and they write
// screenshots at 1440 and 375 px into $SLANT_TEST_OUTPUT (or a temp dir).

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"slant/analysis"
)

func TestBrowserClassroom(t *testing.T) {
	b := newPageBrowser(t, nil)
	eventID, demo := demoEvent(t, b.base)
	beacon := demo["The Halvern Beacon"]
	if len(beacon.Own) < 5 {
		t.Fatalf("the Beacon has %d own-voice findings; the exercise test needs a loaded text", len(beacon.Own))
	}

	t.Run("exercise scoring", func(t *testing.T) { testExerciseScoring(t, b.in(t), eventID, demo) })
	t.Run("teacher panel", func(t *testing.T) { testTeacherPanel(t, b.in(t), eventID) })
	t.Run("blind mode", func(t *testing.T) { testBlindMode(t, b.in(t), eventID, demo) })
	t.Run("neutral version and filters", func(t *testing.T) { testNeutralVersion(t, b.in(t), eventID, demo) })
	t.Run("worksheet and print", func(t *testing.T) { testWorksheetPrint(t, b.in(t), eventID, demo) })
	t.Run("article editor", func(t *testing.T) { testArticleEditor(t, b.in(t)) })
	t.Run("word list", func(t *testing.T) { testWordList(t, b.in(t), eventID, demo) })
	b.noConsoleErrors("status of 422", "status of 409")
	t.Logf("screenshots in %s", b.out)
}

// testExerciseScoring: a blind exercise made through the API; a student
// opens #/x/CODE, picks a loaded word, a neutral word and (by keyboard) a
// word picked and let go again, and checks: one match, the rest of the
// Beacon's own-voice findings missed, one extra, and the score. A second
// student answers through the API; the teacher's results show the counts
// 2 and 1 and an agreement figure, and the reveal names the outlets.
func testExerciseScoring(t *testing.T, b *pageBrowser, eventID int64, demo map[string]demoArticle) {
	var ex struct {
		Code  string `json:"code"`
		Blind bool   `json:"blind"`
	}
	if code := sendJSON(t, "POST", fmt.Sprintf("%s/api/v1/events/%d/exercises", b.base, eventID), map[string]bool{"blind": true}, &ex); code != http.StatusCreated {
		t.Fatalf("creating an exercise: status %d", code)
	}
	if !regexp.MustCompile(`^[A-Z2-9]{6}$`).MatchString(ex.Code) {
		t.Fatalf("class code %q", ex.Code)
	}
	beacon := demo["The Halvern Beacon"]

	b.step("viewport", chromedp.EmulateViewport(1440, 900))
	b.open("#/x/"+ex.Code, `document.querySelectorAll(".pick-article .word").length > 100`)

	// Blind: labels only, no highlights, no names.
	b.check("labels", `JSON.stringify([...document.querySelectorAll(".pick-article .outlet-name")].map((e) => e.textContent).sort()) ===
		'["Outlet 1","Outlet 2","Outlet 3"]'`)
	b.check("no highlights", `document.querySelectorAll(".pick-article mark, .pick-article .finding").length === 0`)
	b.check("no domains", `!document.querySelector("main").textContent.includes("halvernbeacon.example")`)
	b.check("words are toggle buttons", `[...document.querySelectorAll(".pick-article .word")].slice(0, 50).every((w) =>
		w.getAttribute("role") === "button" && w.getAttribute("aria-pressed") === "false")`)
	b.check("one tab stop per text", `[...document.querySelectorAll(".pick-article")].every((a) =>
		a.querySelectorAll('.word[tabindex="0"]').length === 1)`)

	// Mouse: a loaded word and a neutral one.
	loaded := beacon.Own[0].Text
	if strings.ContainsAny(loaded, " -") {
		for _, f := range beacon.Own {
			if !strings.ContainsAny(f.Text, " -'") {
				loaded = f.Text
				break
			}
		}
	}
	b.pickWord(beacon.ID, loaded, "pick-loaded")
	b.pickWord(beacon.ID, "warehouse", "pick-neutral")
	b.check("picked", `document.getElementById("pick-loaded").getAttribute("aria-pressed") === "true" &&
		document.getElementById("pick-neutral").classList.contains("picked")`)

	// Keyboard: into the text with focus, right arrow, Space picks, Space
	// lets go; the roving tab stop follows.
	col := fmt.Sprintf(`.pick-article[data-article-id="%d"]`, beacon.ID)
	b.step("keyboard pick",
		chromedp.Focus(chromedp.CSS(col+` .word[tabindex="0"]`)),
		chromedp.KeyEvent(kb.ArrowRight),
		chromedp.KeyEvent(kb.ArrowRight),
		chromedp.KeyEvent(" "),
	)
	b.check("keyboard picked", fmt.Sprintf(`(() => { const w = document.activeElement;
		return w.classList.contains("word") && w.getAttribute("aria-pressed") === "true" && w.tabIndex === 0 &&
			document.querySelectorAll('%s .word[tabindex="0"]').length === 1; })()`, col))
	b.step("keyboard unpick", chromedp.KeyEvent(" "))
	b.check("keyboard let go", `document.activeElement.getAttribute("aria-pressed") === "false"`)
	b.check("count", `document.querySelector('`+col+` .pick-count').textContent === "2 words picked"`)
	b.check("kept in sessionStorage", fmt.Sprintf(`(() => { const s = JSON.parse(sessionStorage.getItem("slant.exercise.%s"));
		return /^[0-9a-f]{32}$/.test(s.student) && s.picks["%d"].length === 2; })()`, ex.Code, beacon.ID))

	b.step("check my picks", chromedp.Click(chromedp.CSS(col+" .check-one")))
	b.poll("result", `!!document.querySelector('`+col+` .check-result .score-box')`)
	total := len(beacon.Own)
	b.check("one match", `document.querySelector('`+col+` .res-found').dataset.count === "1"`)
	if got := b.text("misses", `document.querySelector('`+col+` .res-missed').dataset.count`); got != fmt.Sprint(total-1) {
		t.Errorf("misses = %s, want %d (the Beacon's own-voice findings but the one found)", got, total-1)
	}
	b.check("one extra", `document.querySelector('`+col+` .res-extras').dataset.count === "1" &&
		document.querySelector('`+col+` .res-extras').textContent.includes("warehouse") &&
		document.querySelector('`+col+` .res-extras').textContent.includes("not on Slant's list")`)
	if got := b.text("score", `document.querySelector('`+col+` .score-big').textContent`); got != fmt.Sprintf("1 of %d", total) {
		t.Errorf("score shows %q, want %q", got, fmt.Sprintf("1 of %d", total))
	}
	if got, want := b.text("score in words", `document.querySelector('`+col+` .score-box').textContent`),
		fmt.Sprintf("You found 1 of the %d words Slant flags.1 of your picks is not on Slant's list: talk about it with your class.", total); !strings.HasSuffix(got, want) {
		t.Errorf("the result card says %q, want it to end %q", got, want)
	}
	b.check("no figures for students", `!/Precision|Recall|F1|null/.test(document.querySelector('`+col+` .check-result').textContent)`)
	b.check("checked once", `document.querySelector('`+col+` .check-one').disabled && document.querySelector('`+col+` .check-one').textContent === "Checked"`)
	b.check("words marked", `document.getElementById("pick-loaded").classList.contains("res-match") &&
		document.getElementById("pick-neutral").classList.contains("res-extra") &&
		document.querySelectorAll('`+col+` .word.res-miss').length >= `+fmt.Sprint(total-1))
	b.check("misses with reason and alternative", `(() => { const li = document.querySelector('`+col+` .res-missed li');
		return !!li && li.querySelector(".result-reason").textContent.length > 10 && li.textContent.includes("Try instead"); })()`)
	b.check("result in words", `document.getElementById("pick-loaded").getAttribute("aria-label").endsWith("found")`)
	b.check("words locked", `document.getElementById("pick-neutral").getAttribute("aria-disabled") === "true" &&
		(document.getElementById("pick-neutral").click(), document.getElementById("pick-neutral").classList.contains("picked"))`)
	b.step("to the result", chromedp.Evaluate[chromedp.Void](`document.querySelector('`+col+` .check-result').scrollIntoView()`))
	saveShot(t, b.ctx, b.out, "exercise-student-result-1440.png")
	b.shots("exercise-student")

	// A second student, through the API, picks the loaded word only.
	ls, le := span(t, beacon.Text, loaded)
	var res struct {
		Score struct {
			Found int `json:"found"`
		} `json:"score"`
	}
	if code := postJSON(t, fmt.Sprintf("%s/api/v1/exercises/%s/submissions", b.base, ex.Code), map[string]any{
		"student": "second-student-key-0123456789", "article_id": beacon.ID,
		"picks": []map[string]int{{"start": ls, "end": le}},
	}, &res); code != http.StatusOK || res.Score.Found != 1 {
		t.Fatalf("second student: status %d, found %d", code, res.Score.Found)
	}

	// The teacher's results: counts 2 and 1 on the text, an alpha.
	b.open("#/x/"+ex.Code+"/results", `!!document.querySelector(".results-articles .heat")`)
	b.check("two students", `document.getElementById("results-count").textContent.startsWith("2 students")`)
	b.check("count 2 on the loaded word", fmt.Sprintf(`[...document.querySelectorAll('.result-article[data-article-id="%d"] .heat[data-picks="2"]')]
		.some((e) => e.textContent.startsWith(%q) && e.classList.contains("slant-flag") && e.querySelector(".heat-count").textContent === "2")`, beacon.ID, loaded))
	b.check("count 1 on the neutral word", fmt.Sprintf(`[...document.querySelectorAll('.result-article[data-article-id="%d"] .heat[data-picks="1"]')]
		.some((e) => e.textContent.startsWith("warehouse") && !e.classList.contains("slant-flag"))`, beacon.ID))
	b.check("accessible count", `[...document.querySelectorAll(".heat .visually-hidden")].some((e) => e.textContent.includes("picked by 2 of 2, Slant flags it"))`)
	b.check("heat levels", `!!document.querySelector(".heat.h-5") && !!document.querySelector(".heat.h-3")`)
	// Only the two who checked the Beacon count for its words; a report
	// nobody checked says so.
	b.check("each report's students", fmt.Sprintf(`document.querySelector('.result-article[data-article-id="%d"] .res-students').textContent === "2 students checked this report."`, beacon.ID))
	b.check("a report nobody checked", `[...document.querySelectorAll(".res-students")].some((e) => e.textContent === "No student has checked this report yet.")`)
	alpha := b.text("alpha", `document.querySelector("#alpha-students .figure-value").textContent`)
	if !regexp.MustCompile(`^−?\d\.\d\d$`).MatchString(alpha) {
		t.Errorf("alpha among students shows %q, want a figure", alpha)
	}
	b.check("alpha in plain words", `document.querySelector(".agree-explain").textContent.includes("1 means full agreement, 0 means no more than chance")`)
	b.check("table", `[...document.querySelectorAll(".picks-table tbody tr")].some((r) => r.textContent.includes("2 of 2"))`)
	b.check("still blind", `JSON.stringify([...document.querySelectorAll(".result-article .outlet-name")].map((e) => e.textContent).sort()) ===
		'["Outlet 1","Outlet 2","Outlet 3"]'`)
	b.step("to the text", chromedp.Evaluate[chromedp.Void](`document.querySelector(".heat-legend").scrollIntoView()`))
	saveShot(t, b.ctx, b.out, "exercise-results-text-1440.png")
	b.shots("exercise-results")

	// Reveal: names from now on, for the teacher and the students.
	b.step("reveal", chromedp.Click(chromedp.ID("reveal-results")))
	b.poll("revealed", `[...document.querySelectorAll(".result-article .outlet-name")].some((e) => e.textContent === "The Halvern Beacon")`)
	b.open("#/x/"+ex.Code, `document.querySelectorAll(".pick-article .word").length > 100`)
	b.check("student sees names", `[...document.querySelectorAll(".pick-article .outlet-name")].some((e) => e.textContent === "The Halvern Beacon")`)
	b.check("picks kept", `document.querySelectorAll(".pick-article .word.picked").length === 2`)
}

// testTeacherPanel: the event page starts an exercise and shows its code
// big, the students' link, the results link and the reveal button.
func testTeacherPanel(t *testing.T, b *pageBrowser, eventID int64) {
	b.step("viewport", chromedp.EmulateViewport(1440, 900))
	b.open(fmt.Sprintf("#/events/%d", eventID), `!!document.getElementById("exercise-open")`)
	b.step("open the teaching tools", chromedp.Click(chromedp.ID("class-tools-open")))
	b.step("open the panel", chromedp.Click(chromedp.ID("exercise-open")))
	b.poll("panel open", `!document.getElementById("exercise-body").hidden && !!document.querySelector("#exercise-list .exercise-card, #exercise-list .empty")`)
	b.step("start", chromedp.Click(chromedp.ID("start-exercise")))
	b.poll("code shown", `!!document.querySelector("#exercise-list .exercise-card.new .class-code")`)
	code := b.text("code", `document.querySelector(".exercise-card.new .class-code").textContent`)
	if !regexp.MustCompile(`^[A-Z2-9]{6}$`).MatchString(code) {
		t.Errorf("the panel shows the code %q", code)
	}
	b.check("big code", `parseFloat(getComputedStyle(document.querySelector(".exercise-card.new .class-code")).fontSize) >= 32`)
	b.poll("focus on the code", `document.activeElement === document.querySelector(".exercise-card.new .class-code")`)

	// A blind exercise turns blind mode on with the exercise's labels, so
	// that the projected page and the students' screens agree.
	b.check("blind mode on", `document.getElementById("blind-toggle").getAttribute("aria-pressed") === "true" &&
		document.querySelector(".blind-banner").textContent.includes("`+code+`")`)
	var student struct {
		Articles []struct {
			ID    int64  `json:"id"`
			Label string `json:"label"`
		} `json:"articles"`
	}
	getJSON(t, b.base+"/api/v1/exercises/"+code, &student)
	var want []string
	for _, a := range student.Articles {
		want = append(want, fmt.Sprintf("%d %s", a.ID, a.Label))
	}
	if got := b.text("labels", `JSON.stringify([...document.querySelectorAll(".articles > .article")].map((a) =>
		a.dataset.articleId + " " + a.querySelector(".outlet-name").textContent))`); got != jsonOf(t, want) {
		t.Errorf("the page's blind labels are %s, the exercise's %s", got, jsonOf(t, want))
	}
	b.check("student link", fmt.Sprintf(`document.querySelector(".exercise-card.new .student-link").getAttribute("href") === "#/x/%s" &&
		document.querySelector(".exercise-card.new .student-link").textContent.endsWith("#/x/%s")`, code, code))
	b.check("results link", fmt.Sprintf(`!!document.querySelector('.exercise-card.new a[href="#/x/%s/results"]')`, code))
	b.check("reveal button", `!!document.querySelector(".exercise-card.new .reveal-exercise")`)
	b.check("older exercises listed", `document.querySelectorAll("#exercise-list .exercise-card").length >= 2`)
	b.step("to the panel", chromedp.Evaluate[chromedp.Void](`document.querySelector(".class-tools").scrollIntoView()`))
	saveShot(t, b.ctx, b.out, "exercise-teacher-panel-1440.png")
	b.step("narrow", chromedp.EmulateViewport(375, 800), chromedp.Evaluate[chromedp.Void](`document.querySelector(".class-tools").scrollIntoView()`))
	saveShot(t, b.ctx, b.out, "exercise-teacher-panel-375.png")
	b.step("wide", chromedp.EmulateViewport(1440, 900))
	b.step("reveal", chromedp.Click(chromedp.ID("blind-reveal")))
	b.poll("names back", `document.getElementById("blind-toggle").getAttribute("aria-pressed") === "false"`)

	// The class code also works from the home page's join box.
	b.open("#/", `!!document.getElementById("join-form")`)
	b.step("join", chromedp.SendKeys(chromedp.ID("join-code"), strings.ToLower(code[:3])+" "+strings.ToLower(code[3:])),
		chromedp.Click(chromedp.CSS(`#join-form button[type="submit"]`)))
	b.poll("joined", fmt.Sprintf(`location.hash === "#/x/%s" && document.querySelectorAll(".pick-article").length === 3`, code))
}

// testBlindMode: the event page's blind mode hides every outlet name and
// domain, in text and labels, until "Reveal"; the worksheet follows it.
func testBlindMode(t *testing.T, b *pageBrowser, eventID int64, demo map[string]demoArticle) {
	var names []string
	for name, a := range demo {
		names = append(names, name, a.Domain, strings.TrimPrefix(name, "The "))
	}
	leak := fmt.Sprintf(`(() => { const names = %s;
		const texts = [document.body.textContent, document.title];
		for (const el of document.querySelectorAll("*")) for (const a of el.attributes) if (a.name !== "href") texts.push(a.value);
		const all = texts.join(" \n ");
		return names.filter((n) => all.includes(n)); })()`, jsonOf(t, names))

	b.step("viewport", chromedp.EmulateViewport(1440, 900))
	b.open(fmt.Sprintf("#/events/%d", eventID), `!!document.getElementById("blind-toggle") && !!document.querySelector(".articles mark.finding")`)
	b.check("names shown", `[...document.querySelectorAll(".articles .outlet-name")].some((e) => e.textContent === "The Halvern Beacon")`)
	b.step("blind mode on", chromedp.Click(chromedp.ID("blind-toggle")))
	b.poll("blind", `document.getElementById("blind-toggle").getAttribute("aria-pressed") === "true"`)
	b.check("labels in order", `JSON.stringify([...document.querySelectorAll(".articles > .article .outlet-name")].map((e) => e.textContent)) ===
		'["Outlet 1","Outlet 2","Outlet 3"]'`)
	if got, err := chromedp.Run(b.ctx, chromedp.Evaluate[[]string](leak)); err != nil || len(got) > 0 {
		t.Errorf("blind mode leaks outlet names or domains: %v %v", got, err)
	}
	b.check("chart uses labels", `[...document.querySelectorAll("svg.chart .chart-label")].every((e) => /^\d\. Outlet \d$/.test(e.textContent))`)
	b.check("summary uses labels", `[...document.querySelectorAll(".summary-list li")].some((li) => /Outlet \d/.test(li.textContent))`)
	b.check("tables use labels", `[...document.querySelectorAll(".closer thead th")].some((th) => /^Outlet \d$/.test(th.textContent))`)
	b.check("still highlighted", `document.querySelectorAll(".articles mark.finding").length > 10`)
	b.check("focus kept", `document.activeElement === document.getElementById("blind-toggle")`)
	b.check("banner", `document.querySelector(".blind-banner").textContent.includes("Outlet 1 to Outlet 3")`)
	b.shots("blind-event")

	// A redraw keeps it; the worksheet uses the same labels.
	b.open(fmt.Sprintf("#/events/%d/worksheet", eventID), `document.querySelectorAll(".ws-article").length === 3`)
	b.check("worksheet labels", `JSON.stringify([...document.querySelectorAll(".ws-outlet")].map((e) => e.textContent)) ===
		'["Outlet 1","Outlet 2","Outlet 3"]'`)
	if got, err := chromedp.Run(b.ctx, chromedp.Evaluate[[]string](leak)); err != nil || len(got) > 0 {
		t.Errorf("the blind worksheet leaks outlet names or domains: %v %v", got, err)
	}
	b.shots("blind-worksheet")

	b.open(fmt.Sprintf("#/events/%d", eventID), `!!document.getElementById("blind-reveal")`)
	b.step("reveal", chromedp.Click(chromedp.ID("blind-reveal")))
	b.poll("revealed", `document.getElementById("blind-toggle").getAttribute("aria-pressed") === "false" &&
		[...document.querySelectorAll(".articles .outlet-name")].some((e) => e.textContent === "The Halvern Beacon")`)
	b.check("domains back", `document.querySelector(".articles").textContent.includes("halvernbeacon.example")`)
}

// testNeutralVersion: the neutral version shows the report's neutral
// edits: a swapped word, marked, with the original on hover and focus and
// in the popover; a word left out, struck through and marked "drop"; advice
// beside the words it is about; the words an edit takes with it hidden.
// What a reader sees is the analysis' NeutralText, with no doubled words;
// switching back restores the text. The voice filter mutes quoted or
// own-voice marks.
func testNeutralVersion(t *testing.T, b *pageBrowser, eventID int64, demo map[string]demoArticle) {
	beacon := demo["The Halvern Beacon"]
	// The report's neutral edits, as the analysis made them: one swapped
	// word, one word left out, one piece of advice, and one drop that takes
	// the next word with it to give it a capital ("For some reason,
	// nobody" becomes "Nobody").
	var swap, drop, advice, reach *analysis.NeutralEdit
	for i, e := range beacon.Neutral {
		f := beacon.Findings[e.Finding]
		switch {
		case swap == nil && e.Kind == analysis.NeutralReplace && !strings.Contains(f.Text, " ") && e.Start == f.Start && e.End == f.End:
			swap = &beacon.Neutral[i]
		case drop == nil && e.Kind == analysis.NeutralDrop && e.Text == "":
			drop = &beacon.Neutral[i]
		case advice == nil && e.Kind == analysis.NeutralAdvice:
			advice = &beacon.Neutral[i]
		case reach == nil && e.Kind == analysis.NeutralDrop && e.Text != "" && e.End > f.End:
			reach = &beacon.Neutral[i]
		}
	}
	if swap == nil || drop == nil || advice == nil || reach == nil {
		t.Fatalf("the Beacon's neutral edits lack a swap (%v), a drop (%v), advice (%v) or a drop that reaches past its words (%v)", swap, drop, advice, reach)
	}
	text := func(e *analysis.NeutralEdit) string { return beacon.Findings[e.Finding].Text }
	col := fmt.Sprintf(`.articles > .article[data-article-id="%d"] .article-body`, beacon.ID)
	mark := func(text string) string {
		return fmt.Sprintf(`[...document.querySelectorAll('%s mark.finding')].find((m) => m.querySelector(".orig") ? m.querySelector(".orig").textContent === %q : m.textContent === %q)`, col, text, text)
	}
	// visible is the column's text as a reader sees it in the neutral
	// version: hidden elements and struck-out words left out.
	visible := fmt.Sprintf(`(() => { const out = [];
		const walk = (n) => {
			if (n.nodeType === 3) { out.push(n.data); return; }
			if (n.nodeType !== 1 || getComputedStyle(n).display === "none" || n.matches(".swap.drop, .only-tag")) return;
			if (n.tagName === "BR") { out.push(" "); return; }
			for (const c of n.childNodes) walk(c);
			if (n.tagName === "P") out.push(" ");
		};
		walk(document.querySelector('%s'));
		return out.join(""); })()`, col)

	b.step("viewport", chromedp.EmulateViewport(1440, 900))
	b.open(fmt.Sprintf("#/events/%d", eventID), `!!document.getElementById("neutral-toggle") && !!document.querySelector(".articles mark.finding")`)
	b.check("off at first", `document.getElementById("neutral-toggle").getAttribute("aria-pressed") === "false" && !document.querySelector(".articles .swap")`)
	b.step("neutral on", chromedp.Click(chromedp.ID("neutral-toggle")))
	b.poll("swapped", `!!document.querySelector(".articles.neutral-on mark.swapped")`)
	b.check("swap shown", fmt.Sprintf(`(() => { const m = %s; if (!m) return false;
		const sw = m.querySelector(".swap.word"), orig = m.querySelector(".orig");
		return !!sw && sw.textContent === %q && getComputedStyle(orig).display === "none" &&
			getComputedStyle(sw).textDecorationStyle === "double" && m.getAttribute("aria-label").startsWith("Neutral version: ") &&
			m.querySelector(".was").textContent === "was: " + %q; })()`, mark(text(swap)), swap.Text, text(swap)))
	b.check("drop shown", fmt.Sprintf(`(() => { const m = %s; if (!m) return false;
		const sw = m.querySelector(".swap.drop");
		return !!sw && sw.querySelector("s").textContent === %q && sw.querySelector(".drop-tag").textContent === "drop" &&
			getComputedStyle(sw.querySelector("s")).textDecorationLine.includes("line-through"); })()`, mark(text(drop)), text(drop)))
	b.check("advice beside the words", fmt.Sprintf(`(() => { const m = %s; if (!m) return false;
		const orig = m.querySelector(".orig"), adv = m.querySelector(".swap.advice");
		return !!adv && adv.textContent === %q && getComputedStyle(orig).display !== "none" &&
			m.getAttribute("aria-label").startsWith("Neutral version keeps "); })()`, mark(text(advice)), "["+advice.Text+"]"))
	b.check("what a drop takes with it is hidden", fmt.Sprintf(`(() => { const m = %s; if (!m) return false;
		const cuts = [...document.querySelectorAll('%s .neutral-cut')];
		return m.querySelector(".swap.word").textContent === %q &&
			cuts.some((c) => c.textContent === %q && getComputedStyle(c).display === "none"); })()`,
		mark(text(reach)), col, reach.Text, beacon.Text[beacon.Findings[reach.Finding].End:reach.End]))
	b.check("quoted words keep theirs", `[...document.querySelectorAll(".articles mark.finding.in-quote")].every((m) => !m.querySelector(".swap"))`)

	// The page shows the analysis' neutral version and chooses nothing
	// itself: what a reader sees is NeutralText, without the struck-out
	// words and with the advice beside its words.
	norm := func(s string) string {
		s = regexp.MustCompile(`\s*\[[^\]]*\]`).ReplaceAllString(s, "")
		return strings.Join(strings.Fields(s), " ")
	}
	got := norm(b.text("visible neutral text", visible))
	want := norm(analysis.NeutralText(beacon.Text, beacon.Neutral))
	if got != want {
		t.Errorf("the page's neutral version differs from the analysis':\n page: %s\n want: %s", got, want)
	}
	words := strings.Fields(strings.ToLower(got))
	for i := 1; i < len(words); i++ {
		if words[i] == words[i-1] && regexp.MustCompile(`^[a-z][a-z'-]*$`).MatchString(words[i]) {
			t.Errorf("the neutral version doubles a word: %q", words[i-1]+" "+words[i])
		}
	}

	// Focus shows the original; Enter opens the popover, which says both.
	b.step("focus the swapped word", chromedp.Evaluate[chromedp.Void](fmt.Sprintf(`(() => { const m = %s; m.id = "swapped-mark"; m.scrollIntoView({block: "center"}); })()`, mark(text(swap)))),
		chromedp.Focus(chromedp.ID("swapped-mark")))
	b.check("original on focus", `getComputedStyle(document.querySelector("#swapped-mark .was")).display === "block"`)
	saveShot(t, b.ctx, b.out, "neutral-focus-1440.png")
	b.step("popover", chromedp.KeyEvent(kb.Enter), chromedp.WaitVisible(chromedp.ID("popover")))
	b.check("popover names both", fmt.Sprintf(`(() => { const p = document.querySelector("#popover .popover-neutral");
		return !!p && p.textContent.includes(%q) && p.textContent.includes(%q); })()`, swap.Text, text(swap)))
	saveShot(t, b.ctx, b.out, "neutral-popover-1440.png")
	b.step("close", chromedp.KeyEvent(kb.Escape), chromedp.WaitNotVisible(chromedp.ID("popover")))
	b.shots("neutral-event")

	b.step("neutral off", chromedp.Click(chromedp.ID("neutral-toggle")))
	b.poll("restored", `!document.querySelector(".articles .swap") && !document.querySelector(".articles.neutral-on") && !document.querySelector(".articles .neutral-cut")`)
	b.check("original text back", fmt.Sprintf(`(() => { const m = %s; return !!m && m.childNodes.length === 1 && m.getAttribute("aria-label").startsWith("Loaded language"); })()`, mark(text(swap))))
	b.check("the words beside a drop are back", fmt.Sprintf(`document.querySelector('%s').textContent.includes(%q)`,
		col, beacon.Text[beacon.Findings[reach.Finding].Start:reach.End]))

	// Own voice / quoted / both.
	b.step("own voice only", chromedp.Click(chromedp.CSS(`label.segment:has(#voice-own)`)))
	b.check("quoted muted", `[...document.querySelectorAll(".articles mark.finding.in-quote")].every((m) => m.classList.contains("muted")) &&
		[...document.querySelectorAll(".articles mark.finding:not(.in-quote)")].every((m) => !m.classList.contains("muted"))`)
	b.step("quoted only", chromedp.Click(chromedp.CSS(`label.segment:has(#voice-quoted)`)))
	b.check("own muted", `[...document.querySelectorAll(".articles mark.finding:not(.in-quote)")].every((m) => m.classList.contains("muted")) &&
		[...document.querySelectorAll(".articles mark.finding.in-quote")].every((m) => !m.classList.contains("muted"))`)
	b.step("keyboard: back to both", chromedp.Focus(chromedp.ID("voice-quoted")), chromedp.KeyEvent(kb.ArrowRight))
	b.check("both", `document.getElementById("voice-both").checked && !document.querySelector(".articles mark.finding.muted")`)

	// Each column says which lexicon its report used.
	var lex struct {
		Version string `json:"version"`
	}
	getJSON(t, b.base+"/api/v1/lexicon", &lex)
	short := strings.TrimPrefix(lex.Version, "sha256:")[:12]
	b.check("lexicon version per column", fmt.Sprintf(`[...document.querySelectorAll(".articles > .article")].every((a) =>
		a.querySelector(".lexicon-line").textContent === "Lexicon %s" && a.querySelector(".lexicon-line").title.includes(%q))`, short, lex.Version))
}

// testWorksheetPrint: the worksheet in print media: no highlights and no
// page furniture, numbered lines, the questions with lines to write on,
// the answer key after a page break; and a PDF.
func testWorksheetPrint(t *testing.T, b *pageBrowser, eventID int64, demo map[string]demoArticle) {
	b.step("viewport", chromedp.EmulateViewport(1440, 900))
	b.open(fmt.Sprintf("#/events/%d/worksheet?copy=teacher", eventID), `document.querySelectorAll(".ws-article").length === 3`)
	b.check("side by side on screen", `(() => { const a = document.querySelectorAll(".ws-article");
		return Math.abs(a[0].getBoundingClientRect().top - a[2].getBoundingClientRect().top) < 2; })()`)
	b.shots("worksheet")

	if _, err := chromedp.Call(b.ctx, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{Media: "print"}); err != nil {
		t.Fatalf("print media: %v", err)
	}
	// The width of A4 paper between the margins.
	b.step("paper width", chromedp.EmulateViewport(695, 983), chromedp.Evaluate[chromedp.Void](`window.scrollTo(0, 0)`))
	visible := `((el) => !!el && el.getClientRects().length > 0 && getComputedStyle(el).visibility !== "hidden")`
	b.check("print media", `matchMedia("print").matches`)
	b.check("no page furniture", `[".site-header", ".site-footer", ".ws-toolbar", "#print-worksheet"].every((s) => !`+visible+`(document.querySelector(s)))`)
	b.check("no highlights", `[...document.querySelectorAll("mark, .finding, .only-here, .heat")].every((m) => !`+visible+`(m))`)
	b.check("three columns", `(() => { const a = document.querySelectorAll(".ws-article");
		return Math.abs(a[0].getBoundingClientRect().top - a[2].getBoundingClientRect().top) < 2; })()`)
	b.check("line numbers", `(() => { const ln = [...document.querySelectorAll(".ws-article:first-child .ln")];
		return ln.length > 30 && ln.every((e, i) => e.textContent === String(i + 1)) && `+visible+`(ln[0]); })()`)
	b.check("lines fit the paper", `(() => { const ls = [...document.querySelectorAll(".ws-line")];
		const h = Math.min(...ls.map((l) => l.getBoundingClientRect().height));
		return ls.every((l) => l.getBoundingClientRect().height < h * 1.5); })()`)
	b.check("questions", `(() => { const q = document.querySelector(".ws-questions"); const t = q.textContent;
		return `+visible+`(q) && t.includes("Which words would you change?") && t.includes("What does one outlet leave out?") &&
			t.includes("Who gets to speak?") && q.querySelectorAll(".ws-rule").length >= 9; })()`)
	b.check("answer key on a new page", `getComputedStyle(document.querySelector(".ws-key")).breakBefore === "page"`)
	flagged := demo["The Halvern Beacon"].Own[0].Text
	b.check("answer key", fmt.Sprintf(`(() => { const k = document.querySelector(".ws-key");
		return `+visible+`(k) && k.querySelectorAll(".ws-key-outlet").length === 3 &&
			[...k.querySelectorAll(".ws-key-table tbody th")].some((th) => th.textContent === %q) &&
			k.textContent.includes("Only in this outlet") && k.textContent.includes("Who is quoted") &&
			k.textContent.includes("Ruth Calloway"); })()`, flagged))
	b.check("answer key lines", `[...document.querySelectorAll(".ws-key .ws-where")].some((e) => /^line \d+$/.test(e.textContent))`)
	saveShot(t, b.ctx, b.out, "worksheet-print-page1.png")
	b.step("to the key", chromedp.Evaluate[chromedp.Void](`document.querySelector(".ws-key").scrollIntoView()`))
	saveShot(t, b.ctx, b.out, "worksheet-print-key.png")

	pdf, err := chromedp.Run(b.ctx, chromedp.PrintToPDF(chromedp.PDFPreferCSSPageSize()))
	if err != nil {
		t.Fatalf("print to PDF: %v", err)
	}
	if len(pdf) < 10_000 || !bytes.HasPrefix(pdf, []byte("%PDF")) {
		t.Errorf("the PDF is %d bytes and starts %q", len(pdf), pdf[:min(len(pdf), 8)])
	}
	pages := bytes.Count(pdf, []byte("/Type /Page")) - bytes.Count(pdf, []byte("/Type /Pages"))
	if pages < 2 {
		t.Errorf("the PDF has %d pages, want the sheet and the answer key", pages)
	}
	if err := os.WriteFile(filepath.Join(b.out, "worksheet.pdf"), pdf, 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := chromedp.Call(b.ctx, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{Media: ""}); err != nil {
		t.Fatalf("screen media: %v", err)
	}
	b.step("wide", chromedp.EmulateViewport(1440, 900))
}

// testArticleEditor: a saved page uploaded as HTML is cleaned, and the page
// says what was removed; a loopback address is refused with the server's
// reason.
func testArticleEditor(t *testing.T, b *pageBrowser) {
	var ev struct {
		ID int64 `json:"id"`
	}
	if code := postJSON(t, b.base+"/api/v1/events", map[string]string{"title": "Bridge reopens"}, &ev); code != http.StatusCreated {
		t.Fatalf("new event: status %d", code)
	}
	page := `<!doctype html><html><head><title>Bridge reopens after repairs | Upload Gazette</title>
<meta property="og:site_name" content="Upload Gazette"></head><body>
<nav><a href="/">Home</a> <a href="/news">News</a></nav>
<article><h1>Bridge reopens after repairs</h1>
<p>The Ashby Street bridge reopened on Monday after four months of repairs, the city said. Engineers replaced the deck and two of the supports.</p>
<p>Share this article</p>
<p>Traffic was light in the morning. The city said buses would return to the bridge from next week, once the new timetable is printed.</p>
<p>Read more: Council to vote on shelter plan</p>
<p>The repairs cost $2.1 million, paid from the city's road budget. Residents said they were glad the detour was over.</p>
<p>Advertisement</p>
</article><footer>© 2026 Upload Gazette</footer></body></html>`
	file := filepath.Join(t.TempDir(), "bridge.html")
	if err := os.WriteFile(file, []byte(page), 0o644); err != nil {
		t.Fatal(err)
	}

	b.step("viewport", chromedp.EmulateViewport(1440, 900))
	b.open(fmt.Sprintf("#/events/%d", ev.ID), `!!document.getElementById("add-article-form")`)
	b.step("upload a saved page",
		chromedp.Click(chromedp.CSS(`label.segment:has(#source-html)`)),
		chromedp.WaitVisible(chromedp.ID("article-file")),
		chromedp.SetUploadFiles(chromedp.ID("article-file"), []string{file}),
		chromedp.Click(chromedp.CSS(`#add-article-form button[type="submit"]`)),
	)
	b.poll("article added", `!!document.querySelector(".articles > .article .article-body")`)
	b.check("outlet from the page", `document.querySelector(".articles .outlet-name").textContent === "Upload Gazette"`)
	b.check("furniture gone", `!document.querySelector(".articles .article-body").textContent.includes("Share this article")`)
	b.check("removed note", `/^Slant removed 3 lines of page furniture/.test(document.querySelector("#ingest-note summary").textContent)`)
	b.step("details", chromedp.Click(chromedp.CSS("#ingest-note summary")))
	b.check("removed list", `(() => { const items = [...document.querySelectorAll("#ingest-note .removed-list li")].map((li) => li.textContent);
		return items.length === 3 && items[0].includes("Share this article") && items.every((t) => t.includes(" — ")); })()`)
	b.shots("editor-upload")

	b.step("a loopback address",
		chromedp.Click(chromedp.CSS(`label.segment:has(#source-url)`)),
		chromedp.WaitVisible(chromedp.ID("article-fetch-url")),
		chromedp.SendKeys(chromedp.ID("article-fetch-url"), "http://127.0.0.1:9/story"),
		chromedp.Click(chromedp.CSS(`#add-article-form button[type="submit"]`)),
	)
	b.poll("refused", `!document.querySelector("#add-article-form .form-error").hidden`)
	if msg := b.text("message", `document.querySelector("#add-article-form .form-error").textContent`); !strings.Contains(msg, "not allowed") {
		t.Errorf("a loopback address shows %q, want the server's refusal", msg)
	}
	if code := sendJSON(t, "DELETE", fmt.Sprintf("%s/api/v1/events/%d", b.base, ev.ID), nil, nil); code != http.StatusNoContent {
		t.Errorf("deleting the editor's event: status %d", code)
	}
}

// testWordList: a plain word of the demo texts, added to the class word
// list, is highlighted on the event page with the class's reason; an edit
// shows; deleting it takes the highlights away.
func testWordList(t *testing.T, b *pageBrowser, eventID int64, demo map[string]demoArticle) {
	const word = "warehouse"
	for _, a := range demo {
		for _, f := range append(append([]demoFinding{}, a.Own...), a.Quoted...) {
			if strings.EqualFold(f.Text, word) {
				t.Fatalf("%q is already flagged in %s", word, a.Outlet)
			}
		}
	}
	eventPage := fmt.Sprintf("#/events/%d", eventID)
	warehouseMarks := `[...document.querySelectorAll(".articles mark.finding")].filter((m) => m.textContent.toLowerCase() === "warehouse")`

	b.step("viewport", chromedp.EmulateViewport(1440, 900))
	b.open(eventPage, `!!document.querySelector(".articles mark.finding")`)
	b.check("not highlighted yet", warehouseMarks+`.length === 0`)
	before := b.text("version before", `document.querySelector(".articles .lexicon-version").textContent`)

	b.open("#/wordlist", `!!document.getElementById("word-form") && document.querySelectorAll("#word-category option").length >= 10`)
	b.check("empty list", `!!document.querySelector(".wordlist-list .empty")`)
	b.check("version shown", `/^[0-9a-f]{12}$/.test(document.getElementById("wordlist-version").textContent)`)
	b.step("add a word",
		chromedp.SendKeys(chromedp.ID("word-term"), word),
		chromedp.SetValue(chromedp.ID("word-category"), "pejorative-label"),
		chromedp.SetValue(chromedp.ID("word-severity"), "1"),
		chromedp.SendKeys(chromedp.ID("word-reason"), "Our class thinks it makes the shelter sound cold and bare."),
		chromedp.SendKeys(chromedp.ID("word-alts"), "building\nformer factory"),
		chromedp.Click(chromedp.CSS(`#word-form button[type="submit"]`)),
	)
	b.poll("added", `!!document.querySelector('.wordlist-table tr[data-term="warehouse"]')`)
	b.check("status", `document.getElementById("wordlist-status").textContent.startsWith("Added “warehouse”")`)
	b.check("new version", `document.getElementById("wordlist-version").textContent.includes("+ class list")`)
	b.shots("wordlist")

	// The same word again is a conflict, shown in the form.
	b.step("add it again",
		chromedp.SendKeys(chromedp.ID("word-term"), word),
		chromedp.SendKeys(chromedp.ID("word-reason"), "We added it twice."),
		chromedp.Click(chromedp.CSS(`#word-form button[type="submit"]`)),
	)
	b.poll("conflict", `!document.querySelector("#word-form .form-error").hidden`)
	b.step("clear the form", chromedp.Evaluate[chromedp.Void](`document.getElementById("word-form").reset()`))

	b.open(eventPage, `!!document.querySelector(".articles mark.finding")`)
	b.poll("highlighted", warehouseMarks+`.length === 3`)
	after := b.text("version after", `document.querySelector(".articles .lexicon-version").textContent`)
	if after == before || !strings.Contains(after, "+ class list") {
		t.Errorf("the columns' lexicon version went from %q to %q, want the class list in it", before, after)
	}
	b.step("open its popover", chromedp.Evaluate[chromedp.Void](warehouseMarks+`[0].click()`), chromedp.WaitVisible(chromedp.ID("popover")))
	b.check("class reason", `document.querySelector("#popover .popover-reason").textContent === "Our class thinks it makes the shelter sound cold and bare." &&
		document.querySelector("#popover .popover-alts").textContent.includes("building")`)
	b.check("the popover says it is the class's own", `document.querySelector("#popover .popover-class").textContent.startsWith("From your class word list")`)
	b.check("the marks say so too", warehouseMarks+`.every((m) => m.classList.contains("class-term") && m.getAttribute("aria-label").includes("from the class word list") &&
		getComputedStyle(m, "::after").content.includes("class"))`)
	b.check("and no built-in word is marked as the class's", `[...document.querySelectorAll(".articles mark.finding.class-term")].every((m) => m.textContent.toLowerCase() === "warehouse")`)
	b.check("the legend explains the mark", `!!document.querySelector(".legend .class-term-sample")`)
	saveShot(t, b.ctx, b.out, "wordlist-highlight-1440.png")
	b.step("close", chromedp.KeyEvent(kb.Escape))

	// Edit: a new reason.
	b.open("#/wordlist", `!!document.querySelector('.wordlist-table tr[data-term="warehouse"]')`)
	b.step("edit", chromedp.Click(chromedp.CSS(`tr[data-term="warehouse"] .edit-word`)))
	b.check("form filled", `document.getElementById("word-term").value === "warehouse" && document.getElementById("word-alts").value === "building\nformer factory"`)
	b.step("new reason",
		chromedp.SetValue(chromedp.ID("word-reason"), "A cold word for a place people will live in."),
		chromedp.Click(chromedp.CSS(`#word-form button[type="submit"]`)),
	)
	b.poll("saved", `document.getElementById("wordlist-status").textContent.startsWith("Saved")`)
	b.open(eventPage, `!!document.querySelector(".articles mark.finding")`)
	b.poll("still highlighted", warehouseMarks+`.length === 3`)
	b.step("popover again", chromedp.Evaluate[chromedp.Void](warehouseMarks+`[0].click()`), chromedp.WaitVisible(chromedp.ID("popover")))
	b.check("new reason shown", `document.querySelector("#popover .popover-reason").textContent === "A cold word for a place people will live in."`)
	b.step("close", chromedp.KeyEvent(kb.Escape))

	// Delete: the highlights go.
	b.open("#/wordlist", `!!document.querySelector('.wordlist-table tr[data-term="warehouse"]')`)
	b.step("delete",
		chromedp.Evaluate[chromedp.Void](`window.confirm = () => true`),
		chromedp.Click(chromedp.CSS(`tr[data-term="warehouse"] .delete-word`)),
	)
	b.poll("deleted", `!document.querySelector('.wordlist-table tr[data-term="warehouse"]') && document.getElementById("wordlist-status").textContent.startsWith("Removed")`)
	b.open(eventPage, `!!document.querySelector(".articles mark.finding")`)
	b.check("highlights gone", warehouseMarks+`.length === 0`)
	if got := b.text("version back", `document.querySelector(".articles .lexicon-version").textContent`); got != before {
		t.Errorf("after the delete the columns' lexicon version is %q, want %q again", got, before)
	}

	// A word Slant's built-in lists have: the teacher sees the built-in
	// entry and replaces it only on purpose.
	flophouse := `[...document.querySelectorAll(".articles mark.finding")].filter((m) => m.textContent.toLowerCase() === "flophouse")`
	b.check("flophouse is a built-in flag", flophouse+`.length > 0 && `+flophouse+`.every((m) => !m.classList.contains("class-term"))`)
	b.open("#/wordlist", `!!document.getElementById("word-form") && document.querySelectorAll("#word-category option").length >= 10`)
	b.step("add a built-in word",
		chromedp.SendKeys(chromedp.ID("word-term"), "Flophouse"),
		chromedp.SetValue(chromedp.ID("word-category"), "pejorative-label"),
		chromedp.SetValue(chromedp.ID("word-severity"), "1"),
		chromedp.SendKeys(chromedp.ID("word-reason"), "Our class finds it unkind to the people who will sleep there."),
		chromedp.Click(chromedp.CSS(`#word-form button[type="submit"]`)),
	)
	b.poll("the built-in entry is shown", `!document.getElementById("builtin-clash").hidden`)
	b.check("named in full", `(() => { const c = document.getElementById("builtin-clash").textContent;
		return c.includes("“flophouse” is already in Slant's built-in word lists.") && c.includes("Why") && c.includes("Try instead") &&
			c.includes("replace this one"); })()`)
	b.check("nothing stored", `!!document.querySelector(".wordlist-list .empty")`)
	saveShot(t, b.ctx, b.out, "wordlist-builtin-clash-1440.png")
	b.step("use mine instead", chromedp.Click(chromedp.ID("word-override")))
	b.poll("added in its place", `!!document.querySelector('.wordlist-table tr[data-term="flophouse"]')`)
	b.check("the list says what it replaces", `document.querySelector('tr[data-term="flophouse"] .replaces-note').textContent === "replaces the built-in entry “flophouse”"`)
	b.open(eventPage, `!!document.querySelector(".articles mark.finding")`)
	b.poll("the class's flophouse", flophouse+`.length > 0 && `+flophouse+`.every((m) => m.classList.contains("class-term"))`)
	b.step("its popover", chromedp.Evaluate[chromedp.Void](flophouse+`[0].click()`), chromedp.WaitVisible(chromedp.ID("popover")))
	b.check("with the class's reason and strength", `document.querySelector("#popover .popover-reason").textContent === "Our class finds it unkind to the people who will sleep there." &&
		document.querySelector("#popover .popover-severity").textContent.includes("mild") && !!document.querySelector("#popover .popover-class")`)
	b.step("close", chromedp.KeyEvent(kb.Escape))
	b.open("#/wordlist", `!!document.querySelector('.wordlist-table tr[data-term="flophouse"]')`)
	b.step("delete it",
		chromedp.Evaluate[chromedp.Void](`window.confirm = () => true`),
		chromedp.Click(chromedp.CSS(`tr[data-term="flophouse"] .delete-word`)),
	)
	b.poll("deleted", `!document.querySelector('.wordlist-table tr[data-term="flophouse"]')`)
}

// TestBrowserClassroomToken runs the exercise on a Slant with an admin
// token: students pick and check with no token and no prompt; the teacher's
// results ask for the token once, like a write.
func TestBrowserClassroomToken(t *testing.T) {
	b := newPageBrowser(t, map[string]string{"SLANT_ADMIN_TOKEN": serveToken})
	eventID, demo := demoEventAs(t, b.base, serveToken)
	beacon := demo["The Halvern Beacon"]

	body, _ := json.Marshal(map[string]bool{"blind": false})
	req, err := http.NewRequest("POST", fmt.Sprintf("%s/api/v1/events/%d/exercises", b.base, eventID), bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+serveToken)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	var ex struct {
		Code string `json:"code"`
	}
	err = json.NewDecoder(resp.Body).Decode(&ex)
	resp.Body.Close()
	if err != nil || resp.StatusCode != http.StatusCreated {
		t.Fatalf("creating an exercise with the token: status %d, %v", resp.StatusCode, err)
	}

	b.open("#/x/"+ex.Code, `document.querySelectorAll(".pick-article .word").length > 100`)
	b.check("names shown", `[...document.querySelectorAll(".pick-article .outlet-name")].some((e) => e.textContent === "The Halvern Beacon")`)
	b.pickWord(beacon.ID, beacon.Own[0].Text, "pick-loaded")
	b.step("check all", chromedp.Click(chromedp.ID("check-all")))
	b.poll("asked once about the reports with no picks", `!document.getElementById("check-all-question").hidden &&
		document.querySelector("#check-all-question .question").textContent.startsWith("You picked no words in 2 reports")`)
	b.step("check anyway", chromedp.Click(chromedp.CSS("#check-all-question .confirm-yes")))
	b.poll("all checked", `document.querySelectorAll(".pick-article .score-box").length === 3 && !!document.querySelector("#overall-score .score-big")`)
	b.check("no token asked", `!document.getElementById("token-form")`)
	b.check("overall", `document.querySelector("#overall-score .score-big").textContent.startsWith("1 of ") &&
		/^You found 1 of the \d+ words Slant flags\.$/.test(document.querySelector("#overall-score .score-words").textContent)`)

	b.open("#/x/"+ex.Code+"/results", `!!document.getElementById("token-form")`)
	saveShot(t, b.ctx, b.out, "exercise-results-token-1440.png")
	b.step("give the token",
		chromedp.SendKeys(chromedp.ID("admin-token"), serveToken),
		chromedp.Click(chromedp.CSS(`#token-form button[type="submit"]`)),
	)
	b.poll("results", `!!document.querySelector(".results-articles .heat")`)
	b.check("one student", `document.getElementById("results-count").textContent.startsWith("1 student has")`)
	b.check("no alpha with one student", `document.querySelector("#alpha-students .figure-value").textContent === "–" &&
		document.querySelector("#alpha-students .plain").textContent.includes("at least two students")`)
	b.noConsoleErrors("status of 401")
}
