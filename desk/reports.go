package desk

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"slant/analysis"
	"slant/ingest"
	"slant/models"
)

// One recipe makes the analysis of an article (Analyze), whether it was
// just pasted, imported, loaded as the demo or is being redone; one rule
// says which report of a stored article is current (Current): the stored
// one when it was made with the version in force, else a new one.

// Analyze analyzes an article's title and text and packs the report for
// the store, stamped with now. The title is trimmed first, as the store
// trims the title it keeps, so that title offsets point into the stored
// title. The analysis's ArticleID is left for the store to fill in. It
// runs to its end; the desk's own analyses stop with their context.
func Analyze(analyzer *analysis.Analyzer, title, text string, now time.Time) (models.Analysis, analysis.Report, error) {
	return analyzeContext(context.Background(), analyzer, title, text, now)
}

// analyzeContext is Analyze that stops when ctx is done, with an error
// wrapping ctx's (context.DeadlineExceeded past a request's deadline,
// which the API answers 503).
func analyzeContext(ctx context.Context, analyzer *analysis.Analyzer, title, text string, now time.Time) (models.Analysis, analysis.Report, error) {
	report, err := analyzer.AnalyzeContext(ctx, analysis.Document{Title: strings.TrimSpace(title), Text: text})
	if err != nil {
		return models.Analysis{}, analysis.Report{}, err
	}
	data, err := json.Marshal(report)
	if err != nil {
		return models.Analysis{}, analysis.Report{}, fmt.Errorf("encode report: %w", err)
	}
	return models.Analysis{
		Report:         data,
		LexiconVersion: report.LexiconVersion,
		AnalyzedAt:     now.UTC(),
	}, report, nil
}

// Current returns the report of a stored article made with analyzer: the
// stored one when it was made with analyzer.Version() and can be read,
// otherwise a new one stamped with now, and fresh true. Current never
// writes; whether a fresh report is kept is the caller's choice (see
// ReadMode).
func Current(analyzer *analysis.Analyzer, a models.Article, now time.Time) (an models.Analysis, report analysis.Report, fresh bool, err error) {
	an, report, ok, _ := storedReport(analyzer.Version(), a)
	if ok {
		return an, report, false, nil
	}
	an, report, err = Analyze(analyzer, a.Title, a.Body, now)
	if err != nil {
		return models.Analysis{}, analysis.Report{}, false, fmt.Errorf("analyze article %d: %w", a.ID, err)
	}
	an.ArticleID = a.ID
	return an, report, true, nil
}

// storedReport decodes an article's stored report when it was made with
// version; ok is false when there is none, it is of another version, or
// it cannot be read (then with the decoding error).
func storedReport(version string, a models.Article) (an models.Analysis, report analysis.Report, ok bool, err error) {
	stored := a.Analysis
	if stored == nil || stored.LexiconVersion != version {
		return models.Analysis{}, analysis.Report{}, false, nil
	}
	if err := json.Unmarshal(stored.Report, &report); err != nil {
		return models.Analysis{}, analysis.Report{}, false, err
	}
	if report.LexiconVersion != version {
		return models.Analysis{}, analysis.Report{}, false, nil
	}
	return *stored, report, true, nil
}

// ReadMode says whether a read that had to redo a stale report may store
// it. The store is only a cache of reports, so keeping one is never
// required for a right answer: it saves the next reader the work.
type ReadMode int

const (
	// ReadOnly never writes: a report redone for the read is used and
	// dropped. Exports read this way, so that an export never changes
	// the database it describes.
	ReadOnly ReadMode = iota
	// SaveRedone stores a report redone for the read (logging a failure
	// to, and going on with the fresh report), so that the next read of
	// the page finds it current.
	SaveRedone
)

// Filed is a stored article with its report made with the lexicon in
// force when it was read.
type Filed struct {
	// Article is the stored article with its outlet. Its Analysis field
	// is cleared: Analysis below is the report's row.
	Article models.Article
	// Analysis is the row of the current report: its version and when it
	// was made. Its Report bytes are cleared once decoded (Report below
	// is the report), so that a cached reading holds each report once.
	Analysis models.Analysis
	// Report is the article's current report.
	Report analysis.Report
	// size is about what the article and its report weigh, for the
	// reading cache's bound: the text, the title and the encoded report.
	size int
}

