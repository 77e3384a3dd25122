package models

import (
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gorm.io/gorm"
)

// addArticle stores an article by outlet with body in the event, or fails
// the test.
func addArticle(t *testing.T, s *Store, eventID int64, outlet, body string, an *Analysis) Article {
	t.Helper()
	a := Article{EventID: eventID, Outlet: Outlet{Name: outlet}, Body: body}
	require.NoError(t, s.AddArticle(t.Context(), &a, "", an))
	return a
}

// requireValidation checks that err is a ValidationError about field.
func requireValidation(t *testing.T, err error, field, problem string) {
	t.Helper()
	require.ErrorIs(t, err, ErrInvalid)
	var verr *ValidationError
	require.True(t, errors.As(err, &verr), "want a *ValidationError, got %T: %v", err, err)
	assert.Equal(t, field, verr.Field)
	if problem != "" {
		assert.Equal(t, problem, verr.Problem)
	}
}

func TestAddArticleCreatesOutletOnceAndReusesIt(t *testing.T) {
	eachStore(t, func(t *testing.T, s *Store) {
		ctx := t.Context()
		e := createEvent(t, s, "Election", "")
		published := time.Date(2024, 5, 2, 8, 0, 0, 0, time.FixedZone("EST", -5*60*60))

		first := Article{
			EventID:     e.ID,
			Outlet:      Outlet{Name: " The Courier "},
			Title:       "Landslide",
			URL:         "https://courier.example/landslide",
			PublishedAt: &published,
			Body:        "The incumbent won by a landslide.",
		}
		an := Analysis{Report: []byte(`{"findings":[]}`), LexiconVersion: "v1"}
		require.NoError(t, s.AddArticle(ctx, &first, "Courier.Example", &an))
		assert.NotZero(t, first.ID)
		assert.NotZero(t, first.OutletID)
		assert.Equal(t, Outlet{ID: first.OutletID, Name: "The Courier", Domain: "courier.example"}, first.Outlet)
		assert.Equal(t, ContentHash(first.Body), first.ContentHash)
		assert.Equal(t, first.ID, an.ArticleID, "the analysis gets the article's id")
		assert.False(t, an.AnalyzedAt.IsZero())
		require.NotNil(t, first.Analysis)

		second := Article{EventID: e.ID, Outlet: Outlet{Name: "The Courier"}, Body: "A narrow win."}
		require.NoError(t, s.AddArticle(ctx, &second, "", nil))
		assert.Equal(t, first.OutletID, second.OutletID, "same name, same outlet")
		assert.Equal(t, "courier.example", second.Outlet.Domain)

		other := addArticle(t, s, e.ID, "Evening Post", "A contested result.", nil)
		assert.NotEqual(t, first.OutletID, other.OutletID)

		outlets, err := s.ListOutlets(ctx)
		require.NoError(t, err)
		assert.Equal(t, []Outlet{
			{ID: first.OutletID, Name: "The Courier", Domain: "courier.example"},
			{ID: other.OutletID, Name: "Evening Post"},
		}, outlets)

		articles, err := s.ListArticles(ctx, e.ID)
		require.NoError(t, err)
		require.Len(t, articles, 3)
		assert.Equal(t, []int64{first.ID, second.ID, other.ID}, []int64{articles[0].ID, articles[1].ID, articles[2].ID})
		got := articles[0]
		assert.Equal(t, "Landslide", got.Title)
		assert.Equal(t, first.URL, got.URL)
		assert.Equal(t, first.Body, got.Body)
		assert.Equal(t, "The Courier", got.Outlet.Name)
		require.NotNil(t, got.PublishedAt)
		assert.True(t, published.Equal(*got.PublishedAt))
		assert.Equal(t, time.UTC, got.PublishedAt.Location())
		require.NotNil(t, got.Analysis)
		assert.Equal(t, `{"findings":[]}`, string(got.Analysis.Report))
		assert.Equal(t, "v1", got.Analysis.LexiconVersion)
		assert.Nil(t, articles[1].Analysis)

		one, err := s.GetArticle(ctx, e.ID, first.ID)
		require.NoError(t, err)
		assert.Equal(t, got, one)
	})
}

