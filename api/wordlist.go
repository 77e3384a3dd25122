package api

import (
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"time"

	"github.com/gin-gonic/gin"

	"slant/analysis"
	"slant/models"
)

// The class word list: terms a teacher adds on top of the built-in lexicon
// (see lexicons.go for how a change is put in force).
//
//	GET    /api/v1/wordlist        the entries and the lexicon version in force
//	POST   /api/v1/wordlist        add an entry                  201
//	PUT    /api/v1/wordlist/{id}   replace an entry              200
//	DELETE /api/v1/wordlist/{id}   remove an entry               204
//
// Writes need the admin token when one is configured. A term already on
// the list, or one that matches the same words as another entry of the
// lexicon, is 409 and nothing is stored; an unknown category, a missing
// reason, a severity outside 0..3 (0: the category's) or a term without
// words is 422.

// WordListEntryView is one entry of the class word list.
type WordListEntryView struct {
	ID           int64     `json:"id"`
	Category     string    `json:"category"`
	Term         string    `json:"term"`
	Also         []string  `json:"also"`
	Alternatives []string  `json:"alternatives"`
	Reason       string    `json:"reason"`
	Severity     int       `json:"severity"`
	CreatedAt    time.Time `json:"created_at"`
	UpdatedAt    time.Time `json:"updated_at"`
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
}

// entry checks what only the lexicon knows (the category, and that every
// form has words) and turns the input into a models.WordListEntry; the
// store checks the rest.
func (s *Server) wordListEntry(id int64, in wordListInput) (models.WordListEntry, error) {
	e := models.WordListEntry{
		ID: id, Category: in.Category, Term: in.Term, Also: in.Also,
		Alternatives: in.Alternatives, Reason: in.Reason, Severity: in.Severity,
	}
	if in.Category != "" {
		if _, ok := s.lexicons.base.Category(in.Category); !ok {
			return e, &models.ValidationError{Field: "category", Problem: "is not a category of the lexicon (see GET /api/v1/lexicon)"}
		}
	}
	if in.Term != "" {
		if err := analysis.CheckForm(in.Term); err != nil {
			return e, &models.ValidationError{Field: "term", Problem: err.Error()}
		}
	}
	for _, form := range in.Also {
		if form == "" {
			continue
		}
		if err := analysis.CheckForm(form); err != nil {
			return e, &models.ValidationError{Field: "also", Problem: fmt.Sprintf("item %q %s", form, err)}
		}
	}
	return e, nil
}

// wordListEntryView converts a stored entry.
func wordListEntryView(e models.WordListEntry) WordListEntryView {
	return WordListEntryView{
		ID: e.ID, Category: e.Category, Term: e.Term, Also: nonNil(e.Also),
		Alternatives: nonNil(e.Alternatives), Reason: e.Reason, Severity: e.Severity,
		CreatedAt: e.CreatedAt, UpdatedAt: e.UpdatedAt,
	}
}

// nonNil makes a nil list an empty one, so that it is sent as [].
func nonNil[T any](list []T) []T {
	if list == nil {
		return []T{}
	}
	return list
}

// termTaken gives the 409 of a term already on the list its message.
func termTaken(err error) error {
	var public *publicMessage
	if errors.Is(err, models.ErrConflict) && !errors.As(err, &public) {
		return withMessage(err, "this term is already on the word list")
	}
	return err
}

// listWordList answers GET /api/v1/wordlist.
func (s *Server) listWordList(c *gin.Context) {
	version := s.engine().analyzer.Version()
	list, err := s.store.ListWordList(c.Request.Context())
	if err != nil {
		s.fail(c, err)
		return
	}
	out := WordListView{Entries: make([]WordListEntryView, 0, len(list)), LexiconVersion: version}
	for _, e := range list {
		out.Entries = append(out.Entries, wordListEntryView(e))
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
	e, err := s.wordListEntry(0, in)
	if err != nil {
		s.fail(c, err)
		return
	}
	ctx := c.Request.Context()
	eng, err := s.changeWordList(func(check models.WordListCheck) error {
		return s.store.CreateWordListEntry(ctx, &e, check)
	})
	if err != nil {
		s.fail(c, termTaken(err))
		return
	}
	c.Header("Location", "/api/v1/wordlist/"+strconv.FormatInt(e.ID, 10))
	c.JSON(http.StatusCreated, WordListChangeView{Entry: wordListEntryView(e), LexiconVersion: eng.analyzer.Version()})
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
	e, err := s.wordListEntry(id, in)
	if err != nil {
		s.fail(c, err)
		return
	}
	ctx := c.Request.Context()
	eng, err := s.changeWordList(func(check models.WordListCheck) error {
		return s.store.UpdateWordListEntry(ctx, &e, check)
	})
	if err != nil {
		s.fail(c, termTaken(err))
		return
	}
	c.JSON(http.StatusOK, WordListChangeView{Entry: wordListEntryView(e), LexiconVersion: eng.analyzer.Version()})
}

// deleteWordListEntry answers DELETE /api/v1/wordlist/{id}.
func (s *Server) deleteWordListEntry(c *gin.Context) {
	id, err := pathID(c, "id")
	if err != nil {
		s.fail(c, err)
		return
	}
	ctx := c.Request.Context()
	_, err = s.changeWordList(func(check models.WordListCheck) error {
		return s.store.DeleteWordListEntry(ctx, id, check)
	})
	if err != nil {
		s.fail(c, err)
		return
	}
	c.Status(http.StatusNoContent)
}
