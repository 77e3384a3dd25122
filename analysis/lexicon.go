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
	return &Lexicon{
		categories: categories,
		version:    "sha256:" + hex.EncodeToString(hash.Sum(nil))[:16],
		matcher:    m,
	}, nil
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
		if len(wordKeys(form, false)) == 0 {
			return fmt.Errorf("form %q has no words", form)
		}
	}
	return nil
}

// Version identifies the lexicon's exact content. Stored analyses record it
// so that a score can be traced to the words it was made with.
func (l *Lexicon) Version() string { return l.version }

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