// analyze is Analyze, counted, and stopped when ctx is done: this is
// where every analysis the desk makes (an article added, imported, redone
// for a read or by the sweep) learns of its request's deadline or of a
// shutdown, so that past it the analysis stops within a few thousand
// words instead of running to its end.
func (d *Desk) analyze(ctx context.Context, analyzer *analysis.Analyzer, title, text string) (models.Analysis, analysis.Report, error) {
	d.counts.analyses.Add(1)
	return analyzeContext(ctx, analyzer, title, text, d.now())
}

// file returns an article with its current report made with analyzer,
// redoing a stale one and, in SaveRedone mode, saving it. saved says
// whether it did, which changes the event's stamp.
func (d *Desk) file(ctx context.Context, analyzer *analysis.Analyzer, a models.Article, mode ReadMode) (f Filed, saved bool, err error) {
	if a.Analysis != nil && a.Analysis.LexiconVersion == analyzer.Version() {
		d.counts.reportDecodes.Add(1)
	}
	an, report, ok, unreadable := storedReport(analyzer.Version(), a)
	if unreadable != nil {
		d.log.WarnContext(ctx, "stored report unreadable, analyzing again", "article_id", a.ID, "error", unreadable.Error())
	}
	if !ok {
		if an, report, err = d.analyze(ctx, analyzer, a.Title, a.Body); err != nil {
			return Filed{}, false, fmt.Errorf("analyze article %d: %w", a.ID, err)
		}
		an.ArticleID = a.ID
		if mode == SaveRedone {
			if err := d.store.SaveAnalysis(ctx, &an); err != nil {
				d.log.WarnContext(ctx, "save refreshed analysis", "article_id", a.ID, "error", err.Error())
			} else {
				saved = true
			}
		}
	}
	size := len(a.Body) + len(a.Title) + len(an.Report)
	a.Analysis = nil
	an.Report = nil
	return Filed{Article: a, Analysis: an, Report: report, size: size}, saved, nil
}

// Report returns one stored article with its current report made with
// analyzer (a caller reading several takes Desk.Analyzer once); mode says
// whether a redone report is saved.
func (d *Desk) Report(ctx context.Context, analyzer *analysis.Analyzer, a models.Article, mode ReadMode) (Filed, error) {
	f, _, err := d.file(ctx, analyzer, a, mode)
	return f, err
}

// Articles reads an event's articles, in the order they were added, each
// with its current report made with analyzer; mode says whether redone
// reports are saved. It reads the store every time (exports walk many
// events once); the page reads through ReadEvent, which caches. An event
// that does not exist is models.ErrNotFound.
func (d *Desk) Articles(ctx context.Context, analyzer *analysis.Analyzer, eventID int64, mode ReadMode) ([]Filed, error) {
	filed, _, err := d.articles(ctx, analyzer, eventID, mode)
	return filed, err
}

// articles is Articles, also saying whether any redone report was saved.
func (d *Desk) articles(ctx context.Context, analyzer *analysis.Analyzer, eventID int64, mode ReadMode) ([]Filed, bool, error) {
	d.counts.eventReads.Add(1)
	stored, err := d.store.ListArticles(ctx, eventID)
	if err != nil {
		return nil, false, err
	}
	out := make([]Filed, 0, len(stored))
	anySaved := false
	for _, a := range stored {
		f, saved, err := d.file(ctx, analyzer, a, mode)
		if err != nil {
			return nil, false, err
		}
		anySaved = anySaved || saved
		out = append(out, f)
	}
	return out, anySaved, nil
}

// Draft is a text to analyze without storing it: POST /api/v1/analyze and
// `slant analyze`, the "paste and see" paths.
type Draft struct {
	Title string
	Text  string
	// Clean removes page furniture first, as adding pasted text does by
	// default (Submission.Clean).
	Clean bool
}

