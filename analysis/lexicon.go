package analysis

import (
	"bytes"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"path"
	"slices"
	"strings"

	"gopkg.in/yaml.v3"
)

//go:embed lexicon/*.yaml
var builtinLexiconFS embed.FS

// Entry is one loaded term with what it does to the reader and what a
// neutral report would say instead.
type Entry struct {
	Term         string   `yaml:"term" json:"term"`
	Also         []string `yaml:"also,omitempty" json:"also,omitempty"`
	Alternatives []string `yaml:"alternatives" json:"alternatives"`
	Reason       string   `yaml:"reason" json:"reason"`
	// Severity overrides the category's severity when non-zero.
	Severity int `yaml:"severity,omitempty" json:"severity"`
	// Exact matches the surface forms only, for words whose stem collides
	// with a neutral word ("claimed" must not match the noun "claim").
	Exact bool `yaml:"exact,omitempty" json:"exact,omitempty"`
	// Except lists longer phrases containing the term in which it is not
	// loaded ("sanctions regime"); they win by being longer.
	Except []string `yaml:"except,omitempty" json:"except,omitempty"`
	Source string   `yaml:"source,omitempty" json:"source"`
	// KeptBecause says why an entry stays although, on the BABE
	// development half, it fires more often in sentences the experts call
	// neutral than in biased ones (`slant eval --entries` shows it). It is
	// for the people keeping the lexicon, not for readers.
	KeptBecause string `yaml:"kept_because,omitempty" json:"-"`
	// DropIn maps a form of the entry, as it stands in a text (in lower
	// case: "regime", "regimes"), to words that can take its place in the
	// same slot, with the same part of speech, so the sentence still reads
	// as English ("government", "governments"). Only these are swapped into
	// the neutral version of a text; the alternatives are shown as advice.
	DropIn map[string]string `yaml:"drop_in,omitempty" json:"-"`
	// Droppable lists forms that can be left out and leave a sentence that
	// still reads as English ("so-called", "utterly").
	Droppable []string `yaml:"droppable,omitempty" json:"-"`
}

// Category groups entries that are loaded in the same way, such as
// pejorative labels or weasel attribution.
type Category struct {
	Name        string  `yaml:"category" json:"name"`
	Label       string  `yaml:"label" json:"label"`
	Description string  `yaml:"description" json:"description"`
	Severity    int     `yaml:"severity" json:"severity"`
	Source      string  `yaml:"source" json:"source"`
	Entries     []Entry `yaml:"entries" json:"entries"`
}

// LexiconFile is one category file as read from disk or from the database.
type LexiconFile struct {
	Name string
	Data []byte
}

// Lexicon is the compiled set of loaded terms. It is immutable and safe for
// concurrent use.
type Lexicon struct {
	categories []Category
	version    string
	matcher    *matcher
	threshold  float64 // sentence score at which a sentence is biased
	// byTerm finds an entry from a finding's category and term.
	byTerm map[[2]string]lexiconEntry
}

// newLexicon assembles a lexicon from checked categories and its compiled
// matcher.
func newLexicon(categories []Category, version string, m *matcher, threshold float64) *Lexicon {
	l := &Lexicon{categories: categories, version: version, matcher: m, threshold: threshold, byTerm: map[[2]string]lexiconEntry{}}
	for ci := range categories {
		for ei := range categories[ci].Entries {
			e := &categories[ci].Entries[ei]
			l.byTerm[[2]string{categories[ci].Name, e.Term}] = lexiconEntry{e, adviceText(e.Alternatives)}
		}
	}
	return l
}

// lexiconEntry is an entry with the advice its alternatives give
// (adviceText), worked out once.
type lexiconEntry struct {
	*Entry
	advice string
}

// entryOf returns the entry behind a finding and its advice.
func (l *Lexicon) entryOf(f Finding) (*Entry, string, bool) {
	e, ok := l.byTerm[[2]string{f.Category, f.Term}]
	return e.Entry, e.advice, ok
}

// BuiltinLexicon loads the lexicon embedded in the binary.
func BuiltinLexicon() (*Lexicon, error) {
	names, err := fs.Glob(builtinLexiconFS, "lexicon/*.yaml")
	if err != nil {
		return nil, fmt.Errorf("list builtin lexicon: %w", err)
	}
	files := make([]LexiconFile, 0, len(names))
	for _, name := range names {
		data, err := builtinLexiconFS.ReadFile(name)
		if err != nil {
			return nil, fmt.Errorf("read builtin lexicon %s: %w", name, err)
		}
		files = append(files, LexiconFile{Name: path.Base(name), Data: data})
	}
	return ParseLexicon(files)
}

