package export

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"slant/analysis"
	"slant/desk"
	"slant/models"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// testLexicon is a small lexicon of the test's own, so that the golden
// files do not change whenever the built-in lexicon does.
const testLexicon = `category: pejorative-label
label: Pejorative label
description: Names that insult a group or place instead of describing it.
severity: 3
source: project
entries:
  - term: hellhole
    alternatives: [high-crime area]
    reason: Paints a whole place as hellish instead of describing conditions in it.
  - term: thug
    alternatives: [suspect, protester]
    reason: Labels people as violent criminals instead of saying what they did.
`

const otherCategory = `category: loaded-action-verb
label: Loaded verb
description: Verbs that dramatise what someone did.
severity: 2
source: project
entries:
  - term: slam
    alternatives: [criticise]
    reason: Makes criticism sound violent.
`

// The export's clock and the analysis times: fixed, so the golden files
// are stable.
var (
	exportTime   = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	analysisTime = time.Date(2026, 2, 1, 9, 30, 0, 0, time.UTC)
	storedTime   = time.Date(2026, 1, 15, 8, 0, 0, 0, time.UTC)
)

func newAnalyzer(t *testing.T, files ...analysis.LexiconFile) *analysis.Analyzer {
	t.Helper()
	lex, err := analysis.ParseLexicon(files)
	require.NoError(t, err)
	a, err := analysis.NewAnalyzer(lex)
	require.NoError(t, err)
	return a
}

// fixture is a store with two events and three articles; the last one's
// report was made with an older lexicon, so the export makes it again.
func fixture(t *testing.T) (*models.Store, *analysis.Analyzer, []int64) {
	t.Helper()
	ctx := t.Context()
	store, err := models.Open(ctx, models.Config{Driver: models.DriverSQLite, DSN: filepath.Join(t.TempDir(), "s.db")})
	require.NoError(t, err)
	t.Cleanup(func() { _ = store.Close() })

	base := analysis.LexiconFile{Name: "pejorative-label.yaml", Data: []byte(testLexicon)}
	current := newAnalyzer(t, base, analysis.LexiconFile{Name: "loaded-action-verb.yaml", Data: []byte(otherCategory)})
	older := newAnalyzer(t, base)

	date := time.Date(2024, 3, 1, 0, 0, 0, 0, time.UTC)
	published := time.Date(2024, 3, 2, 8, 0, 0, 0, time.UTC)
	var ids []int64
	for _, ev := range []struct {
		title    string
		articles []struct{ outlet, domain, title, text string }
		analyzer *analysis.Analyzer
	}{
		{"Flood in the river district", []struct{ outlet, domain, title, text string }{
			{"Daily Bugle", "bugle.example", "Thugs loot flooded hellhole",
				"Café owners said the district had become a hellhole after the flood. \"These thugs are looting,\" the mayor said.\nCritics slam the council."},
			{"The Planet", "planet.example", "Flood hits river district",
				"Café owners said the district was struggling after the flood. The mayor said shops had been looted."},
		}, current},
		{"Budget vote", []struct{ outlet, domain, title, text string }{
			{"Daily Bugle", "", "Council slams budget", "Councillors slam the budget; one called the town hall a hellhole."},
		}, older},
	} {
		e := models.Event{Title: ev.title, Description: "Coverage of " + strings.ToLower(ev.title), Date: &date, CreatedAt: storedTime, UpdatedAt: storedTime}
		require.NoError(t, store.CreateEvent(ctx, &e))
		ids = append(ids, e.ID)
		for _, a := range ev.articles {
			an, _, err := desk.Analyze(ev.analyzer, a.title, a.text, analysisTime)
			require.NoError(t, err)
			art := models.Article{
				EventID: e.ID, Outlet: models.Outlet{Name: a.outlet}, Title: a.title, URL: "https://example.org/" + strings.ReplaceAll(strings.ToLower(a.title), " ", "-"),
				PublishedAt: &published, Body: a.text, CreatedAt: storedTime,
			}
			if m, ok := fixtureMetadata[a.outlet+"/"+ev.title]; ok {
				id := m.id
				art.ExternalID, art.Metadata = &id, m.meta
			}
			require.NoError(t, store.AddArticle(ctx, &art, a.domain, &an))
		}
	}
	return store, current, ids
}

