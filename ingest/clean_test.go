package ingest

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Invented body paragraphs used around the furniture under test.
const (
	para1 = "Ferry crossings across the bay were halted on Monday after crews walked out over a dispute about rest breaks, leaving hundreds of commuters stranded."
	para2 = "The operator said talks with the union would resume on Wednesday and that a reduced timetable could run from Thursday if enough staff returned."
	para3 = "Passengers queuing at the northern terminal said they had not been told about the strike until they arrived, and several missed connecting trains."
)

// removedWhy returns the reason a line with exactly this text was removed,
// or "" when it was kept.
func removedWhy(c Cleaned, text string) string {
	for _, r := range c.Removed {
		if r.Text == text {
			return r.Why
		}
	}
	return ""
}

// keptLines returns the lines of Text.
func keptLines(c Cleaned) []string {
	if c.Text == "" {
		return nil
	}
	return strings.Split(c.Text, "\n")
}

func TestCleanLineRules(t *testing.T) {
	tests := []struct {
		name string
		gone []string // lines that must be removed
		why  string   // substring of their reason
		kept []string // look-alike lines that must stay
	}{
		{
			name: "chrome labels",
			gone: []string{"Bugle-Mobile-header-logo", "Daily_Bugle_Nav_Icon", "site-logo.svg", "DailyBugleHeaderLogo", "Daily Bugle logo"},
			why:  "page-layout label",
			kept: []string{"Well-known logo designers said the new crest was a clear improvement on the old one."},
		},
		{
			name: "bare site names and links",
			gone: []string{"bugle.example", "www.bay-news.example.co.uk", "https://bugle.example/world/ferries?id=4"},
			why:  "site name or web address",
			kept: []string{"U.S.", "e.g."},
		},
		{
			name: "breadcrumbs",
			gone: []string{"Home › World › Europe", "Home > Local", "Home / Business / Transport", "HomeWorldEuropeFerry strike halts crossings...", "HomeLocal NewsFerry strike halts crossings on the bay"},
			why:  "breadcrumb",
			kept: []string{"HomeKit owners were told to update their hubs this week after a security flaw was found.", "Home secretary visits the terminal"},
		},
		{
			name: "numbers only",
			gone: []string{"2024 03 15 09 41 12", "20240315", "12:45", "3/15/2024"},
			why:  "numbers only",
			kept: []string{"1,200 passengers were affected on the first day of the strike, the operator said."},
		},
		{
			name: "decoration",
			gone: []string{"* * *", "———", "|"},
			why:  "no words",
		},
		{
			name: "summary-box headings",
			gone: []string{"Key Takeaways", "HIGHLIGHTS", "Key points:", "At a glance", "TL;DR"},
			why:  "summary-box heading",
			kept: []string{"The key points of the deal were not made public."},
		},
		{
			name: "sharing",
			gone: []string{"Share this article", "Share", "Share on WhatsApp", "Facebook Twitter WhatsApp Email", "Liked this story? Tell your friends!", "Enjoyed it? Spread the word.", "Copy link", "Tweet this"},
			why:  "sharing prompt",
			kept: []string{"Commuters were asked to share cars while the strike lasts, the operator said in a statement."},
		},
		{
			name: "comment forms",
			gone: []string{"Leave a comment", "POST A COMMENT", "12 Comments", "Please enter your email address here", "You have entered an incorrect email address!", "Save my name, email, and website in this browser for the next time I comment.", "Cancel reply"},
			why:  "comment form",
			kept: []string{"The union said it would leave a reply to the offer on the table until Friday."},
		},
		{
			name: "loading",
			gone: []string{"Loading comments...", "Loading…", "Please wait"},
			why:  "loading message",
			kept: []string{"Loading of the first ferry began at dawn once the crews had returned to work."},
		},
		{
			name: "source links",
			gone: []string{"Source link", "View original article", "Read the full story"},
			why:  "link to the source page",
		},
		{
			name: "subscribe",
			gone: []string{"Subscribe", "Subscribe to our newsletter", "Sign up for the morning briefing", "Get the best stories delivered to your inbox", "Log in", "Support independent journalism today"},
			why:  "subscription or sign-up prompt",
			kept: []string{"Ferry users can sign up for text alerts, the operator said, although many complained they had received none."},
		},
		{
			name: "cookies",
			gone: []string{"We use cookies to personalise content and ads. By continuing to browse you accept our use of cookies.", "Accept all", "Manage preferences", "This website uses cookies to improve your experience."},
			why:  "cookie notice",
			kept: []string{"\"We use cookies responsibly,\" the company said in a statement to regulators this week."},
		},
		{
			name: "adverts",
			gone: []string{"ADVERTISEMENT", "Advertisement", "Sponsored content", "Story continues below advertisement", "Skip to main content"},
			why:  "",
		},
		{
			name: "navigation and player controls",
			gone: []string{"Menu", "Back to top", "5 min read", "Listen to this article", "Follow us on Instagram"},
			why:  "navigation or player control",
		},
		{
			name: "photo credits and tags and footers",
			gone: []string{"Photo: Jane Roe/Bay Agency", "(Photo by Jane Roe)", "Image credit: Bay Agency", "Tags: ferries, strikes, transport", "© 2024 Daily Bugle Ltd. All rights reserved.", "Privacy Policy | Terms of Service | Contact Us", "READ MORE: Ferry operator warns of summer delays"},
			why:  "",
			kept: []string{"Photographers gathered on the quay as the first boat left."},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			lines := []string{para1}
			for i, g := range tt.gone {
				lines = append(lines, g)
				if i < len(tt.kept) {
					lines = append(lines, tt.kept[i])
				}
			}
			for i := len(tt.gone); i < len(tt.kept); i++ {
				lines = append(lines, tt.kept[i])
			}
			lines = append(lines, para2)
			c := Clean(strings.Join(lines, "\n"))
			for _, g := range tt.gone {
				why := removedWhy(c, g)
				assert.NotEmpty(t, why, "%q should be removed", g)
				assert.Contains(t, why, tt.why, "reason for %q", g)
				assert.NotContains(t, keptLines(c), g)
			}
			for _, k := range tt.kept {
				assert.Contains(t, keptLines(c), k, "%q should be kept", k)
			}
			assert.Contains(t, c.Text, para1)
			assert.Contains(t, c.Text, para2)
		})
	}
}

