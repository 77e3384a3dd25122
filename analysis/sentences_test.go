package analysis

import (
	"bufio"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"unicode"

	"github.com/neurosnap/sentences"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"slant/internal/workspace"
)

// multiPeriodRegexp is the expression hasMultiPeriodAbbrev replaces.
var multiPeriodRegexp = regexp.MustCompile(`((?:[\w]\.)+[\w]*\.)`)

func TestHasMultiPeriodAbbrev(t *testing.T) {
	for _, tok := range []string{"U.S.", "U.S", "e.g.", "etc.", "a.", "end..", ".", "..", "F.B.I.", "x.y", "3.14.", "Mr.", "é.é.", "_._."} {
		if got, want := hasMultiPeriodAbbrev(tok), multiPeriodRegexp.MatchString(tok); got != want {
			t.Errorf("hasMultiPeriodAbbrev(%q) = %v, the regexp says %v", tok, got, want)
		}
	}
}

func FuzzHasMultiPeriodAbbrev(f *testing.F) {
	for _, s := range []string{"U.S.", "a..b", "x.y.z", "é.é."} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, tok string) {
		if got, want := hasMultiPeriodAbbrev(tok), multiPeriodRegexp.MatchString(tok); got != want {
			t.Fatalf("hasMultiPeriodAbbrev(%q) = %v, the regexp says %v", tok, got, want)
		}
	})
}

// checkSplitterMatchesPunkt splits text with the analyzer's splitter and
// with both reference tokenizers, line by line as sentenceSpans does; the
// spans must be the same.
func checkSplitterMatchesPunkt(t *testing.T, a *Analyzer, refs map[string]*sentences.DefaultSentenceTokenizer, text string) {
	t.Helper()
	spans := a.sentenceSpans(text)
	for name, ref := range refs {
		want := punktSentenceSpans(ref, text)
		got := joinBreaksAfterNumbers(text, spans, want)
		if !slices.Equal(got, want) {
			t.Fatalf("text %q: the splitter gives %v, %s gives %v", text, got, name, want)
		}
	}
}

// joinBreaksAfterNumbers undoes the one decision in which the splitter
// differs from Punkt's English tokenizer on purpose: a number with a full
// stop after other words on its line ends a sentence ("born in 1950. He
// grew up"), where the original takes it for a list number and never
// breaks after it. The sentences on either side of such a break are joined
// into the one Punkt makes, where Punkt (whose sentences are punkt) has
// no break.
func joinBreaksAfterNumbers(text string, spans, punkt []Span) []Span {
	punktEnds := map[int]bool{}
	for _, sp := range punkt {
		punktEnds[sp.End] = true
	}
	var out []Span
	for _, sp := range spans {
		if n := len(out); n > 0 && !punktEnds[out[n-1].End] && breaksAfterNumber(text, out[n-1], sp) {
			out[n-1].End = sp.End
			continue
		}
		out = append(out, sp)
	}
	return out
}

// breaksAfterNumber reports whether the break between sentences a and b,
// on one line, follows a list-number-shaped word that does not open its
// line.
func breaksAfterNumber(text string, a, b Span) bool {
	if strings.Contains(text[a.End:b.Start], "\n") {
		return false
	}
	sentence := text[a.Start:a.End]
	wordStart := strings.LastIndexFunc(sentence, unicode.IsSpace) + 1
	if !isListNumber(sentence[wordStart:]) {
		return false
	}
	lineStart := strings.LastIndexByte(text[:a.Start+wordStart], '\n') + 1
	return strings.TrimSpace(text[lineStart:a.Start+wordStart]) != ""
}

// TestNumbersEndSentences holds the splitter to its one difference from
// Punkt: a number and a full stop end a sentence unless they open a line,
// as a list item's number does.
func TestNumbersEndSentences(t *testing.T) {
	a := testAnalyzer(t)
	tests := []struct {
		text string
		want []string
	}{
		{"She was born in 1950. She grew up by the sea.", []string{"She was born in 1950.", "She grew up by the sea."}},
		{"The final score was 3 to 2. Fans ran onto the pitch.", []string{"The final score was 3 to 2.", "Fans ran onto the pitch."}},
		{"He died at the age of 88. His family thanked the nurses.", []string{"He died at the age of 88.", "His family thanked the nurses."}},
		{"See item 3. It is long.", []string{"See item 3.", "It is long."}},
		{"1. Mix the flour\n2. Bake it for an hour", []string{"1. Mix the flour", "2. Bake it for an hour"}},
		{"Steps to follow:\n1. Wait for the bus.", []string{"Steps to follow:", "1. Wait for the bus."}},
		{"It rose 5.4 percent in 2024. Then it fell.", []string{"It rose 5.4 percent in 2024.", "Then it fell."}},
		{"Prices rose 3 percent on Jan. 6 in the town.", []string{"Prices rose 3 percent on Jan. 6 in the town."}},
	}
	for _, tt := range tests {
		var got []string
		for _, sp := range a.sentenceSpans(tt.text) {
			got = append(got, tt.text[sp.Start:sp.End])
		}
		assert.Equal(t, tt.want, got, tt.text)
	}
}

