package ingest

import (
	"bytes"
	"errors"
	"fmt"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// ErrUnreadablePage means an HTML page could not be read at all, even
// flattened: its elements nest in a way the HTML parser refuses, or the
// article finder failed on it. It is a problem with the page (the API
// answers 422), never with the server.
var ErrUnreadablePage = errors.New("the page could not be read as HTML")

// maxNesting is how deep a page's elements may nest for the article
// finder. Real pages nest a few dozen deep. The finder's work is the
// page's text times the depth of its elements (each element's text is
// measured), so a bound on the depth is what keeps it linear in the
// page: a 200 KB page of text nested 500 deep cost it 7 s and 3.8 GB of
// allocations, nested 64 deep about 1 s. The HTML parser itself refuses
// more than 512 open elements; the margin below that covers the elements
// it adds on its own (a table's body and rows) and those it opens again
// after a paragraph ends (bold, italics, links).
const maxNesting = 64

// parsePage parses a page, first flattened to maxNesting levels (see
// flatten; a page that nests no deeper is parsed as sent), then with its
// parsed tree flattened to maxNesting too, since the parser nests some
// elements deeper than their tags do. The HTML parser refuses more than
// 512 open elements: a page it refuses even so is ErrUnreadablePage.
func parsePage(page []byte, w *work) (*html.Node, error) {
	flat := flatten(page, maxNesting, w)
	w.tick(len(flat))
	doc, err := html.Parse(bytes.NewReader(flat))
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrUnreadablePage, err)
	}
	flattenTree(doc, maxNesting, w)
	return doc, nil
}

// flattenTree unwraps every element nested deeper than limit: the
// content of an element at depth limit becomes its text, in order, with
// a line break where a block element or a <br> was. Scripts, styles and
// the other elements that never give text go with their content. Pages
// no deeper than limit are left as they are.
func flattenTree(doc *html.Node, limit int, w *work) {
	type visit struct {
		n     *html.Node
		depth int
	}
	stack := []visit{{doc, 0}}
	for len(stack) > 0 {
		v := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		w.tick(1)
		if v.n.Type == html.ElementNode && v.depth >= limit {
			unwrapBelow(v.n, w)
			continue
		}
		for c := v.n.FirstChild; c != nil; c = c.NextSibling {
			stack = append(stack, visit{c, v.depth + 1})
		}
	}
}

// unwrapBelow replaces the content of n by its text nodes and line
// breaks (see flattenTree).
func unwrapBelow(n *html.Node, w *work) {
	var flat []*html.Node
	lineBreak := func() {
		if len(flat) == 0 || flat[len(flat)-1].DataAtom != atom.Br {
			flat = append(flat, &html.Node{Type: html.ElementNode, Data: "br", DataAtom: atom.Br})
		}
	}
	// Walk the content in document order; a nil entry marks the end of
	// a block element.
	var stack []*html.Node
	for c := n.LastChild; c != nil; c = c.PrevSibling {
		stack = append(stack, c)
	}
	for len(stack) > 0 {
		c := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		w.tick(1)
		switch {
		case c == nil:
			lineBreak()
		case c.Type == html.TextNode:
			flat = append(flat, &html.Node{Type: html.TextNode, Data: c.Data})
		case c.Type != html.ElementNode || skipTags[c.DataAtom]:
		case c.DataAtom == atom.Br:
			lineBreak()
		default:
			block := blockTags[c.DataAtom]
			if block {
				lineBreak()
				stack = append(stack, nil)
			}
			for g := c.LastChild; g != nil; g = g.PrevSibling {
				stack = append(stack, g)
			}
		}
	}
	for c := n.FirstChild; c != nil; c = n.FirstChild {
		n.RemoveChild(c)
	}
	for _, c := range flat {
		n.AppendChild(c)
	}
}

// openElement is an element the flattening pass has seen open.
type openElement struct {
	tag  atom.Atom
	name string
	kept bool // written out; false when it opened beyond the limit
}

// closeSearch bounds how far down the open elements an end tag or an
// implied end is looked for, so that a stray end tag costs a few steps
// however deep the page is.
const closeSearch = 16

// flatten writes the page again with every element that opens deeper
// than limit left out, start and end tag, its content kept in its place
// with a line break or a space for each tag dropped. It follows nesting the way a browser
// roughly does (void elements, self-closing tags in SVG and MathML, the
// end tags a new list item, row, cell or paragraph implies), well enough
// to keep the parser under its limit; what it keeps is written byte for
// byte. The text of a script or style that would lose its tag is dropped
// with it, so that code never becomes text.
func flatten(page []byte, limit int, w *work) []byte {
	z := html.NewTokenizer(bytes.NewReader(page))
	var out bytes.Buffer
	out.Grow(len(page))
	var stack []openElement
	foreign := 0     // open svg and math elements
	dropRaw := false // the next text is the content of a dropped script or style
	for {
		tt := z.Next()
		if tt == html.ErrorToken {
			break
		}
		raw := z.Raw()
		w.tick(len(raw))
		switch tt {
		case html.TextToken:
			if dropRaw {
				out.WriteByte(' ')
				dropRaw = false
				continue
			}
			out.Write(raw)
		case html.StartTagToken, html.SelfClosingTagToken:
			name, _ := z.TagName()
			tag := atom.Lookup(name)
			if voidElements[tag] || (tt == html.SelfClosingTagToken && foreign > 0) {
				out.Write(raw)
				continue
			}
			stack = closeImplied(stack, tag, w)
			kept := len(stack) < limit
			stack = append(stack, openElement{tag: tag, name: string(name), kept: kept})
			if tag == atom.Svg || tag == atom.Math {
				foreign++
			}
			if kept {
				out.Write(raw)
			} else {
				dropped(&out, tag)
				dropRaw = rawTextElements[tag] && tt == html.StartTagToken
			}
		case html.EndTagToken:
			name, _ := z.TagName()
			i := findOpen(stack, string(name), w)
			if i < 0 {
				out.Write(raw) // a stray end tag: the parser ignores it
				continue
			}
			kept := stack[i].kept
			for _, e := range stack[i:] {
				if e.tag == atom.Svg || e.tag == atom.Math {
					foreign--
				}
			}
			tag := stack[i].tag
			stack = stack[:i]
			dropRaw = false
			if kept {
				out.Write(raw)
			} else {
				dropped(&out, tag)
			}
		default: // comments and doctypes
			out.Write(raw)
		}
	}
	return out.Bytes()
}