// ParseLexicon decodes category files strictly (an unknown key is an error
// naming the file and line), checks every entry and compiles the matcher.
// The version is a hash of the files' names and contents, so any change to
// the lexicon changes it.
func ParseLexicon(files []LexiconFile) (*Lexicon, error) {
	files = slices.Clone(files)
	slices.SortFunc(files, func(a, b LexiconFile) int { return strings.Compare(a.Name, b.Name) })

	hash := sha256.New()
	categories := make([]Category, 0, len(files))
	seenCategory := map[string]string{}
	for _, f := range files {
		c, err := decodeCategory(f)
		if err != nil {
			return nil, err
		}
		if prev, dup := seenCategory[c.Name]; dup {
			return nil, fmt.Errorf("load lexicon %s: category %q already defined in %s", f.Name, c.Name, prev)
		}
		seenCategory[c.Name] = f.Name
		categories = append(categories, c)
		fmt.Fprintf(hash, "%s\x00%d\x00", f.Name, len(f.Data))
		hash.Write(f.Data)
	}
	m, err := compileMatcher(categories)
	if err != nil {
		return nil, fmt.Errorf("load lexicon: %w", err)
	}
	return newLexicon(categories, "sha256:"+hex.EncodeToString(hash.Sum(nil))[:16], m, DefaultSentenceThreshold), nil
}

func decodeCategory(f LexiconFile) (Category, error) {
	var c Category
	dec := yaml.NewDecoder(bytes.NewReader(f.Data))
	dec.KnownFields(true)
	if err := dec.Decode(&c); err != nil {
		if errors.Is(err, io.EOF) {
			return c, fmt.Errorf("load lexicon %s: file is empty", f.Name)
		}
		return c, fmt.Errorf("load lexicon %s: %w", f.Name, err)
	}
	if err := c.check(); err != nil {
		return c, fmt.Errorf("load lexicon %s: %w", f.Name, err)
	}
	for i := range c.Entries {
		e := &c.Entries[i]
		if e.Severity == 0 {
			e.Severity = c.Severity
		}
		if e.Source == "" {
			e.Source = c.Source
		}
		if e.Alternatives == nil {
			e.Alternatives = []string{}
		}
	}
	return c, nil
}

func (c Category) check() error {
	switch {
	case c.Name == "":
		return errors.New("category name is missing")
	case c.Label == "":
		return fmt.Errorf("category %s: label is missing", c.Name)
	case c.Description == "":
		return fmt.Errorf("category %s: description is missing", c.Name)
	case c.Severity < 1 || c.Severity > 3:
		return fmt.Errorf("category %s: severity %d is outside 1..3", c.Name, c.Severity)
	case len(c.Entries) == 0:
		return fmt.Errorf("category %s: no entries", c.Name)
	}
	for i, e := range c.Entries {
		if err := e.check(); err != nil {
			return fmt.Errorf("category %s entry %d (%q): %w", c.Name, i+1, e.Term, err)
		}
	}
	return nil
}

func (e Entry) check() error {
	switch {
	case strings.TrimSpace(e.Term) == "":
		return errors.New("term is missing")
	case strings.TrimSpace(e.Reason) == "":
		return errors.New("reason is missing")
	case e.Severity < 0 || e.Severity > 3:
		return fmt.Errorf("severity %d is outside 1..3", e.Severity)
	}
	for _, form := range append([]string{e.Term}, e.Also...) {
		if err := CheckForm(form); err != nil {
			return fmt.Errorf("form %q: %w", form, err)
		}
	}
	return e.checkNeutralForms()
}

// Version identifies the lexicon's exact content. Stored analyses record it
// so that a score can be traced to the words it was made with.
func (l *Lexicon) Version() string { return l.version }

// Threshold is the sentence score at or above which a sentence is marked
// biased.
func (l *Lexicon) Threshold() float64 { return l.threshold }

// Categories returns the categories in file-name order.
func (l *Lexicon) Categories() []Category { return slices.Clone(l.categories) }

// EntryCount is the number of entries across all categories.
func (l *Lexicon) EntryCount() int {
	n := 0
	for _, c := range l.categories {
		n += len(c.Entries)
	}
	return n
}

// Category returns the category with the given name.
func (l *Lexicon) Category(name string) (Category, bool) {
	for _, c := range l.categories {
		if c.Name == name {
			return c, true
		}
	}
	return Category{}, false
}

// Overlay adjusts a lexicon without editing its files: new severities for
// some entries (0 switches an entry off) and the sentence threshold. It is
// what `slant calibrate` learns from a researcher's labelled sentences.
type Overlay struct {
	Description string         `yaml:"description"`
	Threshold   float64        `yaml:"threshold,omitempty"`
	Entries     []OverlayEntry `yaml:"entries"`
}

