package models

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestLLMJobLifecycle(t *testing.T) {
	eachStore(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		j := LLMJob{Kind: LLMJobArticle, TargetID: 7, Model: "m1", PromptVersion: "p1"}
		created, err := s.EnqueueLLMJob(ctx, &j)
		require.NoError(t, err)
		assert.True(t, created)
		assert.Positive(t, j.ID)
		assert.Equal(t, LLMJobQueued, j.Status)

		// The same job again while it waits is the same job.
		again := LLMJob{Kind: LLMJobArticle, TargetID: 7, Model: "m1", PromptVersion: "p1"}
		created, err = s.EnqueueLLMJob(ctx, &again)
		require.NoError(t, err)
		assert.False(t, created)
		assert.Equal(t, j.ID, again.ID)

		// Another model, prompt version, target or kind is another job.
		for _, other := range []LLMJob{
			{Kind: LLMJobArticle, TargetID: 7, Model: "m2", PromptVersion: "p1"},
			{Kind: LLMJobArticle, TargetID: 7, Model: "m1", PromptVersion: "p2"},
			{Kind: LLMJobArticle, TargetID: 8, Model: "m1", PromptVersion: "p1"},
			{Kind: LLMJobEvent, TargetID: 7, Model: "m1", PromptVersion: "p1"},
		} {
			created, err := s.EnqueueLLMJob(ctx, &other)
			require.NoError(t, err)
			assert.True(t, created, "%+v", other)
		}

		claimed, ok, err := s.ClaimLLMJob(ctx)
		require.NoError(t, err)
		require.True(t, ok)
		assert.Equal(t, j.ID, claimed.ID, "oldest first")
		assert.Equal(t, LLMJobRunning, claimed.Status)
		assert.Equal(t, 1, claimed.Attempts)

		// Still active while running.
		again = LLMJob{Kind: LLMJobArticle, TargetID: 7, Model: "m1", PromptVersion: "p1"}
		created, err = s.EnqueueLLMJob(ctx, &again)
		require.NoError(t, err)
		assert.False(t, created)
		assert.Equal(t, j.ID, again.ID)
		assert.Equal(t, LLMJobRunning, again.Status)

		require.NoError(t, s.TouchLLMJob(ctx, j.ID))
		require.NoError(t, s.FinishLLMJob(ctx, j.ID, LLMJobOutcome{Status: LLMJobDone, Result: []byte(`{"x":1}`), InputHash: "h"}))
		got, err := s.GetLLMJob(ctx, j.ID)
		require.NoError(t, err)
		assert.Equal(t, LLMJobDone, got.Status)
		assert.JSONEq(t, `{"x":1}`, string(got.Result))
		assert.Equal(t, "h", got.InputHash)
		assert.Nil(t, got.ActiveKey)
		assert.ErrorIs(t, s.FinishLLMJob(ctx, j.ID, LLMJobOutcome{Status: LLMJobFailed}), ErrNotFound, "a finished job stays finished")
		assert.ErrorIs(t, s.TouchLLMJob(ctx, j.ID), ErrNotFound)

		// Once done, asking again makes a new job.
		next := LLMJob{Kind: LLMJobArticle, TargetID: 7, Model: "m1", PromptVersion: "p1"}
		created, err = s.EnqueueLLMJob(ctx, &next)
		require.NoError(t, err)
		assert.True(t, created)
		assert.Greater(t, next.ID, j.ID)

		_, err = s.GetLLMJob(ctx, 424242)
		assert.ErrorIs(t, err, ErrNotFound)
	})
}

func TestLLMJobValidation(t *testing.T) {
	eachStore(t, func(t *testing.T, s *Store) {
		for _, j := range []LLMJob{
			{Kind: "sentence", TargetID: 1, Model: "m", PromptVersion: "p"},
			{Kind: LLMJobArticle, TargetID: 0, Model: "m", PromptVersion: "p"},
			{Kind: LLMJobArticle, TargetID: 1, Model: " ", PromptVersion: "p"},
			{Kind: LLMJobArticle, TargetID: 1, Model: "m"},
		} {
			_, err := s.EnqueueLLMJob(t.Context(), &j)
			assert.ErrorIs(t, err, ErrInvalid, "%+v", j)
		}
		assert.ErrorIs(t, s.FinishLLMJob(t.Context(), 1, LLMJobOutcome{Status: LLMJobRunning}), ErrInvalid)
	})
}

