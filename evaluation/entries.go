package evaluation

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"

	"slant/analysis"
	"slant/demo"
)

// EntryMinHits is how many BABE hits an entry needs before the precision
// rule looks at it: below that, one sentence more or less flips the
// comparison.
const EntryMinHits = 5

// EntryHits is how often one lexicon entry fires in the outlet's own voice
// (findings inside quotations are the speaker's and left out): in BABE
// sentences the experts call biased, in those they call not biased, and in
// the demo event's neutral wire report, which must stay without a flag.
type EntryHits struct {
	Category string `json:"category"`
	Term     string `json:"term"`
	Severity int    `json:"severity"`
	// Biased and Neutral count hits in BABE sentences labelled biased and
	// not biased.
	Biased  int `json:"biased"`
	Neutral int `json:"neutral"`
	// Gold counts the hits (in any BABE sentence) that cover a word the
	// experts marked as biased.
	Gold int `json:"gold_words"`
	// Wire counts hits in the neutral demo wire, headline included.
	Wire int `json:"wire"`
	// KeptBecause is the lexicon's written reason for keeping an entry
	// that fires more often in neutral sentences than in biased ones.
	KeptBecause string `json:"kept_because,omitempty"`
	// Forms are the matched words and how often each was seen, most
	// frequent first, so a plain sense stands out ("passed on" the offer).
	Forms []FormHits `json:"forms,omitempty"`
}

// FormHits is one matched text of an entry, lower-cased, with its hits by
// label.
type FormHits struct {
	Text    string `json:"text"`
	Biased  int    `json:"biased"`
	Neutral int    `json:"neutral"`
	Wire    int    `json:"wire"`
}

// Hits is the entry's BABE hits, biased and neutral together.
func (e EntryHits) Hits() int { return e.Biased + e.Neutral }

// Unexplained reports whether the entry breaks the precision rule: at
// least EntryMinHits BABE hits, more of them in neutral sentences than in
// biased ones, and no written reason for keeping it.
func (e EntryHits) Unexplained() bool {
	return e.Hits() >= EntryMinHits && e.Neutral > e.Biased && strings.TrimSpace(e.KeptBecause) == ""
}

// EntriesResult is `slant eval --entries`: every lexicon entry with its
// hits, worst first.
type EntriesResult struct {
	LexiconVersion string `json:"lexicon_version"`
	Split          Split  `json:"split"`
	Limit          int    `json:"limit,omitempty"`
	// BiasedSentences and NeutralSentences are the BABE sentences read.
	BiasedSentences  int    `json:"biased_sentences"`
	NeutralSentences int    `json:"neutral_sentences"`
	Wire             string `json:"wire"`
	// Entries holds every entry of the lexicon, sorted as WriteTable
	// prints them.
	Entries []EntryHits `json:"entries"`
}

// Unexplained returns the entries that break the precision rule.
func (r *EntriesResult) Unexplained() []EntryHits {
	var out []EntryHits
	for _, e := range r.Entries {
		if e.Unexplained() {
			out = append(out, e)
		}
	}
	return out
}

// RunEntries loads BABE from dir and counts every entry's hits in the
// split's sentences and in the demo wire.
func RunEntries(ctx context.Context, a *analysis.Analyzer, dir string, opts Options) (*EntriesResult, error) {
	data, err := Load(dir, []Dataset{Babe})
	if err != nil {
		return nil, err
	}
	return Entries(ctx, a, data.Babe, opts)
}