func punktReferences(t testing.TB) map[string]*sentences.DefaultSentenceTokenizer {
	t.Helper()
	previous, err := newSentenceTokenizer()
	require.NoError(t, err)
	english, err := newEnglishSentenceTokenizer()
	require.NoError(t, err)
	return map[string]*sentences.DefaultSentenceTokenizer{"the previous tokenizer": previous, "the English tokenizer": english}
}

// punktEdgeCases are texts where Punkt's decisions turn on one character:
// abbreviations, initials, ordinals, list numbers, ellipses, closing
// quotes, collocations, the CJK full stops and a last character of more
// than one byte, which the original never takes as the end of the text.
var punktEdgeCases = []string{
	"", " ", "Mr. Smith went to Washington. He said no.", "U.S. officials said so. The U.S. Army agreed.",
	"J. S. Bach wrote it. It was 1723.", "It rose 5.4 percent in 2024. Then it fell.", "See item 3. It is long.",
	"Wait... What? No! Yes.", "He said \"stop.\" Then he left.", "“Go.” She went.", "He left (for good.) Then?",
	"a.m. p.m. e.g. i.e. etc. Inc. Co.", "Gen. Smith and Sen. Jones met Dr. Who at 10 a.m. Monday.",
	"1. First\n2. Second", "No. 5 is mine. No. It is not.", "N°. 4 rue", "3.14.15. Then", ". . . and then. . .",
	"这是第一句。这是第二句！对吗？", "Zoë met Chloë. Zoë", "end. 1111x.", "end.\u00a0Next", "tab.\tNext", "x.\u2028Y",
	"St. Louis is big. St. Paul is too.", "The Jan. 6 attack. Feb. 2 came.", "Ill. Mass. and Calif. Then",
	"\xff\xfe. \xffA. B", "A. B. C.", "e.g.. x", "word.’ Next", "what?! Next", "(1) one. (2) two.",
}

func TestSentenceSplitterMatchesPunkt(t *testing.T) {
	a := testAnalyzer(t)
	refs := punktReferences(t)
	for _, text := range punktEdgeCases {
		checkSplitterMatchesPunkt(t, a, refs, text)
	}
}

// FuzzSentenceSplitterMatchesPunkt holds the splitter to the original
// Punkt tokenizer on any text.
func FuzzSentenceSplitterMatchesPunkt(f *testing.F) {
	for _, s := range punktEdgeCases {
		f.Add(s)
	}
	a := testAnalyzer(f)
	refs := punktReferences(f)
	f.Fuzz(func(t *testing.T, text string) {
		checkSplitterMatchesPunkt(t, a, refs, text)
	})
}

// TestSentenceSplitterMatchesPunktOnSharedData splits every text of the
// shared evaluation data and the seed articles both ways.
func TestSentenceSplitterMatchesPunktOnSharedData(t *testing.T) {
	dir := workspace.Require(t, "eval")
	a := testAnalyzer(t)
	refs := punktReferences(t)
	texts := 0
	for _, name := range []string{"basil.jsonl", "babe.jsonl", "wnc.jsonl", "allsides.jsonl", "framing_gvfc.jsonl", "framing_semeval23.jsonl"} {
		f, err := os.Open(filepath.Join(dir, name))
		require.NoError(t, err)
		lines := bufio.NewScanner(f)
		lines.Buffer(make([]byte, 1<<20), 1<<24)
		for lines.Scan() {
			var rec any
			require.NoError(t, json.Unmarshal(lines.Bytes(), &rec))
			for _, text := range stringsIn(rec) {
				checkSplitterMatchesPunkt(t, a, refs, text)
				texts++
			}
		}
		require.NoError(t, lines.Err())
		f.Close()
	}
	seeds, _ := filepath.Glob(filepath.Join(filepath.Dir(dir), "seeds", "*.txt"))
	for _, p := range seeds {
		b, err := os.ReadFile(p)
		require.NoError(t, err)
		checkSplitterMatchesPunkt(t, a, refs, string(b))
		texts++
	}
	t.Logf("%d texts split alike", texts)
}

// stringsIn collects every string value in a decoded JSON record.
func stringsIn(v any) []string {
	switch x := v.(type) {
	case string:
		return []string{x}
	case []any:
		var out []string
		for _, e := range x {
			out = append(out, stringsIn(e)...)
		}
		return out
	case map[string]any:
		var out []string
		for _, e := range x {
			out = append(out, stringsIn(e)...)
		}
		return out
	}
	return nil
}
