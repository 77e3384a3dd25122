package models

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gorm.io/gorm"
)

// createEvent stores an event with the given title or fails the test.
func createEvent(t *testing.T, s *Store, title, description string) Event {
	t.Helper()
	e := Event{Title: title, Description: description}
	require.NoError(t, s.CreateEvent(t.Context(), &e))
	return e
}

func TestEventLifecycle(t *testing.T) {
	eachStore(t, func(t *testing.T, s *Store) {
		ctx := t.Context()
		berlin := time.FixedZone("CEST", 2*60*60)
		date := time.Date(2024, 6, 1, 14, 30, 0, 0, berlin)

		e := Event{Title: "  Flood in the valley  ", Description: "River burst its banks", Date: &date}
		require.NoError(t, s.CreateEvent(ctx, &e))
		assert.NotZero(t, e.ID)
		assert.Equal(t, "Flood in the valley", e.Title, "title is trimmed")
		assert.Equal(t, time.UTC, e.CreatedAt.Location())
		assert.Equal(t, berlin, date.Location(), "the caller's date is not changed")

		got, err := s.GetEvent(ctx, e.ID)
		require.NoError(t, err)
		assert.Equal(t, e.Title, got.Title)
		assert.Equal(t, e.Description, got.Description)
		require.NotNil(t, got.Date)
		assert.True(t, date.Equal(*got.Date), "date %v, want %v", got.Date, date)
		assert.Equal(t, time.UTC, got.Date.Location())
		assert.Equal(t, time.UTC, got.CreatedAt.Location())
		assert.True(t, e.CreatedAt.Equal(got.CreatedAt))
		assert.Nil(t, got.Articles)

		update := Event{ID: e.ID, Title: "Flood in the lower valley", Description: ""}
		require.NoError(t, s.UpdateEvent(ctx, &update))
		assert.Nil(t, update.Date, "a nil date clears it")
		assert.True(t, e.CreatedAt.Equal(update.CreatedAt), "update fills in the stored creation time")
		assert.False(t, update.UpdatedAt.Before(e.UpdatedAt))

		got, err = s.GetEvent(ctx, e.ID)
		require.NoError(t, err)
		assert.Equal(t, "Flood in the lower valley", got.Title)
		assert.Empty(t, got.Description)
		assert.Nil(t, got.Date)

		n, err := s.CountEvents(ctx)
		require.NoError(t, err)
		assert.EqualValues(t, 1, n)

		require.NoError(t, s.DeleteEvent(ctx, e.ID))
		_, err = s.GetEvent(ctx, e.ID)
		assert.ErrorIs(t, err, ErrNotFound)
		n, err = s.CountEvents(ctx)
		require.NoError(t, err)
		assert.Zero(t, n)
	})
}

func TestMissingEvent(t *testing.T) {
	eachStore(t, func(t *testing.T, s *Store) {
		ctx := t.Context()
		tests := []struct {
			name string
			call func() error
		}{
			{"get", func() error { _, err := s.GetEvent(ctx, 42); return err }},
			{"update", func() error { return s.UpdateEvent(ctx, &Event{ID: 42, Title: "x"}) }},
			{"delete", func() error { return s.DeleteEvent(ctx, 42) }},
			{"list articles", func() error { _, err := s.ListArticles(ctx, 42); return err }},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				err := tt.call()
				require.ErrorIs(t, err, ErrNotFound)
				assert.NotErrorIs(t, err, gorm.ErrRecordNotFound, "gorm errors must not escape")
				assert.Contains(t, err.Error(), "42", "the error says which event")
			})
		}
	})
}

func TestEventValidation(t *testing.T) {
	eachStore(t, func(t *testing.T, s *Store) {
		existing := createEvent(t, s, "Existing", "")
		ops := []struct {
			name string
			call func(e *Event) error
		}{
			{"create", func(e *Event) error { return s.CreateEvent(t.Context(), e) }},
			{"update", func(e *Event) error { e.ID = existing.ID; return s.UpdateEvent(t.Context(), e) }},
		}
		tests := []struct {
			name    string
			title   string
			problem string // empty: valid
		}{
			{"empty", "", "is required"},
			{"blank", " \t\n", "is required"},
			{"longest allowed", strings.Repeat("é", MaxEventTitle), ""},
			{"too long", strings.Repeat("a", MaxEventTitle+1), "must be at most 300 characters"},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				for _, o := range ops {
					op := o.name
					err := o.call(&Event{Title: tt.title})
					if tt.problem == "" {
						assert.NoError(t, err, op)
						continue
					}
					require.ErrorIs(t, err, ErrInvalid, op)
					var verr *ValidationError
					require.True(t, errors.As(err, &verr), op)
					assert.Equal(t, "title", verr.Field, op)
					assert.Equal(t, tt.problem, verr.Problem, op)
				}
			})
		}
	})
}

