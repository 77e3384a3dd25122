// Package demo holds the invented event that Slant loads on first start with an
// empty database, so that a fresh `go run .` has something worth comparing.
//
// The event, the town, the outlets and every person in it are made up. One
// outlet writes in a plain wire-service style; the other two lean in opposite
// political directions and use loaded language in their own voice. The texts
// live in embedded files so that teachers can read them as plain text.
package demo

import (
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"path"
	"sort"
	"strings"
	"time"
)

//go:embed event.txt articles/*.txt
var files embed.FS

// Article is one invented outlet's report of the demo event.
type Article struct {
	Outlet      string    // display name of the outlet, e.g. "Riverlands Wire"
	Domain      string    // the outlet's web domain, always under the reserved .example TLD
	Title       string    // headline
	URL         string    // invented address of the article on Domain
	Text        string    // body text; paragraphs separated by a blank line
	PublishedAt time.Time // publication time, UTC
}

// Event is the invented demo event: one happening told by several outlets.
type Event struct {
	Title       string
	Description string
	Date        time.Time // day the event happened, midnight UTC
	Articles    []Article // neutral report first, then the slanted ones
}

// Load parses the embedded files and returns the demo event. The result is the
// same on every call: articles come in file-name order, neutral report first.
func Load() (Event, error) {
	return load(files)
}

func load(fsys fs.FS) (Event, error) {
	raw, err := fs.ReadFile(fsys, "event.txt")
	if err != nil {
		return Event{}, fmt.Errorf("demo: %w", err)
	}
	ev, err := parseEvent(string(raw))
	if err != nil {
		return Event{}, fmt.Errorf("demo: event.txt: %w", err)
	}

	names, err := fs.Glob(fsys, "articles/*.txt")
	if err != nil {
		return Event{}, fmt.Errorf("demo: %w", err)
	}
	sort.Strings(names)
	if len(names) == 0 {
		return Event{}, errors.New("demo: no articles embedded")
	}
	for _, name := range names {
		raw, err := fs.ReadFile(fsys, name)
		if err != nil {
			return Event{}, fmt.Errorf("demo: %w", err)
		}
		a, err := parseArticle(string(raw))
		if err != nil {
			return Event{}, fmt.Errorf("demo: %s: %w", path.Base(name), err)
		}
		ev.Articles = append(ev.Articles, a)
	}
	return ev, nil
}

func parseEvent(raw string) (Event, error) {
	head, body, err := split(raw, "title", "date")
	if err != nil {
		return Event{}, err
	}
	date, err := time.Parse(time.DateOnly, head["date"])
	if err != nil {
		return Event{}, fmt.Errorf("date: %w", err)
	}
	return Event{Title: head["title"], Description: body, Date: date}, nil
}

func parseArticle(raw string) (Article, error) {
	head, body, err := split(raw, "outlet", "domain", "title", "url", "published")
	if err != nil {
		return Article{}, err
	}
	published, err := time.Parse(time.RFC3339, head["published"])
	if err != nil {
		return Article{}, fmt.Errorf("published: %w", err)
	}
	u, err := url.Parse(head["url"])
	if err != nil {
		return Article{}, fmt.Errorf("url: %w", err)
	}
	if u.Scheme != "https" || u.Hostname() != head["domain"] {
		return Article{}, fmt.Errorf("url %q: want https on domain %q", head["url"], head["domain"])
	}
	if !strings.HasSuffix(head["domain"], ".example") {
		return Article{}, fmt.Errorf("domain %q: must use the reserved .example TLD", head["domain"])
	}
	return Article{
		Outlet:      head["outlet"],
		Domain:      head["domain"],
		Title:       head["title"],
		URL:         head["url"],
		Text:        body,
		PublishedAt: published.UTC(),
	}, nil
}

// split parses a header block of "key: value" lines, a blank line and a body.
// Every key in keys must appear exactly once and no other key may appear.
// Body paragraphs are separated by blank lines; lines inside a paragraph are
// joined with a space.
func split(raw string, keys ...string) (map[string]string, string, error) {
	raw = strings.ReplaceAll(raw, "\r\n", "\n")
	raw = strings.TrimPrefix(raw, "\ufeff")
	header, rest, ok := strings.Cut(raw, "\n\n")
	if !ok {
		return nil, "", errors.New("no blank line after the header")
	}

	want := make(map[string]bool, len(keys))
	for _, k := range keys {
		want[k] = true
	}
	head := make(map[string]string, len(keys))
	for i, line := range strings.Split(header, "\n") {
		k, v, ok := strings.Cut(line, ":")
		if !ok {
			return nil, "", fmt.Errorf("header line %d: want \"key: value\"", i+1)
		}
		k, v = strings.TrimSpace(k), strings.TrimSpace(v)
		switch {
		case !want[k]:
			return nil, "", fmt.Errorf("header line %d: unknown key %q", i+1, k)
		case head[k] != "":
			return nil, "", fmt.Errorf("header line %d: duplicate key %q", i+1, k)
		case v == "":
			return nil, "", fmt.Errorf("header line %d: empty value for %q", i+1, k)
		}
		head[k] = v
	}
	for _, k := range keys {
		if head[k] == "" {
			return nil, "", fmt.Errorf("header: missing key %q", k)
		}
	}

	var paras, cur []string
	for _, line := range strings.Split(rest, "\n") {
		if strings.TrimSpace(line) == "" {
			if len(cur) > 0 {
				paras = append(paras, strings.Join(cur, " "))
				cur = nil
			}
			continue
		}
		cur = append(cur, strings.Join(strings.Fields(line), " "))
	}
	if len(cur) > 0 {
		paras = append(paras, strings.Join(cur, " "))
	}
	if len(paras) == 0 {
		return nil, "", errors.New("empty body")
	}
	return head, strings.Join(paras, "\n\n"), nil
}
