package e2e

// The worksheet as paper: Chromium prints the student copy and the teacher
// copy of an event whose texts run over more than one page, and
// pdftotext (Debian's poppler-utils) reads the PDFs back. The student copy
// holds no answer; every page's line numbers carry on where the page
// before stopped, and each number sits on the row of its own text.

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
)

func TestBrowserWorksheetCopies(t *testing.T) {
	pdftotext := findPdftotext(t)
	b := newPageBrowser(t, nil)
	demoID, _ := demoEvent(t, b.base)

	// The demo event: three columns on a sheet.
	b.step("viewport", chromedp.EmulateViewport(1366, 900))
	b.open(fmt.Sprintf("#/events/%d/worksheet", demoID), `document.querySelectorAll(".ws-article").length === 3`)
	lines := sheetLines(t, b)
	printPDF(t, b, "worksheet-demo-student.pdf")
	checkLineNumbers(t, pdftotext, filepath.Join(b.out, "worksheet-demo-student.pdf"), lines)

	// Two long reports, so that the texts run onto page 2, side by side.
	var ev struct {
		ID int64 `json:"id"`
	}
	if code := postJSON(t, b.base+"/api/v1/events", map[string]string{"title": "Shelter plan for the river district"}, &ev); code != http.StatusCreated {
		t.Fatalf("new event: status %d", code)
	}
	for i, outlet := range []string{"Riverside Courier", "Halvern Daily"} {
		body := map[string]string{"outlet": outlet, "title": fmt.Sprintf("Report %d", i+1),
			"text": genText(t, uint64(40+i), fmt.Sprintf("Report %d on the shelter plan.", i+1), 1400)}
		if code := postJSON(t, fmt.Sprintf("%s/api/v1/events/%d/articles", b.base, ev.ID), body, nil); code != http.StatusCreated {
			t.Fatalf("article from %s: status %d", outlet, code)
		}
	}
	sheet := fmt.Sprintf("#/events/%d/worksheet", ev.ID)

	// The student copy: no key on the page at all, on screen or on paper.
	b.step("viewport", chromedp.EmulateViewport(1366, 900))
	b.open(sheet, `document.querySelectorAll(".ws-article").length === 2`)
	b.check("student copy chosen", `document.getElementById("ws-student-copy").getAttribute("aria-current") === "page"`)
	b.check("no key in the student copy", `!document.querySelector(".ws-key") && !document.body.textContent.includes("Answer key")`)
	b.check("print button says which copy", `document.getElementById("print-worksheet").textContent === "Print the student copy"`)
	saveShot(t, b.ctx, b.out, "worksheet-student-copy-1366.png")
	lines = sheetLines(t, b)
	student := printPDF(t, b, "worksheet-student.pdf")
	studentPages := pdfPages(t, pdftotext, student)
	if len(studentPages) < 2 {
		t.Fatalf("the student copy has %d pages; the test needs texts that run over a page break", len(studentPages))
	}
	all := strings.Join(studentPages, "\n")
	for _, answer := range []string{"Answer key", "Why it is loaded", "Try instead", "Loaded words in its own voice"} {
		if strings.Contains(all, answer) {
			t.Errorf("the student copy's PDF holds %q", answer)
		}
	}
	for _, question := range []string{"Which words would you change?", "Who gets to speak?"} {
		if !strings.Contains(all, question) {
			t.Errorf("the student copy's PDF lacks the question %q", question)
		}
	}
	checkLineNumbers(t, pdftotext, filepath.Join(b.out, "worksheet-student.pdf"), lines)

	// The teacher copy: the same sheet, then the key on a page of its own.
	b.step("teacher copy", chromedp.Click(chromedp.ID("ws-teacher-copy")))
	b.poll("teacher copy shown", `!!document.querySelector(".ws-key") && location.hash.endsWith("?copy=teacher")`)
	b.check("print button says which copy", `document.getElementById("print-worksheet").textContent === "Print the teacher copy"`)
	teacher := printPDF(t, b, "worksheet-teacher.pdf")
	teacherPages := pdfPages(t, pdftotext, teacher)
	if len(teacherPages) <= len(studentPages) {
		t.Errorf("the teacher copy has %d pages, the student copy %d: the key should add at least one", len(teacherPages), len(studentPages))
	}
	keyPage := slices.IndexFunc(teacherPages, func(p string) bool { return strings.Contains(p, "Answer key") })
	switch {
	case keyPage < 0:
		t.Error("the teacher copy's PDF has no answer key")
	case strings.Contains(teacherPages[keyPage], "Which words would you change?"):
		t.Error("the answer key shares its page with the questions")
	}
	checkLineNumbers(t, pdftotext, filepath.Join(b.out, "worksheet-teacher.pdf"), sheetLines(t, b))
	b.noConsoleErrors()
}

