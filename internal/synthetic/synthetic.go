// Package synthetic writes made-up import files for tests and
// measurements: news-like articles built from a few invented sentence
// parts, with loaded words, quotations and attributions mixed in so that
// every stage of the analysis has work to do, and, for a researcher's
// corpus, an id and three extra fields per article. The same options
// always give the same file. Nothing in it comes from a real article.
package synthetic

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"strings"
)

// Sentence parts of the generated articles.
var (
	subjects = []string{
		"The council", "Residents", "The mayor", "Officials", "Critics", "Police", "The opposition",
		"Shop owners", "A spokeswoman for the agency", "Local teachers", "Union leaders", "The minister",
	}
	verbs = []string{
		"said", "argued", "claimed", "slammed", "warned", "admitted", "insisted", "noted", "blasted", "conceded",
	}
	objects = []string{
		"the plan would cost more than expected", "the district had become a hellhole",
		"the radical proposal was a disaster", "the budget needed a careful review",
		"thugs had looted several shops overnight", "the river level was falling slowly",
		"the shameful decision betrayed working families", "more buses would run from Monday",
		"the catastrophic failure was entirely predictable", "the school would reopen next week",
		"the so-called experts had been wrong all along", "the bridge repairs were on schedule",
		"illegals were pouring across the border", "the clinic had hired four more nurses",
	}
	quotes = []string{
		"We will not be silenced", "This is an absolute disgrace", "The figures speak for themselves",
		"Nobody told us anything", "We are doing everything we can", "It is a total catastrophe",
	}
	outlets = []string{
		"Daily Bugle", "The Planet", "Valley Courier", "Riverside Wire", "Morning Herald",
		"Evening Standard-Bearer", "Coastal Times", "The Lantern",
	}
	sections = []string{"Local", "Politics", "Business", "Health", "Transport"}
	stances  = []string{"left", "centre", "right"}
)

// Article writes one generated article of about words words.
func Article(r *rand.Rand, words int) string {
	var b strings.Builder
	count := 0
	for count < words {
		var s string
		switch r.IntN(4) {
		case 0:
			s = fmt.Sprintf("%q, %s %s.", quotes[r.IntN(len(quotes))], strings.ToLower(subjects[r.IntN(len(subjects))]), verbs[r.IntN(len(verbs))])
		default:
			s = fmt.Sprintf("%s %s that %s on %s.", subjects[r.IntN(len(subjects))], verbs[r.IntN(len(verbs))],
				objects[r.IntN(len(objects))], []string{"Monday", "Tuesday", "Friday", "the weekend"}[r.IntN(4)])
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

// Options says what file to write.
type Options struct {
	// Articles is how many records to write, ten per event, each from
	// another outlet.
	Articles int
	// Words is the length of each article; zero means 400 (about 2.5 KB,
	// a short news story).
	Words int
	// Corpus adds what a researcher's corpus carries: an "id"
	// ("doc-000001", ...) and three extra fields, "section" (a string),
	// "stance" (a string) and "wordcount" (a number).
	Corpus bool
}

// WriteJSONL writes the records as JSON Lines: each text unique, ten
// articles per event. The same options always give the same file.
func WriteJSONL(w io.Writer, opts Options) error {
	words := opts.Words
	if words <= 0 {
		words = 400
	}
	bw := bufio.NewWriter(w)
	r := rand.New(rand.NewPCG(42, uint64(opts.Articles)))
	enc := json.NewEncoder(bw)
	for i := range opts.Articles {
		event := i / 10
		outlet := outlets[i%len(outlets)]
		if i%10 >= len(outlets) {
			outlet = fmt.Sprintf("%s %d", outlet, i%10)
		}
		title := fmt.Sprintf("Story %d: %s", i, objects[r.IntN(len(objects))])
		text := fmt.Sprintf("Report %d. %s", i, Article(r, words))
		rec := map[string]any{
			"event":        fmt.Sprintf("Generated event %05d", event),
			"outlet":       outlet,
			"title":        title,
			"url":          fmt.Sprintf("https://outlet%d.example/story/%d", i%10, i),
			"published_at": fmt.Sprintf("2025-%02d-%02d", 1+event%12, 1+event%28),
			"text":         text,
		}
		if opts.Corpus {
			rec["id"] = fmt.Sprintf("doc-%06d", i+1)
			rec["section"] = sections[i%len(sections)]
			rec["stance"] = stances[(i/len(sections))%len(stances)]
			rec["wordcount"] = len(strings.Fields(text))
		}
		if err := enc.Encode(rec); err != nil {
			return fmt.Errorf("write generated record %d: %w", i+1, err)
		}
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("write generated records: %w", err)
	}
	return nil
}
