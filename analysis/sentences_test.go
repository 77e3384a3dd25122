package analysis

import (
	"bufio"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"testing"

	"github.com/neurosnap/sentences"
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
	got := a.sentenceSpans(text)
	for name, ref := range refs {
		want := punktSentenceSpans(ref, text)
		if !slices.Equal(got, want) {
			t.Fatalf("text %q: the splitter gives %v, %s gives %v", text, got, name, want)
		}
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