// OverlayEntry sets the severity of one entry, named by category and term.
type OverlayEntry struct {
	Category string `yaml:"category"`
	Term     string `yaml:"term"`
	Severity int    `yaml:"severity"`
}

// ParseOverlay decodes an overlay strictly: unknown keys are errors that
// name the file and line.
func ParseOverlay(name string, data []byte) (Overlay, error) {
	var o Overlay
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(&o); err != nil {
		if errors.Is(err, io.EOF) {
			return o, fmt.Errorf("load lexicon overlay %s: file is empty", name)
		}
		return o, fmt.Errorf("load lexicon overlay %s: %w", name, err)
	}
	if o.Threshold < 0 || o.Threshold > 1 {
		return o, fmt.Errorf("load lexicon overlay %s: threshold %v is outside 0..1", name, o.Threshold)
	}
	for i, e := range o.Entries {
		if e.Severity < 0 || e.Severity > 3 {
			return o, fmt.Errorf("load lexicon overlay %s: entry %d (%q): severity %d is outside 0..3", name, i+1, e.Term, e.Severity)
		}
	}
	return o, nil
}

// MarshalOverlay writes an overlay as YAML that ParseOverlay reads back.
func MarshalOverlay(o Overlay) ([]byte, error) {
	var buf bytes.Buffer
	buf.WriteString("# Slant lexicon overlay: load it with SLANT_LEXICON_OVERLAY=<this file>.\n")
	enc := yaml.NewEncoder(&buf)
	enc.SetIndent(2)
	if err := enc.Encode(o); err != nil {
		return nil, fmt.Errorf("encode lexicon overlay: %w", err)
	}
	if err := enc.Close(); err != nil {
		return nil, fmt.Errorf("encode lexicon overlay: %w", err)
	}
	return buf.Bytes(), nil
}

// WithOverlay returns a new lexicon with the overlay in the named file
// applied on top of this one. Its version joins this lexicon's version and
// a hash of the overlay, so a score made with an overlay says so.
func (l *Lexicon) WithOverlay(name string, data []byte) (*Lexicon, error) {
	o, err := ParseOverlay(name, data)
	if err != nil {
		return nil, err
	}
	categories := make([]Category, len(l.categories))
	for i, c := range l.categories {
		c.Entries = slices.Clone(c.Entries)
		categories[i] = c
	}
	drop := map[[2]int]bool{}
	for i, oe := range o.Entries {
		ci := slices.IndexFunc(categories, func(c Category) bool { return c.Name == oe.Category })
		if ci < 0 {
			return nil, fmt.Errorf("load lexicon overlay %s: entry %d: no category %q", name, i+1, oe.Category)
		}
		ei := slices.IndexFunc(categories[ci].Entries, func(e Entry) bool { return e.Term == oe.Term })
		if ei < 0 {
			return nil, fmt.Errorf("load lexicon overlay %s: entry %d: no term %q in category %s", name, i+1, oe.Term, oe.Category)
		}
		if oe.Severity == 0 {
			drop[[2]int{ci, ei}] = true
			continue
		}
		categories[ci].Entries[ei].Severity = oe.Severity
	}
	for ci := range categories {
		kept := categories[ci].Entries[:0]
		for ei, e := range categories[ci].Entries {
			if !drop[[2]int{ci, ei}] {
				kept = append(kept, e)
			}
		}
		categories[ci].Entries = kept
	}
	m, err := compileMatcher(categories)
	if err != nil {
		return nil, fmt.Errorf("load lexicon overlay %s: %w", name, err)
	}
	sum := sha256.Sum256(data)
	threshold := l.threshold
	if o.Threshold > 0 {
		threshold = o.Threshold
	}
	return newLexicon(categories, l.version+"+overlay:"+hex.EncodeToString(sum[:])[:8], m, threshold), nil
}

// CustomEntry is a term a teacher or researcher adds on top of the
// built-in lexicon (the class word list), filed under an existing
// category.
type CustomEntry struct {
	Category     string   `json:"category"`
	Term         string   `json:"term"`
	Also         []string `json:"also"`
	Alternatives []string `json:"alternatives"`
	Reason       string   `json:"reason"`
	Severity     int      `json:"severity"`
	// Override lets the entry take the place of the built-in entries whose
	// words it matches (Collisions): their severity, reason and
	// alternatives give way to the class's. Without it such an entry is a
	// *CollisionError.
	Override bool `json:"override"`
}

// Collision is a built-in entry whose words a class term matches: the
// same term, or a form that matches the same words ("hellholes" and
// "hellhole").
type Collision struct {
	// Form is the class entry's form that collides.
	Form string
	// Category is the name of the built-in entry's category.
	Category string
	// Entry is the built-in entry, with its severity in force.
	Entry Entry
}