// sheetLines reads, from the page, the first word of every numbered line
// of each column of the worksheet, in order: what the paper must show
// beside each number.
func sheetLines(t *testing.T, b *pageBrowser) [][]string {
	t.Helper()
	lines, err := chromedp.Run(b.ctx, chromedp.Evaluate[[][]string](`[...document.querySelectorAll(".ws-article")].map((a) =>
		[...a.querySelectorAll(".ws-line")].map((l, i) => {
			if (l.querySelector(".ln").textContent !== String(i + 1)) throw new Error("line " + (i + 1) + " is numbered " + l.querySelector(".ln").textContent);
			return l.querySelector(".lt").textContent.split(" ")[0];
		}))`))
	if err != nil {
		t.Fatalf("reading the sheet's lines: %v", err)
	}
	return lines
}

// findPdftotext returns poppler's pdftotext, or skips (fails under CI).
func findPdftotext(t *testing.T) string {
	t.Helper()
	if p, err := exec.LookPath("pdftotext"); err == nil {
		return p
	}
	msg := "no pdftotext (Debian's poppler-utils) to read the printed worksheet back"
	if os.Getenv("CI") != "" {
		t.Fatal("CI is set and " + msg)
	}
	t.Skip(msg)
	return ""
}

// printPDF prints the page as Chromium does for paper (print media, the
// page's own @page size) and keeps the PDF in the output folder.
func printPDF(t *testing.T, b *pageBrowser, name string) []byte {
	t.Helper()
	if _, err := chromedp.Call(b.ctx, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{Media: "print"}); err != nil {
		t.Fatalf("print media: %v", err)
	}
	pdf, err := chromedp.Run(b.ctx, chromedp.PrintToPDF(chromedp.PDFPreferCSSPageSize()))
	if err != nil {
		t.Fatalf("print to PDF: %v", err)
	}
	if _, err := chromedp.Call(b.ctx, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{Media: ""}); err != nil {
		t.Fatalf("screen media: %v", err)
	}
	if !bytes.HasPrefix(pdf, []byte("%PDF")) {
		t.Fatalf("%s is not a PDF: %q", name, pdf[:min(len(pdf), 8)])
	}
	path := filepath.Join(b.out, name)
	if err := os.WriteFile(path, pdf, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("pdf: %s", path)
	return pdf
}

// pdfPages is the text of each page of a PDF, as pdftotext -layout reads it.
func pdfPages(t *testing.T, pdftotext string, pdf []byte) []string {
	t.Helper()
	cmd := exec.Command(pdftotext, "-layout", "-enc", "UTF-8", "-", "-")
	cmd.Stdin = bytes.NewReader(pdf)
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	return strings.Split(strings.TrimRight(string(out), "\f\n"), "\f")
}

// pdfWord is one word of pdftotext -bbox-layout, with its box in points.
type pdfWord struct {
	XMin float64 `xml:"xMin,attr"`
	YMin float64 `xml:"yMin,attr"`
	XMax float64 `xml:"xMax,attr"`
	YMax float64 `xml:"yMax,attr"`
	Text string  `xml:",chardata"`
}

// pdfLine is one line of words, as poppler groups them.
type pdfLine struct {
	Words []pdfWord `xml:"word"`
}

// pdfBoxes reads the lines of each page of a PDF with their words' boxes.
func pdfBoxes(t *testing.T, pdftotext, path string) [][]pdfLine {
	t.Helper()
	out, err := exec.Command(pdftotext, "-bbox-layout", "-enc", "UTF-8", path, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext -bbox-layout: %v", err)
	}
	var doc struct {
		Pages []struct {
			Lines []pdfLine `xml:"flow>block>line"`
		} `xml:"body>doc>page"`
	}
	if err := xml.Unmarshal(out, &doc); err != nil {
		t.Fatalf("reading pdftotext's boxes: %v", err)
	}
	pages := make([][]pdfLine, len(doc.Pages))
	for i, p := range doc.Pages {
		pages[i] = p.Lines
	}
	return pages
}

// checkLineNumbers finds the worksheet's line numbers on every page of a
// printed PDF (words of digits in the small type of the numbers, standing
// at the left edge of a column) and checks, column by column, that they
// count 1, 2, 3 … on across the pages, with no number missing or repeated
// at a page break, one number to a row, and that the word right beside
// number N is the first word of line N of that column on the page (lines,
// from sheetLines): the number and its text are printed together.
func checkLineNumbers(t *testing.T, pdftotext, path string, lines [][]string) {
	t.Helper()
	name := filepath.Base(path)
	pages := pdfBoxes(t, pdftotext, path)
	type placed struct {
		page int
		w    pdfWord
	}
	var words []placed
	var heights []float64
	for p, ls := range pages {
		for _, l := range ls {
			for _, w := range l.Words {
				words = append(words, placed{p, w})
				heights = append(heights, w.YMax-w.YMin)
			}
		}
	}
	if len(words) == 0 {
		t.Fatalf("%s: pdftotext finds no words", name)
	}
	slices.Sort(heights)
	body := heights[len(heights)/2] // most words are the texts' own

	type number struct {
		n    int
		page int
		w    pdfWord
	}
	var numbers []number
	for _, pw := range words {
		n, err := strconv.Atoi(pw.w.Text)
		if err != nil || n < 1 || pw.w.YMax-pw.w.YMin > body*0.85 {
			continue
		}
		numbers = append(numbers, number{n: n, page: pw.page, w: pw.w})
	}
	// Columns by the numbers' right edges: a column's numbers are right
	// aligned, so their edges agree to a fraction of a point.
	var edges []float64
	for _, nb := range numbers {
		if !slices.ContainsFunc(edges, func(e float64) bool { return abs(e-nb.w.XMax) < 8 }) {
			edges = append(edges, nb.w.XMax)
		}
	}
	slices.Sort(edges)
	if len(edges) != len(lines) {
		t.Fatalf("%s: line numbers stand at %d left edges %v, want %d columns", name, len(edges), edges, len(lines))
	}
	for c, edge := range edges {
		var seq []number
		for _, nb := range numbers {
			if abs(nb.w.XMax-edge) < 8 {
				seq = append(seq, nb)
			}
		}
		// In reading order: page, then from the top.
		slices.SortFunc(seq, func(a, b number) int {
			if a.page != b.page {
				return a.page - b.page
			}
			return cmpFloat(a.w.YMax, b.w.YMax)
		})
		if len(seq) != len(lines[c]) {
			t.Errorf("%s: column %d has %d line numbers on paper, %d lines on the page", name, c+1, len(seq), len(lines[c]))
		}
		pagesSeen := map[int]bool{}
		for i, nb := range seq {
			pagesSeen[nb.page] = true
			if nb.n != i+1 {
				t.Errorf("%s: column %d: line number %d on page %d where %d should be (the one before it is on page %d)",
					name, c+1, nb.n, nb.page+1, i+1, seq[max(i-1, 0)].page+1)
				break
			}
			if i > 0 && seq[i-1].page == nb.page && abs(seq[i-1].w.YMax-nb.w.YMax) < body*0.5 {
				t.Errorf("%s: column %d: line numbers %d and %d share a row on page %d", name, c+1, nb.n-1, nb.n, nb.page+1)
				break
			}
			// The word beside the number: right of it, on its row, nearest.
			var beside *pdfWord
			for k := range words {
				x := words[k]
				if x.page != nb.page || x.w.XMin <= nb.w.XMax || x.w.XMin > nb.w.XMax+30 || abs(x.w.YMax-nb.w.YMax) > body*0.5 {
					continue
				}
				if beside == nil || x.w.XMin < beside.XMin {
					beside = &words[k].w
				}
			}
			if i < len(lines[c]) && (beside == nil || beside.Text != lines[c][i]) {
				got := "nothing"
				if beside != nil {
					got = fmt.Sprintf("%q", beside.Text)
				}
				t.Errorf("%s: column %d: beside line number %d on page %d stands %s, want %q, the first word of line %d",
					name, c+1, nb.n, nb.page+1, got, lines[c][i], nb.n)
				break
			}
		}
		if len(seq) > 0 {
			t.Logf("%s: column %d: lines 1 to %d over %d pages", name, c+1, seq[len(seq)-1].n, len(pagesSeen))
		}
		if len(pagesSeen) < 2 {
			t.Errorf("%s: column %d's %d numbered lines are all on one page; the test needs a page break", name, c+1, len(seq))
		}
	}
}

func cmpFloat(a, b float64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

func abs(x float64) float64 {
	if x < 0 {
		return -x
	}
	return x
}
