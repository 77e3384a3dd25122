package llm

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"sync"
)

// chunkResult is what one chunk's request gave.
type chunkResult struct {
	parsed parsedSentences
	cached bool
	failed bool
	answer answer
}

// AnalyzeSentences asks the model to judge every sentence of the article:
// a bias type from Types, a strength, a one-sentence explanation and a
// neutral rewrite where one helps. Judgements come back in sentence order,
// each with the index of its span in a.Sentences and that span's offsets;
// a sentence whose judgement was dropped or never given has none (see
// Meta.Unjudged). Long articles are sent in chunks of whole sentences, in
// parallel within the client's limits.
//
// It fails when a span is out of order or outside the text, when a
// request fails for good (ErrUnavailable, ErrTimeout, or the server's own
// error), or when no usable judgement came back at all (ErrInvalidOutput).
// Meta is filled in either way.
func (c *Client) AnalyzeSentences(ctx context.Context, a Article) (_ []SentenceJudgement, meta Meta, _ error) {
	start := c.now()
	meta = Meta{Model: c.cfg.Model, PromptVersion: PromptVersion}
	defer func() { meta.Duration = c.now().Sub(start) }()
	if err := checkSpans(a.Text, a.Sentences); err != nil {
		return nil, meta, fmt.Errorf("analyze sentences: %w", err)
	}
	if len(a.Sentences) == 0 {
		return []SentenceJudgement{}, meta, nil
	}
	chunks := chunkSentences(a.Text, a.Sentences, c.cfg.TokenBudget)
	meta.Chunks = len(chunks)

	results := make([]chunkResult, len(chunks))
	errs := make([]error, len(chunks))
	runCtx, cancel := context.WithCancel(ctx)
	defer cancel()
	var wg sync.WaitGroup
	for i, ch := range chunks {
		wg.Go(func() {
			results[i], errs[i] = c.judgeChunk(runCtx, a.Title, i, ch)
			if errs[i] != nil {
				cancel() // one failure fails the article: stop paying for the rest
			}
		})
	}
	wg.Wait()

	out := []SentenceJudgement{}
	for i, r := range results {
		meta.addUsage(r.answer)
		if r.cached {
			meta.Cached++
		}
		if r.failed {
			meta.FailedChunks++
		}
		meta.Dropped += r.parsed.Dropped
		for _, j := range r.parsed.Judgements {
			k := chunks[i].First + j.ID
			out = append(out, SentenceJudgement{
				Index: k, Start: a.Sentences[k].Start, End: a.Sentences[k].End,
				Type: j.Type, Strength: j.Strength, Explanation: j.Explanation, Rewrite: j.Rewrite,
			})
		}
	}
	meta.Unjudged = len(a.Sentences) - len(out)
	if err := firstError(ctx, errs); err != nil {
		return nil, meta, fmt.Errorf("analyze sentences: %w", err)
	}
	if len(out) == 0 {
		return nil, meta, fmt.Errorf("analyze sentences: no judgement survived (%d dropped, %d of %d chunks not JSON): %w",
			meta.Dropped, meta.FailedChunks, meta.Chunks, ErrInvalidOutput)
	}
	return out, meta, nil
}

// firstError returns the error that stopped the run: the caller's own
// cancellation, else the first chunk error that was not caused by the
// cancellation that followed it.
func firstError(ctx context.Context, errs []error) error {
	if ctx.Err() != nil {
		for _, err := range errs {
			if err != nil {
				return err
			}
		}
	}
	var canceled error
	for i, err := range errs {
		switch {
		case err == nil:
		case errors.Is(err, context.Canceled):
			canceled = fmt.Errorf("chunk %d: %w", i, err)
		default:
			return fmt.Errorf("chunk %d: %w", i, err)
		}
	}
	return canceled
}