// Entries counts every lexicon entry's own-voice hits in the BABE
// sentences of opts.Split (first opts.Limit of them when set) and in the
// neutral article of the demo event.
func Entries(ctx context.Context, a *analysis.Analyzer, babe []BabeSentence, opts Options) (*EntriesResult, error) {
	if a == nil {
		return nil, errors.New("count entry hits: analyzer is nil")
	}
	split := cmp.Or(opts.Split, SplitAll)
	sents := Data{Babe: babe}.Select(split, opts.Limit).Babe
	ev, err := demo.Load()
	if err != nil {
		return nil, fmt.Errorf("count entry hits: %w", err)
	}
	wire := ev.Articles[0] // demo.Load puts the neutral report first
	docs := make([]analysis.Document, 0, len(sents)+2)
	for _, s := range sents {
		docs = append(docs, analysis.Document{Text: s.Text})
	}
	// The headline is analyzed as a text of its own so that its findings
	// come back with the body's: a wire headline must not be loaded either.
	docs = append(docs, analysis.Document{Text: wire.Title}, analysis.Document{Text: wire.Text})
	preds, _, err := analyzeAll(ctx, a, docs, opts.Workers, opts.Progress)
	if err != nil {
		return nil, err
	}

	r := &EntriesResult{LexiconVersion: a.Version(), Split: split, Limit: opts.Limit, Wire: wire.Outlet}
	tally := newEntryTally(a.Lexicon())
	for i, s := range sents {
		if s.Biased {
			r.BiasedSentences++
		} else {
			r.NeutralSentences++
		}
		tally.countBabe(s, preds[i])
	}
	for i, d := range docs[len(sents):] {
		tally.count(d.Text, preds[len(sents)+i], func(h *EntryHits, fh *FormHits, _ Flag) {
			h.Wire++
			fh.Wire++
		})
	}
	r.Entries = tally.entries()
	slices.SortFunc(r.Entries, compareEntries)
	return r, nil
}

// entryKey names a lexicon entry.
type entryKey struct{ category, term string }

// entryTally counts the hits of every entry and, within an entry, of each
// matched form. It starts with every entry of the lexicon, so that the
// entries that never fire are listed too.
type entryTally struct {
	hits  map[entryKey]*EntryHits
	forms map[entryKey]map[string]*FormHits
}

func newEntryTally(lex *analysis.Lexicon) *entryTally {
	t := &entryTally{hits: map[entryKey]*EntryHits{}, forms: map[entryKey]map[string]*FormHits{}}
	for _, c := range lex.Categories() {
		for _, e := range c.Entries {
			k := entryKey{c.Name, e.Term}
			if t.hits[k] == nil {
				t.hits[k] = &EntryHits{Category: c.Name, Term: e.Term, Severity: e.Severity, KeptBecause: e.KeptBecause}
				t.forms[k] = map[string]*FormHits{}
			}
		}
	}
	return t
}

// count calls add with the entry and the form of each of the prediction's
// flags in text.
func (t *entryTally) count(text string, p Prediction, add func(*EntryHits, *FormHits, Flag)) {
	for _, f := range p.Flags {
		k := entryKey{f.Category, f.Term}
		h := t.hits[k]
		if h == nil { // a term the lexicon no longer lists cannot happen; keep it visible if it does
			h = &EntryHits{Category: f.Category, Term: f.Term}
			t.hits[k], t.forms[k] = h, map[string]*FormHits{}
		}
		form := strings.ToLower(strings.Join(strings.Fields(text[f.Start:f.End]), " "))
		fh := t.forms[k][form]
		if fh == nil {
			fh = &FormHits{Text: form}
			t.forms[k][form] = fh
		}
		add(h, fh, f)
	}
}

// countBabe counts the hits in one BABE sentence by its label, and those
// that cover a word the experts marked.
func (t *entryTally) countBabe(s BabeSentence, p Prediction) {
	tokens := Tokens(s.Text)
	gold, _ := BabeGold(s, tokens)
	t.count(s.Text, p, func(h *EntryHits, fh *FormHits, f Flag) {
		if s.Biased {
			h.Biased++
			fh.Biased++
		} else {
			h.Neutral++
			fh.Neutral++
		}
		for j, tok := range tokens {
			if gold[j] && tok.Start < f.End && f.Start < tok.End {
				h.Gold++
				break
			}
		}
	})
}

// entries returns every entry with its forms, most frequent form first;
// the entries themselves are in no order (see compareEntries).
func (t *entryTally) entries() []EntryHits {
	var out []EntryHits
	for k, h := range t.hits {
		for _, fh := range t.forms[k] {
			h.Forms = append(h.Forms, *fh)
		}
		slices.SortFunc(h.Forms, func(x, y FormHits) int {
			return cmp.Or(cmp.Compare(y.Biased+y.Neutral+y.Wire, x.Biased+x.Neutral+x.Wire), cmp.Compare(x.Text, y.Text))
		})
		out = append(out, *h)
	}
	return out
}