// fixtureMetadata are the researcher's ids and fields of two of the
// fixture's articles (by outlet/event): a cell a spreadsheet would run as
// a formula, a negative number, a boolean, a field only one carries.
var fixtureMetadata = map[string]struct {
	id   string
	meta models.Metadata
}{
	"Daily Bugle/Flood in the river district": {"bugle-17", models.Metadata{
		"section": `=HYPERLINK("http://evil.example","click")`, "score": json.Number("-0.50"), "paywalled": true,
	}},
	"The Planet/Flood in the river district": {"@planet-3", models.Metadata{"section": "Local", "byline": "-- staff"}},
}

func newExporter(store *models.Store, analyzer *analysis.Analyzer) *Exporter {
	clock := func() time.Time { return exportTime }
	return New(desk.New(store, analyzer, desk.Config{Now: clock}), Options{SlantVersion: "1.2.3-test", Now: clock})
}

// golden compares got with testdata/name, or rewrites the file with -update.
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		require.NoError(t, os.MkdirAll("testdata", 0o755))
		require.NoError(t, os.WriteFile(path, got, 0o644))
		return
	}
	want, err := os.ReadFile(path)
	require.NoError(t, err, "run go test ./export -update to create it")
	assert.Equal(t, string(want), string(got), "%s differs; if the change is intended, run go test ./export -update", name)
}

func TestGoldenExports(t *testing.T) {
	store, analyzer, ids := fixture(t)
	ex := newExporter(store, analyzer)
	ctx := t.Context()

	var eventJSON, allJSON, articles, findings bytes.Buffer
	require.NoError(t, ex.WriteJSON(ctx, &eventJSON, ids[0]))
	require.NoError(t, ex.WriteJSON(ctx, &allJSON, 0))
	require.NoError(t, ex.WriteCSV(ctx, &articles, 0, TableArticles))
	require.NoError(t, ex.WriteCSV(ctx, &findings, 0, TableFindings))
	golden(t, "event.json", eventJSON.Bytes())
	golden(t, "database.json", allJSON.Bytes())
	golden(t, "articles.csv", articles.Bytes())
	golden(t, "findings.csv", findings.Bytes())

	// The stale report was made again for the export (the golden files
	// show it with the export's clock), but not saved: an export never
	// writes to the database it describes.
	stored, err := store.ListArticles(ctx, ids[1])
	require.NoError(t, err)
	assert.NotEqual(t, analyzer.Version(), stored[0].Analysis.LexiconVersion)
	assert.True(t, stored[0].Analysis.AnalyzedAt.Equal(analysisTime))
}

func TestCSVIsSelfDescribing(t *testing.T) {
	store, analyzer, _ := fixture(t)
	ex := newExporter(store, analyzer)
	codebook, err := ex.CodebookFor(t.Context(), 0)
	require.NoError(t, err)
	for _, tc := range []struct {
		table   Table
		columns []Column
		rows    int
	}{
		{TableArticles, append(codebook.ArticleColumns, codebook.MetadataColumns...), 3},
		{TableFindings, codebook.FindingColumns, 8},
	} {
		t.Run(string(tc.table), func(t *testing.T) {
			var buf bytes.Buffer
			require.NoError(t, ex.WriteCSV(t.Context(), &buf, 0, tc.table))
			records, err := csv.NewReader(&buf).ReadAll()
			require.NoError(t, err, "RFC 4180 CSV")
			require.Len(t, records, tc.rows+1, "a header and one row per %s", tc.table)
			var want []string
			for _, c := range tc.columns {
				if !c.JSONOnly {
					want = append(want, c.Name)
				}
			}
			assert.Equal(t, want, records[0], "the header names the codebook's columns")
			assert.Equal(t, []string{"lexicon_version", "slant_version", "analyzed_at"}, records[0][:3])
			for _, row := range records[1:] {
				assert.Equal(t, analyzer.Version(), row[0])
				assert.Equal(t, "1.2.3-test", row[1])
				_, err := time.Parse(time.RFC3339Nano, row[2])
				assert.NoError(t, err)
			}
		})
	}
}

