package ingest

import (
	"errors"
	"strings"
	"testing"
	"testing/iotest"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestParseJSONL(t *testing.T) {
	long := `{"event":"e","outlet":"o","text":"` + strings.Repeat("x", 300) + `"}`
	lines := []string{
		/* 1 */ "\ufeff" + `{"event":"Ferry strike","outlet":"Bay News","title":"Crossings halted","url":"https://bay.example/1","published_at":"2024-03-15T09:41:00+01:00","text":"Crews walked out."}`,
		/* 2 */ ``,
		/* 3 */ `{"event":"Ferry strike","outlet":"Harbour Times","published_at":"2024-03-16","html":"<p>Talks resume.</p>"}`,
		/* 4 */ `{"event":"Ferry strike","outlet":"x","text":"t","author":{"name":"someone"}}`,
		/* 5 */ `{"event":"Ferry strike","outlet":"x","text":"t"`,
		/* 6 */ `{"outlet":"x","text":"t"}`,
		/* 7 */ `{"event":"e","outlet":"  ","text":"t"}`,
		/* 8 */ `{"event":"e","outlet":"o"}`,
		/* 9 */ `{"event":"e","outlet":"o","text":"  ","html":""}`,
		/* 10 */ `{"event":"e","outlet":"o","text":"t","published_at":"15/03/2024"}`,
		/* 11 */ long,
		/* 12 */ `[{"event":"e"}]`,
		/* 13 */ `{"event":5,"outlet":"o","text":"t"}`,
		/* 14 */ `{"event":"e","outlet":"o","text":"t"} {"event":"f"}`,
		/* 15 */ "{\"event\":\"e\xff\",\"outlet\":\"o\",\"text\":\"t\"}",
		/* 16 */ `{"event":"e","outlet":"o","text":"t","url":"javascript:alert(1)"}`,
		/* 17 */ `   `,
		/* 18 */ `{"event":"e","outlet":"o","text":"t","title":null,"published_at":null}`,
		/* 19 */ `not json at all`,
		/* 20 */ `{"event":"Ferry strike","outlet":"Last Line","text":"no newline at end"}`,
	}
	in := strings.Join(lines, "\r\n")
	recs, errs := ParseJSONL(strings.NewReader(in), 200)

	// Lines 6 to 9 and 16 are records as far as the file goes; whether they
	// are good articles is the importer's check (desk.ReadRecords).
	require.Len(t, recs, 9, "errors: %v", errs)
	assert.Equal(t, Record{
		Line: 1, Event: "Ferry strike", Outlet: "Bay News", Title: "Crossings halted",
		URL: "https://bay.example/1", PublishedAt: recs[0].PublishedAt, Text: "Crews walked out.",
	}, recs[0])
	require.NotNil(t, recs[0].PublishedAt)
	assert.True(t, recs[0].PublishedAt.Equal(time.Date(2024, 3, 15, 8, 41, 0, 0, time.UTC)))
	assert.Equal(t, 3, recs[1].Line)
	assert.Equal(t, "<p>Talks resume.</p>", recs[1].HTML)
	assert.Equal(t, time.Date(2024, 3, 16, 0, 0, 0, 0, time.UTC), *recs[1].PublishedAt)
	var recLines []int
	for _, r := range recs {
		recLines = append(recLines, r.Line)
	}
	assert.Equal(t, []int{1, 3, 6, 7, 8, 9, 16, 18, 20}, recLines)
	assert.Equal(t, "", recs[3].Outlet, "surrounding space is trimmed")
	assert.Nil(t, recs[7].PublishedAt)
	assert.Equal(t, "no newline at end", recs[8].Text)

	want := map[int]string{
		4:  `field "author" is an object`,
		5:  "malformed JSON",
		10: "published_at",
		11: "longer than 200 bytes",
		12: "expected a JSON object",
		13: `field "event" must be a string`,
		14: "extra data",
		15: "not valid UTF-8",
		19: "malformed JSON",
	}
	got := map[int]string{}
	for _, e := range errs {
		got[e.Line] = e.Err
	}
	require.Len(t, got, len(want), "errors: %v", errs)
	for line, w := range want {
		assert.Contains(t, got[line], w, "line %d", line)
	}
	assert.Equal(t, "line 4: field \"author\" is an object", LineError{Line: 4, Err: `field "author" is an object`}.Error())
}

func TestParseJSONLLongLineThenMore(t *testing.T) {
	// A very long line (many buffer fills) is skipped without holding it.
	in := `{"event":"e","outlet":"o","text":"` + strings.Repeat("y", 1<<20) + `"}` + "\n" +
		`{"event":"e","outlet":"o","text":"after"}` + "\n"
	recs, errs := ParseJSONL(strings.NewReader(in), 1024)
	require.Len(t, recs, 1)
	assert.Equal(t, 2, recs[0].Line)
	require.Len(t, errs, 1)
	assert.Equal(t, 1, errs[0].Line)

	// Exactly at the limit is fine, with or without \r\n.
	line := `{"event":"e","outlet":"o","text":"` + strings.Repeat("z", 60) + `"}`
	recs, errs = ParseJSONL(strings.NewReader(line+"\r\n"+line), len(line))
	assert.Len(t, recs, 2)
	assert.Empty(t, errs)
}

func TestParseJSONLReadError(t *testing.T) {
	r := iotest.TimeoutReader(strings.NewReader(`{"event":"e","outlet":"o","text":"t"}` + "\n" + strings.Repeat(" ", 70000)))
	recs, errs := ParseJSONL(r, 0)
	assert.Len(t, recs, 1)
	require.NotEmpty(t, errs)
	assert.Contains(t, errs[len(errs)-1].Err, "read error")
}

func TestParseJSONLEmpty(t *testing.T) {
	recs, errs := ParseJSONL(strings.NewReader(""), 0)
	assert.Empty(t, recs)
	assert.Empty(t, errs)
}

func TestParseCSV(t *testing.T) {
	in := "\ufeff" + "Text, outlet ,event,published_at,url,title\r\n" +
		/* 2 */ `"Crews walked out, and ""nobody"" was told.",Bay News,Ferry strike,2024-03-15,https://bay.example/1,Crossings halted` + "\r\n" +
		/* 3 */ "\"Line one\nline two\",Harbour Times,Ferry strike,2024-03-16T08:00:00Z,,\r\n" +
		/* 5 */ "t,o,,,,\r\n" +
		/* 6 */ ",o,e,,,\r\n" +
		/* 7 */ "t,o,e,yesterday,,\r\n" +
		/* 8 */ "t,o,e\r\n" +
		/* 9 */ "t,o,e,,ftp://x.example/,\r\n" +
		/* 10 */ "bad \"quote\" here,o,e,,,\r\n" +
		/* 11 */ "\r\n" +
		/* 12 */ "fine,o,e,,,last\r\n"
	recs, errs := ParseCSV(strings.NewReader(in))
	// Lines 5, 6 and 9 are records as far as the file goes; the importer
	// refuses them (desk.ReadRecords).
	require.Len(t, recs, 6, "errors: %v", errs)
	assert.Equal(t, 2, recs[0].Line)
	assert.Equal(t, `Crews walked out, and "nobody" was told.`, recs[0].Text)
	assert.Equal(t, "Bay News", recs[0].Outlet)
	assert.Equal(t, "Crossings halted", recs[0].Title)
	assert.Equal(t, "https://bay.example/1", recs[0].URL)
	assert.Equal(t, 3, recs[1].Line)
	assert.Equal(t, "Line one\nline two", recs[1].Text)
	assert.Equal(t, time.Date(2024, 3, 16, 8, 0, 0, 0, time.UTC), *recs[1].PublishedAt)
	assert.Equal(t, 12, recs[5].Line)
	assert.Equal(t, "last", recs[5].Title)

	want := map[int]string{
		7:  "published_at",
		8:  "3 fields",
		10: "malformed CSV",
	}
	got := map[int]string{}
	for _, e := range errs {
		got[e.Line] = e.Err
	}
	require.Len(t, got, len(want), "errors: %v", errs)
	for line, w := range want {
		assert.Contains(t, got[line], w, "line %d", line)
	}
}

func TestParseCSVHeaders(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"empty file", "", "header row"},
		{"column without a name", "event,outlet,text, \n", "column 4 has no name"},
		{"duplicate column", "event,outlet,text,Event\n", "appears twice"},
		{"no outlet", "event,text\n", `no "outlet" column`},
		{"no text or html", "event,outlet,title\n", `"text" or "html"`},
		{"broken header", "event,\"outlet\n", "malformed CSV"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			recs, errs := ParseCSV(strings.NewReader(tt.in))
			assert.Empty(t, recs)
			require.NotEmpty(t, errs)
			assert.Equal(t, 1, errs[0].Line)
			assert.Contains(t, errs[0].Err, tt.want)
		})
	}
	recs, errs := ParseCSV(strings.NewReader("html,outlet,event\n"))
	assert.Empty(t, recs)
	assert.Empty(t, errs, "header only is an empty import")

	recs, errs = ParseCSV(strings.NewReader("html,outlet,event\n<p>x</p>,o,e"))
	assert.Empty(t, errs)
	require.Len(t, recs, 1)
	assert.Equal(t, "<p>x</p>", recs[0].HTML)
}