// Analyzed is a draft's report with what was analyzed: the title and the
// text after any cleaning (the report's offsets count into them) and how
// the text was got.
type Analyzed struct {
	Report analysis.Report
	Title  string
	Text   string
	Intake Intake
}

// AnalyzeDraft analyzes a draft the way an article pasted on the page is
// analyzed before it is stored: when asked to clean, an HTML page pasted
// as text is read as an uploaded page is (with extractor; nil means
// ingest.NewExtractor) and other text is cleaned of page furniture
// (ingest.Clean, whose headline fills an empty title); then title and
// text go through the one recipe. The same text and choice give the same
// report as the article stored from them. It needs no store, so the
// command line uses it too. It stops when ctx is done, with an error
// wrapping ctx's.
func AnalyzeDraft(ctx context.Context, analyzer *analysis.Analyzer, extractor ingest.Extractor, d Draft) (Analyzed, error) {
	in := takenIn{sub: Submission{Title: strings.TrimSpace(d.Title), Text: d.Text, Clean: d.Clean}}
	if in.sub.pastedPage(pasted) {
		if extractor == nil {
			extractor = ingest.NewExtractor()
		}
		if err := in.fromPastedPage(extractor, nil); err != nil {
			return Analyzed{}, pastedPageProblem(err)
		}
	} else {
		in.fromText(d.Text, "text", d.Clean)
	}
	title := strings.TrimSpace(in.sub.Title)
	report, err := analyzer.AnalyzeContext(ctx, analysis.Document{Title: title, Text: in.sub.Text})
	if err != nil {
		return Analyzed{}, err
	}
	return Analyzed{Report: report, Title: title, Text: in.sub.Text, Intake: in.intake}, nil
}

// pastedPageProblem says why an HTML page pasted as text gave nothing to
// analyze, and how to have it analyzed as it is.
func pastedPageProblem(err error) error {
	if errors.Is(err, ingest.ErrNoArticle) {
		return &models.ValidationError{Field: "text", Problem: "is an HTML page with no article text that could be found; send \"clean\": false to analyze it as it is"}
	}
	return &models.ValidationError{Field: "text", Problem: "looks like an HTML page that could not be read; send \"clean\": false to analyze it as it is"}
}

// AnalyzeText analyzes a draft that is not stored with the lexicon in
// force (AnalyzeDraft), after the same text check as an article's:
// required, within the text limit (before and after cleaning), no control
// characters. It stops when ctx is done, with an error wrapping ctx's.
func (d *Desk) AnalyzeText(ctx context.Context, draft Draft) (Analyzed, error) {
	if strings.TrimSpace(draft.Text) == "" {
		return Analyzed{}, &models.ValidationError{Field: "text", Problem: "is required"}
	}
	if err := d.checkTextSize(draft.Text); err != nil {
		return Analyzed{}, err
	}
	var p problems
	checkControls(&p, "text", draft.Text, true)
	checkControls(&p, "title", draft.Title, false)
	// A headline has the stored article's limit: the title is analysed
	// too, and without it the text limit could be sidestepped.
	if utf8.RuneCountInString(strings.TrimSpace(draft.Title)) > MaxArticleTitle {
		p.add("title", fmt.Sprintf("must be at most %d characters", MaxArticleTitle))
	}
	if err := p.err(); err != nil {
		return Analyzed{}, err
	}
	d.counts.analyses.Add(1)
	out, err := AnalyzeDraft(ctx, d.Analyzer(), d.extractor, draft)
	if err != nil {
		return Analyzed{}, err
	}
	if strings.TrimSpace(out.Text) == "" {
		return Analyzed{}, &models.ValidationError{Field: "text", Problem: cleanedEmptyProblem}
	}
	return out, nil
}

// checkTextSize refuses a text longer than the limit. The analysis's cost
// grows with the text, and a request body's limit alone would let a whole
// body's worth through.
func (d *Desk) checkTextSize(text string) error {
	if len(text) > d.limits.MaxTextBytes {
		return &TooLargeError{Field: "text", Limit: d.limits.MaxTextBytes}
	}
	return nil
}
