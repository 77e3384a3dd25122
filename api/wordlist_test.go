package api

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"slant/analysis"
	"slant/desk"
	"slant/models"
)

// callAs sends one request with an Authorization header when token is not
// empty.
func (e *testEnv) callAs(t *testing.T, token, method, target string, body any) *httptest.ResponseRecorder {
	t.Helper()
	req := newRequest(t, method, target, body)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	rec := httptest.NewRecorder()
	e.handler.ServeHTTP(rec, req)
	return rec
}

// findingTerms lists the terms of an article's own-voice and quoted
// findings in a comparison's articles, by outlet.
func comparisonTerms(t *testing.T, env *testEnv, eventID int64) (version string, terms map[string][]string) {
	t.Helper()
	rec := env.call(t, http.MethodGet, fmt.Sprintf("/api/v1/events/%d?include=report", eventID), nil)
	require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
	terms = map[string][]string{}
	for _, a := range decode[EventDetailView](t, rec).Articles {
		for _, f := range a.Report.Findings {
			terms[a.Outlet.Name] = append(terms[a.Outlet.Name], f.Term)
		}
	}
	rec = env.call(t, http.MethodGet, fmt.Sprintf("/api/v1/events/%d/comparison", eventID), nil)
	require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
	return decode[ComparisonView](t, rec).LexiconVersion, terms
}

func TestWordListRoutes(t *testing.T) {
	env := newEnv(t, Config{}, nil)
	base := env.analyzer.Version()

	rec := env.call(t, http.MethodGet, "/api/v1/wordlist", nil)
	require.Equal(t, http.StatusOK, rec.Code)
	assert.JSONEq(t, fmt.Sprintf(`{"entries":[],"lexicon_version":%q}`, base), rec.Body.String())

	rec = env.call(t, http.MethodPost, "/api/v1/wordlist", map[string]any{
		"category": "pejorative-label", "term": " Looters ", "also": []string{"Looter"},
		"alternatives": []string{"people taking goods"}, "reason": "Calls desperate people criminals.", "severity": 2,
	})
	require.Equal(t, http.StatusCreated, rec.Code, rec.Body.String())
	created := decode[WordListChangeView](t, rec)
	assert.Equal(t, fmt.Sprintf("/api/v1/wordlist/%d", created.Entry.ID), rec.Header().Get("Location"))
	assert.Equal(t, "looters", created.Entry.Term)
	assert.Equal(t, []string{"looter"}, created.Entry.Also)
	assert.Equal(t, 2, created.Entry.Severity)
	lexBase := env.analyzer.Lexicon().Version()
	assert.True(t, strings.HasPrefix(created.LexiconVersion, lexBase+"+custom:"), created.LexiconVersion)

	rec = env.call(t, http.MethodGet, "/api/v1/wordlist", nil)
	require.Equal(t, http.StatusOK, rec.Code)
	list := decode[WordListView](t, rec)
	require.Len(t, list.Entries, 1)
	assert.Equal(t, created.Entry, list.Entries[0])
	assert.Equal(t, created.LexiconVersion, list.LexiconVersion)

	id := created.Entry.ID
	rec = env.call(t, http.MethodPut, fmt.Sprintf("/api/v1/wordlist/%d", id), map[string]any{
		"category": "pejorative-label", "term": "looters", "reason": "A reworded reason here.",
	})
	require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
	updated := decode[WordListChangeView](t, rec)
	assert.Equal(t, []string{}, updated.Entry.Also, "PUT empties what it leaves out")
	assert.Equal(t, []string{}, updated.Entry.Alternatives)
	assert.Zero(t, updated.Entry.Severity)
	assert.NotEqual(t, created.LexiconVersion, updated.LexiconVersion, "the version follows every change")

	rec = env.call(t, http.MethodDelete, fmt.Sprintf("/api/v1/wordlist/%d", id), nil)
	require.Equal(t, http.StatusNoContent, rec.Code, rec.Body.String())
	rec = env.call(t, http.MethodGet, "/api/v1/wordlist", nil)
	assert.JSONEq(t, fmt.Sprintf(`{"entries":[],"lexicon_version":%q}`, base), rec.Body.String(), "an empty list is the base lexicon")
}