func TestAddArticleOutletGainsDomainLater(t *testing.T) {
	eachStore(t, func(t *testing.T, s *Store) {
		e := createEvent(t, s, "Storm", "")
		addArticle(t, s, e.ID, "Wire", "First.", nil)
		later := Article{EventID: e.ID, Outlet: Outlet{Name: "Wire"}, Body: "Second."}
		require.NoError(t, s.AddArticle(t.Context(), &later, "wire.example", nil))
		assert.Equal(t, "wire.example", later.Outlet.Domain)

		// A domain once set is not overwritten by a different one.
		third := Article{EventID: e.ID, Outlet: Outlet{Name: "Wire"}, Body: "Third."}
		require.NoError(t, s.AddArticle(t.Context(), &third, "elsewhere.example", nil))
		assert.Equal(t, "wire.example", third.Outlet.Domain)
	})
}

func TestAddArticleDuplicateBody(t *testing.T) {
	eachStore(t, func(t *testing.T, s *Store) {
		ctx := t.Context()
		first := createEvent(t, s, "First", "")
		second := createEvent(t, s, "Second", "")
		original := addArticle(t, s, first.ID, "Wire", "Same words.", nil)

		dup := Article{EventID: first.ID, Outlet: Outlet{Name: "Another outlet"}, Body: "Same words."}
		err := s.AddArticle(ctx, &dup, "", &Analysis{Report: []byte("{}"), LexiconVersion: "v1"})
		require.ErrorIs(t, err, ErrConflict)
		assert.NotErrorIs(t, err, gorm.ErrDuplicatedKey, "gorm errors must not escape")
		assert.NotContains(t, strings.ToLower(err.Error()), "unique", "no driver wording")
		assert.Zero(t, dup.ID, "a failed add leaves no id behind")

		elsewhere := addArticle(t, s, second.ID, "Wire", "Same words.", nil)
		assert.NotEqual(t, original.ID, elsewhere.ID, "the same text in another event is fine")
		assert.Equal(t, original.ContentHash, elsewhere.ContentHash)

		// The failed add ran in one transaction: its new outlet is gone too.
		outlets, err := s.ListOutlets(ctx)
		require.NoError(t, err)
		require.Len(t, outlets, 1)
		assert.Equal(t, "Wire", outlets[0].Name)
		assert.EqualValues(t, 0, countRows(t, s, &Analysis{}))
	})
}

func TestAddArticleToMissingEvent(t *testing.T) {
	eachStore(t, func(t *testing.T, s *Store) {
		a := Article{EventID: 7, Outlet: Outlet{Name: "Wire"}, Body: "Words."}
		err := s.AddArticle(t.Context(), &a, "", nil)
		requireValidation(t, err, "event", "does not exist")
		assert.EqualValues(t, 0, countRows(t, s, &Outlet{}), "no outlet left behind")
	})
}