func TestListEvents(t *testing.T) {
	eachStore(t, func(t *testing.T, s *Store) {
		ctx := t.Context()
		flood := createEvent(t, s, "Flood in the Valley", "Heavy rain")
		strike := createEvent(t, s, "Rail strike", "Drivers walk out over 100% pay gap")
		summit := createEvent(t, s, "Summit", "Leaders meet about the FLOOD defences")
		for _, a := range []struct {
			event          int64
			outlet, domain string
			body           string
		}{
			{flood.ID, "Zeta News", "zeta.example", "Water everywhere."},
			{flood.ID, "alpha daily", "", "Rain, rain, rain."},
			{flood.ID, "Zeta News", "", "More water."},
			{strike.ID, "Zeta News", "", "Trains stop."},
		} {
			art := Article{EventID: a.event, Outlet: Outlet{Name: a.outlet}, Body: a.body}
			require.NoError(t, s.AddArticle(ctx, &art, a.domain, nil))
		}

		all, err := s.ListEvents(ctx, EventFilter{})
		require.NoError(t, err)
		require.Len(t, all, 3)
		// Created in the same instant or not, newest first with id breaking
		// ties.
		assert.Equal(t, []int64{summit.ID, strike.ID, flood.ID}, []int64{all[0].ID, all[1].ID, all[2].ID})
		assert.EqualValues(t, 0, all[0].ArticleCount)
		assert.Equal(t, []string{}, all[0].Outlets, "no outlets is an empty list, not null")
		assert.EqualValues(t, 1, all[1].ArticleCount)
		assert.Equal(t, []string{"Zeta News"}, all[1].Outlets)
		assert.EqualValues(t, 3, all[2].ArticleCount)
		assert.Equal(t, []string{"Zeta News", "alpha daily"}, all[2].Outlets, "distinct, sorted by bytes")
		assert.Equal(t, "Flood in the Valley", all[2].Title)

		tests := []struct {
			query string
			want  []int64
		}{
			{"flood", []int64{summit.ID, flood.ID}}, // title of one, description of the other
			{"  VALLEY ", []int64{flood.ID}},
			{"100%", []int64{strike.ID}},
			{"%", []int64{strike.ID}}, // only the literal percent sign, not a wildcard
			{"_", nil},
			{"nothing like this", nil},
		}
		for _, tt := range tests {
			got, err := s.ListEvents(ctx, EventFilter{Query: tt.query})
			require.NoError(t, err, tt.query)
			var ids []int64
			for _, e := range got {
				ids = append(ids, e.ID)
			}
			assert.Equal(t, tt.want, ids, "query %q", tt.query)
		}

		page, err := s.ListEvents(ctx, EventFilter{Limit: 1, Offset: 1})
		require.NoError(t, err)
		require.Len(t, page, 1)
		assert.Equal(t, strike.ID, page[0].ID)

		page, err = s.ListEvents(ctx, EventFilter{Limit: 10, Offset: 10})
		require.NoError(t, err)
		assert.NotNil(t, page)
		assert.Empty(t, page)
	})
}

func TestListEventsLimits(t *testing.T) {
	s := openSQLite(t)
	for range MaxEventLimit + 1 {
		createEvent(t, s, "Event", "")
	}
	tests := []struct {
		limit, want int
	}{
		{0, DefaultEventLimit},
		{-5, DefaultEventLimit},
		{7, 7},
		{MaxEventLimit + 100, MaxEventLimit},
	}
	for _, tt := range tests {
		got, err := s.ListEvents(t.Context(), EventFilter{Limit: tt.limit})
		require.NoError(t, err)
		assert.Len(t, got, tt.want, "limit %d", tt.limit)
	}
}
