package llm

import (
	"bytes"
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

// errNotJSON means the answer held no JSON value that could be read.
var errNotJSON = errors.New("answer holds no JSON value")

// maxJSONStarts bounds how many "{" or "[" positions extractJSON tries.
const maxJSONStarts = 64

// extractJSON finds the JSON value in a model's answer: it drops
// <think>…</think> reasoning, prefers the first fenced code block, and
// returns the first "{" or "[" from which a whole JSON value decodes.
func extractJSON(content string) (json.RawMessage, error) {
	content = stripThinking(content)
	candidates := []string{}
	if block, ok := firstFence(content); ok {
		candidates = append(candidates, block)
	}
	candidates = append(candidates, content)
	for _, c := range candidates {
		if raw, ok := firstValue(c); ok {
			return raw, nil
		}
	}
	return nil, errNotJSON
}

// stripThinking removes reasoning blocks that some models (DeepSeek R1,
// Qwen3) put before the answer. An unclosed block leaves nothing.
func stripThinking(s string) string {
	for {
		start := strings.Index(s, "<think>")
		if start < 0 {
			return s
		}
		end := strings.Index(s[start:], "</think>")
		if end < 0 {
			return s[:start]
		}
		s = s[:start] + s[start+end+len("</think>"):]
	}
}

// firstFence returns the body of the first ``` fenced block.
func firstFence(s string) (string, bool) {
	open := strings.Index(s, "```")
	if open < 0 {
		return "", false
	}
	body := s[open+3:]
	if nl := strings.IndexByte(body, '\n'); nl >= 0 && !strings.ContainsAny(body[:nl], "{[") {
		body = body[nl+1:] // the info string: ```json
	}
	end := strings.Index(body, "```")
	if end < 0 {
		return "", false
	}
	return body[:end], true
}

// firstValue decodes the first JSON object or array in s.
func firstValue(s string) (json.RawMessage, bool) {
	for tries, i := 0, 0; tries < maxJSONStarts; tries++ {
		j := strings.IndexAny(s[i:], "{[")
		if j < 0 {
			return nil, false
		}
		i += j
		var raw json.RawMessage
		if err := json.NewDecoder(strings.NewReader(s[i:])).Decode(&raw); err == nil {
			return raw, true
		}
		i++
	}
	return nil, false
}

// drop is one answered item that failed validation, and why.
type drop struct {
	ID     string
	Reason string
}

// parsedSentences is a chunk's validated answer: judgements with ids
// local to the chunk. It is what the cache stores.
type parsedSentences struct {
	Judgements []localJudgement `json:"judgements"`
	Dropped    int              `json:"dropped"`
}

// localJudgement is a judgement before its id is mapped to the article.
type localJudgement struct {
	ID          int      `json:"id"`
	Type        BiasType `json:"type"`
	Strength    float64  `json:"strength"`
	Explanation string   `json:"explanation"`
	Rewrite     string   `json:"rewrite"`
}

// parseSentences reads and validates a sentence answer for a chunk of
// these sentence texts (ids 0..len-1). It fails only when the answer holds
// no JSON or no item list; bad items are dropped and reported.
func parseSentences(content string, texts []string) (parsedSentences, []drop, error) {
	raw, err := extractJSON(content)
	if err != nil {
		return parsedSentences{}, nil, err
	}
	items, err := itemList(raw)
	if err != nil {
		return parsedSentences{}, nil, err
	}
	var drops []drop
	valid := make([]localJudgement, 0, len(items))
	for k, item := range items {
		j, reason := checkJudgement(item, texts)
		if reason != "" {
			drops = append(drops, drop{ID: itemID(item, k), Reason: reason})
			continue
		}
		valid = append(valid, j)
	}
	seen := map[int]int{}
	for _, j := range valid {
		seen[j.ID]++
	}
	out := parsedSentences{Judgements: make([]localJudgement, 0, len(valid))}
	for _, j := range valid {
		if seen[j.ID] > 1 {
			drops = append(drops, drop{ID: fmt.Sprint(j.ID), Reason: fmt.Sprintf("sentence id answered %d times", seen[j.ID])})
			continue
		}
		out.Judgements = append(out.Judgements, j)
	}
	out.Dropped = len(drops)
	sortJudgements(out.Judgements)
	return out, drops, nil
}

// itemList finds the list of judgements: the "sentences" array of the
// answer object, the only array-valued field of an object, or a bare
// array.
func itemList(raw json.RawMessage) ([]json.RawMessage, error) {
	raw = bytes.TrimSpace(raw)
	var items []json.RawMessage
	if len(raw) > 0 && raw[0] == '[' {
		if err := json.Unmarshal(raw, &items); err != nil {
			return nil, fmt.Errorf("decode judgement list: %w", err)
		}
		return items, nil
	}
	var obj map[string]json.RawMessage
	if err := json.Unmarshal(raw, &obj); err != nil {
		return nil, fmt.Errorf("decode answer object: %w", err)
	}
	if v, ok := obj["sentences"]; ok {
		if err := json.Unmarshal(v, &items); err != nil {
			return nil, fmt.Errorf("answer field sentences is not a list: %w", err)
		}
		return items, nil
	}
	var found []json.RawMessage
	arrays := 0
	for _, v := range obj {
		var xs []json.RawMessage
		if json.Unmarshal(v, &xs) == nil {
			arrays++
			found = xs
		}
	}
	if arrays != 1 {
		return nil, errors.New("answer object has no sentences list")
	}
	return found, nil
}

// itemID is the id an item claims, for the log, or its position.
func itemID(item json.RawMessage, k int) string {
	var obj map[string]json.RawMessage
	if json.Unmarshal(item, &obj) == nil {
		if id, ok := obj["id"]; ok && len(id) <= 20 {
			return string(id)
		}
	}
	return fmt.Sprintf("item %d", k)
}

// checkJudgement validates one item; reason is "" when it is kept.
func checkJudgement(item json.RawMessage, texts []string) (localJudgement, string) {
	var f map[string]json.RawMessage
	if err := json.Unmarshal(item, &f); err != nil {
		return localJudgement{}, "not a JSON object"
	}
	var j localJudgement
	id, ok := integer(f["id"])
	switch {
	case !ok:
		return j, "id is not a whole number"
	case id < 0 || id >= len(texts):
		return j, fmt.Sprintf("id %d is not a sentence of this chunk (0..%d)", id, len(texts)-1)
	}
	j.ID = id
	var typ string
	if json.Unmarshal(f["type"], &typ) != nil {
		return j, "type is not a string"
	}
	j.Type = BiasType(strings.TrimSpace(typ))
	if !j.Type.Valid() {
		return j, fmt.Sprintf("unknown bias type %q", truncateRunes(typ, 40))
	}
	strength, ok := number(f["strength"])
	if !ok || strength < 0 || strength > 1 {
		return j, "strength is not a number from 0 to 1"
	}
	j.Strength = strength
	var expl string
	if json.Unmarshal(f["explanation"], &expl) != nil {
		return j, "explanation is not a string"
	}
	j.Explanation = clean(expl)
	switch n := utf8.RuneCountInString(j.Explanation); {
	case n == 0:
		return j, "explanation is empty"
	case n > maxExplanationRunes:
		return j, fmt.Sprintf("explanation is %d characters long (at most %d)", n, maxExplanationRunes)
	}
	if raw, ok := f["rewrite"]; ok && string(raw) != "null" {
		var rw string
		if json.Unmarshal(raw, &rw) != nil {
			return j, "rewrite is not a string"
		}
		j.Rewrite = clean(rw)
	}
	sentence := clean(texts[id])
	if j.Rewrite == sentence {
		j.Rewrite = "" // the sentence itself is no rewrite
	}
	if j.Type == TypeNone && j.Rewrite != "" {
		return j, "rewrite given for a sentence typed none"
	}
	limit := min(max(minRewriteRunes, 3*utf8.RuneCountInString(sentence)), maxRewriteRunes)
	if n := utf8.RuneCountInString(j.Rewrite); n > limit {
		return j, fmt.Sprintf("rewrite is %d characters long (at most %d)", n, limit)
	}
	return j, ""
}

// integer reads a JSON number that is a whole number (3 or 3.0).
func integer(raw json.RawMessage) (int, bool) {
	x, ok := number(raw)
	if !ok || x != math.Trunc(x) || math.Abs(x) > 1e9 {
		return 0, false
	}
	return int(x), true
}

// number reads a finite JSON number; strings are not numbers.
func number(raw json.RawMessage) (float64, bool) {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || !(raw[0] == '-' || raw[0] >= '0' && raw[0] <= '9') {
		return 0, false
	}
	var x float64
	if json.Unmarshal(raw, &x) != nil || math.IsNaN(x) || math.IsInf(x, 0) {
		return 0, false
	}
	return x, true
}

// clean drops control and format characters and collapses every run of
// white space to one space, trimming the ends.
func clean(s string) string {
	var b strings.Builder
	space := false
	for _, r := range s {
		switch {
		case unicode.IsSpace(r):
			space = b.Len() > 0
		case unicode.IsControl(r) || unicode.Is(unicode.Cf, r) || r == utf8.RuneError:
		default:
			if space {
				b.WriteByte(' ')
				space = false
			}
			b.WriteRune(r)
		}
	}
	return b.String()
}

// truncateRunes cuts s to at most n characters, for log messages.
func truncateRunes(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return string([]rune(s)[:n]) + "…"
}

func sortJudgements(js []localJudgement) {
	slices.SortFunc(js, func(a, b localJudgement) int { return cmp.Compare(a.ID, b.ID) })
}

// parseFacts reads and validates an agreed-facts answer for these outlets.
// A missing or bad summary makes the whole answer unusable; bad facts are
// dropped and reported.
func parseFacts(content string, outlets []string) (AgreedFacts, []drop, error) {
	raw, err := extractJSON(content)
	if err != nil {
		return AgreedFacts{}, nil, err
	}
	var obj map[string]json.RawMessage
	if err := json.Unmarshal(raw, &obj); err != nil {
		return AgreedFacts{}, nil, fmt.Errorf("decode answer object: %w", err)
	}
	var summary string
	if json.Unmarshal(obj["summary"], &summary) != nil {
		return AgreedFacts{}, nil, errors.New("answer has no summary string")
	}
	out := AgreedFacts{Summary: clean(summary), Facts: []Fact{}}
	switch n := utf8.RuneCountInString(out.Summary); {
	case n == 0:
		return AgreedFacts{}, nil, errors.New("answer summary is empty")
	case n > maxSummaryRunes:
		return AgreedFacts{}, nil, fmt.Errorf("answer summary is %d characters long (at most %d)", n, maxSummaryRunes)
	}
	var items []json.RawMessage
	if raw, ok := obj["facts"]; ok && string(raw) != "null" {
		if err := json.Unmarshal(raw, &items); err != nil {
			return AgreedFacts{}, nil, errors.New("answer field facts is not a list")
		}
	}
	var drops []drop
	seen := map[string]bool{}
	for k, item := range items {
		f, reason := checkFact(item, outlets)
		if reason == "" && seen[strings.ToLower(f.Text)] {
			reason = "repeats an earlier fact"
		}
		if reason == "" && len(out.Facts) == maxFacts {
			reason = fmt.Sprintf("more than %d facts", maxFacts)
		}
		if reason != "" {
			drops = append(drops, drop{ID: fmt.Sprintf("fact %d", k), Reason: reason})
			continue
		}
		seen[strings.ToLower(f.Text)] = true
		out.Facts = append(out.Facts, f)
	}
	return out, drops, nil
}

// checkFact validates one fact: its text, and outlets that name every
// outlet of the event (matched exactly, or else ignoring case).
func checkFact(item json.RawMessage, outlets []string) (Fact, string) {
	var raw struct {
		Text    *string  `json:"text"`
		Outlets []string `json:"outlets"`
	}
	if json.Unmarshal(item, &raw) != nil || raw.Text == nil {
		return Fact{}, "not an object with text and outlets"
	}
	text := clean(*raw.Text)
	switch n := utf8.RuneCountInString(text); {
	case n == 0:
		return Fact{}, "text is empty"
	case n > maxFactRunes:
		return Fact{}, fmt.Sprintf("text is %d characters long (at most %d)", n, maxFactRunes)
	}
	named := make([]bool, len(outlets))
	for _, o := range raw.Outlets {
		k := outletIndex(strings.TrimSpace(o), outlets)
		if k < 0 {
			return Fact{}, fmt.Sprintf("names an outlet not in the event: %q", truncateRunes(o, 40))
		}
		named[k] = true
	}
	f := Fact{Text: text, Outlets: make([]string, 0, len(outlets))}
	for k, ok := range named {
		if ok {
			f.Outlets = append(f.Outlets, outlets[k])
		}
	}
	if len(f.Outlets) < len(outlets) {
		return Fact{}, fmt.Sprintf("stated by %d of %d outlets, not all", len(f.Outlets), len(outlets))
	}
	return f, ""
}

func outletIndex(name string, outlets []string) int {
	for k, o := range outlets {
		if o == name {
			return k
		}
	}
	for k, o := range outlets {
		if strings.EqualFold(o, name) {
			return k
		}
	}
	return -1
}