func TestLLMJobFailureAndRequeue(t *testing.T) {
	eachStore(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		a := LLMJob{Kind: LLMJobEvent, TargetID: 1, Model: "m", PromptVersion: "p"}
		_, err := s.EnqueueLLMJob(ctx, &a)
		require.NoError(t, err)
		b := LLMJob{Kind: LLMJobEvent, TargetID: 2, Model: "m", PromptVersion: "p"}
		_, err = s.EnqueueLLMJob(ctx, &b)
		require.NoError(t, err)

		first, ok, err := s.ClaimLLMJob(ctx)
		require.NoError(t, err)
		require.True(t, ok)
		second, ok, err := s.ClaimLLMJob(ctx)
		require.NoError(t, err)
		require.True(t, ok)
		_, ok, err = s.ClaimLLMJob(ctx)
		require.NoError(t, err)
		assert.False(t, ok, "nothing left to claim")

		long := strings.Repeat("é", MaxLLMJobError) + "\x00"
		require.NoError(t, s.FinishLLMJob(ctx, first.ID, LLMJobOutcome{Status: LLMJobFailed, Error: "the model did not answer in time" + long}))
		got, err := s.GetLLMJob(ctx, first.ID)
		require.NoError(t, err)
		assert.Equal(t, LLMJobFailed, got.Status)
		assert.LessOrEqual(t, len(got.Error), MaxLLMJobError)
		assert.True(t, utf8.ValidString(got.Error))
		assert.True(t, strings.HasPrefix(got.Error, "the model did not answer in time"))

		// A worker that stops gives its job back.
		require.NoError(t, s.FinishLLMJob(ctx, second.ID, LLMJobOutcome{Status: LLMJobQueued}))
		back, ok, err := s.ClaimLLMJob(ctx)
		require.NoError(t, err)
		require.True(t, ok)
		assert.Equal(t, second.ID, back.ID)
		assert.Equal(t, 2, back.Attempts)

		// A running job not touched for a while is stale: back to the queue.
		n, err := s.RequeueStaleLLMJobs(ctx, time.Now().Add(-time.Minute))
		require.NoError(t, err)
		assert.Zero(t, n, "a fresh running job is left alone")
		n, err = s.RequeueStaleLLMJobs(ctx, time.Now().Add(time.Minute))
		require.NoError(t, err)
		assert.EqualValues(t, 1, n)
		got, err = s.GetLLMJob(ctx, second.ID)
		require.NoError(t, err)
		assert.Equal(t, LLMJobQueued, got.Status)
	})
}

func TestLLMJobConcurrentEnqueueAndClaim(t *testing.T) {
	eachStore(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		const n = 8
		ids := make([]int64, n)
		var createdCount int
		var mu sync.Mutex
		var wg sync.WaitGroup
		for i := range n {
			wg.Go(func() {
				j := LLMJob{Kind: LLMJobArticle, TargetID: 3, Model: "m", PromptVersion: "p"}
				created, err := s.EnqueueLLMJob(ctx, &j)
				assert.NoError(t, err)
				ids[i] = j.ID
				if created {
					mu.Lock()
					createdCount++
					mu.Unlock()
				}
			})
		}
		wg.Wait()
		assert.Equal(t, 1, createdCount)
		for _, id := range ids {
			assert.Equal(t, ids[0], id)
		}

		claims := make(chan int64, n)
		for range n {
			wg.Go(func() {
				j, ok, err := s.ClaimLLMJob(ctx)
				assert.NoError(t, err)
				if ok {
					claims <- j.ID
				}
			})
		}
		wg.Wait()
		close(claims)
		var got []int64
		for id := range claims {
			got = append(got, id)
		}
		assert.Equal(t, []int64{ids[0]}, got, "one job, claimed once")
	})
}

