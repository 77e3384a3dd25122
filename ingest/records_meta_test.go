package ingest

import (
	"encoding/json"
	"errors"
	"io"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/unicode"
)

func TestJSONLIDsAndMetadata(t *testing.T) {
	lines := []string{
		/* 1 */ `{"id":"a-1","event":"e","outlet":"o","text":"t","section":"World","wordcount":512,"score":-0.25,"paywalled":false,"note":null}`,
		/* 2 */ `{"id":17,"event":"e","outlet":"o","text":"t"}`,
		/* 3 */ `{"doc_id":"d-3","external_id":"x-3","event":"e","outlet":"o","text":"t"}`,
		/* 4 */ `{"doc_id":"d-4","id":"  i-4  ","event":"e","outlet":"o","text":"t"}`,
		/* 5 */ `{"id":null,"event":"e","outlet":"o","text":"t","big":1.50e3}`,
		/* 6 */ `{"id":true,"event":"e","outlet":"o","text":"t"}`,
		/* 7 */ `{"id":"a-7","event":"e","outlet":"o","text":"t","tags":["x","y"]}`,
		/* 8 */ `{"id":"a-8","event":"e","outlet":"o","text":"t","author":{"name":"N"}}`,
		/* 9 */ `{"id":"a-9","event":"e","outlet":"o","text":"t","section":"A","section":"B"}`,
		/* 10 */ `{"id":"a-10","event":"e","outlet":"o","text":"t","title":7}`,
		/* 11 */ `{"id":"","event":"e","outlet":"o","text":"t"}`,
	}
	recs, errs := ParseJSONL(strings.NewReader(strings.Join(lines, "\n")), 0)
	byLine := map[int]Record{}
	for _, r := range recs {
		byLine[r.Line] = r
	}
	require.Len(t, recs, 6, "errors: %v", errs)

	assert.Equal(t, "a-1", byLine[1].ID)
	assert.Equal(t, map[string]any{
		"section": "World", "wordcount": json.Number("512"), "score": json.Number("-0.25"), "paywalled": false,
	}, byLine[1].Metadata, "null is no value; numbers are kept as written")
	assert.Equal(t, "17", byLine[2].ID, "a numeric id is kept as written")
	assert.Nil(t, byLine[2].Metadata)
	assert.Equal(t, "x-3", byLine[3].ID, "external_id wins over doc_id")
	assert.Equal(t, map[string]any{"doc_id": "d-3"}, byLine[3].Metadata, "the other id is kept as metadata")
	assert.Equal(t, "i-4", byLine[4].ID, "id wins, trimmed")
	assert.Equal(t, map[string]any{"doc_id": "d-4"}, byLine[4].Metadata)
	assert.Equal(t, "", byLine[5].ID)
	assert.Equal(t, map[string]any{"big": json.Number("1.50e3")}, byLine[5].Metadata)
	assert.Equal(t, "", byLine[11].ID, "an empty id is no id")

	got := map[int]string{}
	for _, e := range errs {
		got[e.Line] = e.Err
	}
	want := map[int]string{
		6:  `field "id" (the article's id) must be a string or a number, got true or false`,
		7:  `field "tags" is a list`,
		8:  `field "author" is an object`,
		9:  `field "section" appears twice`,
		10: `field "title" must be a string, got a number`,
	}
	require.Len(t, got, len(want), "errors: %v", errs)
	for line, w := range want {
		assert.Contains(t, got[line], w, "line %d", line)
	}
}

func TestCSVIDsAndMetadata(t *testing.T) {
	in := "doc_id,Event,outlet,text,Section,stance label,id\n" +
		"d-1,e,o,t,World,left,\n" +
		"d-2,e,o,t,,right,i-2\n" +
		",e,o,t,Sport,,\n"
	recs, errs := ParseCSV(strings.NewReader(in))
	require.Empty(t, errs)
	require.Len(t, recs, 3)
	assert.Equal(t, "d-1", recs[0].ID, "doc_id is the id when no id column has a value")
	assert.Equal(t, map[string]any{"Section": "World", "stance label": "left"}, recs[0].Metadata, "metadata keys keep the header's spelling")
	assert.Equal(t, "i-2", recs[1].ID, "id wins over doc_id")
	assert.Equal(t, map[string]any{"doc_id": "d-2", "stance label": "right"}, recs[1].Metadata, "an empty cell is no value")
	assert.Equal(t, "", recs[2].ID)
	assert.Equal(t, map[string]any{"Section": "Sport"}, recs[2].Metadata)

	_, errs = ParseCSV(strings.NewReader("event,outlet,text,section,section\n"))
	require.Len(t, errs, 1)
	assert.Contains(t, errs[0].Err, `column "section" appears twice`)
}

func TestRecordReaderStreams(t *testing.T) {
	rr := NewJSONLReader(strings.NewReader("{\"event\":\"e\",\"outlet\":\"o\",\"text\":\"1\"}\nnope\n{\"event\":\"e\",\"outlet\":\"o\",\"text\":\"3\"}\n"), 0)
	rec, err := rr.Next()
	require.NoError(t, err)
	assert.Equal(t, 1, rec.Line)
	_, err = rr.Next()
	var le LineError
	require.True(t, errors.As(err, &le), "a bad line is a LineError: %v", err)
	assert.Equal(t, 2, le.Line)
	rec, err = rr.Next()
	require.NoError(t, err)
	assert.Equal(t, "3", rec.Text)
	for range 2 {
		_, err = rr.Next()
		assert.Equal(t, io.EOF, err)
	}
}

