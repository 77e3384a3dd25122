package ingest

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestLooksLikeHTML(t *testing.T) {
	tests := []struct {
		name string
		text string
		want bool
	}{
		{"a saved page", "<!DOCTYPE html>\n<html><head><title>x</title></head><body><p>Hi</p></body></html>", true},
		{"a page without a doctype", "  <html lang=\"en\"><body>Council votes</body></html>", true},
		{"a byte order mark first", "\ufeff<!doctype html><p>x</p>", true},
		{"the article's markup copied from the source", "<h1>Council votes to close camp</h1>\n<p class=\"lead\">Halvern's council voted 5-4.</p>\n<p>The mayor said…</p>", true},
		{"a fragment with line breaks", "Council votes<br>The mayor said<br/>More<br />and <b>more</b>", true},
		{"prose", "Halvern's council voted 5-4 on Tuesday to close the camp.\n\nThe mayor said it was a hard choice.", false},
		{"prose that names a tag", "Use the <p> element for paragraphs and <br> for a line break in a poem.", false},
		// Read as a page, this explainer would lose most of its words.
		{"prose about tags, closing ones too", "Web pages are built from tags. A <p> tag starts a paragraph, an <h1> tag starts the main heading, and </p> closes the paragraph again. Students in the newsroom course learn these on their first morning, long before they write a story of their own.", false},
		{"the source of paragraphs, one a line", "Council votes\n<p>Halvern's council voted 5-4 on Tuesday to close the riverside camp and open a shelter.</p>\n<p>The mayor said it had been a hard choice for everyone on the council.</p>", true},
		{"angle brackets in maths", "If a < b and b > c, then nothing follows about a and c.", false},
		{"tags without an end", "<p>one <p>two <p>three", false},
		{"prose with a stray script and image", "The council met.\n\n<script>window.x=1</script><img src=x onerror=\"y()\">\n\nIt voted.", false},
		{"empty", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, LooksLikeHTML(tt.text))
		})
	}
	// Linear in the text: a long prose paste is looked at once.
	assert.False(t, LooksLikeHTML(strings.Repeat("A plain sentence about the vote. ", 20000)))
}
