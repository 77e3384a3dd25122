package ingest

import (
	"regexp"
	"strings"
)

// LooksLikeHTML reports whether text pasted as an article is HTML (a saved
// page, or the source of one copied from a browser) rather than prose, so
// that it can be read as an uploaded page is instead of being kept with
// its tags. It is, when it starts with a doctype, an <html> or a <head>
// tag, or when it holds at least htmlTagsNeeded tags of the elements that
// carry an article (p, div, br, h1, a, li, ...), at least one of them a
// closing tag. Prose that mentions a tag or two ("use the <p> element")
// stays prose.
func LooksLikeHTML(text string) bool {
	head := strings.ToLower(strings.TrimSpace(text[:min(len(text), 512)]))
	head = strings.TrimPrefix(head, "\ufeff")
	for _, start := range []string{"<!doctype html", "<html", "<head"} {
		if strings.HasPrefix(head, start) {
			return true
		}
	}
	tags, closing := 0, false
	for _, m := range htmlTag.FindAllStringSubmatch(text, -1) {
		tags++
		if m[1] == "/" {
			closing = true
		}
		if tags >= htmlTagsNeeded && closing {
			return true
		}
	}
	return false
}

// htmlTagsNeeded is how many element tags make pasted text HTML.
const htmlTagsNeeded = 3

// htmlTag matches an opening, closing or empty tag of an element that
// holds or shapes an article's text. Scripts, styles, images, forms and
// the page's head do not count: a paste of prose with a stray <script> or
// <img> in it is prose (kept literally, never run), while a page's source
// always has paragraphs, headings or divisions.
var htmlTag = regexp.MustCompile(`(?i)<(/?)(?:p|div|span|br|hr|a|h[1-6]|article|section|main|header|footer|nav|aside|ul|ol|li|em|strong|b|i|u|blockquote|q|figure|figcaption|table|thead|tbody|tr|td|th|time|address|cite|small|sup|sub)(?:\s[^<>]*)?/?>`)