// judgeChunk answers one chunk from the cache or the model. An answer
// that holds no JSON is asked for again formatRetries times; after that
// the chunk is marked failed, which is not an error.
func (c *Client) judgeChunk(ctx context.Context, title string, n int, ch chunk) (chunkResult, error) {
	items := make([]sentenceItem, len(ch.Texts))
	for i, t := range ch.Texts {
		items[i] = sentenceItem{ID: i, Text: t}
	}
	data, err := encodeData(sentenceData{Title: title, Sentences: items})
	if err != nil {
		return chunkResult{}, err
	}
	key := CacheKey(TaskSentences, c.cfg.Model, data)
	if v, ok := c.cacheGet(ctx, key); ok {
		var stored struct {
			Dropped int `json:"dropped"`
		}
		parsed, drops, err := parseSentences(string(v), ch.Texts)
		if err == nil && len(drops) == 0 && json.Unmarshal(v, &stored) == nil {
			parsed.Dropped = stored.Dropped
			return chunkResult{parsed: parsed, cached: true}, nil
		}
		c.log.Warn("llm: ignoring a cached answer that no longer validates", "key", key)
	}

	req := request{
		system:     sentenceSystem,
		user:       userMessage(sentenceTask, data),
		schemaName: "sentence_judgements",
		schema:     sentenceSchema(),
	}
	var res chunkResult
	for attempt := 0; attempt <= formatRetries; attempt++ {
		ans, err := c.complete(ctx, req)
		res.answer.add(ans)
		if err != nil {
			return res, err
		}
		parsed, drops, err := parseSentences(ans.content, ch.Texts)
		if err != nil {
			c.log.Warn("llm: answer is not the JSON asked for", "task", TaskSentences, "chunk", n, "attempt", attempt+1,
				"finish_reason", string(ans.finish), "error", err)
			continue
		}
		for _, d := range drops {
			c.log.Warn("llm: dropped a judgement that failed validation", "task", TaskSentences, "chunk", n, "item", d.ID, "reason", d.Reason)
		}
		res.parsed = parsed
		if len(parsed.Judgements) > 0 {
			c.cachePut(ctx, key, storedSentences(parsed))
		}
		return res, nil
	}
	res.failed = true
	return res, nil
}

// storedSentences is the cached form of a validated chunk answer: the
// answer shape itself, so it is validated again by the same code when
// read, plus the number dropped.
func storedSentences(p parsedSentences) []byte {
	b, _ := json.Marshal(struct {
		Sentences []localJudgement `json:"sentences"`
		Dropped   int              `json:"dropped"`
	}{p.Judgements, p.Dropped}) // plain strings and numbers: cannot fail
	return b
}

// AgreedFacts asks the model for the facts every outlet of the event
// reports, and a neutral summary built from them. Each article is cut to
// an equal share of factsBudgetFactor × Config.TokenBudget tokens, at a
// sentence end where possible (Meta.Truncated counts them). A fact not
// attributed to every outlet, or naming an outlet not in the event, is
// dropped. It needs at least two articles with text and distinct outlet
// names; it fails like AnalyzeSentences, and with ErrInvalidOutput when
// the answer has no usable summary.
func (c *Client) AgreedFacts(ctx context.Context, ev EventInput) (_ AgreedFacts, meta Meta, _ error) {
	start := c.now()
	meta = Meta{Model: c.cfg.Model, PromptVersion: PromptVersion, Chunks: 1}
	defer func() { meta.Duration = c.now().Sub(start) }()
	outlets, err := checkEvent(ev)
	if err != nil {
		return AgreedFacts{}, meta, fmt.Errorf("agreed facts: %w", err)
	}
	arts, cut := fitArticles(ev.Articles, factsBudgetFactor*c.cfg.TokenBudget)
	meta.Truncated = cut
	block := factsData{Event: ev.Title, Articles: make([]factArticle, len(arts))}
	for i, a := range arts {
		block.Articles[i] = factArticle{Outlet: outlets[i], Title: a.Title, Text: a.Text}
	}
	data, err := encodeData(block)
	if err != nil {
		return AgreedFacts{}, meta, fmt.Errorf("agreed facts: %w", err)
	}
	key := CacheKey(TaskAgreedFacts, c.cfg.Model, data)
	if v, ok := c.cacheGet(ctx, key); ok {
		var stored struct {
			Dropped int `json:"dropped"`
		}
		facts, drops, err := parseFacts(string(v), outlets)
		if err == nil && len(drops) == 0 && json.Unmarshal(v, &stored) == nil {
			meta.Cached, meta.Dropped = 1, stored.Dropped
			return facts, meta, nil
		}
		c.log.Warn("llm: ignoring a cached answer that no longer validates", "key", key)
	}

	req := request{
		system:     factsSystem,
		user:       userMessage(factsTask, data),
		schemaName: "agreed_facts",
		schema:     factsSchema(),
	}
	var used answer
	for attempt := 0; attempt <= formatRetries; attempt++ {
		ans, err := c.complete(ctx, req)
		used.add(ans)
		if err != nil {
			meta.addUsage(used)
			return AgreedFacts{}, meta, fmt.Errorf("agreed facts: %w", err)
		}
		facts, drops, err := parseFacts(ans.content, outlets)
		if err != nil {
			c.log.Warn("llm: answer is not the JSON asked for", "task", TaskAgreedFacts, "attempt", attempt+1,
				"finish_reason", string(ans.finish), "error", err)
			continue
		}
		for _, d := range drops {
			c.log.Warn("llm: dropped a fact that failed validation", "task", TaskAgreedFacts, "item", d.ID, "reason", d.Reason)
		}
		meta.addUsage(used)
		meta.Dropped = len(drops)
		c.cachePut(ctx, key, storedFacts(facts, len(drops)))
		return facts, meta, nil
	}
	meta.addUsage(used)
	meta.FailedChunks = 1
	return AgreedFacts{}, meta, fmt.Errorf("agreed facts: no usable summary in %d answers: %w", formatRetries+1, ErrInvalidOutput)
}

