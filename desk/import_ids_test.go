package desk

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"testing"
	"testing/iotest"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/text/encoding/charmap"

	"slant/internal/testdb"
	"slant/models"
)

// openConfigStore opens a store on a test database.
func openConfigStore(t testing.TB, cfg models.Config) *models.Store {
	t.Helper()
	store, err := models.Open(context.Background(), cfg)
	require.NoError(t, err)
	t.Cleanup(func() { _ = store.Close() })
	return store
}

// importWith runs an import of a JSON Lines string and gathers the
// outcomes.
func importWith(t *testing.T, d *Desk, jsonl string, opts ImportOptions) (ImportResult, []LineOutcome, error) {
	t.Helper()
	var outcomes []LineOutcome
	opts.Outcome = func(o LineOutcome) { outcomes = append(outcomes, o) }
	res, err := importStringWith(t, d, jsonl, opts)
	return res, outcomes, err
}

// researchFile is a corpus as researchers keep them: ids, extra fields,
// and lines that are bad in the ways a corpus can be.
var researchFile = strings.Join([]string{
	/* 1 */ `{"id":"a-1","event":"Flood","outlet":"Daily Bugle","text":"Thugs looted the flooded hellhole.","section":"Local","wordcount":5,"paywalled":true}`,
	/* 2 */ `{"id":"a-2","event":"Flood","outlet":"The Planet","text":"Shops in the flooded district were looted.","section":"Local"}`,
	/* 3 */ `{"id":"a-2","event":"Flood","outlet":"The Planet","text":"Another text under the same id."}`,
	/* 4 */ `{"id":"a-4","event":"Flood","outlet":"Courier","text":"A nested field.","author":{"name":"N"}}`,
	/* 5 */ fmt.Sprintf(`{"id":%q,"event":"Flood","outlet":"Courier","text":"A long id."}`, strings.Repeat("x", 201)),
	/* 6 */ `{"id":"a-6","event":"Flood","outlet":"Courier","text":"Too many fields."` + manyFields(1000) + `}`,
	/* 7 */ `{"id":"a-1","event":"Budget","outlet":"Daily Bugle","text":"The same id in another event is fine."}`,
	/* 8 */ `{"id":"a-8","event":"Flood","outlet":"Daily Bugle","text":"Thugs looted the flooded hellhole."}`,
}, "\n") + "\n"