func TestParseCSVInvalidUTF8(t *testing.T) {
	recs, errs := ParseCSV(strings.NewReader("event,outlet,text\ne,o,caf\xe9\ne,o,ok\n"))
	require.Len(t, recs, 1)
	assert.Equal(t, 3, recs[0].Line)
	require.Len(t, errs, 1)
	assert.Equal(t, 2, errs[0].Line)
	assert.Contains(t, errs[0].Err, `the "text" cell (column 3) is not valid UTF-8 (byte 0xE9 at byte 4)`)
	assert.Contains(t, errs[0].Err, "windows-1252")
}

// TestCSVEncodingErrorsNameTheCell holds a CSV encoding error to naming
// the cell its byte offset counts in.
func TestCSVEncodingErrorsNameTheCell(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"the text", "event,outlet,text\ne,o,caf\xe9\n", `the "text" cell (column 3) is not valid UTF-8 (byte 0xE9 at byte 4)`},
		{"a known column whatever its case", "Event,outlet,text\n\xe9v,o,t\n", `the "Event" cell (column 1) is not valid UTF-8 (byte 0xE9 at byte 1)`},
		{"a metadata column", "event,outlet,text,Section\ne,o,t,Caf\xe9s\n", `the "Section" cell (column 4) is not valid UTF-8 (byte 0xE9 at byte 4)`},
		{"NUL bytes", "event,outlet,text\ne,o\x00,t\n", `the "outlet" cell (column 2) holds NUL bytes`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			recs, errs := ParseCSV(strings.NewReader(tt.in))
			assert.Empty(t, recs)
			require.Len(t, errs, 1)
			assert.Equal(t, 2, errs[0].Line)
			assert.Contains(t, errs[0].Err, tt.want)
		})
	}
}

func TestLineLimitReader(t *testing.T) {
	l := &lineLimitReader{r: strings.NewReader("ab\ncdef\n"), max: 3}
	buf := make([]byte, 16)
	var err error
	total := 0
	for err == nil {
		var n int
		n, err = l.Read(buf[total:])
		total += n
	}
	assert.True(t, errors.Is(err, errLineTooLong))
	assert.Equal(t, 2, l.line)
	assert.Equal(t, "ab\ncde", string(buf[:total]))
}
