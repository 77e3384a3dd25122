package main

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"regexp"
	"strings"
	"sync"
	"testing"

	_ "github.com/mattn/go-sqlite3" // database/sql driver for the checks below
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"slant/demo"
)

// Helpers shared by the fault tests (faults_test.go, crash_test.go,
// soak_test.go): generated article text, import bodies, a server whose
// stop the test controls, and the database checks every fault test ends
// with.

// demoSentences are the sentences of the demo event's articles: neutral
// and slanted reporting, quotations and attributions, so that generated
// texts give the analysis realistic work.
var demoSentences = sync.OnceValues(func() ([]string, error) {
	ev, err := demo.Load()
	if err != nil {
		return nil, err
	}
	re := regexp.MustCompile(`[^.!?]+[.!?]+["”’]?`)
	var out []string
	for _, a := range ev.Articles {
		for _, s := range re.FindAllString(a.Text, -1) {
			if s = strings.Join(strings.Fields(s), " "); len(strings.Fields(s)) >= 3 {
				out = append(out, s)
			}
		}
	}
	return out, nil
})

// genText returns a text of at least words words that starts with lead
// (make it unique: an event refuses the same text twice), the rest drawn
// from the demo sentences with a generator seeded by seed.
func genText(t testing.TB, seed uint64, lead string, words int) string {
	t.Helper()
	sentences, err := demoSentences()
	require.NoError(t, err)
	r := rand.New(rand.NewPCG(seed, 7))
	var b strings.Builder
	b.WriteString(lead)
	for n, count := 1, len(strings.Fields(lead)); count < words; n++ {
		s := sentences[r.IntN(len(sentences))]
		if n%5 == 0 {
			b.WriteString("\n\n")
		} else {
			b.WriteByte(' ')
		}
		b.WriteString(s)
		count += len(strings.Fields(s))
	}
	return b.String()
}

// importBody is a JSON Lines import of n generated articles of about 400
// words, perEvent to an event, the events keyed "<prefix> NNNN".
func importBody(t testing.TB, prefix string, n, perEvent int) []byte {
	t.Helper()
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	for i := range n {
		require.NoError(t, enc.Encode(map[string]string{
			"event":  fmt.Sprintf("%s %04d", prefix, i/perEvent),
			"outlet": fmt.Sprintf("Outlet %d", i%perEvent),
			"title":  fmt.Sprintf("%s story %d", prefix, i),
			"text":   genText(t, uint64(i), fmt.Sprintf("%s report %d.", prefix, i), 400),
		}))
	}
	return buf.Bytes()
}

// importView is the part of POST /api/v1/import's answer the tests read.
type importView struct {
	Added             int `json:"added"`
	SkippedDuplicates int `json:"skipped_duplicates"`
}

// postImport sends a JSON Lines import in strict mode.
func postImport(ctx context.Context, client *http.Client, base string, body io.Reader, size int) (*http.Response, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, base+"/api/v1/import?mode=strict", body)
	if err != nil {
		return nil, err
	}
	req.Header.Set("Content-Type", "application/x-ndjson")
	req.ContentLength = int64(size)
	return client.Do(req)
}

// dbCounts is what checkDatabase finds.
type dbCounts struct {
	Events, Articles, Analyses int
}

// checkDatabase opens a SQLite file the way a restarted server would
// (recovering its write-ahead log) and checks what must hold after any
// fault: the file is intact, foreign keys hold, every article has its
// analysis and no analysis has lost its article.
func checkDatabase(t *testing.T, path string) dbCounts {
	t.Helper()
	db, err := sql.Open("sqlite3", path)
	require.NoError(t, err)
	defer db.Close()
	var check string
	require.NoError(t, db.QueryRow("PRAGMA integrity_check").Scan(&check))
	assert.Equal(t, "ok", check, "PRAGMA integrity_check")
	rows, err := db.Query("PRAGMA foreign_key_check")
	require.NoError(t, err)
	assert.False(t, rows.Next(), "PRAGMA foreign_key_check finds a broken reference")
	require.NoError(t, rows.Close())

	scalar := func(query string) int {
		var n int
		require.NoError(t, db.QueryRow(query).Scan(&n), query)
		return n
	}
	assert.Zero(t, scalar(`SELECT COUNT(*) FROM articles a LEFT JOIN analyses an ON an.article_id = a.id WHERE an.article_id IS NULL`),
		"articles without their analysis")
	assert.Zero(t, scalar(`SELECT COUNT(*) FROM analyses an LEFT JOIN articles a ON a.id = an.article_id WHERE a.id IS NULL`),
		"analyses without their article")
	return dbCounts{
		Events:   scalar("SELECT COUNT(*) FROM events"),
		Articles: scalar("SELECT COUNT(*) FROM articles"),
		Analyses: scalar("SELECT COUNT(*) FROM analyses"),
	}
}

// sqliteScalar runs one query returning one number on a SQLite file.
func sqliteScalar(t *testing.T, path, query string, args ...any) int {
	t.Helper()
	db, err := sql.Open("sqlite3", path)
	require.NoError(t, err)
	defer db.Close()
	var n int
	require.NoError(t, db.QueryRow(query, args...).Scan(&n), query)
	return n
}