func TestJSONExportHasCodebookAndProvenance(t *testing.T) {
	store, analyzer, ids := fixture(t)
	var buf bytes.Buffer
	require.NoError(t, newExporter(store, analyzer).WriteJSON(t.Context(), &buf, ids[0]))
	var doc struct {
		Format         string           `json:"format"`
		SlantVersion   string           `json:"slant_version"`
		LexiconVersion string           `json:"lexicon_version"`
		ExportedAt     time.Time        `json:"exported_at"`
		Scope          string           `json:"scope"`
		Codebook       Codebook         `json:"codebook"`
		Events         []eventView      `json:"events"`
		Articles       []map[string]any `json:"articles"`
		Findings       []map[string]any `json:"findings"`
	}
	require.NoError(t, json.Unmarshal(buf.Bytes(), &doc))
	assert.Equal(t, "slant-export/1", doc.Format)
	assert.Equal(t, "1.2.3-test", doc.SlantVersion)
	assert.Equal(t, analyzer.Version(), doc.LexiconVersion)
	assert.True(t, doc.ExportedAt.Equal(exportTime))
	assert.Equal(t, "event", doc.Scope)
	require.Len(t, doc.Codebook.Categories, 2)
	for _, c := range doc.Codebook.Categories {
		assert.NotEmpty(t, c.Label)
		assert.NotEmpty(t, c.Description)
		assert.Positive(t, c.Severity)
	}
	assert.Len(t, doc.Codebook.Frames, 15)
	require.Len(t, doc.Events, 1)
	require.Len(t, doc.Articles, 2)
	for _, c := range doc.Codebook.ArticleColumns {
		assert.Contains(t, doc.Articles[0], c.Name, "every codebook column is in the rows")
	}
	assert.Len(t, doc.Articles[0], len(doc.Codebook.ArticleColumns))
	assert.Equal(t, []any{}, doc.Articles[1]["speakers"], "lists are arrays, never null")
	require.NotEmpty(t, doc.Findings)
	text := doc.Articles[0]["text"].(string)
	for _, f := range doc.Findings {
		if f["field"] != "text" {
			continue
		}
		start, end := int(f["start"].(float64)), int(f["end"].(float64))
		assert.Equal(t, f["text"], text[start:end], "offsets are byte offsets into the text")
	}
}

func TestUnknownEvent(t *testing.T) {
	store, analyzer, _ := fixture(t)
	ex := newExporter(store, analyzer)
	require.ErrorIs(t, ex.CheckEvent(t.Context(), 999), models.ErrNotFound)
	require.NoError(t, ex.CheckEvent(t.Context(), 0))
	require.ErrorIs(t, ex.WriteJSON(t.Context(), &bytes.Buffer{}, 999), models.ErrNotFound)
}

func TestEmptyDatabase(t *testing.T) {
	store, err := models.Open(t.Context(), models.Config{Driver: models.DriverSQLite, DSN: filepath.Join(t.TempDir(), "s.db")})
	require.NoError(t, err)
	defer store.Close()
	ex := newExporter(store, newAnalyzer(t, analysis.LexiconFile{Name: "p.yaml", Data: []byte(testLexicon)}))
	var buf bytes.Buffer
	require.NoError(t, ex.WriteJSON(t.Context(), &buf, 0))
	var doc map[string]any
	require.NoError(t, json.Unmarshal(buf.Bytes(), &doc), buf.String())
	assert.Equal(t, []any{}, doc["articles"])
	assert.Equal(t, []any{}, doc["findings"])
	buf.Reset()
	require.NoError(t, ex.WriteCSV(t.Context(), &buf, 0, TableArticles))
	records, err := csv.NewReader(&buf).ReadAll()
	require.NoError(t, err)
	assert.Len(t, records, 1, "the header alone")
}