func TestCleanRelatedSections(t *testing.T) {
	in := strings.Join([]string{
		para1,
		"More from the Daily Bugle",
		"Bay bridge tolls to rise in spring",
		"Lighthouse keeper retires after forty years",
		para2, // a real paragraph ends the list
		"Diplomatic fallout and the road ahead",
		para3,
		"Related Articles:",
		"",
		"Harbour master warns of winter storms",
		"",
		"Ferry operator posts record profits?",
		"LEAVE A REPLY",
		"Recent Comments",
		"Sam on Ferry strike enters second week",
		"Most Read",
		"Seal pup rescued from marina",
	}, "\n")
	c := Clean(in)
	for _, gone := range []string{
		"More from the Daily Bugle", "Bay bridge tolls to rise in spring", "Lighthouse keeper retires after forty years",
		"Related Articles:", "Harbour master warns of winter storms", "Ferry operator posts record profits?",
		"LEAVE A REPLY", "Recent Comments", "Sam on Ferry strike enters second week", "Most Read", "Seal pup rescued from marina",
	} {
		assert.NotEmpty(t, removedWhy(c, gone), "%q should be removed", gone)
	}
	assert.Contains(t, removedWhy(c, "Harbour master warns of winter storms"), "Related Articles")
	assert.Equal(t, "comment form", removedWhy(c, "LEAVE A REPLY"))
	assert.Equal(t, []string{para1, para2, "Diplomatic fallout and the road ahead", para3}, keptLines(c))
}