// CollisionError refuses a class term that the built-in lexicon has
// already, unless the class says to override it: laid over silently, it
// would replace the built-in entry's severity, reason and alternatives.
type CollisionError struct {
	// Term is the class entry's term.
	Term string
	Collision
}

// Error names the built-in entry.
func (e *CollisionError) Error() string {
	return fmt.Sprintf("%q is already in the built-in lexicon as %q (%s, severity %d: %s)",
		e.Form, e.Entry.Term, e.Category, e.Entry.Severity, e.Entry.Reason)
}

// Collisions lists the entries of l, other than class (custom) entries,
// whose words ce matches, in lexicon order: an entry with the same term
// (in any case), or one with a form that matches the same words as a form
// of ce. An entry that matches surface forms only (exact) collides only by
// its term.
func (l *Lexicon) Collisions(ce CustomEntry) []Collision {
	type form struct{ text, key string }
	var forms []form
	for _, f := range append([]string{ce.Term}, ce.Also...) {
		if keys := wordKeys(f, false); len(keys) > 0 {
			forms = append(forms, form{f, strings.Join(keys, " ")})
		}
	}
	term := strings.ToLower(strings.TrimSpace(ce.Term))
	var out []Collision
	for _, c := range l.categories {
		for _, e := range c.Entries {
			if e.Source == "custom" {
				continue
			}
			hit := ""
			if strings.EqualFold(e.Term, term) {
				hit = term
			}
			for _, bf := range append([]string{e.Term}, e.Also...) {
				if hit != "" || e.Exact {
					break
				}
				key := strings.Join(wordKeys(bf, false), " ")
				for _, f := range forms {
					if f.key == key {
						hit = f.text
						break
					}
				}
			}
			if hit != "" {
				out = append(out, Collision{Form: hit, Category: c.Name, Entry: e})
			}
		}
	}
	return out
}

// WithCustom returns a new lexicon with the custom entries added to their
// categories, marked as the class's own (Source "custom"). An entry whose
// words a built-in entry matches already is a *CollisionError unless it
// says Override; then it takes the built-in entry's place, so that a class
// can reword a reason or change a severity on purpose. The version joins
// this lexicon's version and a hash of the entries, so every stored
// analysis says whether a class word list was in force.
func (l *Lexicon) WithCustom(entries []CustomEntry) (*Lexicon, error) {
	if len(entries) == 0 {
		return l, nil
	}
	categories := make([]Category, len(l.categories))
	for i, c := range l.categories {
		c.Entries = slices.Clone(c.Entries)
		categories[i] = c
	}
	hash := sha256.New()
	for i, ce := range entries {
		ci := slices.IndexFunc(categories, func(c Category) bool { return c.Name == ce.Category })
		if ci < 0 {
			return nil, fmt.Errorf("custom entry %d (%q): no category %q", i+1, ce.Term, ce.Category)
		}
		e := Entry{
			Term:         strings.ToLower(strings.TrimSpace(ce.Term)),
			Also:         ce.Also,
			Alternatives: ce.Alternatives,
			Reason:       strings.TrimSpace(ce.Reason),
			Severity:     ce.Severity,
			Source:       "custom",
		}
		if e.Severity == 0 {
			e.Severity = categories[ci].Severity
		}
		if e.Alternatives == nil {
			e.Alternatives = []string{}
		}
		if err := e.check(); err != nil {
			return nil, fmt.Errorf("custom entry %d (%q): %w", i+1, ce.Term, err)
		}
		collisions := l.Collisions(ce)
		if len(collisions) > 0 && !ce.Override {
			return nil, &CollisionError{Term: e.Term, Collision: collisions[0]}
		}
		for _, col := range collisions {
			cj := slices.IndexFunc(categories, func(c Category) bool { return c.Name == col.Category })
			categories[cj].Entries = slices.DeleteFunc(categories[cj].Entries, func(b Entry) bool {
				return b.Source != "custom" && b.Term == col.Entry.Term
			})
		}
		categories[ci].Entries = append(categories[ci].Entries, e)
		fmt.Fprintf(hash, "%s\x00%s\x00%q\x00%q\x00%s\x00%d", ce.Category, e.Term, e.Also, e.Alternatives, e.Reason, e.Severity)
		if ce.Override {
			// Only when set, so that the versions of lists made before
			// the flag existed stay as they were.
			fmt.Fprint(hash, "\x00override")
		}
		fmt.Fprintln(hash)
	}
	m, err := compileMatcher(categories)
	if err != nil {
		return nil, fmt.Errorf("custom entries: %w", err)
	}
	return newLexicon(categories, l.version+"+custom:"+hex.EncodeToString(hash.Sum(nil))[:8], m, l.threshold), nil
}