func TestWordListErrors(t *testing.T) {
	env := newEnv(t, Config{}, nil)
	add := func(term string) int64 {
		rec := env.call(t, http.MethodPost, "/api/v1/wordlist", map[string]any{"category": "pejorative-label", "term": term, "reason": "A loaded word here."})
		require.Equal(t, http.StatusCreated, rec.Code, rec.Body.String())
		return decode[WordListChangeView](t, rec).Entry.ID
	}
	bruteID := add("brute")
	mobID := add("mob")
	before := env.call(t, http.MethodGet, "/api/v1/wordlist", nil).Body.String()

	entry := func(fields map[string]any) map[string]any {
		body := map[string]any{"category": "pejorative-label", "term": "scrounger", "reason": "A loaded word here."}
		for k, v := range fields {
			body[k] = v
		}
		return body
	}
	tests := []struct {
		name, method, target string
		body                 any
		status               int
		message              string
	}{
		{"unknown category", "POST", "/api/v1/wordlist", entry(map[string]any{"category": "nonsense"}), 422, "category is not a category of the lexicon (see GET /api/v1/lexicon)"},
		{"missing category", "POST", "/api/v1/wordlist", entry(map[string]any{"category": ""}), 422, "category is required"},
		{"missing reason", "POST", "/api/v1/wordlist", entry(map[string]any{"reason": " "}), 422, "reason is required"},
		{"missing term", "POST", "/api/v1/wordlist", entry(map[string]any{"term": ""}), 422, "term is required"},
		{"term without words", "POST", "/api/v1/wordlist", entry(map[string]any{"term": "!!!"}), 422, "term has no words"},
		{"spelling without words", "POST", "/api/v1/wordlist", entry(map[string]any{"also": []string{"--"}}), 422, `also item "--" has no words`},
		{"context word in the middle", "POST", "/api/v1/wordlist", entry(map[string]any{"term": "big (bad) wolf"}), 422, `term "bad" is in parentheses in the middle; only words at the start or the end can be context`},
		{"only context words", "POST", "/api/v1/wordlist", entry(map[string]any{"also": []string{"(the) (wolf)"}}), 422, `also item "(the) (wolf)" every word is in parentheses; at least one word must be outside them`},
		{"severity too high", "POST", "/api/v1/wordlist", entry(map[string]any{"severity": 4}), 422, "severity must be from 0 (the category's) to 3"},
		{"a function word", "POST", "/api/v1/wordlist", entry(map[string]any{"term": "The"}), 422,
			`term "The" is made only of words every text uses (such as "the", "of", "is"), which say nothing loaded: enter the loaded word itself`},
		{"only function words", "POST", "/api/v1/wordlist", entry(map[string]any{"term": "of the"}), 422, `term "of the" is made only of words every text uses (such as "the", "of", "is"), which say nothing loaded: enter the loaded word itself`},
		{"a spelling of function words", "POST", "/api/v1/wordlist", entry(map[string]any{"also": []string{"it is"}}), 422, `also item "it is" is made only of words every text uses, which say nothing loaded`},
		{"renamed onto a function word", "PUT", fmt.Sprintf("/api/v1/wordlist/%d", mobID), entry(map[string]any{"term": "and"}), 422, `term "and" is made only of words every text uses (such as "the", "of", "is"), which say nothing loaded: enter the loaded word itself`},
		{"a one-word reason", "POST", "/api/v1/wordlist", entry(map[string]any{"reason": "x"}), 422,
			`reason must say in at least 3 words why the term is loaded, for a student to read beside it (such as "Calls a crowd a mob, which makes it sound violent.")`},
		{"a two-word reason", "POST", "/api/v1/wordlist", entry(map[string]any{"reason": "  Very loaded.  "}), 422, `reason must say in at least 3 words why the term is loaded, for a student to read beside it (such as "Calls a crowd a mob, which makes it sound violent.")`},
		{"a short reason on an edit", "PUT", fmt.Sprintf("/api/v1/wordlist/%d", mobID), entry(map[string]any{"term": "mob", "reason": "bad"}), 422, `reason must say in at least 3 words why the term is loaded, for a student to read beside it (such as "Calls a crowd a mob, which makes it sound violent.")`},
		{"negative severity", "POST", "/api/v1/wordlist", entry(map[string]any{"severity": -1}), 422, ""},
		{"term on the list", "POST", "/api/v1/wordlist", entry(map[string]any{"term": "BRUTE"}), 409, "this term is already on the word list"},
		{"collides with a custom term", "POST", "/api/v1/wordlist", entry(map[string]any{"term": "brutes"}), 409, ""},
		{"spelling collides with a custom term", "POST", "/api/v1/wordlist", entry(map[string]any{"also": []string{"mobs"}}), 409, ""},
		{"collides with a built-in term", "POST", "/api/v1/wordlist", entry(map[string]any{"term": "thugs"}), 409,
			"“thugs” is already in Slant's built-in word lists as “thug” (Pejorative label, strong): Labels people as violent criminals instead of saying what they did. " +
				`Your entry would replace it for every event; send "override": true to do so.`},
		{"its other spelling is a built-in term", "POST", "/api/v1/wordlist", entry(map[string]any{"also": []string{"Hellhole"}}), 409,
			"“hellhole” is already in Slant's built-in word lists (Pejorative label, strong): Paints a whole place as hellish instead of describing conditions in it. " +
				`Your entry would replace it for every event; send "override": true to do so.`},
		{"renamed onto a built-in term", "PUT", fmt.Sprintf("/api/v1/wordlist/%d", mobID), entry(map[string]any{"term": "thug"}), 409, ""},
		{"renamed onto another term", "PUT", fmt.Sprintf("/api/v1/wordlist/%d", mobID), entry(map[string]any{"term": "brute"}), 409, "this term is already on the word list"},
		{"renamed into a collision", "PUT", fmt.Sprintf("/api/v1/wordlist/%d", mobID), entry(map[string]any{"term": "brutes"}), 409, ""},
		{"update unknown id", "PUT", "/api/v1/wordlist/4242", entry(nil), 404, "not found"},
		{"update bad id", "PUT", "/api/v1/wordlist/x", entry(nil), 404, "not found"},
		{"delete unknown id", "DELETE", "/api/v1/wordlist/4242", nil, 404, "not found"},
		{"unknown field", "POST", "/api/v1/wordlist", entry(map[string]any{"weight": 2}), 400, `unknown field "weight"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := env.call(t, tt.method, tt.target, tt.body)
			require.Equal(t, tt.status, rec.Code, rec.Body.String())
			if tt.message != "" {
				assert.Equal(t, tt.message, decode[ErrorBody](t, rec).Error)
			}
			if tt.status == http.StatusConflict && strings.Contains(rec.Body.String(), `"builtin"`) {
				// The built-in entry, named in full, for the page to show.
				got := decode[WordListConflictView](t, rec).Builtin
				assert.Equal(t, "pejorative-label", got.Category)
				assert.Equal(t, "Pejorative label", got.CategoryLabel)
				assert.Equal(t, 3, got.Severity)
				assert.Contains(t, []string{"thug", "hellhole"}, got.Term)
				assert.NotEmpty(t, got.Reason)
				assert.NotEmpty(t, got.Alternatives)
			} else if tt.status == http.StatusConflict && tt.message == "" {
				msg := decode[ErrorBody](t, rec).Error
				assert.True(t, strings.HasPrefix(msg, "the word list cannot be applied to the lexicon: "), msg)
				assert.Contains(t, msg, "matches the same words as", "the message names the clash")
			}
		})
	}
	assert.JSONEq(t, before, env.call(t, http.MethodGet, "/api/v1/wordlist", nil).Body.String(), "refused writes changed nothing")
	_ = bruteID
}

// TestWordListSwapsTheLexicon is the whole round: a term added to the word
// list shows up in an existing article's report and in the comparison with
// the new lexicon version, the lexicon lists it, a colliding term is
// refused with nothing stored, and deleting the term takes it away again.
func TestWordListSwapsTheLexicon(t *testing.T) {
	env := newEnv(t, Config{}, nil)
	eventID, _, _ := env.seed(t)
	// The stored reports are kept current in the background, as serve
	// does: each change that takes effect starts a sweep over.
	sweeper := env.server.desk.KeepCurrent(t.Context(), desk.SweepOptions{})
	defer sweeper.Stop()
	base := env.analyzer.Version()

	version, terms := comparisonTerms(t, env, eventID)
	assert.Equal(t, base, version)
	assert.NotContains(t, terms["Daily Bugle"], "loot", "looting is not loaded yet")

	rec := env.call(t, http.MethodPost, "/api/v1/wordlist", map[string]any{
		"category": "pejorative-label", "term": "loot", "alternatives": []string{"take"}, "reason": "Makes survivors sound like robbers.",
	})
	require.Equal(t, http.StatusCreated, rec.Code, rec.Body.String())
	added := decode[WordListChangeView](t, rec)
	custom := added.LexiconVersion
	require.NotEqual(t, base, custom)

	version, terms = comparisonTerms(t, env, eventID)
	assert.Equal(t, custom, version, "the comparison is made with the new lexicon")
	assert.Contains(t, terms["Daily Bugle"], "loot", `"looting" in the quotation is found now`)
	rec = env.call(t, http.MethodGet, fmt.Sprintf("/api/v1/events/%d/comparison", eventID), nil)
	assert.Contains(t, rec.Body.String(), `"term":"loot"`, "the comparison counts the new term")
	rec = env.call(t, http.MethodGet, fmt.Sprintf("/api/v1/events/%d?include=report", eventID), nil)
	assert.Contains(t, rec.Body.String(), "Makes survivors sound like robbers.", "findings carry the class's reason")

	rec = env.call(t, http.MethodGet, "/api/v1/lexicon", nil)
	lex := decode[LexiconView](t, rec)
	assert.True(t, strings.HasPrefix(custom, lex.Version+"+data:"), "the lexicon's version %s begins the analysis version %s", lex.Version, custom)
	assert.Equal(t, 3, lex.EntryCount)
	var source string
	for _, e := range lex.Categories[0].Entries {
		if e.Term == "loot" {
			source = e.Source
		}
	}
	assert.Equal(t, "custom", source, "the lexicon lists the class's entry as custom")
	assert.Equal(t, custom, decode[HealthView](t, env.call(t, http.MethodGet, "/healthz", nil)).LexiconVersion)

	rec = env.call(t, http.MethodPost, "/api/v1/analyze", map[string]string{"text": "They loot the shops."})
	require.Equal(t, http.StatusOK, rec.Code)
	report := decode[analysis.Report](t, rec)
	assert.Equal(t, custom, report.LexiconVersion)
	require.Len(t, report.Findings, 1)
	assert.Equal(t, "loot", report.Findings[0].Text)

	rec = env.call(t, http.MethodGet, fmt.Sprintf("/api/v1/events/%d/export?format=csv&table=findings", eventID), nil)
	require.Equal(t, http.StatusOK, rec.Code)
	assert.Contains(t, rec.Body.String(), "looting", "exports use the lexicon in force")

	// A term that matches the same words as the custom one: refused, and
	// nothing changes.
	rec = env.call(t, http.MethodPost, "/api/v1/wordlist", map[string]any{"category": "pejorative-label", "term": "looting", "reason": "The same words again."})
	require.Equal(t, http.StatusConflict, rec.Code, rec.Body.String())
	list := decode[WordListView](t, env.call(t, http.MethodGet, "/api/v1/wordlist", nil))
	assert.Len(t, list.Entries, 1, "nothing stored")
	assert.Equal(t, custom, list.LexiconVersion, "the lexicon did not change")
	entries, err := env.store.ListWordList(t.Context())
	require.NoError(t, err)
	assert.Len(t, entries, 1)

	// The class's own terms are marked in the reports and the exports.
	for _, f := range decode[EventDetailView](t, env.call(t, http.MethodGet, fmt.Sprintf("/api/v1/events/%d?include=report", eventID), nil)).Articles[0].Report.Findings {
		assert.Equal(t, f.Term == "loot", f.Custom, "%s: only the class's term is custom", f.Term)
	}
	rec = env.call(t, http.MethodGet, fmt.Sprintf("/api/v1/events/%d/export?format=csv&table=findings", eventID), nil)
	rows := strings.Split(strings.TrimSpace(rec.Body.String()), "\n")
	assert.True(t, strings.HasSuffix(rows[0], ",in_quote,custom"), rows[0])
	customRows := 0
	for _, row := range rows[1:] {
		if strings.HasSuffix(row, ",true") {
			customRows++
			assert.Contains(t, row, ",loot,pejorative-label,", "only the class's term is marked")
		}
	}
	assert.Positive(t, customRows)

	// A term the built-in lexicon has: refused, naming the built-in entry,
	// and nothing changes; the teacher may override it on purpose, and
	// then the class's reason follows.
	hellhole := map[string]any{"category": "pejorative-label", "term": "Hellhole", "reason": "Our class's reason.", "severity": 1}
	rec = env.call(t, http.MethodPost, "/api/v1/wordlist", hellhole)
	require.Equal(t, http.StatusConflict, rec.Code, rec.Body.String())
	conflict := decode[WordListConflictView](t, rec)
	assert.Equal(t, "hellhole", conflict.Builtin.Term)
	assert.Equal(t, "Paints a whole place as hellish instead of describing conditions in it.", conflict.Builtin.Reason)
	assert.Contains(t, conflict.Error, `send "override": true`)
	assert.Equal(t, custom, decode[WordListView](t, env.call(t, http.MethodGet, "/api/v1/wordlist", nil)).LexiconVersion, "nothing changed")
	rec = env.call(t, http.MethodGet, fmt.Sprintf("/api/v1/events/%d?include=report", eventID), nil)
	assert.Contains(t, rec.Body.String(), "Paints a whole place as hellish", "the built-in entry stands")

	hellhole["override"] = true
	rec = env.call(t, http.MethodPost, "/api/v1/wordlist", hellhole)
	require.Equal(t, http.StatusCreated, rec.Code, rec.Body.String())
	overriding := decode[WordListChangeView](t, rec).Entry
	assert.True(t, overriding.Override)
	require.Len(t, overriding.Replaces, 1, "the entry says which built-in entry it replaces")
	assert.Equal(t, BuiltinTermView{Term: "hellhole", Category: "pejorative-label", CategoryLabel: "Pejorative label", Severity: 3,
		Reason: "Paints a whole place as hellish instead of describing conditions in it.", Alternatives: conflict.Builtin.Alternatives}, overriding.Replaces[0])
	rec = env.call(t, http.MethodGet, fmt.Sprintf("/api/v1/events/%d?include=report", eventID), nil)
	assert.Contains(t, rec.Body.String(), "Our class's reason.")
	assert.NotContains(t, rec.Body.String(), "Paints a whole place as hellish")
	for _, f := range decode[EventDetailView](t, rec).Articles[0].Report.Findings {
		if f.Term == "hellhole" {
			assert.True(t, f.Custom, "the overriding entry is the class's own")
			assert.Equal(t, 1, f.Severity, "with the class's severity")
		}
	}
	// Taking the override away again is a collision like any other.
	rec = env.call(t, http.MethodPut, fmt.Sprintf("/api/v1/wordlist/%d", overriding.ID), map[string]any{"category": "pejorative-label", "term": "hellhole", "reason": "A loaded word here."})
	require.Equal(t, http.StatusConflict, rec.Code, rec.Body.String())
	require.Equal(t, http.StatusNoContent, env.call(t, http.MethodDelete, fmt.Sprintf("/api/v1/wordlist/%d", overriding.ID), nil).Code)

	rec = env.call(t, http.MethodDelete, fmt.Sprintf("/api/v1/wordlist/%d", added.Entry.ID), nil)
	require.Equal(t, http.StatusNoContent, rec.Code, rec.Body.String())
	version, terms = comparisonTerms(t, env, eventID)
	assert.Equal(t, base, version, "back to the base lexicon")
	assert.NotContains(t, terms["Daily Bugle"], "loot")

	// The sweep started by the last change leaves every stored report
	// made with the lexicon now in force.
	sweeper.Wait()
	stale, err := env.store.CountStaleArticles(t.Context(), base)
	require.NoError(t, err)
	assert.Zero(t, stale, "the stored reports follow the lexicon in force")
}

// TestOpenWithWordList checks the start of a server: the stored list is
// laid over the base, and an entry that no longer fits is left out.
func TestOpenWithWordList(t *testing.T) {
	store := openStore(t)
	base := testLexicon(t)
	env := newEnvWith(t, store, base, Config{}, nil)
	logs := env.logs
	open := func() *desk.Desk {
		d, err := desk.Open(t.Context(), store, base, desk.Config{Logger: env.server.log})
		require.NoError(t, err)
		return d
	}
	assert.Equal(t, base.Version(), open().Analyzer().Lexicon().Version(), "no list: the base")

	for _, term := range []string{"loot", "mob"} {
		e := models.WordListEntry{Category: "pejorative-label", Term: term, Reason: "Loaded."}
		require.NoError(t, store.CreateWordListEntry(t.Context(), &e, nil))
	}
	// Written past the API's check: as if a newer built-in lexicon had
	// gained a term that matches the same words.
	bad := models.WordListEntry{Category: "pejorative-label", Term: "thugs", Reason: "Clashes with the built-in thug."}
	require.NoError(t, store.CreateWordListEntry(t.Context(), &bad, nil))

	d := open()
	lex := d.Analyzer().Lexicon()
	inForce := d.Version()
	assert.Equal(t, 4, lex.EntryCount(), "two built-in and two custom entries")
	assert.Contains(t, logs.String(), "class word list entry left out")
	assert.Contains(t, logs.String(), "term=thugs")

	// The server started with it serves the list and lets the teacher
	// remove the entry that does not fit.
	s := New(d, nil, Config{Logger: env.server.log})
	rec := httptest.NewRecorder()
	atTheKeyboard(s.Handler()).ServeHTTP(rec, newRequest(t, http.MethodDelete, fmt.Sprintf("/api/v1/wordlist/%d", bad.ID), nil))
	require.Equal(t, http.StatusNoContent, rec.Code, rec.Body.String())
	rec = httptest.NewRecorder()
	atTheKeyboard(s.Handler()).ServeHTTP(rec, newRequest(t, http.MethodGet, "/api/v1/wordlist", nil))
	assert.Equal(t, inForce, decode[WordListView](t, rec).LexiconVersion, "the entry left out was never in force")
}

// TestWordListConcurrentChanges adds terms from several goroutines while
// others read: every write lands, and the lexicon in force is that of the
// list as stored.
func TestWordListConcurrentChanges(t *testing.T) {
	env := newEnv(t, Config{}, nil)
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Go(func() {
			rec := env.call(t, http.MethodPost, "/api/v1/wordlist", map[string]any{
				"category": "pejorative-label", "term": fmt.Sprintf("zorblax%d", i), "reason": "A made up word."})
			assert.Equal(t, http.StatusCreated, rec.Code, rec.Body.String())
		})
		wg.Go(func() {
			rec := env.call(t, http.MethodPost, "/api/v1/analyze", map[string]string{"text": "A zorblax1 and a hellhole."})
			assert.Equal(t, http.StatusOK, rec.Code)
		})
	}
	wg.Wait()
	list, err := env.store.ListWordList(t.Context())
	require.NoError(t, err)
	require.Len(t, list, 8)
	// A desk opened now lays the stored list over the same base.
	want, err := desk.Open(t.Context(), env.store, env.analyzer.Lexicon(), desk.Config{})
	require.NoError(t, err)
	got := decode[WordListView](t, env.call(t, http.MethodGet, "/api/v1/wordlist", nil))
	assert.Equal(t, want.Version(), got.LexiconVersion)
}
