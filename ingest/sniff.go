package ingest

import (
	"regexp"
	"strings"
)

// LooksLikeHTML reports whether text pasted as an article is HTML (a saved
// page, or the source of one copied from a browser) rather than prose, so
// that it can be read as an uploaded page is instead of being kept with
// its tags. It is, when it starts with a doctype, an <html> or a <head>
// tag; or when it holds at least htmlTagsNeeded tags of the elements that
// carry an article (p, div, br, h1, a, li, ...), at least one of them a
// closing tag, and the markup shapes the text: it starts with a tag, most
// of its lines do, or there is a tag for every few words. Prose that
// mentions tags ("<p> opens a paragraph and </p> closes it") stays prose:
// read as a page, it would lose most of its words.
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
	}
	if tags < htmlTagsNeeded || !closing {
		return false
	}
	return strings.HasPrefix(head, "<") || mostLinesStartWithTag(text) || tags*wordsPerTag >= len(strings.Fields(text))
}

// htmlTagsNeeded is how many element tags make pasted text HTML.
const htmlTagsNeeded = 3

// wordsPerTag is the most words per tag of markup that is shaping the
// text rather than being written about: a fragment copied from a page's
// source ("votes<br>The mayor said<br/>...") has a tag every word or
// two, prose about tags one in dozens of words.
const wordsPerTag = 6

// mostLinesStartWithTag reports whether more than half of the lines with
// something on them start with a tag, as a page's source does.
func mostLinesStartWithTag(text string) bool {
	lines, tagged := 0, 0
	for line := range strings.Lines(text) {
		line = strings.TrimSpace(line)
		if line == "" {
			continue
		}
		lines++
		if line[0] == '<' {
			tagged++
		}
	}
	return tagged*2 > lines
}

// htmlTag matches an opening, closing or empty tag of an element that
// holds or shapes an article's text. Scripts, styles, images, forms and
// the page's head do not count: a paste of prose with a stray <script> or
// <img> in it is prose (kept literally, never run), while a page's source
// always has paragraphs, headings or divisions.
var htmlTag = regexp.MustCompile(`(?i)<(/?)(?:p|div|span|br|hr|a|h[1-6]|article|section|main|header|footer|nav|aside|ul|ol|li|em|strong|b|i|u|blockquote|q|figure|figcaption|table|thead|tbody|tr|td|th|time|address|cite|small|sup|sub)(?:\s[^<>]*)?/?>`)