func TestParseFormatAndTable(t *testing.T) {
	for in, want := range map[string]Format{"": FormatJSON, "json": FormatJSON, "CSV": FormatCSV} {
		got, err := ParseFormat(in)
		require.NoError(t, err)
		assert.Equal(t, want, got)
	}
	_, err := ParseFormat("xlsx")
	assert.Error(t, err)
	for in, want := range map[string]Table{"": TableArticles, "articles": TableArticles, "findings": TableFindings} {
		got, err := ParseTable(in)
		require.NoError(t, err)
		assert.Equal(t, want, got)
	}
	_, err = ParseTable("outlets")
	assert.Error(t, err)
}

func TestCSVValue(t *testing.T) {
	when := time.Date(2024, 3, 2, 8, 0, 0, 500, time.FixedZone("X", 3600))
	for _, tc := range []struct {
		in   any
		want string
	}{
		{"a,b", "a,b"}, {3, "3"}, {int64(4), "4"}, {0.1, "0.1"}, {12.5, "12.5"}, {1e-7, "0.0000001"},
		{true, "true"}, {when, "2024-03-02T07:00:00.0000005Z"}, {(*time.Time)(nil), ""},
		{[]string{"a", "b"}, "a; b"}, {[]string(nil), ""},
	} {
		assert.Equal(t, tc.want, csvValue(tc.in), "%#v", tc.in)
	}
}