func TestAddArticleValidation(t *testing.T) {
	eachStore(t, func(t *testing.T, s *Store) {
		e := createEvent(t, s, "Event", "")
		valid := func() Article {
			return Article{EventID: e.ID, Outlet: Outlet{Name: "Wire"}, Body: "Words.", URL: "http://wire.example/a"}
		}
		tests := []struct {
			name    string
			edit    func(a *Article, domain *string, an **Analysis)
			field   string
			problem string
		}{
			{"no outlet", func(a *Article, _ *string, _ **Analysis) { a.Outlet.Name = "  " }, "outlet", "is required"},
			{"long outlet", func(a *Article, _ *string, _ **Analysis) { a.Outlet.Name = strings.Repeat("x", MaxOutletName+1) }, "outlet", "must be at most 200 characters"},
			{"long title", func(a *Article, _ *string, _ **Analysis) { a.Title = strings.Repeat("é", MaxArticleTitle+1) }, "title", "must be at most 500 characters"},
			{"no body", func(a *Article, _ *string, _ **Analysis) { a.Body = "" }, "text", "is required"},
			{"blank body", func(a *Article, _ *string, _ **Analysis) { a.Body = " \n\t " }, "text", "is required"},
			{"ftp url", func(a *Article, _ *string, _ **Analysis) { a.URL = "ftp://wire.example/a" }, "url", "must be an http or https URL"},
			{"relative url", func(a *Article, _ *string, _ **Analysis) { a.URL = "/news/a" }, "url", "must be an http or https URL"},
			{"no host", func(a *Article, _ *string, _ **Analysis) { a.URL = "https://" }, "url", "must be an http or https URL"},
			{"javascript url", func(a *Article, _ *string, _ **Analysis) { a.URL = "javascript:alert(1)" }, "url", "must be an http or https URL"},
			{"unparsable url", func(a *Article, _ *string, _ **Analysis) { a.URL = "http://[::1" }, "url", "must be an http or https URL"},
			{"long url", func(a *Article, _ *string, _ **Analysis) {
				a.URL = "https://x.example/" + strings.Repeat("a", MaxArticleURL)
			}, "url", ""},
			{"long domain", func(_ *Article, d *string, _ **Analysis) { *d = strings.Repeat("d", MaxOutletDomain+1) }, "outlet_domain", ""},
			{"empty report", func(_ *Article, _ *string, an **Analysis) { *an = &Analysis{LexiconVersion: "v1"} }, "report", "is required"},
			{"no lexicon version", func(_ *Article, _ *string, an **Analysis) { *an = &Analysis{Report: []byte("{}")} }, "lexicon_version", "is required"},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				a, domain := valid(), ""
				var an *Analysis
				tt.edit(&a, &domain, &an)
				requireValidation(t, s.AddArticle(t.Context(), &a, domain, an), tt.field, tt.problem)
			})
		}
		assert.EqualValues(t, 0, countRows(t, s, &Article{}))

		ok := valid()
		ok.URL = ""
		require.NoError(t, s.AddArticle(t.Context(), &ok, "", nil), "an article without URL is fine")
	})
}

func TestGetArticleChecksEvent(t *testing.T) {
	eachStore(t, func(t *testing.T, s *Store) {
		mine := createEvent(t, s, "Mine", "")
		other := createEvent(t, s, "Other", "")
		a := addArticle(t, s, mine.ID, "Wire", "Words.", nil)

		_, err := s.GetArticle(t.Context(), other.ID, a.ID)
		assert.ErrorIs(t, err, ErrNotFound, "an article is not found through another event")
		_, err = s.GetArticle(t.Context(), mine.ID, a.ID+100)
		assert.ErrorIs(t, err, ErrNotFound)
		assert.ErrorIs(t, s.DeleteArticle(t.Context(), other.ID, a.ID), ErrNotFound)
		assert.EqualValues(t, 1, countRows(t, s, &Article{}))
	})
}

func TestListArticlesOfEmptyEvent(t *testing.T) {
	eachStore(t, func(t *testing.T, s *Store) {
		e := createEvent(t, s, "Quiet day", "")
		articles, err := s.ListArticles(t.Context(), e.ID)
		require.NoError(t, err)
		assert.NotNil(t, articles, "an empty list, not null")
		assert.Empty(t, articles)
	})
}

func TestDeleteEventRemovesArticlesAndAnalyses(t *testing.T) {
	eachStore(t, func(t *testing.T, s *Store) {
		ctx := t.Context()
		doomed := createEvent(t, s, "Doomed", "")
		kept := createEvent(t, s, "Kept", "")
		report := func() *Analysis { return &Analysis{Report: []byte("{}"), LexiconVersion: "v1"} }
		addArticle(t, s, doomed.ID, "Wire", "One.", report())
		addArticle(t, s, doomed.ID, "Post", "Two.", report())
		doomedArticle := addArticle(t, s, doomed.ID, "Post", "Three.", nil)
		keptArticle := addArticle(t, s, kept.ID, "Wire", "One.", report())
		enqueueJob(t, s, LLMJobEvent, doomed.ID)
		enqueueJob(t, s, LLMJobArticle, doomedArticle.ID)
		enqueueJob(t, s, LLMJobArticle, keptArticle.ID)

		require.NoError(t, s.DeleteEvent(ctx, doomed.ID))
		assert.EqualValues(t, 1, countRows(t, s, &LLMJob{}), "jobs about the event and its articles go with them")

		assert.EqualValues(t, 1, countRows(t, s, &Event{}))
		assert.EqualValues(t, 1, countRows(t, s, &Article{}))
		assert.EqualValues(t, 1, countRows(t, s, &Analysis{}))
		assert.EqualValues(t, 2, countRows(t, s, &Outlet{}), "outlets are shared and stay")
		articles, err := s.ListArticles(ctx, kept.ID)
		require.NoError(t, err)
		require.Len(t, articles, 1)
		assert.Equal(t, keptArticle.ID, articles[0].ID)
		require.NotNil(t, articles[0].Analysis)

		assert.ErrorIs(t, s.DeleteEvent(ctx, doomed.ID), ErrNotFound, "deleting twice")
	})
}

