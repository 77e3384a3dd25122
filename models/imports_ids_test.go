package models

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// withID gives an import item an external id and metadata.
func withID(it ImportItem, id string, meta Metadata) ImportItem {
	it.ExternalID, it.Metadata = id, meta
	return it
}

func TestImportKeepsExternalIDsAndMetadata(t *testing.T) {
	eachStore(t, func(t *testing.T, s *Store) {
		ctx := t.Context()
		meta := Metadata{"section": "World", "wordcount": json.Number("512"), "score": json.Number("-0.25"), "paywalled": false}
		items := []ImportItem{
			withID(importItem(1, "Flood", "Courier", "The river rose."), "doc-1", meta),
			withID(importItem(2, "Flood", "Planet", "The river rose fast."), "doc-2", nil),
			importItem(3, "Flood", "Planet", "No id here."),
			withID(importItem(4, "Drought", "Planet", "The river fell."), "doc-1", nil), // another event: the same id is fine
		}
		res, err := s.ImportBatch(ctx, items, ImportOptions{AllOrNothing: true})
		require.NoError(t, err)
		assert.Equal(t, 4, res.Added)

		articles, err := s.ListArticles(ctx, res.Events[0].ID)
		require.NoError(t, err)
		require.Len(t, articles, 3)
		require.NotNil(t, articles[0].ExternalID)
		assert.Equal(t, "doc-1", *articles[0].ExternalID)
		assert.Equal(t, meta, articles[0].Metadata, "types survive the round trip: numbers as written, booleans")
		assert.Nil(t, articles[1].Metadata)
		assert.Nil(t, articles[2].ExternalID)

		// Re-importing the same ids updates nothing, and says so.
		again := []ImportItem{
			withID(importItem(1, "Flood", "Courier", "The river rose."), "doc-1", Metadata{"section": "Changed"}),
			withID(importItem(2, "Flood", "Planet", "A corrected text."), "doc-2", nil),
		}
		var verdicts []Admission
		_, _, err = s.Import(ctx, ImportOptions{}, func(sess *ImportSession) error {
			for _, it := range again {
				adm, err := sess.Admit(it.Line, it.EventKey, ContentHash(it.Body), it.ExternalID)
				require.NoError(t, err)
				verdicts = append(verdicts, adm)
			}
			return nil
		})
		require.NoError(t, err)
		require.Len(t, verdicts, 2)
		for _, v := range verdicts {
			assert.Equal(t, Duplicate, v.Verdict)
			assert.True(t, v.SameID)
			assert.Contains(t, v.Reason, "nothing was updated")
		}
		assert.NotContains(t, verdicts[0].Reason, "another text")
		assert.Contains(t, verdicts[1].Reason, "with another text")
		second, err := s.ImportBatch(ctx, again, ImportOptions{AllOrNothing: true})
		require.NoError(t, err, "known ids are duplicates, not refusals")
		assert.Zero(t, second.Added)
		assert.Equal(t, []int{1, 2}, second.Duplicates)
		got, err := s.GetArticle(ctx, res.Events[0].ID, articles[1].ID)
		require.NoError(t, err)
		assert.Equal(t, "The river rose fast.", got.Body, "nothing updated")
		first, err := s.GetArticle(ctx, res.Events[0].ID, articles[0].ID)
		require.NoError(t, err)
		assert.Equal(t, "World", first.Metadata["section"])
	})
}

func TestImportRepeatedIDsInOneBatch(t *testing.T) {
	eachStore(t, func(t *testing.T, s *Store) {
		ctx := t.Context()
		items := []ImportItem{
			withID(importItem(1, "Flood", "Courier", "One."), "a", nil),
			withID(importItem(2, "Flood", "Courier", "One."), "a", nil),   // the same line again: a duplicate
			withID(importItem(3, "Flood", "Courier", "Other."), "a", nil), // the same id, another text: refused
		}
		_, err := s.ImportBatch(ctx, items, ImportOptions{AllOrNothing: true})
		var refused *ImportRefusedError
		require.ErrorAs(t, err, &refused)
		require.Len(t, refused.Refused, 1)
		assert.Equal(t, 3, refused.Refused[0].Line)
		assert.Contains(t, refused.Refused[0].Problem, `id "a" appears again (first on line 1)`)
		assert.EqualValues(t, 0, countRows(t, s, &Article{}))

		res, err := s.ImportBatch(ctx, items, ImportOptions{})
		require.NoError(t, err)
		assert.Equal(t, 1, res.Added)
		assert.Equal(t, []int{2}, res.Duplicates)
		assert.Len(t, res.Refused, 1)
	})
}

func TestExternalIDIsUniqueWithinAnEvent(t *testing.T) {
	eachStore(t, func(t *testing.T, s *Store) {
		ctx := t.Context()
		ev := createEvent(t, s, "Flood", "")
		id := "doc-7"
		first := Article{EventID: ev.ID, Outlet: Outlet{Name: "Courier"}, Body: "One.", ExternalID: &id}
		require.NoError(t, s.AddArticle(ctx, &first, "", nil))
		second := Article{EventID: ev.ID, Outlet: Outlet{Name: "Courier"}, Body: "Two.", ExternalID: &id}
		err := s.AddArticle(ctx, &second, "", nil)
		require.ErrorIs(t, err, ErrConflict, "the store's unique index, translated")
	})
}

