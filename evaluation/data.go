package evaluation

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"unicode/utf8"
)

// BasilSpan is one annotated stretch of a BASIL article. Start/End count
// code points, ByteStart/ByteEnd count UTF-8 bytes; the metrics use the
// byte offsets, as the analyzer's offsets are bytes.
type BasilSpan struct {
	Start     int    `json:"start"`
	End       int    `json:"end"`
	ByteStart int    `json:"byte_start"`
	ByteEnd   int    `json:"byte_end"`
	Text      string `json:"text"`
	// Kind is "lexical" (word choice) or "informational" (content
	// selection).
	Kind string `json:"kind"`
	// Quote tells whether the span sits inside a quotation.
	Quote    bool   `json:"quote"`
	Polarity string `json:"polarity"`
	Target   string `json:"target"`
}

// BasilArticle is one outlet's article on a BASIL event, with its bias
// spans. Three articles share each Event.
type BasilArticle struct {
	ID             string      `json:"id"`
	Event          string      `json:"event"`
	EventTitle     string      `json:"event_title"`
	Outlet         string      `json:"outlet"`
	Date           string      `json:"date"`
	Title          string      `json:"title"`
	RelativeStance string      `json:"relative_stance"`
	Text           string      `json:"text"`
	Spans          []BasilSpan `json:"spans"`
}

// BabeSentence is one BABE sentence with the experts' verdict and the
// words they marked as biased.
type BabeSentence struct {
	ID          string   `json:"id"`
	Text        string   `json:"text"`
	Biased      bool     `json:"biased"`
	BiasedWords []string `json:"biased_words"`
	Opinion     string   `json:"opinion"`
	Outlet      string   `json:"outlet"`
	Topic       string   `json:"topic"`
	Type        string   `json:"type"`
}

// WNCPair is a biased Wikipedia sentence and its neutralised edit, both
// tokenised and lower-cased by the corpus.
type WNCPair struct {
	ID      string `json:"id"`
	Biased  string `json:"biased"`
	Neutral string `json:"neutral"`
}

// AllSidesText is a headline and its opening paragraphs (separated by
// blank lines).
type AllSidesText struct {
	Title string `json:"title"`
	Text  string `json:"text"`
}

// AllSidesArticle is one outlet's version of an AllSides story.
type AllSidesArticle struct {
	Stance         string `json:"stance"`
	StanceSpecific string `json:"stance_specific"`
	Outlet         string `json:"outlet"`
	AllSidesText
}

// AllSidesStory is one AllSides roundup: several outlets' versions of a
// story and the editors' neutral summary.
type AllSidesStory struct {
	ID       string            `json:"id"`
	Issue    string            `json:"issue"`
	Topic    string            `json:"topic"`
	Date     string            `json:"date"`
	Articles []AllSidesArticle `json:"articles"`
	Neutral  AllSidesText      `json:"neutral"`
}

// Document is the text the analyzer reads for an AllSides text: the
// title, a blank line, then the paragraphs.
func (t AllSidesText) Document() string {
	if t.Title == "" {
		return t.Text
	}
	return t.Title + "\n\n" + t.Text
}

// Data is the labelled records of the datasets that were loaded; a dataset
// not loaded is nil.
type Data struct {
	Basil    []BasilArticle
	Babe     []BabeSentence
	WNC      []WNCPair
	AllSides []AllSidesStory
	GVFC     []GVFCHeadline
	SemEval  []SemEvalArticle
}

// Load reads the named datasets from dir (basil.jsonl, babe.jsonl, ...).
func Load(dir string, datasets []Dataset) (Data, error) {
	var d Data
	for _, ds := range datasets {
		path := filepath.Join(dir, string(ds)+".jsonl")
		f, err := os.Open(path)
		if err != nil {
			return Data{}, fmt.Errorf("open dataset: %w", err)
		}
		switch ds {
		case Basil:
			d.Basil, err = ReadBasil(f)
		case Babe:
			d.Babe, err = ReadBabe(f)
		case WNC:
			d.WNC, err = ReadWNC(f)
		case AllSides:
			d.AllSides, err = ReadAllSides(f)
		case FramingGVFC:
			d.GVFC, err = ReadGVFC(f)
		case FramingSemEval:
			d.SemEval, err = ReadSemEval(f)
		default:
			err = fmt.Errorf("unknown dataset %q", ds)
		}
		f.Close()
		if err != nil {
			return Data{}, fmt.Errorf("load %s: %w", path, err)
		}
	}
	return d, nil
}

// ReadBasil decodes BASIL articles, one JSON object a line. A malformed
// line, a missing field, a span whose byte offsets fall outside the text
// or do not hold the span's text, or a repeated id is an error naming the
// line.
func ReadBasil(r io.Reader) ([]BasilArticle, error) {
	return readLines(r, func(line []byte) (BasilArticle, string, error) {
		var a BasilArticle
		if err := strictJSON(line, &a, "id", "event", "text", "spans"); err != nil {
			return a, "", err
		}
		if err := need("id", a.ID, "event", a.Event, "text", a.Text); err != nil {
			return a, "", err
		}
		for i, s := range a.Spans {
			if err := checkBasilSpan(a.Text, s); err != nil {
				return a, "", fmt.Errorf("span %d: %w", i, err)
			}
		}
		return a, a.ID, nil
	})
}