func TestDecodeText(t *testing.T) {
	const line = `{"event":"Café","outlet":"o","text":"naïve – “quoted”"}` + "\n"
	utf16 := func(e unicode.Endianness) string {
		s, err := unicode.UTF16(e, unicode.UseBOM).NewEncoder().String(line)
		require.NoError(t, err)
		return s
	}
	latin, err := charmap.Windows1252.NewEncoder().String(line)
	require.NoError(t, err)
	tests := []struct {
		name, charset, in string
	}{
		{"utf-8", "", line},
		{"utf-8 with a byte order mark", "", "\ufeff" + line},
		{"utf-8 named, with a byte order mark", "UTF-8", "\ufeff" + line},
		{"utf-16le with its byte order mark, unnamed", "", utf16(unicode.LittleEndian)},
		{"utf-16be with its byte order mark, named otherwise", "windows-1252", utf16(unicode.BigEndian)},
		{"windows-1252 named", "windows-1252", latin},
		{"latin1 label", "latin1", latin},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := DecodeText(strings.NewReader(tt.in), tt.charset)
			require.NoError(t, err)
			recs, errs := ParseJSONL(r, 0)
			require.Empty(t, errs)
			require.Len(t, recs, 1)
			assert.Equal(t, "Café", recs[0].Event)
			assert.Equal(t, "naïve – “quoted”", recs[0].Text)
		})
	}

	_, err = DecodeText(strings.NewReader(line), "klingon")
	require.ErrorIs(t, err, ErrUnknownEncoding)
	assert.Contains(t, err.Error(), `"klingon"`)

	// Unnamed, Windows-1252 is not UTF-8: said per line, with the way out.
	r, err := DecodeText(strings.NewReader(latin), "")
	require.NoError(t, err)
	_, errs := ParseJSONL(r, 0)
	require.Len(t, errs, 1)
	assert.Contains(t, errs[0].Err, "not valid UTF-8")
	assert.Contains(t, errs[0].Err, "give its encoding")

	// UTF-16 without its byte order mark reads as NUL bytes.
	bare, err := unicode.UTF16(unicode.LittleEndian, unicode.IgnoreBOM).NewEncoder().String(line)
	require.NoError(t, err)
	_, errs = ParseJSONL(strings.NewReader(bare), 0)
	require.NotEmpty(t, errs)
	assert.Contains(t, errs[0].Err, "UTF-16")
}

// TestJSONLFieldNamesWhateverTheirCase holds JSON Lines to the CSV
// header's rule: Slant's own fields and the id fields are read whatever
// the case of their names; any other field keeps its spelling as
// metadata; one field written twice in two cases is a clear error.
func TestJSONLFieldNamesWhateverTheirCase(t *testing.T) {
	tests := []struct {
		name string
		line string
		want Record
		err  string
	}{
		{"capitalised", `{"Event":"e","Outlet":"o","Title":"T","Text":"t","URL":"http://x","Published_At":"2024-01-02"}`,
			Record{Event: "e", Outlet: "o", Title: "T", Text: "t", URL: "http://x"}, ""},
		{"upper case", `{"EVENT":"e","OUTLET":"o","HTML":"<p>h</p>"}`, Record{Event: "e", Outlet: "o", HTML: "<p>h</p>"}, ""},
		{"an id in capitals", `{"ID":"a-1","event":"e","outlet":"o","text":"t"}`, Record{ID: "a-1", Event: "e", Outlet: "o", Text: "t"}, ""},
		{"Doc_ID", `{"Doc_ID":7,"event":"e","outlet":"o","text":"t"}`, Record{ID: "7", Event: "e", Outlet: "o", Text: "t"}, ""},
		{"metadata keeps its spelling", `{"event":"e","outlet":"o","text":"t","Section":"World","section":"Local"}`,
			Record{Event: "e", Outlet: "o", Text: "t", Metadata: map[string]any{"Section": "World", "section": "Local"}}, ""},
		{"title twice", `{"event":"e","outlet":"o","text":"t","title":"a","Title":"b"}`, Record{},
			`fields "title" and "Title" are the same field (Slant reads the names of its fields whatever their case): keep one`},
		{"id twice", `{"Id":"a","event":"e","outlet":"o","text":"t","ID":"b"}`, Record{}, `fields "Id" and "ID" are the same field`},
		{"the same spelling twice", `{"event":"e","outlet":"o","text":"t","Text":"u","Text":"v"}`, Record{}, `fields "text" and "Text" are the same field`},
		{"a capitalised field of the wrong kind", `{"event":"e","outlet":"o","text":"t","Title":7}`, Record{}, `field "Title" must be a string, got a number`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			recs, errs := ParseJSONL(strings.NewReader(tt.line), 0)
			if tt.err != "" {
				require.Len(t, errs, 1)
				assert.Contains(t, errs[0].Err, tt.err)
				assert.Empty(t, recs)
				return
			}
			require.Empty(t, errs)
			require.Len(t, recs, 1)
			got := recs[0]
			got.PublishedAt = nil
			tt.want.Line = 1
			assert.Equal(t, tt.want, got)
		})
	}
	recs, _ := ParseJSONL(strings.NewReader(`{"Event":"e","Outlet":"o","Text":"t","Published_At":"2024-01-02"}`), 0)
	require.Len(t, recs, 1)
	require.NotNil(t, recs[0].PublishedAt, "published_at whatever its case")
}
