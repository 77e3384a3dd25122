package ingest

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// skipTags never contribute text: code, embedded objects, form controls
// and document metadata.
var skipTags = map[atom.Atom]bool{
	atom.Script: true, atom.Style: true, atom.Noscript: true, atom.Template: true,
	atom.Iframe: true, atom.Frame: true, atom.Frameset: true, atom.Object: true,
	atom.Embed: true, atom.Applet: true, atom.Svg: true, atom.Math: true, atom.Canvas: true,
	atom.Button: true, atom.Input: true, atom.Select: true, atom.Option: true,
	atom.Textarea: true, atom.Form: true, atom.Audio: true, atom.Video: true,
	atom.Source: true, atom.Track: true, atom.Map: true, atom.Head: true, atom.Title: true,
	atom.Meta: true, atom.Link: true, atom.Base: true, atom.Dialog: true,
}

// pageChromeTags are skipped when reading a whole page without
// readability's help.
var pageChromeTags = map[atom.Atom]bool{
	atom.Nav: true, atom.Header: true, atom.Footer: true, atom.Aside: true, atom.Menu: true,
}

// blockTags start and end a paragraph of output.
var blockTags = map[atom.Atom]bool{
	atom.Address: true, atom.Article: true, atom.Aside: true, atom.Blockquote: true,
	atom.Body: true, atom.Caption: true, atom.Center: true, atom.Dd: true, atom.Details: true,
	atom.Dir: true, atom.Div: true, atom.Dl: true, atom.Dt: true, atom.Fieldset: true,
	atom.Figcaption: true, atom.Figure: true, atom.Footer: true, atom.H1: true, atom.H2: true,
	atom.H3: true, atom.H4: true, atom.H5: true, atom.H6: true, atom.Header: true,
	atom.Hgroup: true, atom.Hr: true, atom.Legend: true, atom.Li: true, atom.Main: true,
	atom.Menu: true, atom.Nav: true, atom.Ol: true, atom.P: true, atom.Pre: true,
	atom.Section: true, atom.Summary: true, atom.Table: true, atom.Tbody: true,
	atom.Tfoot: true, atom.Thead: true, atom.Tr: true, atom.Ul: true, atom.Html: true,
}

// blockText renders a DOM subtree as plain text: one paragraph per block
// element, paragraphs separated by a blank line, <br> as a line break,
// white space collapsed, no text from script, style or form elements.
// With skipChrome it also leaves out nav, header, footer, aside and menu.
func blockText(root *html.Node, skipChrome bool) string {
	var paras []string
	var cur strings.Builder
	// <br> is written as \v so that it survives white-space collapsing and
	// becomes a line break inside its paragraph at the end.
	flush := func() {
		if t := collapseSpace(cur.String()); t != "" {
			paras = append(paras, t)
		}
		cur.Reset()
	}
	var walk func(n *html.Node, depth int)
	walk = func(n *html.Node, depth int) {
		if depth > 512 {
			return
		}
		switch n.Type {
		case html.TextNode:
			cur.WriteString(n.Data)
			return
		case html.ElementNode:
			if skipTags[n.DataAtom] || (skipChrome && pageChromeTags[n.DataAtom]) {
				return
			}
			if n.DataAtom == 0 && strings.Contains(n.Data, "script") {
				return
			}
			switch n.DataAtom {
			case atom.Br:
				cur.WriteString("\v")
				return
			case atom.Td, atom.Th:
				cur.WriteString(" ")
			case atom.Img:
				return
			}
		case html.DocumentNode:
		default:
			return
		}
		block := n.Type == html.ElementNode && blockTags[n.DataAtom]
		if block {
			flush()
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c, depth+1)
		}
		if block {
			flush()
		}
	}
	walk(root, 0)
	flush()
	for i, p := range paras {
		paras[i] = strings.ReplaceAll(p, "\v", "\n")
	}
	return strings.Join(paras, "\n\n")
}

