package desk

import (
	"bufio"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// Sentence parts of the generated articles: neutral reporting with loaded
// words, quotations and attributions mixed in, so that every stage of the
// analysis has work to do.
var (
	genSubjects = []string{
		"The council", "Residents", "The mayor", "Officials", "Critics", "Police", "The opposition",
		"Shop owners", "A spokeswoman for the agency", "Local teachers", "Union leaders", "The minister",
	}
	genVerbs = []string{
		"said", "argued", "claimed", "slammed", "warned", "admitted", "insisted", "noted", "blasted", "conceded",
	}
	genObjects = []string{
		"the plan would cost more than expected", "the district had become a hellhole",
		"the radical proposal was a disaster", "the budget needed a careful review",
		"thugs had looted several shops overnight", "the river level was falling slowly",
		"the shameful decision betrayed working families", "more buses would run from Monday",
		"the catastrophic failure was entirely predictable", "the school would reopen next week",
		"the so-called experts had been wrong all along", "the bridge repairs were on schedule",
		"illegals were pouring across the border", "the clinic had hired four more nurses",
	}
	genQuotes = []string{
		"We will not be silenced", "This is an absolute disgrace", "The figures speak for themselves",
		"Nobody told us anything", "We are doing everything we can", "It is a total catastrophe",
	}
	genOutlets = []string{
		"Daily Bugle", "The Planet", "Valley Courier", "Riverside Wire", "Morning Herald",
		"Evening Standard-Bearer", "Coastal Times", "The Lantern",
	}
)

// genArticle writes one generated article of about words words.
func genArticle(r *rand.Rand, words int) string {
	var b strings.Builder
	count := 0
	for count < words {
		var s string
		switch r.IntN(4) {
		case 0:
			s = fmt.Sprintf("%q, %s %s.", genQuotes[r.IntN(len(genQuotes))], strings.ToLower(genSubjects[r.IntN(len(genSubjects))]), genVerbs[r.IntN(len(genVerbs))])
		default:
			s = fmt.Sprintf("%s %s that %s on %s.", genSubjects[r.IntN(len(genSubjects))], genVerbs[r.IntN(len(genVerbs))],
				genObjects[r.IntN(len(genObjects))], []string{"Monday", "Tuesday", "Friday", "the weekend"}[r.IntN(4)])
		}
		b.WriteString(s)
		count += len(strings.Fields(s))
		if r.IntN(4) == 0 {
			b.WriteString("\n\n")
		} else {
			b.WriteByte(' ')
		}
	}
	return strings.TrimSpace(b.String())
}

// writeGenerated writes n generated import records as JSON Lines to path:
// ten articles per event, each from a different outlet, each text unique
// and some 400 words long (about 2.5 KB, a short news story). The same n
// always gives the same file.
func writeGenerated(t testing.TB, path string, n int) {
	t.Helper()
	f, err := os.Create(path)
	require.NoError(t, err)
	defer f.Close()
	w := bufio.NewWriter(f)
	r := rand.New(rand.NewPCG(42, uint64(n)))
	enc := json.NewEncoder(w)
	for i := range n {
		event := i / 10
		outlet := genOutlets[i%len(genOutlets)]
		if i%10 >= len(genOutlets) {
			outlet = fmt.Sprintf("%s %d", outlet, i%10)
		}
		rec := map[string]string{
			"event":        fmt.Sprintf("Generated event %05d", event),
			"outlet":       outlet,
			"title":        fmt.Sprintf("Story %d: %s", i, genObjects[r.IntN(len(genObjects))]),
			"url":          fmt.Sprintf("https://outlet%d.example/story/%d", i%10, i),
			"published_at": fmt.Sprintf("2025-%02d-%02d", 1+event%12, 1+event%28),
			"text":         fmt.Sprintf("Report %d. %s", i, genArticle(r, 400)),
		}
		require.NoError(t, enc.Encode(rec))
	}
	require.NoError(t, w.Flush())
}