// dropped writes what stands for a tag left out: a line break for a
// block element, so that its text stays a line of its own, and a space
// for any other, so that words do not run together.
func dropped(out *bytes.Buffer, tag atom.Atom) {
	if blockTags[tag] {
		out.WriteString("<br>")
		return
	}
	out.WriteByte(' ')
}

// findOpen returns the index of the open element named name among the
// closeSearch innermost ones, or -1.
func findOpen(stack []openElement, name string, w *work) int {
	for i := len(stack) - 1; i >= 0 && i >= len(stack)-closeSearch; i-- {
		w.tick(1)
		if stack[i].name == name {
			return i
		}
	}
	return -1
}

// closeImplied closes the elements a start tag ends without an end tag of
// their own: an open list item before a new one, a row or cell before a
// new one, a paragraph before a block. It looks only among the
// closeSearch innermost elements.
func closeImplied(stack []openElement, tag atom.Atom, w *work) []openElement {
	rule, ok := impliedEnds[tag]
	if !ok {
		if !closesParagraph[tag] {
			return stack
		}
		rule = paragraphEnd
	}
	for i := len(stack) - 1; i >= 0 && i >= len(stack)-closeSearch; i-- {
		w.tick(1)
		switch {
		case rule.closes[stack[i].tag]:
			return stack[:i]
		case rule.stops[stack[i].tag]:
			return stack
		}
	}
	return stack
}

// impliedEnd says which open element a start tag closes (the innermost of
// closes), unless one of stops is met first.
type impliedEnd struct{ closes, stops map[atom.Atom]bool }

// impliedEnds are the start tags that close an element of their kind.
var impliedEnds = map[atom.Atom]impliedEnd{
	atom.Li:     {set(atom.Li, atom.P), set(atom.Ul, atom.Ol, atom.Menu)},
	atom.Dd:     {set(atom.Dd, atom.Dt, atom.P), set(atom.Dl)},
	atom.Dt:     {set(atom.Dd, atom.Dt, atom.P), set(atom.Dl)},
	atom.Tr:     {set(atom.Tr, atom.Td, atom.Th), set(atom.Table, atom.Tbody, atom.Thead, atom.Tfoot)},
	atom.Td:     {set(atom.Td, atom.Th), set(atom.Tr, atom.Table)},
	atom.Th:     {set(atom.Td, atom.Th), set(atom.Tr, atom.Table)},
	atom.Option: {set(atom.Option), set(atom.Select, atom.Datalist)},
}

// paragraphEnd is how a block's start tag closes an open paragraph.
var paragraphEnd = impliedEnd{set(atom.P), set(atom.Button, atom.Table, atom.Td, atom.Th, atom.Div, atom.Body)}

// set is a small set of atoms.
func set(tags ...atom.Atom) map[atom.Atom]bool {
	s := make(map[atom.Atom]bool, len(tags))
	for _, t := range tags {
		s[t] = true
	}
	return s
}

// voidElements never have content or an end tag.
var voidElements = set(atom.Area, atom.Base, atom.Br, atom.Col, atom.Embed, atom.Hr, atom.Img,
	atom.Input, atom.Keygen, atom.Link, atom.Meta, atom.Param, atom.Source, atom.Track, atom.Wbr)

// rawTextElements hold text the tokenizer reads up to their end tag
// without looking for markup.
var rawTextElements = set(atom.Script, atom.Style, atom.Textarea, atom.Title, atom.Xmp,
	atom.Iframe, atom.Noembed, atom.Noframes, atom.Noscript, atom.Plaintext)

// closesParagraph are the start tags that end an open paragraph.
var closesParagraph = set(atom.Address, atom.Article, atom.Aside, atom.Blockquote, atom.Details,
	atom.Div, atom.Dl, atom.Fieldset, atom.Figcaption, atom.Figure, atom.Footer, atom.Form,
	atom.H1, atom.H2, atom.H3, atom.H4, atom.H5, atom.H6, atom.Header, atom.Hgroup, atom.Hr,
	atom.Main, atom.Menu, atom.Nav, atom.Ol, atom.P, atom.Pre, atom.Section, atom.Table, atom.Ul)
