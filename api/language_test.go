package api

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A report of the seed event's flood in Spanish and in French, written for
// these tests.
const (
	spanishText = "Los dueños de los cafés dijeron que el barrio había quedado arruinado después de la inundación. " +
		"El alcalde afirmó que la ciudad abrirá un refugio para las familias que perdieron sus casas y que los " +
		"trabajos de limpieza empezarán el lunes por la mañana en las calles más cercanas al río."
	frenchText = "Les propriétaires des cafés ont déclaré que le quartier avait été dévasté après l'inondation. " +
		"Le maire a affirmé que la ville ouvrira un abri pour les familles qui ont perdu leur maison et que le " +
		"nettoyage commencera lundi matin dans les rues les plus proches de la rivière."
	// englishReport is long enough for its language to be told.
	englishReport = "Café owners said the district had been badly damaged by the flood. The mayor said the city " +
		"would open a shelter for the families who lost their homes, and that the clean-up of the streets " +
		"closest to the river would begin on Monday morning."
)

// TestNotEnglish: a text in another language is stored and analyzed, but
// marked "not scored" and left out of the comparison and the exercise;
// every door tells the language the same way.
func TestNotEnglish(t *testing.T) {
	env := newEnv(t, Config{}, nil)
	eventID, _, _ := env.seed(t)
	articles := fmt.Sprintf("/api/v1/events/%d/articles", eventID)

	rec := env.call(t, http.MethodPost, articles, map[string]any{"outlet": "El Diario", "title": "Inundación en el barrio", "text": spanishText})
	require.Equal(t, http.StatusCreated, rec.Code, rec.Body.String())
	spanish := decode[ArticleView](t, rec)
	assert.Equal(t, "es", spanish.Language)
	assert.Equal(t, "Spanish", spanish.LanguageName)
	assert.False(t, spanish.Scored)
	assert.Equal(t, "not scored: Slant's word lists are English", spanish.NotScored)
	assert.NotEmpty(t, spanish.Report.Sentences, "it is analyzed like any other")

	rec = env.call(t, http.MethodPost, articles, map[string]any{"outlet": "Wire", "text": englishReport})
	require.Equal(t, http.StatusCreated, rec.Code, rec.Body.String())
	english := decode[ArticleView](t, rec)
	assert.Equal(t, "en", english.Language)
	assert.True(t, english.Scored)
	assert.Empty(t, english.NotScored)

	// The comparison ranks and sums up the English articles only.
	cmp := env.getComparison(t, eventID)
	require.Len(t, cmp.Outlets, 3)
	for _, o := range cmp.Outlets {
		assert.NotEqual(t, "El Diario", o.Outlet)
	}
	assert.NotContains(t, strings.Join(cmp.Summary, " "), "El Diario")
	assert.NotContains(t, fmt.Sprint(cmp.Frames.Outlets, cmp.Content.Outlets, cmp.Tone.Outlets), "El Diario")
	require.Len(t, cmp.NotScored, 1)
	assert.Equal(t, spanish.ID, cmp.NotScored[0].ArticleID)
	assert.Equal(t, "El Diario", cmp.NotScored[0].Outlet)
	assert.Equal(t, "es", cmp.NotScored[0].Language)
	assert.Equal(t, "Spanish", cmp.NotScored[0].LanguageName)
	assert.Equal(t, "not scored: Slant's word lists are English", cmp.NotScored[0].Reason)

	// The event lists it, marked.
	var event EventDetailView
	require.NoError(t, json.Unmarshal(env.call(t, http.MethodGet, fmt.Sprintf("/api/v1/events/%d", eventID), nil).Body.Bytes(), &event))
	marked := map[int64]bool{}
	for _, a := range event.Articles {
		marked[a.ID] = a.Scored
	}
	assert.Equal(t, map[int64]bool{event.Articles[0].ID: true, event.Articles[1].ID: true, spanish.ID: false, english.ID: true}, marked)

	// An exercise does not offer it, and takes no picks in it.
	rec = env.call(t, http.MethodPost, fmt.Sprintf("/api/v1/events/%d/exercises", eventID), map[string]bool{"blind": false})
	require.Equal(t, http.StatusCreated, rec.Code, rec.Body.String())
	code := decode[ExerciseView](t, rec).Code
	rec = env.call(t, http.MethodGet, "/api/v1/exercises/"+code, nil)
	require.Equal(t, http.StatusOK, rec.Code)
	student := decode[StudentExerciseView](t, rec)
	require.Len(t, student.Articles, 3)
	for _, a := range student.Articles {
		assert.NotEqual(t, spanish.ID, a.ID)
	}
	rec = env.call(t, http.MethodPost, "/api/v1/exercises/"+code+"/submissions", map[string]any{
		"student": "s-0123456789abcdef", "article_id": spanish.ID, "picks": []any{}})
	require.Equal(t, http.StatusUnprocessableEntity, rec.Code, rec.Body.String())
	assert.Equal(t, "article_id is not an article of this exercise", decode[ErrorBody](t, rec).Error)
	rec = env.call(t, http.MethodGet, "/api/v1/exercises/"+code+"/results", nil)
	require.Equal(t, http.StatusOK, rec.Code)
	assert.NotContains(t, rec.Body.String(), fmt.Sprintf(`"article_id":%d,`, spanish.ID))

	// An import tells the language the same way.
	line := fmt.Sprintf(`{"event":"Flood in the river district","outlet":"Le Journal","text":%q}`, frenchText)
	rec = env.postImport(t, "/api/v1/import", "application/x-ndjson", line+"\n", nil)
	require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
	cmp = env.getComparison(t, eventID)
	require.Len(t, cmp.NotScored, 2)
	assert.Equal(t, "Le Journal", cmp.NotScored[1].Outlet)
	assert.Equal(t, "French", cmp.NotScored[1].LanguageName)

	// The exports say which rows are not scored, and in what language.
	rec = env.call(t, http.MethodGet, fmt.Sprintf("/api/v1/events/%d/export?format=csv", eventID), nil)
	require.Equal(t, http.StatusOK, rec.Code)
	rows := strings.Split(strings.TrimSpace(rec.Body.String()), "\n")
	header := strings.Split(rows[0], ",")
	col := func(name string) int {
		for i, h := range header {
			if h == name {
				return i
			}
		}
		t.Fatalf("no column %s", name)
		return -1
	}
	got := map[string]string{}
	for _, row := range rows[1:] {
		cells := strings.Split(row, ",")
		got[cells[col("outlet")]] = cells[col("language")] + " " + cells[col("scored")]
	}
	assert.Equal(t, "es false", got["El Diario"])
	assert.Equal(t, "fr false", got["Le Journal"])
	assert.Equal(t, "en true", got["Wire"])
	assert.Equal(t, " true", got["The Planet"], "too short to tell: scored")
}

