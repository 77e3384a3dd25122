package evaluation

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestReadersRejectMalformedLinesWithLineNumber(t *testing.T) {
	okBabe := `{"id":"b1","text":"A sentence.","biased":false,"biased_words":[]}`
	okBasil := `{"id":"x_1","event":"x","text":"Pélosi slammed it.","spans":[{"byte_start":8,"byte_end":15,"start":7,"end":14,"text":"slammed","kind":"lexical","quote":false}]}`
	tests := []struct {
		name string
		read func(string) error
		in   string
		want string
	}{
		{"babe bad JSON", readBabeString, okBabe + "\n\n{\"id\": \"b2\",\n", "line 3: decode record"},
		{"babe missing biased", readBabeString, `{"id":"b1","text":"x","biased_words":[]}`, `line 1: missing field "biased"`},
		{"babe empty text", readBabeString, `{"id":"b1","text":" ","biased":true,"biased_words":[]}`, `line 1: empty field "text"`},
		{"babe duplicate id", readBabeString, okBabe + "\n" + okBabe, `line 2: id "b1" already used on line 1`},
		{"babe not an object", readBabeString, okBabe + "\n[1,2]", "line 2: decode record"},
		{"babe trailing garbage", readBabeString, okBabe + " x", "line 1: decode record"},
		{"basil rune offsets used as bytes", readBasilString, strings.Replace(okBasil, `"byte_start":8,"byte_end":15`, `"byte_start":7,"byte_end":14`, 1), "line 1: span 0: byte range [7, 14) holds"},
		{"basil span past the text", readBasilString, strings.Replace(okBasil, `"byte_end":15`, `"byte_end":99`, 1), "outside the text"},
		{"basil unknown kind", readBasilString, okBasil + "\n" + strings.Replace(strings.Replace(okBasil, "lexical", "tonal", 1), "x_1", "x_2", 1), `line 2: span 0: kind "tonal"`},
		{"wnc empty neutral", readWNCString, `{"id":"w","biased":"a b","neutral":""}`, `line 1: empty field "neutral"`},
		{"allsides no articles", readAllSidesString, `{"id":"s","articles":[],"neutral":{"title":"t","text":"x"}}`, "line 1: no outlet articles"},
		{"allsides invalid UTF-8", readAllSidesString, "{\"id\":\"s\xff\"}", "line 1: not valid UTF-8"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.read(tt.in)
			require.Error(t, err)
			assert.Contains(t, err.Error(), tt.want)
		})
	}
	assert.NoError(t, readBabeString(okBabe+"\n"))
	assert.NoError(t, readBasilString(okBasil))
}

func readBabeString(s string) error     { _, err := ReadBabe(strings.NewReader(s)); return err }
func readBasilString(s string) error    { _, err := ReadBasil(strings.NewReader(s)); return err }
func readWNCString(s string) error      { _, err := ReadWNC(strings.NewReader(s)); return err }
func readAllSidesString(s string) error { _, err := ReadAllSides(strings.NewReader(s)); return err }

func TestReadersDecodeRecords(t *testing.T) {
	babe, err := ReadBabe(strings.NewReader(`{"id":"1","text":"They “cheated”.","biased":true,"biased_words":["“cheated”"],"outlet":"X"}` + "\n"))
	require.NoError(t, err)
	assert.Equal(t, []BabeSentence{{ID: "1", Text: "They “cheated”.", Biased: true, BiasedWords: []string{"“cheated”"}, Outlet: "X"}}, babe)

	stories, err := ReadAllSides(strings.NewReader(`{"id":"s","articles":[{"stance":"left","outlet":"A","title":"T","text":"P1\n\nP2"}],"neutral":{"title":"N","text":"Q"}}`))
	require.NoError(t, err)
	assert.Equal(t, "T\n\nP1\n\nP2", stories[0].Articles[0].Document())
	assert.Equal(t, "A", stories[0].Articles[0].Outlet)
}

func TestLoadNamesTheFile(t *testing.T) {
	dir := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(dir, "wnc.jsonl"), []byte(`{"id":"w","biased":"a","neutral":"b"}`+"\nnot json\n"), 0o644))
	_, err := Load(dir, []Dataset{WNC})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "wnc.jsonl: line 2")

	_, err = Load(dir, []Dataset{Babe})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "babe.jsonl")
}

func TestParseDatasets(t *testing.T) {
	all, err := ParseDatasets("")
	require.NoError(t, err)
	assert.Equal(t, AllDatasets(), all)
	got, err := ParseDatasets(" wnc,BASIL,wnc ")
	require.NoError(t, err)
	assert.Equal(t, []Dataset{Basil, WNC}, got)
	_, err = ParseDatasets("basil,mbic")
	assert.ErrorContains(t, err, `unknown dataset "mbic"`)
}