func TestMetadataAndIDsInEveryFormat(t *testing.T) {
	store, analyzer, ids := fixture(t)
	ex := newExporter(store, analyzer)
	ctx := t.Context()

	var buf bytes.Buffer
	require.NoError(t, ex.WriteCSV(ctx, &buf, 0, TableArticles))
	records, err := csv.NewReader(&buf).ReadAll()
	require.NoError(t, err)
	head := records[0]
	assert.Equal(t, []string{"meta_byline", "meta_paywalled", "meta_score", "meta_section"}, head[len(head)-4:], "one column per field, sorted")
	col := func(name string) int { return slices.Index(head, name) }
	bugle, planet, budget := records[1], records[2], records[3]
	assert.Equal(t, "bugle-17", bugle[col("external_id")])
	assert.Equal(t, "'@planet-3", planet[col("external_id")], "an id that a spreadsheet would run is made safe too")
	assert.Equal(t, "", budget[col("external_id")])
	assert.Equal(t, `'=HYPERLINK("http://evil.example","click")`, bugle[col("meta_section")], "the OWASP apostrophe")
	assert.Equal(t, "-0.50", bugle[col("meta_score")], "a number is never a formula: as written")
	assert.Equal(t, "true", bugle[col("meta_paywalled")])
	assert.Equal(t, "'-- staff", planet[col("meta_byline")])
	assert.Equal(t, "", budget[col("meta_section")], "no field, an empty cell")
	for _, row := range records[1:] {
		for i, cell := range row {
			if cell != "" && strings.ContainsRune("=+@\t\r", rune(cell[0])) {
				t.Errorf("column %s: a cell a spreadsheet would run: %q", head[i], cell)
			}
			if cell != "" && cell[0] == '-' {
				_, err := strconv.ParseFloat(cell, 64)
				assert.NoError(t, err, "only numbers begin with -: %s %q", head[i], cell)
			}
		}
	}

	raw := New(desk.New(store, analyzer, desk.Config{}), Options{SlantVersion: "x", CSVRaw: true})
	buf.Reset()
	require.NoError(t, raw.WriteCSV(ctx, &buf, 0, TableArticles))
	records, err = csv.NewReader(&buf).ReadAll()
	require.NoError(t, err)
	assert.Equal(t, `=HYPERLINK("http://evil.example","click")`, records[1][col("meta_section")], "--csv-raw: the bytes as stored")
	assert.Equal(t, "@planet-3", records[2][col("external_id")])

	// One event's export has the columns of its own articles' fields.
	buf.Reset()
	require.NoError(t, ex.WriteCSV(ctx, &buf, ids[1], TableArticles))
	records, err = csv.NewReader(&buf).ReadAll()
	require.NoError(t, err)
	assert.NotContains(t, strings.Join(records[0], ","), "meta_")

	// JSON: the id and a metadata object with the values' own types.
	buf.Reset()
	require.NoError(t, ex.WriteJSON(ctx, &buf, ids[0]))
	var doc struct {
		Codebook Codebook         `json:"codebook"`
		Articles []map[string]any `json:"articles"`
	}
	require.NoError(t, json.Unmarshal(buf.Bytes(), &doc))
	assert.Equal(t, "bugle-17", doc.Articles[0]["external_id"])
	assert.Equal(t, map[string]any{"section": `=HYPERLINK("http://evil.example","click")`, "score": -0.5, "paywalled": true}, doc.Articles[0]["metadata"])
	require.Len(t, doc.Codebook.MetadataColumns, 4)
	assert.Equal(t, Column{Name: "meta_paywalled", Type: "boolean", Description: doc.Codebook.MetadataColumns[1].Description}, doc.Codebook.MetadataColumns[1])
	assert.Equal(t, "number", doc.Codebook.MetadataColumns[2].Type)

	// JSON Lines: one article per line, text and metadata included.
	buf.Reset()
	require.NoError(t, ex.WriteJSONL(ctx, &buf, 0, TableArticles))
	lines := strings.Split(strings.TrimSuffix(buf.String(), "\n"), "\n")
	require.Len(t, lines, 3)
	var first map[string]any
	require.NoError(t, json.Unmarshal([]byte(lines[0]), &first))
	assert.Equal(t, "bugle-17", first["external_id"])
	assert.Equal(t, true, first["metadata"].(map[string]any)["paywalled"])
	assert.Contains(t, first["text"], "hellhole")
	var third map[string]any
	require.NoError(t, json.Unmarshal([]byte(lines[2]), &third))
	assert.Nil(t, third["external_id"])
	assert.Equal(t, map[string]any{}, third["metadata"])
	buf.Reset()
	require.NoError(t, ex.WriteJSONL(ctx, &buf, 0, TableFindings))
	assert.Equal(t, 8, strings.Count(buf.String(), "\n"))
}

func TestCodebookCSV(t *testing.T) {
	store, analyzer, _ := fixture(t)
	ex := newExporter(store, analyzer)
	var buf bytes.Buffer
	require.NoError(t, ex.WriteCSV(t.Context(), &buf, 0, TableCodebook))
	golden(t, "codebook.csv", buf.Bytes())
	records, err := csv.NewReader(&buf).ReadAll()
	require.NoError(t, err)
	assert.Equal(t, []string{"column", "table", "type", "meaning"}, records[0])
	rows := map[string][]string{}
	tables := map[string]int{}
	for _, r := range records[1:] {
		rows[r[1]+"/"+r[0]] = r
		tables[r[1]]++
		assert.NotEmpty(t, r[3], "every row means something: %v", r)
	}
	cb := ex.Codebook()
	assert.Equal(t, len(cb.ArticleColumns)+4, tables["articles"], "every column of the articles table, its metadata columns too")
	assert.Equal(t, len(cb.FindingColumns), tables["findings"])
	assert.Equal(t, 2, tables["categories"], "every category")
	assert.Equal(t, 15, tables["frames"], "every frame")
	assert.Contains(t, rows["categories/pejorative-label"][3], "Severity 3")
	assert.Equal(t, "number", rows["articles/meta_score"][2])
	assert.Contains(t, rows["articles/text"][3], "JSON and JSON Lines exports only")
}