// TestHTMLPastedAsText: a page pasted into the text box is read as an
// upload is, not kept with its tags; "clean": false keeps it as sent.
func TestHTMLPastedAsText(t *testing.T) {
	env := newEnv(t, Config{}, nil)
	eventID, _, _ := env.seed(t)
	articles := fmt.Sprintf("/api/v1/events/%d/articles", eventID)
	page := `<!DOCTYPE html><html><head><title>Flood hits the river district - The Ledger</title>
<meta property="og:site_name" content="The Ledger"></head><body><nav><a href="/">Home</a> <a href="/news">News</a></nav>
<article><h1>Flood hits the river district</h1>
<p>Café owners said the district had been badly damaged by the flood on Saturday night.</p>
<p>The mayor said the city would open a shelter for the families who lost their homes.</p>
<p>Clean-up crews will start on Monday morning in the streets closest to the river.</p></article>
<script>alert("x")</script></body></html>`

	rec := env.call(t, http.MethodPost, articles, map[string]any{"outlet": "The Ledger", "text": page})
	require.Equal(t, http.StatusCreated, rec.Code, rec.Body.String())
	got := decode[ArticleView](t, rec)
	require.NotNil(t, got.Ingest)
	assert.True(t, got.Ingest.HTMLInText)
	assert.Equal(t, "html", got.Ingest.Source)
	assert.Equal(t, "Flood hits the river district", got.Title, "the page's headline fills the title")
	assert.NotContains(t, got.Text, "<")
	assert.NotContains(t, got.Text, "alert")
	assert.Contains(t, got.Text, "Café owners said the district had been badly damaged")
	assert.Equal(t, "en", got.Language)

	// A fragment of the page's source, as copied from a browser, too.
	fragment := "<p>Café owners said the district was hit hard.</p>\n<p>The mayor said a shelter <b>would</b> open.</p>"
	rec = env.call(t, http.MethodPost, articles, map[string]any{"outlet": "The Sheet", "text": fragment})
	require.Equal(t, http.StatusCreated, rec.Code, rec.Body.String())
	got = decode[ArticleView](t, rec)
	assert.True(t, got.Ingest.HTMLInText)
	assert.NotContains(t, got.Text, "<p>")
	assert.Contains(t, got.Text, "The mayor said a shelter would open.")

	// Kept exactly as sent when the teacher asks for it.
	rec = env.call(t, http.MethodPost, articles, map[string]any{"outlet": "The Raw", "text": fragment, "clean": false})
	require.Equal(t, http.StatusCreated, rec.Code, rec.Body.String())
	got = decode[ArticleView](t, rec)
	assert.False(t, got.Ingest.HTMLInText)
	assert.Equal(t, fragment, got.Text)
}