func TestDeleteArticle(t *testing.T) {
	eachStore(t, func(t *testing.T, s *Store) {
		ctx := t.Context()
		e := createEvent(t, s, "Event", "")
		gone := addArticle(t, s, e.ID, "Wire", "One.", &Analysis{Report: []byte("{}"), LexiconVersion: "v1"})
		stays := addArticle(t, s, e.ID, "Wire", "Two.", &Analysis{Report: []byte("{}"), LexiconVersion: "v1"})

		enqueueJob(t, s, LLMJobArticle, gone.ID)
		enqueueJob(t, s, LLMJobArticle, stays.ID)
		require.NoError(t, s.DeleteArticle(ctx, e.ID, gone.ID))
		assert.EqualValues(t, 1, countRows(t, s, &LLMJob{}), "the article's LLM jobs go with it")
		_, err := s.GetArticle(ctx, e.ID, gone.ID)
		assert.ErrorIs(t, err, ErrNotFound)
		assert.EqualValues(t, 1, countRows(t, s, &Article{}))
		assert.EqualValues(t, 1, countRows(t, s, &Analysis{}), "its analysis went with it")
		_, err = s.GetArticle(ctx, e.ID, stays.ID)
		assert.NoError(t, err)

		assert.ErrorIs(t, s.DeleteArticle(ctx, e.ID, gone.ID), ErrNotFound, "deleting twice")

		// The text can be added again once the article is gone.
		addArticle(t, s, e.ID, "Wire", "One.", nil)
	})
}

func TestSaveAnalysisUpserts(t *testing.T) {
	eachStore(t, func(t *testing.T, s *Store) {
		ctx := t.Context()
		e := createEvent(t, s, "Event", "")
		a := addArticle(t, s, e.ID, "Wire", "Words.", nil)

		first := Analysis{ArticleID: a.ID, Report: []byte(`{"v":1}`), LexiconVersion: "v1"}
		require.NoError(t, s.SaveAnalysis(ctx, &first))
		assert.False(t, first.AnalyzedAt.IsZero())

		when := time.Date(2025, 1, 2, 3, 4, 5, 6000, time.FixedZone("X", 3600))
		second := Analysis{ArticleID: a.ID, Report: []byte(`{"v":2}`), LexiconVersion: "v2", AnalyzedAt: when}
		require.NoError(t, s.SaveAnalysis(ctx, &second))

		got, err := s.GetArticle(ctx, e.ID, a.ID)
		require.NoError(t, err)
		require.NotNil(t, got.Analysis)
		assert.Equal(t, `{"v":2}`, string(got.Analysis.Report))
		assert.Equal(t, "v2", got.Analysis.LexiconVersion)
		assert.True(t, when.Equal(got.Analysis.AnalyzedAt), "analyzed at %v, want %v", got.Analysis.AnalyzedAt, when)
		assert.Equal(t, time.UTC, got.Analysis.AnalyzedAt.Location())
		assert.EqualValues(t, 1, countRows(t, s, &Analysis{}), "replaced, not added")

		err = s.SaveAnalysis(ctx, &Analysis{ArticleID: a.ID + 100, Report: []byte("{}"), LexiconVersion: "v1"})
		requireValidation(t, err, "article", "does not exist")
		err = s.SaveAnalysis(ctx, &Analysis{ArticleID: a.ID, LexiconVersion: "v1"})
		requireValidation(t, err, "report", "is required")
	})
}