func checkBasilSpan(text string, s BasilSpan) error {
	if s.Kind != "lexical" && s.Kind != "informational" {
		return fmt.Errorf("kind %q is neither lexical nor informational", s.Kind)
	}
	if s.ByteStart < 0 || s.ByteStart > s.ByteEnd || s.ByteEnd > len(text) {
		return fmt.Errorf("byte range [%d, %d) outside the text's %d bytes", s.ByteStart, s.ByteEnd, len(text))
	}
	if got := text[s.ByteStart:s.ByteEnd]; got != s.Text {
		return fmt.Errorf("byte range [%d, %d) holds %q, not the span text %q", s.ByteStart, s.ByteEnd, got, s.Text)
	}
	return nil
}

// ReadBabe decodes BABE sentences, one JSON object a line; a malformed
// line, a missing id, text, biased or biased_words field (the word metric
// needs it), or a repeated id is an error naming the line.
func ReadBabe(r io.Reader) ([]BabeSentence, error) {
	return readSentences(r, "id", "text", "biased", "biased_words")
}

// ReadLabelledSentences decodes a researcher's labelled sentences in the
// BABE record shape, of which only id, text and biased are required: that
// is all `slant calibrate` uses.
func ReadLabelledSentences(r io.Reader) ([]BabeSentence, error) {
	return readSentences(r, "id", "text", "biased")
}

func readSentences(r io.Reader, required ...string) ([]BabeSentence, error) {
	return readLines(r, func(line []byte) (BabeSentence, string, error) {
		var s BabeSentence
		if err := strictJSON(line, &s, required...); err != nil {
			return s, "", err
		}
		return s, s.ID, need("id", s.ID, "text", s.Text)
	})
}

// ReadWNC decodes WNC pairs, one JSON object a line; a malformed line, a
// missing or empty field, or a repeated id is an error naming the line.
func ReadWNC(r io.Reader) ([]WNCPair, error) {
	return readLines(r, func(line []byte) (WNCPair, string, error) {
		var p WNCPair
		if err := strictJSON(line, &p, "id", "biased", "neutral"); err != nil {
			return p, "", err
		}
		return p, p.ID, need("id", p.ID, "biased", p.Biased, "neutral", p.Neutral)
	})
}

// ReadAllSides decodes AllSides stories, one JSON object a line; a
// malformed line, a missing id, a story without outlet articles, an empty
// text or a repeated id is an error naming the line.
func ReadAllSides(r io.Reader) ([]AllSidesStory, error) {
	return readLines(r, func(line []byte) (AllSidesStory, string, error) {
		var s AllSidesStory
		if err := strictJSON(line, &s, "id", "articles", "neutral"); err != nil {
			return s, "", err
		}
		if err := need("id", s.ID, "neutral text", s.Neutral.Text); err != nil {
			return s, "", err
		}
		if len(s.Articles) == 0 {
			return s, "", errors.New("no outlet articles")
		}
		for i, a := range s.Articles {
			if strings.TrimSpace(a.Text) == "" {
				return s, "", fmt.Errorf("article %d (%s) has no text", i, a.Outlet)
			}
		}
		return s, s.ID, nil
	})
}

// readLines decodes one record per line with parse, which returns the
// record, its id and any error. Blank lines are skipped; an error is
// wrapped with the 1-based line number.
func readLines[T any](r io.Reader, parse func([]byte) (T, string, error)) ([]T, error) {
	var out []T
	seen := map[string]int{}
	br := bufio.NewReaderSize(r, 1<<16)
	for n := 1; ; n++ {
		line, err := br.ReadBytes('\n')
		if err != nil && !errors.Is(err, io.EOF) {
			return nil, fmt.Errorf("line %d: %w", n, err)
		}
		if trimmed := bytes.TrimSpace(line); len(trimmed) > 0 {
			if !utf8.Valid(trimmed) {
				return nil, fmt.Errorf("line %d: not valid UTF-8", n)
			}
			rec, id, perr := parse(trimmed)
			if perr != nil {
				return nil, fmt.Errorf("line %d: %w", n, perr)
			}
			if first, dup := seen[id]; dup {
				return nil, fmt.Errorf("line %d: id %q already used on line %d", n, id, first)
			}
			seen[id] = n
			out = append(out, rec)
		}
		if errors.Is(err, io.EOF) {
			return out, nil
		}
	}
}

// strictJSON decodes one JSON object into v and checks that the required
// keys are present (a missing boolean would otherwise read as false).
func strictJSON(line []byte, v any, required ...string) error {
	var keys map[string]json.RawMessage
	if err := json.Unmarshal(line, &keys); err != nil {
		return fmt.Errorf("decode record: %w", err)
	}
	for _, k := range required {
		if raw, ok := keys[k]; !ok || string(raw) == "null" {
			return fmt.Errorf("missing field %q", k)
		}
	}
	if err := json.Unmarshal(line, v); err != nil {
		return fmt.Errorf("decode record: %w", err)
	}
	return nil
}

// need takes alternating field names and values and reports the first
// field that is blank.
func need(namesAndValues ...string) error {
	for i := 0; i+1 < len(namesAndValues); i += 2 {
		if strings.TrimSpace(namesAndValues[i+1]) == "" {
			return fmt.Errorf("empty field %q", namesAndValues[i])
		}
	}
	return nil
}
