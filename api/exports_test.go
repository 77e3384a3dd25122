package api

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestExportRoutes(t *testing.T) {
	env := newEnv(t, Config{Version: "9.9.9-test"}, nil)
	eventID, loadedID, _ := env.seed(t)
	other := decode[EventView](t, env.call(t, http.MethodPost, "/api/v1/events", map[string]string{"title": "Empty event"}))
	version := env.analyzer.Version()

	t.Run("json with codebook and provenance", func(t *testing.T) {
		rec := env.call(t, http.MethodGet, fmt.Sprintf("/api/v1/events/%d/export", eventID), nil)
		require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
		assert.Equal(t, "application/json; charset=utf-8", rec.Header().Get("Content-Type"))
		assert.Equal(t, fmt.Sprintf(`attachment; filename="slant-event-%d.json"`, eventID), rec.Header().Get("Content-Disposition"))
		var doc struct {
			SlantVersion   string           `json:"slant_version"`
			LexiconVersion string           `json:"lexicon_version"`
			ExportedAt     time.Time        `json:"exported_at"`
			Scope          string           `json:"scope"`
			Codebook       map[string]any   `json:"codebook"`
			Articles       []map[string]any `json:"articles"`
			Findings       []map[string]any `json:"findings"`
		}
		require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &doc))
		assert.Equal(t, "9.9.9-test", doc.SlantVersion)
		assert.Equal(t, version, doc.LexiconVersion)
		assert.Equal(t, "event", doc.Scope)
		assert.WithinDuration(t, time.Now(), doc.ExportedAt, time.Minute)
		assert.Contains(t, doc.Codebook, "categories")
		assert.Contains(t, doc.Codebook, "article_columns")
		require.Len(t, doc.Articles, 2)
		assert.EqualValues(t, loadedID, doc.Articles[0]["article_id"])
		assert.Equal(t, "Daily Bugle", doc.Articles[0]["outlet"])
		assert.NotEmpty(t, doc.Findings)
		for _, f := range doc.Findings {
			assert.EqualValues(t, loadedID, f["article_id"], "only the loaded article has findings")
		}
	})

	t.Run("csv tables", func(t *testing.T) {
		for _, tc := range []struct {
			query, file string
			first       string
			rows        int
		}{
			{"format=csv", "slant-export-articles.csv", "article_id", 2},
			{"format=csv&table=articles", "slant-export-articles.csv", "article_id", 2},
			{"format=csv&table=findings", "slant-export-findings.csv", "start", 4},
		} {
			t.Run(tc.query, func(t *testing.T) {
				rec := env.call(t, http.MethodGet, "/api/v1/export?"+tc.query, nil)
				require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
				assert.Equal(t, "text/csv; charset=utf-8; header=present", rec.Header().Get("Content-Type"))
				assert.Equal(t, `attachment; filename="`+tc.file+`"`, rec.Header().Get("Content-Disposition"))
				records, err := csv.NewReader(strings.NewReader(rec.Body.String())).ReadAll()
				require.NoError(t, err)
				require.GreaterOrEqual(t, len(records), 2)
				assert.Equal(t, []string{"lexicon_version", "slant_version", "analyzed_at"}, records[0][:3])
				assert.Contains(t, records[0], tc.first)
				if tc.first == "article_id" {
					assert.Len(t, records, tc.rows+1)
				} else {
					assert.GreaterOrEqual(t, len(records), tc.rows)
				}
				for _, row := range records[1:] {
					assert.Equal(t, version, row[0])
					assert.Equal(t, "9.9.9-test", row[1])
				}
			})
		}
	})

	t.Run("an empty event", func(t *testing.T) {
		rec := env.call(t, http.MethodGet, fmt.Sprintf("/api/v1/events/%d/export?format=csv", other.ID), nil)
		require.Equal(t, http.StatusOK, rec.Code)
		records, err := csv.NewReader(strings.NewReader(rec.Body.String())).ReadAll()
		require.NoError(t, err)
		assert.Len(t, records, 1, "the header alone")
	})

	for _, tc := range []struct {
		name, target string
		status       int
		message      string
	}{
		{"unknown event", "/api/v1/events/4242/export", 404, "not found"},
		{"bad format", "/api/v1/export?format=xlsx", 400, "format must be json, csv or jsonl"},
		{"bad table", "/api/v1/export?format=csv&table=outlets", 400, "table must be articles, findings or codebook"},
		{"table with json", "/api/v1/export?table=findings", 400, "table applies to format=csv and format=jsonl; the JSON export holds both tables and the codebook"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rec := env.call(t, http.MethodGet, tc.target, nil)
			assert.Equal(t, tc.status, rec.Code)
			assert.Equal(t, tc.message, decode[ErrorBody](t, rec).Error)
			assert.Empty(t, rec.Header().Get("Content-Disposition"))
		})
	}
}