// checkEvent returns the outlet names, trimmed, after checking that there
// are at least two articles with text and that the names are distinct.
func checkEvent(ev EventInput) ([]string, error) {
	if len(ev.Articles) < 2 {
		return nil, fmt.Errorf("need at least two articles, got %d", len(ev.Articles))
	}
	names := make([]string, len(ev.Articles))
	seen := map[string]int{}
	for i, a := range ev.Articles {
		name := strings.TrimSpace(a.Outlet)
		switch {
		case name == "":
			return nil, fmt.Errorf("article %d has no outlet name", i)
		case strings.TrimSpace(a.Text) == "":
			return nil, fmt.Errorf("article %d (%s) has no text", i, name)
		}
		if j, dup := seen[strings.ToLower(name)]; dup {
			return nil, fmt.Errorf("articles %d and %d have the same outlet name %q", j, i, name)
		}
		seen[strings.ToLower(name)] = i
		names[i] = name
	}
	return names, nil
}

// storedFacts is the cached form of validated agreed facts.
func storedFacts(f AgreedFacts, dropped int) []byte {
	b, _ := json.Marshal(struct {
		AgreedFacts
		Dropped int `json:"dropped"`
	}{f, dropped}) // plain strings and numbers: cannot fail
	return b
}

// cacheGet reads the cache; an error is logged and read as a miss.
func (c *Client) cacheGet(ctx context.Context, key string) ([]byte, bool) {
	if c.cache == nil {
		return nil, false
	}
	v, ok, err := c.cache.Get(ctx, key)
	if err != nil {
		c.log.Warn("llm: cache read failed; asking the model", "key", key, "error", err)
		return nil, false
	}
	return v, ok
}

// cachePut writes the cache; an error is logged and otherwise ignored.
func (c *Client) cachePut(ctx context.Context, key string, value []byte) {
	if c.cache == nil {
		return
	}
	if err := c.cache.Put(ctx, key, value); err != nil {
		c.log.Warn("llm: cache write failed", "key", key, "error", err)
	}
}

// add sums the cost of another answer into a.
func (a *answer) add(b answer) {
	a.usage.PromptTokens += b.usage.PromptTokens
	a.usage.CompletionTokens += b.usage.CompletionTokens
	a.plain = a.plain || b.plain
}

// addUsage adds an answer's cost to the meta.
func (m *Meta) addUsage(a answer) {
	m.PromptTokens += a.usage.PromptTokens
	m.CompletionTokens += a.usage.CompletionTokens
	m.Fallback = m.Fallback || a.plain
}