func TestImportRefusesBadIDsAndMetadata(t *testing.T) {
	eachStore(t, func(t *testing.T, s *Store) {
		many := Metadata{}
		for i := range 1000 {
			many[fmt.Sprintf("k%04d", i)] = "v"
		}
		items := []ImportItem{
			withID(importItem(1, "Flood", "Courier", "One."), strings.Repeat("x", 201), nil),
			withID(importItem(2, "Flood", "Courier", "Two."), "", many),
			withID(importItem(3, "Flood", "Courier", "Three."), "", Metadata{"nested": map[string]any{"a": 1}}),
			withID(importItem(4, "Flood", "Courier", "Four."), "ok", nil),
		}
		_, err := s.ImportBatch(t.Context(), items, ImportOptions{AllOrNothing: true})
		var refused *ImportRefusedError
		require.ErrorAs(t, err, &refused)
		require.Len(t, refused.Refused, 3)
		assert.Contains(t, refused.Refused[0].Problem, "id must be at most 200 characters")
		assert.Contains(t, refused.Refused[1].Problem, "has 1000 extra fields, the most one article keeps is 100")
		assert.Contains(t, refused.Refused[2].Problem, `extra field "nested" must be a string, a number or true/false`)
		assert.EqualValues(t, 0, countRows(t, s, &Article{}), "nothing half-stored")
	})
}

func TestCheckMetadata(t *testing.T) {
	tests := []struct {
		name string
		meta Metadata
		want string
	}{
		{"none", nil, ""},
		{"scalars", Metadata{"a": "x", "b": json.Number("1e3"), "c": true, "stance label": "left"}, ""},
		{"empty name", Metadata{"": "x"}, "has no name"},
		{"long name", Metadata{strings.Repeat("k", 65): "x"}, "longer than 64 characters"},
		{"control character in name", Metadata{"a\tb": "x"}, "control characters"},
		{"space around name", Metadata{" a": "x"}, "starts or ends with space"},
		{"long value", Metadata{"a": strings.Repeat("é", MaxMetadataValue+1)}, "the most is 10000"},
		{"not a number", Metadata{"a": json.Number("12abc")}, "is not a number"},
		{"a list", Metadata{"a": []any{"x"}}, "must be a string, a number or true/false"},
		{"too many bytes", func() Metadata {
			m := Metadata{}
			for i := range 10 {
				m[fmt.Sprintf("k%d", i)] = strings.Repeat("x", 9000)
			}
			return m
		}(), "extra fields take"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := strings.Join(CheckMetadata(tt.meta), "; ")
			if tt.want == "" {
				assert.Empty(t, got)
			} else {
				assert.Contains(t, got, tt.want)
			}
		})
	}
	assert.Contains(t, CheckExternalID(strings.Repeat("é", 201)), "at most 200 characters (it has 201)")
	assert.Contains(t, CheckExternalID("a\nb"), "control characters")
	assert.Empty(t, CheckExternalID(strings.Repeat("é", 200)))
}

func TestMetadataValueAndScan(t *testing.T) {
	m := Metadata{"b": json.Number("1.50"), "a": "x", "c": false}
	v, err := m.Value()
	require.NoError(t, err)
	assert.Equal(t, `{"a":"x","b":1.50,"c":false}`, v, "keys sorted, numbers as written")
	var back Metadata
	require.NoError(t, back.Scan(v))
	assert.Equal(t, m, back)
	require.NoError(t, back.Scan([]byte(`{}`)))
	assert.Nil(t, back)
	v, err = Metadata{}.Value()
	require.NoError(t, err)
	assert.Nil(t, v, "empty metadata is NULL")
	assert.Equal(t, []string{"a", "b", "c"}, m.Keys())
}

func TestMetadataFields(t *testing.T) {
	eachStore(t, func(t *testing.T, s *Store) {
		ctx := t.Context()
		items := []ImportItem{
			withID(importItem(1, "Flood", "Courier", "One."), "a", Metadata{"section": "World", "score": json.Number("3"), "flag": true}),
			withID(importItem(2, "Flood", "Planet", "Two."), "b", Metadata{"section": "Local", "score": "high"}),
			withID(importItem(3, "Drought", "Planet", "Three."), "c", Metadata{"region": "North"}),
			importItem(4, "Drought", "Courier", "Four."),
		}
		res, err := s.ImportBatch(ctx, items, ImportOptions{AllOrNothing: true})
		require.NoError(t, err)
		all, err := s.MetadataFields(ctx, 0)
		require.NoError(t, err)
		assert.Equal(t, []MetadataField{
			{Key: "flag", Kind: "boolean"}, {Key: "region", Kind: "string"},
			{Key: "score", Kind: "string"}, // a number and a string: mixed
			{Key: "section", Kind: "string"},
		}, all)
		one, err := s.MetadataFields(ctx, res.Events[1].ID)
		require.NoError(t, err)
		assert.Equal(t, []MetadataField{{Key: "region", Kind: "string"}}, one)
	})
}