func TestImportKeepsIDsAndMetadata(t *testing.T) {
	testdb.Each(t, func(t *testing.T, cfg models.Config) {
		store := openConfigStore(t, cfg)
		d := New(store, builtinAnalyzer(t), Config{})
		res, outcomes, err := importWith(t, d, researchFile, ImportOptions{})
		require.NoError(t, err)
		assert.Equal(t, 3, res.Added, "lines 1, 2 and 7")
		assert.Equal(t, 1, res.SkippedDuplicates, "line 8 repeats line 1's text")
		assert.Equal(t, 4, res.LineErrorCount)

		require.Len(t, outcomes, 8)
		want := []struct {
			outcome Outcome
			reason  string
		}{
			{OutcomeAdded, ""},
			{OutcomeAdded, ""},
			{OutcomeBad, `id "a-2" appears again (first on line 2) with another text: ids must be unique within an event`},
			{OutcomeBad, `field "author" is an object`},
			{OutcomeBad, "id must be at most 200 characters (it has 201)"},
			{OutcomeBad, "metadata has 1000 extra fields, the most one article keeps is 100"},
			{OutcomeAdded, ""},
			{OutcomeDuplicate, "the same text as line 1, for the same event"},
		}
		for i, w := range want {
			o := outcomes[i]
			assert.Equal(t, i+1, o.Line)
			assert.Equal(t, w.outcome, o.Outcome, "line %d: %s", o.Line, o.Reason)
			assert.Contains(t, o.Reason, w.reason, "line %d", o.Line)
			if o.Outcome == OutcomeAdded {
				assert.NotZero(t, o.ArticleID, "line %d", o.Line)
				assert.NotZero(t, o.EventID, "line %d", o.Line)
			}
		}
		assert.Equal(t, "a-1", outcomes[0].ID)

		flood, err := store.ListArticles(t.Context(), outcomes[0].EventID)
		require.NoError(t, err)
		require.Len(t, flood, 2, "nothing of a bad line is stored")
		require.NotNil(t, flood[0].ExternalID)
		assert.Equal(t, "a-1", *flood[0].ExternalID)
		assert.Equal(t, models.Metadata{"section": "Local", "wordcount": json.Number("5"), "paywalled": true}, flood[0].Metadata)

		// The same file again: nothing added, nothing updated, and said so.
		again, outcomes, err := importWith(t, d, researchFile, ImportOptions{})
		require.NoError(t, err)
		assert.Zero(t, again.Added)
		assert.Equal(t, 5, again.SkippedDuplicates, "lines 1, 2, 3, 7 and 8")
		assert.Equal(t, 4, again.SkippedKnownIDs, "lines 1, 2, 3 and 7 by their ids")
		assert.Contains(t, outcomes[0].Reason, `id "a-1" is already stored in event`)
		assert.Contains(t, outcomes[0].Reason, "nothing was updated")
		assert.Equal(t, OutcomeDuplicate, outcomes[2].Outcome, "a-2 is stored: its other text is not taken")
		assert.Contains(t, outcomes[2].Reason, "with another text; nothing was updated")
		assert.Equal(t, 1, again.ChangedTextCount, "only a-2 comes with another text")
		require.Len(t, again.ChangedTexts, 1)
		assert.Equal(t, 3, again.ChangedTexts[0].Line)
		assert.Equal(t, "a-2", again.ChangedTexts[0].ID)
		assert.Equal(t, outcomes[2], again.ChangedTexts[0], "the same outcome the report gives")
		stored, err := store.GetArticle(t.Context(), outcomes[1].EventID, outcomes[1].ArticleID)
		require.NoError(t, err)
		assert.Equal(t, "Shops in the flooded district were looted.", stored.Body)
	})
}

func TestImportListsTheFirstHundredBadLines(t *testing.T) {
	testdb.Each(t, testFirstHundredBadLines)
}

func testFirstHundredBadLines(t *testing.T, cfg models.Config) {
	store := openConfigStore(t, cfg)
	var b strings.Builder
	b.WriteString(`{"event":"E","outlet":"O","text":"The one good line."}` + "\n")
	for range 250 {
		b.WriteString("{oops\n")
	}
	res, outcomes, err := importWith(t, New(store, builtinAnalyzer(t), Config{}), b.String(), ImportOptions{})
	require.NoError(t, err)
	assert.Equal(t, 1, res.Added)
	assert.Len(t, res.LineErrors, MaxLineErrors)
	assert.Equal(t, 250, res.LineErrorCount)
	assert.Equal(t, 2, res.LineErrors[0].Line)
	assert.Equal(t, 101, res.LineErrors[99].Line)
	assert.Len(t, outcomes, 251, "every line's outcome")

	_, _, err = importWith(t, New(store, builtinAnalyzer(t), Config{}), b.String(), ImportOptions{Mode: ModeStrict})
	var rejected *RejectedError
	require.ErrorAs(t, err, &rejected)
	assert.Len(t, rejected.LineErrors, MaxLineErrors)
	assert.Equal(t, 250, rejected.Total())
}

