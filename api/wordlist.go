package api

import (
	"net/http"
	"strconv"
	"time"

	"github.com/gin-gonic/gin"

	"slant/analysis"
	"slant/desk"
	"slant/models"
)

// The class word list: terms a teacher adds on top of the built-in lexicon
// (see desk/lexicon.go for how a change is put in force).
//
//	GET    /api/v1/wordlist        the entries and the lexicon version in force
//	POST   /api/v1/wordlist        add an entry                  201
//	PUT    /api/v1/wordlist/{id}   replace an entry              200
//	DELETE /api/v1/wordlist/{id}   remove an entry               204
//
// Writes need the admin token when one is configured. A term already on
// the list, or one that matches the same words as another entry of the
// lexicon, is 409 and nothing is stored. A term the built-in lexicon has
// (the same term, or one matching the same words) is 409 too, naming the
// built-in entry in the body's "builtin", unless the entry says
// "override": true: then it takes the built-in entry's place, for every
// event on this Slant. An unknown category, a missing reason, a severity
// outside 0..3 (0: the category's) or a term without words is 422, and so
// are a term made only of function words ("the") and a reason of fewer
// than desk.MinReasonWords words (desk.checkWordListEntry).

// WordListEntryView is one entry of the class word list.
type WordListEntryView struct {
	ID           int64    `json:"id"`
	Category     string   `json:"category"`
	Term         string   `json:"term"`
	Also         []string `json:"also"`
	Alternatives []string `json:"alternatives"`
	Reason       string   `json:"reason"`
	Severity     int      `json:"severity"`
	// Override: the entry may take the place of built-in entries with the
	// same words; Replaces lists those it does take the place of.
	Override  bool              `json:"override"`
	Replaces  []BuiltinTermView `json:"replaces"`
	CreatedAt time.Time         `json:"created_at"`
	UpdatedAt time.Time         `json:"updated_at"`
}

// BuiltinTermView is an entry of Slant's built-in lexicon that a class
// term collides with.
type BuiltinTermView struct {
	Term          string   `json:"term"`
	Category      string   `json:"category"`
	CategoryLabel string   `json:"category_label"`
	Severity      int      `json:"severity"`
	Reason        string   `json:"reason"`
	Alternatives  []string `json:"alternatives"`
}

// WordListConflictView is the 409 body of a word-list write whose term the
// built-in lexicon has: the message and the built-in entry.
type WordListConflictView struct {
	Error   string          `json:"error"`
	Builtin BuiltinTermView `json:"builtin"`
}

// WordListView is the answer to GET /api/v1/wordlist.
type WordListView struct {
	Entries        []WordListEntryView `json:"entries"`
	LexiconVersion string              `json:"lexicon_version"`
}

// WordListChangeView is the answer to POST and PUT /api/v1/wordlist: the
// entry as stored and the version of the lexicon now in force.
type WordListChangeView struct {
	Entry          WordListEntryView `json:"entry"`
	LexiconVersion string            `json:"lexicon_version"`
}

// wordListInput is the body of POST and PUT /api/v1/wordlist. PUT
// replaces every field; one left out is emptied.
type wordListInput struct {
	Category     string   `json:"category"`
	Term         string   `json:"term"`
	Also         []string `json:"also"`
	Alternatives []string `json:"alternatives"`
	Reason       string   `json:"reason"`
	Severity     int      `json:"severity"`
	Override     bool     `json:"override"`
}

// entry turns the input into a models.WordListEntry; the desk and the
// store check it.
func (in wordListInput) entry(id int64) models.WordListEntry {
	return models.WordListEntry{
		ID: id, Category: in.Category, Term: in.Term, Also: in.Also,
		Alternatives: in.Alternatives, Reason: in.Reason, Severity: in.Severity, Override: in.Override,
	}
}

// wordListEntryView converts a stored entry, with the built-in entries it
// takes the place of.
func (s *Server) wordListEntryView(e models.WordListEntry) WordListEntryView {
	v := WordListEntryView{
		ID: e.ID, Category: e.Category, Term: e.Term, Also: nonNil(e.Also),
		Alternatives: nonNil(e.Alternatives), Reason: e.Reason, Severity: e.Severity,
		Override: e.Override, Replaces: []BuiltinTermView{},
		CreatedAt: e.CreatedAt, UpdatedAt: e.UpdatedAt,
	}
	if e.Override {
		lex := s.desk.Analyzer().Lexicon()
		for _, c := range s.desk.Replaces(e) {
			v.Replaces = append(v.Replaces, builtinTermView(c.Category, desk.CategoryLabel(lex, c.Category), c.Entry))
		}
	}
	return v
}

// builtinTermView describes a built-in entry of the category named
// category, labelled label: an entry a class term takes the place of, or
// the one a refused term collides with (*desk.BuiltinTermError).
func builtinTermView(category, label string, e analysis.Entry) BuiltinTermView {
	return BuiltinTermView{Term: e.Term, Category: category, CategoryLabel: label, Severity: e.Severity,
		Reason: e.Reason, Alternatives: nonNil(e.Alternatives)}
}

// nonNil makes a nil list an empty one, so that it is sent as [].
func nonNil[T any](list []T) []T {
	if list == nil {
		return []T{}
	}
	return list
}

// listWordList answers GET /api/v1/wordlist.
func (s *Server) listWordList(c *gin.Context) {
	list, version, err := s.desk.WordList(c.Request.Context())
	if err != nil {
		s.fail(c, err)
		return
	}
	out := WordListView{Entries: make([]WordListEntryView, 0, len(list)), LexiconVersion: version}
	for _, e := range list {
		out.Entries = append(out.Entries, s.wordListEntryView(e))
	}
	c.JSON(http.StatusOK, out)
}

// createWordListEntry answers POST /api/v1/wordlist.
func (s *Server) createWordListEntry(c *gin.Context) {
	var in wordListInput
	if err := s.decodeJSON(c, &in); err != nil {
		s.fail(c, err)
		return
	}
	e := in.entry(0)
	version, err := s.desk.AddWordListEntry(c.Request.Context(), &e)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.Header("Location", "/api/v1/wordlist/"+strconv.FormatInt(e.ID, 10))
	c.JSON(http.StatusCreated, WordListChangeView{Entry: s.wordListEntryView(e), LexiconVersion: version})
}

// updateWordListEntry answers PUT /api/v1/wordlist/{id}.
func (s *Server) updateWordListEntry(c *gin.Context) {
	id, err := pathID(c, "id")
	if err != nil {
		s.fail(c, err)
		return
	}
	var in wordListInput
	if err := s.decodeJSON(c, &in); err != nil {
		s.fail(c, err)
		return
	}
	e := in.entry(id)
	version, err := s.desk.UpdateWordListEntry(c.Request.Context(), &e)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, WordListChangeView{Entry: s.wordListEntryView(e), LexiconVersion: version})
}

// deleteWordListEntry answers DELETE /api/v1/wordlist/{id}.
func (s *Server) deleteWordListEntry(c *gin.Context) {
	id, err := pathID(c, "id")
	if err != nil {
		s.fail(c, err)
		return
	}
	if _, err := s.desk.DeleteWordListEntry(c.Request.Context(), id); err != nil {
		s.fail(c, err)
		return
	}
	c.Status(http.StatusNoContent)
}