func TestLatestLLMJobs(t *testing.T) {
	eachStore(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		run := func(target int64, status string) int64 {
			t.Helper()
			j := LLMJob{Kind: LLMJobArticle, TargetID: target, Model: "m", PromptVersion: "p"}
			_, err := s.EnqueueLLMJob(ctx, &j)
			require.NoError(t, err)
			if status == LLMJobQueued {
				return j.ID
			}
			c, ok, err := s.ClaimLLMJob(ctx)
			require.NoError(t, err)
			require.True(t, ok)
			require.Equal(t, j.ID, c.ID)
			if status != LLMJobRunning {
				require.NoError(t, s.FinishLLMJob(ctx, j.ID, LLMJobOutcome{Status: status}))
			}
			return j.ID
		}
		done1 := run(1, LLMJobDone)
		failed1 := run(1, LLMJobFailed)
		done2 := run(2, LLMJobDone)
		done2b := run(2, LLMJobDone)
		queued3 := run(3, LLMJobQueued)
		other := LLMJob{Kind: LLMJobArticle, TargetID: 1, Model: "other", PromptVersion: "p"}
		_, err := s.EnqueueLLMJob(ctx, &other)
		require.NoError(t, err)

		got, err := s.LatestLLMJobs(ctx, LLMJobArticle, []int64{1, 2, 3, 4}, "m", "p")
		require.NoError(t, err)
		require.Len(t, got, 3)
		assert.Equal(t, failed1, got[1].Latest.ID)
		assert.Equal(t, done1, got[1].Done.ID)
		assert.Equal(t, done2b, got[2].Latest.ID)
		assert.Equal(t, done2b, got[2].Done.ID)
		assert.NotEqual(t, done2, got[2].Done.ID)
		assert.Equal(t, queued3, got[3].Latest.ID)
		assert.Nil(t, got[3].Done)

		none, err := s.LatestLLMJobs(ctx, LLMJobEvent, []int64{1, 2}, "m", "p")
		require.NoError(t, err)
		assert.Empty(t, none)
		empty, err := s.LatestLLMJobs(ctx, LLMJobArticle, nil, "m", "p")
		require.NoError(t, err)
		assert.Empty(t, empty)
	})
}

func TestLLMCache(t *testing.T) {
	eachStore(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		c := s.LLMCache()
		key := "sentences|2026-11-21.1|llama3.1:8b|" + "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
		_, ok, err := c.Get(ctx, key)
		require.NoError(t, err)
		assert.False(t, ok)

		require.NoError(t, c.Put(ctx, key, []byte(`{"sentences":[]}`)))
		v, ok, err := c.Get(ctx, key)
		require.NoError(t, err)
		assert.True(t, ok)
		assert.Equal(t, `{"sentences":[]}`, string(v))

		require.NoError(t, c.Put(ctx, key, []byte{0, 1, 2, 255}), "replacing, with bytes that are not text")
		v, _, err = c.Get(ctx, key)
		require.NoError(t, err)
		assert.Equal(t, []byte{0, 1, 2, 255}, v)

		var wg sync.WaitGroup
		for i := range 8 {
			wg.Go(func() { assert.NoError(t, c.Put(ctx, key+string(rune('a'+i%2)), []byte("x"))) })
		}
		wg.Wait()

		n, err := c.Purge(ctx, time.Now().Add(-time.Hour))
		require.NoError(t, err)
		assert.Zero(t, n)
		n, err = c.Purge(ctx, time.Now().Add(time.Hour))
		require.NoError(t, err)
		assert.EqualValues(t, 3, n)
		_, ok, err = c.Get(ctx, key)
		require.NoError(t, err)
		assert.False(t, ok)
	})
}

func TestArticleByID(t *testing.T) {
	eachStore(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		e := Event{Title: "Flood"}
		require.NoError(t, s.CreateEvent(ctx, &e))
		a := Article{EventID: e.ID, Outlet: Outlet{Name: "Bugle"}, Body: "Text."}
		require.NoError(t, s.AddArticle(ctx, &a, "", &Analysis{Report: []byte(`{}`), LexiconVersion: "v"}))
		got, err := s.ArticleByID(ctx, a.ID)
		require.NoError(t, err)
		assert.Equal(t, "Bugle", got.Outlet.Name)
		require.NotNil(t, got.Analysis)
		assert.Equal(t, "v", got.Analysis.LexiconVersion)
		_, err = s.ArticleByID(ctx, 424242)
		assert.ErrorIs(t, err, ErrNotFound)
	})
}