func TestImportStrictRefusesAllAndSaysWhichLinesWereGood(t *testing.T) {
	testdb.Each(t, func(t *testing.T, cfg models.Config) {
		store := openConfigStore(t, cfg)
		_, outcomes, err := importWith(t, New(store, builtinAnalyzer(t), Config{}), researchFile, ImportOptions{Mode: ModeStrict})
		var rejected *RejectedError
		require.ErrorAs(t, err, &rejected)
		assert.False(t, rejected.NothingGood)
		assert.Equal(t, 4, rejected.Total())
		require.Len(t, outcomes, 8)
		assert.Equal(t, OutcomeRefused, outcomes[0].Outcome)
		assert.Zero(t, outcomes[0].ArticleID)
		n, err := store.CountEvents(t.Context())
		require.NoError(t, err)
		assert.Zero(t, n, "nothing stored")
	})
}

func TestImportOfNothingButBadLinesIsRefused(t *testing.T) {
	store := openStore(t, t.TempDir()+"/s.db")
	_, _, err := importWith(t, New(store, builtinAnalyzer(t), Config{}), "nope\n{\"event\":\"E\"}\n", ImportOptions{})
	var rejected *RejectedError
	require.ErrorAs(t, err, &rejected)
	assert.True(t, rejected.NothingGood)
	assert.Equal(t, 2, rejected.Total())
}

// TestImportThatCannotBeReadStoresNothing breaks the file off after many
// good lines (several batches already written in the transaction): the
// import fails and nothing is stored.
func TestImportThatCannotBeReadStoresNothing(t *testing.T) {
	testdb.Each(t, func(t *testing.T, cfg models.Config) {
		store := openConfigStore(t, cfg)
		var b strings.Builder
		for i := range 700 {
			fmt.Fprintf(&b, `{"event":"Event %d","outlet":"O","text":"Text number %d."}`+"\n", i/10, i)
		}
		broken := io.MultiReader(strings.NewReader(b.String()), iotest.ErrReader(errors.New("the disk went away")))
		src, err := OpenRecords(broken, FormatJSONL, "")
		require.NoError(t, err)
		_, err = New(store, builtinAnalyzer(t), Config{}).Import(t.Context(), src, ImportOptions{})
		require.Error(t, err)
		assert.Contains(t, err.Error(), "the disk went away")
		assert.Contains(t, err.Error(), "nothing was stored")
		n, err := store.CountEvents(t.Context())
		require.NoError(t, err)
		assert.Zero(t, n)
	})
}

func TestImportReadsOtherEncodings(t *testing.T) {
	testdb.Each(t, testOtherEncodings)
}

func testOtherEncodings(t *testing.T, cfg models.Config) {
	store := openConfigStore(t, cfg)
	d := New(store, builtinAnalyzer(t), Config{})
	latin, err := charmap.Windows1252.NewEncoder().String("id,event,outlet,text,rubrique\nc-1,Fête,Le Courrier,Les cafés ont rouvert – enfin.,Économie\n")
	require.NoError(t, err)

	src, err := OpenRecords(strings.NewReader(latin), FormatCSV, "windows-1252")
	require.NoError(t, err)
	res, err := d.Import(t.Context(), src, ImportOptions{})
	require.NoError(t, err)
	require.Equal(t, 1, res.Added)
	articles, err := store.ListArticles(t.Context(), res.Events[0].ID)
	require.NoError(t, err)
	assert.Equal(t, "Les cafés ont rouvert – enfin.", articles[0].Body)
	assert.Equal(t, models.Metadata{"rubrique": "Économie"}, articles[0].Metadata)
	assert.Equal(t, "Fête", res.Events[0].Title)

	// The same bytes read as UTF-8: a clear line error, nothing stored.
	src, err = OpenRecords(strings.NewReader(latin), FormatCSV, "")
	require.NoError(t, err)
	_, err = d.Import(t.Context(), src, ImportOptions{})
	var rejected *RejectedError
	require.ErrorAs(t, err, &rejected)
	assert.Contains(t, rejected.LineErrors[0].Err, "not valid UTF-8")

	_, err = OpenRecords(strings.NewReader(latin), FormatCSV, "klingon")
	assert.Error(t, err)
}