func TestCleanPositionRules(t *testing.T) {
	in := strings.Join([]string{
		"Friday, March 15, 2024",
		"Updated 3 hours ago",
		"By Jane Roe and Sam Poe",
		"Ferry strike halts crossings on the bay",
		para1,
		"By the end of the week, ferries were running again on most routes across the bay, the operator said.",
		"March 3, 2024",
		para2,
		"Published 15 March 2024 at 09:41 GMT",
	}, "\n")
	c := Clean(in)
	assert.Equal(t, "date line", removedWhy(c, "Friday, March 15, 2024"))
	assert.Equal(t, "date line", removedWhy(c, "Updated 3 hours ago"))
	assert.Equal(t, "byline", removedWhy(c, "By Jane Roe and Sam Poe"))
	assert.Equal(t, "date line", removedWhy(c, "Published 15 March 2024 at 09:41 GMT"))
	assert.Equal(t, "Ferry strike halts crossings on the bay", c.Title)
	// A date between paragraphs (a timeline) stays.
	assert.Equal(t, []string{para1, "By the end of the week, ferries were running again on most routes across the bay, the operator said.", "March 3, 2024", para2}, keptLines(c))
}

func TestCleanTitle(t *testing.T) {
	tests := []struct {
		name, in, title string
	}{
		{"followed by paragraph", "Ferry strike halts crossings\n" + para1, "Ferry strike halts crossings"},
		{"repeated", "Ferry strike halts crossings\nBay News\nFerry strike halts crossings\n" + para1, "Ferry strike halts crossings"},
		{"after furniture", "bugle.example\nMonday, 4 March 2024\n\nFerry strike halts crossings\n\n" + para1, "Ferry strike halts crossings"},
		{"question headline", "Will the ferries run this summer?\n" + para1, "Will the ferries run this summer?"},
		{"no title: starts with prose", para1 + "\n" + para2, ""},
		{"no title: first line is a sentence", "The strike is over.\n" + para1, ""},
		{"no title: nothing follows", "Ferry strike halts crossings", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := Clean(tt.in)
			assert.Equal(t, tt.title, c.Title)
			if tt.title != "" {
				assert.NotContains(t, c.Text, tt.title, "the title is not repeated in Text")
				assert.Contains(t, removedWhy(c, tt.title), "headline")
			}
		})
	}
}

func TestCleanRepeats(t *testing.T) {
	quote := "“We will not accept a timetable that puts crews at risk. It’s off the table, completely off the table,” the union’s spokesperson said."
	in := strings.Join([]string{
		"Ferry strike halts crossings",
		"Crews walk out as talks over rest breaks collapse on the bay.",
		"Crews walk out while talks over rest breaks collapse on the bay.", // one word changed
		"FERRY STRIKE HALTS CROSSINGS",                                     // repeated headline, other case
		para1,
		quote,
		"Key points",
		"- We will not accept a timetable that puts crews at risk", // bullet repeating the quote
		"- its off the table completely off the table",             // no punctuation, no apostrophe
		"\"We will not accept a timetable that puts crews at risk. It's off the table, completely off the table,\" the union's spokesperson said.", // straight quotes
		"Yes.",
		"Yes.", // short lines are not deduplicated
		"Rest breaks and the road ahead",
		para2,
	}, "\n")
	c := Clean(in)
	assert.Equal(t, "Ferry strike halts crossings", c.Title)
	assert.Contains(t, removedWhy(c, "Crews walk out while talks over rest breaks collapse on the bay."), "near repeat of line 2")
	assert.Contains(t, removedWhy(c, "FERRY STRIKE HALTS CROSSINGS"), "repeat of the headline (line 1)")
	assert.Contains(t, removedWhy(c, "- We will not accept a timetable that puts crews at risk"), "its words repeat line 6")
	assert.Contains(t, removedWhy(c, "- its off the table completely off the table"), "its words repeat line 6")
	assert.Contains(t, removedWhy(c, "Key points"), "summary-box heading")
	assert.Equal(t, []string{
		"Crews walk out as talks over rest breaks collapse on the bay.",
		para1, quote, "Yes.", "Yes.", "Rest breaks and the road ahead", para2,
	}, keptLines(c))
}