func TestSafeCell(t *testing.T) {
	for _, tc := range []struct{ in, want, why string }{
		{"", "", "empty"},
		{"plain", "plain", "text"},
		{" =x", " =x", "a space first is not a formula"},
		{"'=x", "'=x", "already quoted"},
		{"=1+1", "'=1+1", "a formula"},
		{"@sum", "'@sum", "@ starts a formula"},
		{"\tx", "'\tx", "tab"},
		{"\rx", "'\rx", "carriage return"},
		{"-3", "-3", "a plain negative number"},
		{"+0.5", "+0.5", "a plain number with a plus sign"},
		{"-1e5", "-1e5", "an exponent"},
		{"-42", "-42", "an id that is a number joins as a number"},
		{"-.5", "-.5", "no digit before the point"},
		{"+1", "+1", "plus one"},
		{"-1E-7", "-1E-7", "upper-case exponent"},
		{"-", "'-", "a sign alone"},
		{"--3", "'--3", "two signs"},
		{"-3 ", "'-3 ", "a number and a space"},
		{"\t3", "'\t3", "a tab before a number"},
		{"-3+2", "'-3+2", "arithmetic is a formula"},
		{"+1-1", "'+1-1", "arithmetic"},
		{"-Inf", "'-Inf", "not finite"},
		{"-NaN", "'-NaN", "not a number"},
		{"-1e400", "'-1e400", "out of range"},
		{"-0x1p4", "'-0x1p4", "hexadecimal is not plain"},
		{"-1_000", "'-1_000", "underscores are not plain"},
		{"-3,5", "'-3,5", "a comma is not plain"},
		{"+A1", "'+A1", "a cell reference"},
		{"-1e5+cmd|' /C calc'!A0", "'-1e5+cmd|' /C calc'!A0", "a number then a formula"},
	} {
		assert.Equal(t, tc.want, safeCell(tc.in), "%q: %s", tc.in, tc.why)
	}
}

// TestNumberTextNotEscaped holds the CSV import's text metadata and ids
// that are plain numbers ("-3", "+0.5", "-42") to the same cells as the
// JSONL import's numbers: no apostrophe, so pandas and R read numbers and
// joins on the ids hold; a text that only begins like a number still gets
// one.
func TestNumberTextNotEscaped(t *testing.T) {
	store, analyzer, _ := fixture(t)
	ctx := t.Context()
	e := models.Event{Title: "Numbers", CreatedAt: storedTime, UpdatedAt: storedTime}
	require.NoError(t, store.CreateEvent(ctx, &e))
	an, _, err := desk.Analyze(analyzer, "Vote", "The council voted.", analysisTime)
	require.NoError(t, err)
	id := "-42"
	art := models.Article{
		EventID: e.ID, Outlet: models.Outlet{Name: "Daily Bugle"}, Title: "Vote", URL: "https://example.org/vote",
		Body: "The council voted.", CreatedAt: storedTime, ExternalID: &id,
		Metadata: models.Metadata{"delta": "-3", "ratio": "+0.5", "big": "-1e5", "note": "-3 points", "sum": "=1+2"},
	}
	require.NoError(t, store.AddArticle(ctx, &art, "", &an))

	var buf bytes.Buffer
	require.NoError(t, newExporter(store, analyzer).WriteCSV(ctx, &buf, e.ID, TableArticles))
	records, err := csv.NewReader(&buf).ReadAll()
	require.NoError(t, err)
	require.Len(t, records, 2)
	cell := func(name string) string { return records[1][slices.Index(records[0], name)] }
	for _, tc := range []struct{ column, want string }{
		{"external_id", "-42"},
		{"meta_delta", "-3"},
		{"meta_ratio", "+0.5"},
		{"meta_big", "-1e5"},
		{"meta_note", "'-3 points"},
		{"meta_sum", "'=1+2"},
	} {
		assert.Equal(t, tc.want, cell(tc.column), tc.column)
	}
}
