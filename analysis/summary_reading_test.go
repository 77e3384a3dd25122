package analysis

import (
	"cmp"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"slant/demo"
	"slant/ingest"
	"slant/internal/workspace"
)

// TestSummaryReadsAtGrade8 holds every summary a comparison writes in
// plain words to Flesch-Kincaid grade 8, for the demo event and for the two
// seed articles (../shared/seeds, pasted as a teacher would: cleaned of
// page furniture by the intake): the summary at the top of the page, and
// those of the frames, the sources, the passages only one outlet carries,
// the labels and the tone. Each part is measured as a whole, the way it is
// read; a part that fails is listed with the grade of each of its
// sentences, hardest first, so that the sentence to rewrite is plain. The
// grades are logged, for the notes on reading level.
//
// What is measured is Slant's own wording: what a summary quotes from an
// article between curly quotation marks (a passage, or a loaded word such
// as “flophouse”) is the outlet's writing, not Slant's, and counts as one
// short word.
func TestSummaryReadsAtGrade8(t *testing.T) {
	a := builtinTestAnalyzer(t)
	t.Run("demo", func(t *testing.T) {
		ev, err := demo.Load()
		require.NoError(t, err)
		var articles []ComparedArticle
		for i, art := range ev.Articles {
			articles = append(articles, ComparedArticle{ArticleID: int64(i + 1), Outlet: art.Outlet, Title: art.Title, Text: art.Text,
				Report: a.Analyze(Document{Title: art.Title, Text: art.Text})})
		}
		checkSummaryGrades(t, Compare(articles))
	})
	t.Run("seeds", func(t *testing.T) {
		dir := workspace.Require(t, "seeds")
		var articles []ComparedArticle
		for i, f := range []struct{ file, outlet string }{
			{"outlet-a_t4k3-news.txt", "T4K3 News"},
			{"outlet-b_newszed.txt", "Newszed"},
		} {
			data, err := os.ReadFile(filepath.Join(dir, f.file))
			require.NoError(t, err)
			c := ingest.Clean(string(data))
			articles = append(articles, ComparedArticle{ArticleID: int64(i + 1), Outlet: f.outlet, Title: c.Title, Text: c.Text,
				Report: a.Analyze(Document{Title: c.Title, Text: c.Text})})
		}
		checkSummaryGrades(t, Compare(articles))
	})
	t.Run("quotes only", func(t *testing.T) {
		// An outlet plain in its own voice that quotes loaded words, as the
		// summary says it in its own words.
		loud := a.Analyze(Document{Text: "The council rammed through the plan on Monday. A week later the mayor bulldozed through a second vote."})
		quoting := a.Analyze(Document{Text: "The council voted on the plan on Monday. " +
			"\"They rammed through a disgraceful plan,\" Ana Ruiz said. \"It is a disaster for the town,\" Bo Lind said."})
		plain := a.Analyze(Document{Text: "The council voted on the plan on Monday. The mayor said it would pass."})
		checkSummaryGrades(t, Compare([]ComparedArticle{{ArticleID: 1, Outlet: "Loud", Report: loud}, {ArticleID: 2, Outlet: "Quoting", Report: quoting}}))
		checkSummaryGrades(t, Compare([]ComparedArticle{{ArticleID: 1, Outlet: "Plain", Report: plain}, {ArticleID: 2, Outlet: "Quoting", Report: quoting}}))
	})
}

// checkSummaryGrades measures each plain-words part of c and fails on any
// above maxReadingGrade.
func checkSummaryGrades(t *testing.T, c Comparison) {
	t.Helper()
	parts := []struct {
		name  string
		lines []string
	}{
		{"summary", c.Summary},
		{"frames", c.Frames.Summary},
		{"sources", c.Sources.Summary},
		{"content", c.Content.Summary},
		{"labels", c.Labels.Summary},
		{"tone", c.Tone.Summary},
	}
	var all []string
	for _, p := range parts {
		if len(p.lines) == 0 {
			continue
		}
		all = append(all, p.lines...)
		g := fleschKincaid(ownWording(strings.Join(p.lines, "\n")))
		t.Logf("%-8s grade %4.1f (%d sentences)", p.name, g, len(p.lines))
		if g <= maxReadingGrade {
			continue
		}
		type graded struct {
			grade float64
			line  string
		}
		var lines []graded
		for _, l := range p.lines {
			lines = append(lines, graded{fleschKincaid(ownWording(l)), l})
		}
		slices.SortStableFunc(lines, func(a, b graded) int { return cmp.Compare(b.grade, a.grade) })
		var b strings.Builder
		for _, l := range lines {
			fmt.Fprintf(&b, "\n  %5.1f  %s", l.grade, l.line)
		}
		t.Errorf("the %s summary reads at grade %.1f, above %.0f:%s", p.name, g, maxReadingGrade, b.String())
	}
	t.Logf("all parts together: grade %.1f", fleschKincaid(ownWording(strings.Join(all, "\n"))))
}

// quotedPassage matches text between curly quotation marks.
var quotedPassage = regexp.MustCompile(`“[^“”]*”`)

// ownWording replaces every quotation from an article with “it”, so that
// only Slant's wording is measured.
func ownWording(text string) string {
	return quotedPassage.ReplaceAllString(text, "“it”")
}
