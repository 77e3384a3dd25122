package models

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestListArticleSummaries(t *testing.T) {
	eachStore(t, func(t *testing.T, s *Store) {
		ctx := t.Context()
		e := createEvent(t, s, "Election", "")
		an := Analysis{Report: []byte(`{"findings":[]}`), LexiconVersion: "v1"}
		long := addArticle(t, s, e.ID, "The Courier", strings.Repeat("A long story. ", 10_000), &an)
		bare := addArticle(t, s, e.ID, "Evening Post", "No report yet.", nil)

		summaries, err := s.ListArticleSummaries(ctx, e.ID)
		require.NoError(t, err)
		require.Len(t, summaries, 2)
		full, err := s.ListArticles(ctx, e.ID)
		require.NoError(t, err)
		for i, want := range full {
			got := summaries[i]
			assert.Empty(t, got.Body, "no text")
			want.Body = ""
			if want.Analysis != nil {
				require.NotNil(t, got.Analysis)
				assert.Nil(t, got.Analysis.Report, "no report")
				want.Analysis.Report = nil
			}
			assert.Equal(t, want, got)
		}
		assert.Equal(t, []int64{long.ID, bare.ID}, []int64{summaries[0].ID, summaries[1].ID})
		assert.Equal(t, "v1", summaries[0].Analysis.LexiconVersion)
		assert.Nil(t, summaries[1].Analysis)

		_, err = s.ListArticleSummaries(ctx, e.ID+100)
		assert.ErrorIs(t, err, ErrNotFound)

		// The texts without the reports: everything else as ListArticles.
		texts, err := s.ListArticleTexts(ctx, e.ID)
		require.NoError(t, err)
		full, err = s.ListArticles(ctx, e.ID)
		require.NoError(t, err)
		require.Len(t, texts, 2)
		for i, want := range full {
			got := texts[i]
			assert.Equal(t, want.Body, got.Body, "the text")
			if want.Analysis != nil {
				require.NotNil(t, got.Analysis)
				assert.Nil(t, got.Analysis.Report, "no report")
				want.Analysis.Report = nil
			}
			assert.Equal(t, want, got)
		}
		_, err = s.ListArticleTexts(ctx, e.ID+100)
		assert.ErrorIs(t, err, ErrNotFound)
	})
}