// DropControls removes the control characters a page's text has no use
// for: the C0 controls (U+0000 to U+001F) but tab, line feed and carriage
// return, and DEL (U+007F). They are what the store refuses in a text
// (models.ControlCharacter); text taken from a page or a fetched file is
// read, not typed, so they are dropped rather than refused.
func DropControls(s string) string {
	clean := true
	for i := 0; i < len(s); i++ {
		if isDroppedControl(s[i]) {
			clean = false
			break
		}
	}
	if clean {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); i++ {
		if !isDroppedControl(s[i]) {
			b.WriteByte(s[i])
		}
	}
	return b.String()
}

// isDroppedControl reports whether DropControls drops byte c (a control
// character is one byte in UTF-8, and no byte of a longer character is
// below 0x80).
func isDroppedControl(c byte) bool {
	return (c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c == 0x7f
}

// collapseSpace trims s and turns each run of white space into one space,
// keeping \v (a <br> marker) as a line break.
func collapseSpace(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	space := false
	for _, r := range s {
		switch {
		case r == '\v':
			b.WriteRune('\v')
			space = false
		case unicode.IsSpace(r):
			space = true
		default:
			if space && b.Len() > 0 {
				if last, _ := utf8.DecodeLastRuneInString(b.String()); last != '\v' {
					b.WriteByte(' ')
				}
			}
			space = false
			b.WriteRune(r)
		}
	}
	return strings.Trim(b.String(), "\v")
}

// defang makes plain text inert where it quotes markup: a "<" that would
// open a tag, comment or declaration becomes "‹", and the javascript: and
// vbscript: schemes lose their colon. Nothing else changes.
func defang(s string) string {
	if strings.IndexByte(s, '<') < 0 && !strings.Contains(strings.ToLower(s), "script:") {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c == '<' && i+1 < len(s) {
			n := s[i+1]
			if n == '/' || n == '!' || n == '?' || (n|0x20 >= 'a' && n|0x20 <= 'z') {
				b.WriteString("‹")
				continue
			}
		}
		b.WriteByte(c)
	}
	return dropSchemeColons(b.String())
}

// dropSchemeColons removes the colon after every ASCII-case-insensitive
// "javascript:" or "vbscript:", keeping the word as written.
func dropSchemeColons(s string) string {
	lower := strings.ToLower(s)
	if !strings.Contains(lower, "script:") {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); i++ {
		if s[i] == ':' && (hasFoldSuffix(b.String(), "javascript") || hasFoldSuffix(b.String(), "vbscript")) {
			continue
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

// hasFoldSuffix reports whether s ends with the ASCII word suffix, in any
// case.
func hasFoldSuffix(s, suffix string) bool {
	return len(s) >= len(suffix) && strings.EqualFold(s[len(s)-len(suffix):], suffix)
}

// plainField makes a metadata value safe plain text: valid UTF-8, no
// markup, white space collapsed, at most max runes.
func plainField(s string, max int) string {
	s = DropControls(strings.ToValidUTF8(s, "\uFFFD"))
	if strings.IndexByte(s, '<') >= 0 {
		s = blockTextFragment(s)
	}
	s = defang(collapseSpace(strings.ReplaceAll(s, "\v", " ")))
	s = strings.ReplaceAll(s, "\v", " ")
	if utf8.RuneCountInString(s) > max {
		s = string([]rune(s)[:max])
	}
	return strings.TrimSpace(s)
}

// blockTextFragment strips markup from a metadata value that contains
// some, keeping only its text.
func blockTextFragment(s string) string {
	nodes, err := html.ParseFragment(strings.NewReader(s), &html.Node{Type: html.ElementNode, Data: "div", DataAtom: atom.Div})
	if err != nil {
		return s
	}
	var parts []string
	for _, n := range nodes {
		parts = append(parts, strings.ReplaceAll(blockText(n, false), "\n", " "))
	}
	return strings.Join(parts, " ")
}
