package ingest

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding/htmlindex"
	"golang.org/x/text/encoding/unicode"
	"golang.org/x/text/transform"
)

// Import files are read as UTF-8. Researchers' files are not always: a
// spreadsheet saves "CSV" in Windows-1252, or "Unicode text" in UTF-16
// with a byte order mark. DecodeText makes the file UTF-8 before it is
// parsed: a UTF-8 byte order mark is dropped, a UTF-16 one is obeyed
// whatever the named encoding, and any other encoding is read when named
// (slant import --encoding, the charset of the API's Content-Type). A
// line that is still not UTF-8 is refused with a message that says so
// and how to name the encoding (encodingProblem).

// utf8BOM is the UTF-8 encoding of U+FEFF, the byte order mark some
// programs write at the start of a UTF-8 file.
const utf8BOM = "\ufeff"

// ErrUnknownEncoding is an encoding name DecodeText does not know.
var ErrUnknownEncoding = errors.New("unknown encoding")

// DecodeText returns a reader of r's text as UTF-8. charset names the
// file's encoding by its WHATWG name or label ("utf-8", "windows-1252",
// "latin1", "utf-16le", "shift_jis", ...); empty means UTF-8. A UTF-16
// byte order mark at the start overrides it; a UTF-8 one is dropped. An
// unknown name is ErrUnknownEncoding.
func DecodeText(r io.Reader, charset string) (io.Reader, error) {
	name := strings.ToLower(strings.TrimSpace(charset))
	br := bufio.NewReaderSize(r, 64<<10)
	head, _ := br.Peek(3)
	switch {
	case bytes.HasPrefix(head, []byte{0xFF, 0xFE}), bytes.HasPrefix(head, []byte{0xFE, 0xFF}):
		// UTF-16 with its byte order mark, which says which order.
		return transform.NewReader(br, unicode.UTF16(unicode.LittleEndian, unicode.ExpectBOM).NewDecoder()), nil
	case name == "" || name == "utf-8" || name == "utf8":
		if bytes.Equal(head, []byte(utf8BOM)) {
			_, _ = br.Discard(3)
		}
		return br, nil
	}
	enc, err := htmlindex.Get(name)
	if err != nil {
		return nil, fmt.Errorf("%w %q: name one such as utf-8, windows-1252, iso-8859-1 or utf-16le", ErrUnknownEncoding, Shorten(charset, 40))
	}
	if canonical, _ := htmlindex.Name(enc); canonical == "utf-8" {
		if bytes.Equal(head, []byte(utf8BOM)) {
			_, _ = br.Discard(3)
		}
		return br, nil
	}
	return transform.NewReader(br, unicode.BOMOverride(enc.NewDecoder())), nil
}

// encodingProblem says why a line cannot be read as UTF-8 text, or ""
// when it can: a byte that is not UTF-8 (the file is in another
// encoding), or NUL bytes (UTF-16 without a byte order mark). what names
// the bytes in the message ("line", or a CSV cell by its column), and the
// byte offset counts from their start.
func encodingProblem(what string, line []byte) string {
	if bytes.IndexByte(line, 0) >= 0 {
		return what + " holds NUL bytes: the file may be UTF-16 without a byte order mark; save it as UTF-8 or give its encoding (utf-16le or utf-16be)"
	}
	if utf8.Valid(line) {
		return ""
	}
	at := FirstInvalidUTF8(line)
	return fmt.Sprintf("%s is not valid UTF-8 (byte 0x%02X at byte %d): the file is in another encoding; save it as UTF-8 or give its encoding (such as windows-1252)", what, line[at], at+1)
}

// FirstInvalidUTF8 is the offset of the first byte of b that does not
// start a valid UTF-8 character, len(b) when there is none.
func FirstInvalidUTF8(b []byte) int {
	for i := 0; i < len(b); {
		r, size := utf8.DecodeRune(b[i:])
		if r == utf8.RuneError && size == 1 {
			return i
		}
		i += size
	}
	return len(b)
}
