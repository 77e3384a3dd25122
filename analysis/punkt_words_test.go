package analysis

import (
	"bufio"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/neurosnap/sentences"
	"github.com/neurosnap/sentences/english"
	"github.com/stretchr/testify/require"

	"slant/internal/workspace"
)

// samePunktDecisions checks every overridden method of punktWords against
// english.WordTokenizer on one token.
func samePunktDecisions(t *testing.T, tok string, sentBreak bool) {
	t.Helper()
	fast := newPunktWords(sentences.NewPunctStrings())
	slow := english.NewWordTokenizer(sentences.NewPunctStrings())
	tk := sentences.NewToken(tok)
	tk.SentBreak = sentBreak
	checks := []struct {
		name       string
		fast, slow any
	}{
		{"Type", fast.Type(tk), slow.Type(tk)},
		{"TypeNoPeriod", fast.TypeNoPeriod(tk), slow.TypeNoPeriod(tk)},
		{"TypeNoSentPeriod", fast.TypeNoSentPeriod(tk), slow.TypeNoSentPeriod(tk)},
		{"FirstUpper", fast.FirstUpper(tk), slow.FirstUpper(tk)},
		{"FirstLower", fast.FirstLower(tk), slow.FirstLower(tk)},
		{"IsEllipsis", fast.IsEllipsis(tk), slow.IsEllipsis(tk)},
		{"IsInitial", fast.IsInitial(tk), slow.IsInitial(tk)},
		{"IsListNumber", fast.IsListNumber(tk), slow.IsListNumber(tk)},
		{"IsAlpha", fast.IsAlpha(tk), slow.IsAlpha(tk)},
		{"IsCoordinatePartTwo", fast.IsCoordinatePartTwo(tk), slow.IsCoordinatePartTwo(tk)},
		{"HasSentEndChars", fast.HasSentEndChars(tk), slow.HasSentEndChars(tk)},
		{"HasUnreliableEndChars", fast.HasUnreliableEndChars(tk), slow.HasUnreliableEndChars(tk)},
	}
	for _, c := range checks {
		if c.fast != c.slow {
			t.Fatalf("%s(%q, sentBreak=%v) = %v, english.WordTokenizer says %v", c.name, tok, sentBreak, c.fast, c.slow)
		}
	}
}

func TestPunktWordsMatchEnglish(t *testing.T) {
	for _, tok := range []string{
		"", ".", "..", "...", "a.", "A.", "ab.", "U.S.", "1.", "12)", "3a)", "1\n", "1.2.3.", ".1.", "1..",
		"-5", "-,5", "x-5.", "12,000", "$1,000.", "2025-08-08", "abc", "Abc", "Émile", "ümlaut", "ok?", "ok!",
		"end.\"", "end.”", "no?’", "(see.)", "a.[b", "a?(b", "hi!)", "it’s", "...?", "N°.", "—", "x.'", "9",
	} {
		for _, sb := range []bool{false, true} {
			samePunktDecisions(t, tok, sb)
		}
	}
}

func FuzzPunktWordsMatchEnglish(f *testing.F) {
	for _, s := range []string{"U.S.", "-1,5.", "end.”", "12)", "a.[b"} {
		f.Add(s, false)
	}
	f.Fuzz(func(t *testing.T, tok string, sentBreak bool) {
		samePunktDecisions(t, tok, sentBreak)
	})
}

// TestSentenceSpansMatchEnglishWords splits real news text with the
// tokenizer built on punktWords and on english.WordTokenizer: the spans
// must be identical.
func TestSentenceSpansMatchEnglishWords(t *testing.T) {
	path := filepath.Join(workspace.Require(t, "eval"), "basil.jsonl")
	f, err := os.Open(path)
	require.NoError(t, err)
	defer f.Close()
	fast, err := newSentenceTokenizer()
	require.NoError(t, err)
	slow, err := newSentenceTokenizer()
	require.NoError(t, err)
	slowWords := english.NewWordTokenizer(sentences.NewPunctStrings())
	slow.WordTokenizer = slowWords
	// Rebuild the slow tokenizer's annotations around the original words.
	slow.Annotations = append(sentences.NewAnnotations(slow.Storage, slow.PunctStrings, slowWords), &multiPeriodAnnotation{
		storage: slow.Storage,
		words:   slowWords,
		grouper: &sentences.DefaultTokenGrouper{},
		ortho:   &sentences.OrthoContext{Storage: slow.Storage, PunctStrings: slow.PunctStrings, TokenType: slowWords, TokenFirst: slowWords},
	})
	lines := bufio.NewScanner(f)
	lines.Buffer(make([]byte, 1<<20), 1<<22)
	checked := 0
	for lines.Scan() && checked < 80 {
		var rec struct{ Text string }
		require.NoError(t, json.Unmarshal(lines.Bytes(), &rec))
		a, b := fast.Tokenize(rec.Text), slow.Tokenize(rec.Text)
		require.Equal(t, len(b), len(a), "sentence count differs")
		for i := range a {
			require.Equal(t, [2]int{b[i].Start, b[i].End}, [2]int{a[i].Start, a[i].End})
		}
		checked++
	}
	require.Positive(t, checked)
}