func TestCleanRepeatKeepsLongerCopy(t *testing.T) {
	// A pull quote printed before the paragraph that contains it: the
	// paragraph is kept, the shorter earlier copy goes.
	pull := "“Nobody told us the boats had stopped running”"
	full := "Maria Lopez, who commutes daily, said: “Nobody told us the boats had stopped running, so we waited for an hour in the rain.”"
	c := Clean(strings.Join([]string{para1, pull, para2, full}, "\n"))
	assert.Equal(t, "shorter copy of line 4", removedWhy(c, pull))
	assert.Equal(t, []string{para1, para2, full}, keptLines(c))
}

func TestCleanKeepsParagraphBreaks(t *testing.T) {
	in := "Ferry strike halts crossings\r\n\r\n" + para1 + "\r\n\r\n\r\nShare\r\n\r\n" + para2 + "\r\n" + para3 + "\r\n"
	c := Clean(in)
	assert.Equal(t, para1+"\n\n"+para2+"\n"+para3, c.Text)
}

func TestCleanEmptyAndTrivial(t *testing.T) {
	assert.Equal(t, Cleaned{}, Clean(""))
	c := Clean("\n\n   \n")
	assert.Empty(t, c.Text)
	assert.Empty(t, c.Removed)
	c = Clean("Just one line of text without much in it")
	assert.Equal(t, "Just one line of text without much in it", c.Text)
}

func TestCleanRemovedLineNumbers(t *testing.T) {
	c := Clean("Share\n\n" + para1 + "\nAdvertisement\n" + para2)
	require.Len(t, c.Removed, 2)
	assert.Equal(t, RemovedLine{Line: 1, Text: "Share", Why: "sharing prompt"}, c.Removed[0])
	assert.Equal(t, 4, c.Removed[1].Line)
}

// checkCleanInvariants asserts Clean's contract: Text is no longer than the
// input and its non-blank lines are trimmed input lines in order; Removed
// is in line order and points at real lines.
func checkCleanInvariants(t *testing.T, in string, c Cleaned) {
	t.Helper()
	if len(c.Text) > len(in) {
		t.Fatalf("output longer than input: %d > %d", len(c.Text), len(in))
	}
	src := strings.Split(strings.ReplaceAll(strings.ReplaceAll(in, "\r\n", "\n"), "\r", "\n"), "\n")
	j := 0
	for _, out := range strings.Split(c.Text, "\n") {
		if out == "" {
			continue
		}
		for j < len(src) && strings.TrimSpace(src[j]) != out {
			j++
		}
		if j == len(src) {
			t.Fatalf("output line %q is not a subsequent input line", out)
		}
		j++
	}
	last := 0
	for _, r := range c.Removed {
		if r.Line <= last || r.Line > len(src) || strings.TrimSpace(src[r.Line-1]) != r.Text || r.Why == "" {
			t.Fatalf("bad removed entry %+v", r)
		}
		last = r.Line
	}
	if c.Title != "" {
		found := false
		for _, l := range src {
			if strings.Join(strings.Fields(l), " ") == c.Title {
				found = true
				break
			}
		}
		if !found {
			t.Fatalf("title %q is not an input line", c.Title)
		}
	}
}

func TestCleanInvariants(t *testing.T) {
	for _, in := range []string{
		"", "a", "\n", "x\r\ny\rz", para1 + "\n" + para1 + "\n\n" + para1,
		"Ferry strike halts crossings\n\n" + para1 + "\nRelated News\nOne\nTwo",
	} {
		checkCleanInvariants(t, in, Clean(in))
	}
}

func TestFoldText(t *testing.T) {
	assert.Equal(t, "its off the table merida", foldText("“It’s off the table…” — Mérida!"))
	assert.Equal(t, foldText("They're here."), foldText("- they’re HERE"))
}

func TestSimilarBudget(t *testing.T) {
	a := strings.Fields("one two three four five six seven eight")
	b := strings.Fields("one two three four five six seven nine")
	budget := 1000
	assert.True(t, similar(a, b, &budget))
	budget = 10
	assert.False(t, similar(a, b, &budget), "no budget, no comparison")
}