func TestConcurrentAddArticle(t *testing.T) {
	const writers = 20
	eachStore(t, func(t *testing.T, s *Store) {
		ctx := t.Context()
		e := createEvent(t, s, "Busy day", "")

		// Writers share three outlets that do not exist yet, so they also
		// race to create them; readers run alongside, as the web UI would.
		errs := make([]error, writers)
		var wg sync.WaitGroup
		for i := range writers {
			wg.Go(func() {
				a := Article{EventID: e.ID, Outlet: Outlet{Name: fmt.Sprintf("Outlet %d", i%3)}, Body: fmt.Sprintf("Report number %d.", i)}
				errs[i] = s.AddArticle(ctx, &a, "", &Analysis{Report: []byte("{}"), LexiconVersion: "v1"})
			})
			wg.Go(func() {
				if _, err := s.ListEvents(ctx, EventFilter{}); err != nil {
					t.Errorf("reader %d: %v", i, err)
				}
			})
		}
		wg.Wait()
		for i, err := range errs {
			assert.NoError(t, err, "writer %d", i)
		}

		articles, err := s.ListArticles(ctx, e.ID)
		require.NoError(t, err)
		assert.Len(t, articles, writers)
		outlets, err := s.ListOutlets(ctx)
		require.NoError(t, err)
		assert.Len(t, outlets, 3)
		assert.EqualValues(t, writers, countRows(t, s, &Analysis{}))
	})
}

func TestCountArticles(t *testing.T) {
	eachStore(t, func(t *testing.T, s *Store) {
		ctx := t.Context()
		e := createEvent(t, s, "Count", "")
		other := createEvent(t, s, "Other", "")

		n, err := s.CountArticles(ctx, e.ID)
		require.NoError(t, err)
		assert.Zero(t, n, "an event without articles")

		addArticle(t, s, e.ID, "One", "First text.", nil)
		second := addArticle(t, s, e.ID, "Two", "Second text.", nil)
		addArticle(t, s, other.ID, "One", "Text in another event.", nil)
		n, err = s.CountArticles(ctx, e.ID)
		require.NoError(t, err)
		assert.Equal(t, int64(2), n, "only this event's articles count")

		require.NoError(t, s.DeleteArticle(ctx, e.ID, second.ID))
		n, err = s.CountArticles(ctx, e.ID)
		require.NoError(t, err)
		assert.Equal(t, int64(1), n)

		n, err = s.CountArticles(ctx, 424242)
		require.NoError(t, err)
		assert.Zero(t, n, "an event that does not exist")
	})
}

// enqueueJob queues an LLM job about one target, as the API does.
func enqueueJob(t *testing.T, s *Store, kind string, target int64) {
	t.Helper()
	created, err := s.EnqueueLLMJob(t.Context(), &LLMJob{Kind: kind, TargetID: target, Model: "m", PromptVersion: "p"})
	require.NoError(t, err)
	require.True(t, created)
}

// TestArticleLanguage: the language found at intake is stored with the
// article, by both ways in; an article stored before the column existed
// (NULL) reads as "" (not checked).
func TestArticleLanguage(t *testing.T) {
	eachStore(t, func(t *testing.T, s *Store) {
		ctx := t.Context()
		ev := createEvent(t, s, "Languages", "")
		es := Article{EventID: ev.ID, Outlet: Outlet{Name: "El Diario"}, Body: "El concejo votó.", Language: "es"}
		require.NoError(t, s.AddArticle(ctx, &es, "", nil))
		plain := addArticle(t, s, ev.ID, "Wire", "The council voted.", nil)
		_, err := s.ImportBatch(ctx, []ImportItem{{Line: 1, EventKey: "Languages", Outlet: "Le Journal", Body: "Le conseil a voté.", Language: "fr",
			Analysis: Analysis{Report: []byte("{}"), LexiconVersion: "v1"}}}, ImportOptions{})
		require.NoError(t, err)
		require.NoError(t, s.db.Exec(`UPDATE articles SET language = NULL WHERE id = ?`, plain.ID).Error)

		list, err := s.ListArticles(ctx, ev.ID)
		require.NoError(t, err)
		got := map[string]string{}
		for _, a := range list {
			got[a.Outlet.Name] = a.Language
		}
		assert.Equal(t, map[string]string{"El Diario": "es", "Wire": "", "Le Journal": "fr"}, got)
	})
}