// compareEntries puts the entries that most need a look first: those in
// the demo wire, then those with the largest excess of neutral over biased
// hits, then the busiest; names break ties so the order is stable.
func compareEntries(x, y EntryHits) int {
	return cmp.Or(
		cmp.Compare(y.Wire, x.Wire),
		cmp.Compare(y.Neutral-y.Biased, x.Neutral-x.Biased),
		cmp.Compare(y.Hits(), x.Hits()),
		cmp.Compare(x.Category, y.Category),
		cmp.Compare(x.Term, y.Term),
	)
}

// WriteJSON writes the result as indented JSON.
func (r *EntriesResult) WriteJSON(w io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(r); err != nil {
		return fmt.Errorf("encode entry hits: %w", err)
	}
	return nil
}

// WriteTable writes the entries that fired anywhere as a Markdown table,
// worst first, with the rule's verdict and the most frequent matched
// words; the entries that never fired are counted at the end.
func (r *EntriesResult) WriteTable(w io.Writer) error {
	var b strings.Builder
	limit := "all records"
	if r.Limit > 0 {
		limit = fmt.Sprintf("first %d records", r.Limit)
	}
	fmt.Fprintf(&b, "Slant lexicon entries: lexicon %s, BABE split %s (%s): %s biased and %s neutral sentences; wire: %s (demo)\n\n",
		r.LexiconVersion, r.Split, limit, thousands(r.BiasedSentences), thousands(r.NeutralSentences), r.Wire)
	b.WriteString("| category | term | sev | biased | neutral | gold words | wire | rule | matched (biased/neutral) |\n")
	b.WriteString("|---|---|---:|---:|---:|---:|---:|---|---|\n")
	silent := 0
	for _, e := range r.Entries {
		if e.Hits()+e.Wire == 0 {
			silent++
			continue
		}
		fmt.Fprintf(&b, "| %s | %s | %d | %d | %d | %d | %d | %s | %s |\n",
			e.Category, e.Term, e.Severity, e.Biased, e.Neutral, e.Gold, e.Wire, ruleNote(e), formsNote(e.Forms, 4))
	}
	fmt.Fprintf(&b, "\n%d of %d entries fired; %d did not. ", len(r.Entries)-silent, len(r.Entries), silent)
	if bad := r.Unexplained(); len(bad) > 0 {
		names := make([]string, len(bad))
		for i, e := range bad {
			names[i] = e.Category + "/" + e.Term
		}
		fmt.Fprintf(&b, "%d entries with at least %d hits fire more often in neutral than in biased sentences without a reason (kept_because): %s\n",
			len(bad), EntryMinHits, strings.Join(names, ", "))
	} else {
		fmt.Fprintf(&b, "Every entry with at least %d hits fires at least as often in biased as in neutral sentences, or says why it is kept.\n", EntryMinHits)
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// ruleNote is the table's verdict on one entry: "ok", "few hits",
// "UNEXPLAINED", the kept_because reason, or "IN WIRE".
func ruleNote(e EntryHits) string {
	var notes []string
	if e.Wire > 0 {
		notes = append(notes, "IN WIRE")
	}
	switch {
	case e.Unexplained():
		notes = append(notes, "UNEXPLAINED")
	case e.Hits() >= EntryMinHits && e.Neutral > e.Biased:
		notes = append(notes, "kept: "+strings.ReplaceAll(e.KeptBecause, "|", "/"))
	case e.Hits() < EntryMinHits:
		notes = append(notes, "few hits")
	default:
		notes = append(notes, "ok")
	}
	return strings.Join(notes, "; ")
}

func formsNote(forms []FormHits, n int) string {
	parts := make([]string, 0, n)
	for i, f := range forms {
		if i == n {
			parts = append(parts, fmt.Sprintf("+%d more", len(forms)-n))
			break
		}
		s := fmt.Sprintf("%s %d/%d", strings.ReplaceAll(f.Text, "|", "/"), f.Biased, f.Neutral)
		if f.Wire > 0 {
			s += fmt.Sprintf(" (wire %d)", f.Wire)
		}
		parts = append(parts, s)
	}
	return strings.Join(parts, ", ")
}
