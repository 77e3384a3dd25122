package export

import (
	"fmt"
	"time"

	"slant/analysis"
	"slant/desk"
	"slant/models"
)

// Column describes one column of an export table: its name (the CSV header
// and the JSON key), the kind of value it holds and what it means.
type Column struct {
	Name string `json:"name"`
	// Type is string, integer, number, boolean, time (RFC 3339, UTC;
	// empty in CSV and null in JSON when unknown), list (a JSON array;
	// in CSV the items joined with "; ") or object (JSON only).
	Type        string `json:"type"`
	Description string `json:"description"`
	// JSONOnly marks a column left out of the CSV table.
	JSONOnly bool `json:"json_only,omitempty"`
}

// Column types.
const (
	typeString  = "string"
	typeInteger = "integer"
	typeNumber  = "number"
	typeBoolean = "boolean"
	typeTime    = "time"
	typeList    = "list"
	typeObject  = "object"
)

// articleRow is everything an article row is made from.
type articleRow struct {
	event    models.Event
	article  models.Article
	analysis models.Analysis
	report   analysis.Report
}

// findingRow is one finding of an article, in its text or its title.
type findingRow struct {
	article *articleRow
	field   string
	finding analysis.Finding
}

// column is a Column with the function that reads its value from a row.
type column[R any] struct {
	Column
	value func(r *R) any
}

// provenance are the three columns every row of every table begins with,
// so that a single CSV file says what made it.
func provenance[R any](slantVersion string, an func(r *R) *models.Analysis) []column[R] {
	return []column[R]{
		{Column{"lexicon_version", typeString, "Version of the analysis: the hash of the lexicon (with any overlay or class word list) and, after +model:, of the sentence model.", false},
			func(r *R) any { return an(r).LexiconVersion }},
		{Column{"slant_version", typeString, "Version of Slant that wrote the export.", false},
			func(*R) any { return slantVersion }},
		{Column{"analyzed_at", typeTime, "When the article's analysis was made.", false},
			func(r *R) any { return an(r).AnalyzedAt.UTC() }},
	}
}

// articleColumns lists the columns of the articles table: provenance,
// identity, size, loaded language (with one count per lexicon category),
// frames (with one share per frame), sources and tone. Each group is a
// function of its own so that the table reads a group at a time; the
// order of the groups is the order of the columns in every export.
func articleColumns(slantVersion string, categories []analysis.Category, frames []analysis.FrameHeader) []column[articleRow] {
	cols := provenance(slantVersion, func(r *articleRow) *models.Analysis { return &r.analysis })
	cols = append(cols, articleIdentityColumns()...)
	cols = append(cols, articleSizeColumns()...)
	cols = append(cols, categoryColumns(categories)...)
	cols = append(cols, frameColumns(frames)...)
	cols = append(cols, sourceColumns()...)
	cols = append(cols, toneColumns()...)
	return append(cols, modelColumns()...)
}

// articleIdentityColumns say which article a row is: its event, ids,
// outlet, headline and address, text and the imported file's fields.
func articleIdentityColumns() []column[articleRow] {
	type c = column[articleRow]
	type r = articleRow
	return []c{
		{Column{"event_id", typeInteger, "The event's id in this Slant.", false}, func(r *r) any { return r.event.ID }},
		{Column{"event_title", typeString, "The event's title.", false}, func(r *r) any { return r.event.Title }},
		{Column{"article_id", typeInteger, "The article's id in this Slant; findings refer to it.", false}, func(r *r) any { return r.article.ID }},
		{Column{"external_id", typeString, externalIDMeaning, false}, func(r *r) any { return r.article.ExternalID }},
		{Column{"outlet", typeString, "The outlet's name.", false}, func(r *r) any { return r.article.Outlet.Name }},
		{Column{"outlet_domain", typeString, "The outlet's web domain, when known.", false}, func(r *r) any { return r.article.Outlet.Domain }},
		{Column{"title", typeString, "The headline.", false}, func(r *r) any { return r.article.Title }},
		{Column{"url", typeString, "The article's address, when known.", false}, func(r *r) any { return r.article.URL }},
		{Column{"published_at", typeTime, "When the article was published, when known.", false}, func(r *r) any { return r.article.PublishedAt }},
		{Column{"content_hash", typeString, "Hex SHA-256 of the article text (UTF-8): identifies the exact text analyzed.", false}, func(r *r) any { return r.article.ContentHash }},
		{Column{"text", typeString, "The article text as stored; finding offsets are byte offsets into its UTF-8 encoding.", true}, func(r *r) any { return r.article.Body }},
		{Column{"metadata", typeObject, "The other fields of the article's record in the imported file, by name: strings, numbers (as written) and booleans; {} when none. In CSV each is a column meta_<field>.", true},
			func(r *r) any { return metadataObject(r.article.Metadata) }},
	}
}

// articleSizeColumns count the article's words, sentences and findings,
// and say whether it is scored.
func articleSizeColumns() []column[articleRow] {
	type c = column[articleRow]
	type r = articleRow
	return []c{
		{Column{"words", typeInteger, "Words in the text.", false}, func(r *r) any { return r.report.Scores.Words }},
		{Column{"own_words", typeInteger, "Words in the outlet's own voice (outside quotation marks).", false}, func(r *r) any { return r.report.Scores.OwnWords }},
		{Column{"quoted_words", typeInteger, "Words inside quotation marks.", false}, func(r *r) any { return r.report.Scores.QuotedWords }},
		{Column{"sentences", typeInteger, "Sentences in the text.", false}, func(r *r) any { return len(r.report.Sentences) }},
		{Column{"biased_sentences", typeInteger, "Sentences marked biased: an own-voice listed word reaching the lexicon's threshold, or a sentence model score reaching the model's.", false}, func(r *r) any { return r.report.Scores.BiasedSentences }},
		{Column{"language", typeString, "The language the text was found to be in when it came in: an ISO 639-1 code (\"en\", \"es\"), \"und-\" and an ISO 15924 script code for a language in another script that could not be named, or empty when the text was too short to tell or came in before languages were recorded.", false}, func(r *r) any { return r.article.Language }},
		{Column{"scored", typeBoolean, "False for a text in another language than English: Slant's word lists are English, so its figures mean little and the page leaves it out of the comparison.", false}, func(r *r) any { return desk.Scored(r.article) }},
		{Column{"loaded_index", typeNumber, "Severity-weighted findings in the outlet's own voice per 1,000 own-voice words.", false}, func(r *r) any { return r.report.Scores.LoadedIndex }},
		{Column{"quoted_index", typeNumber, "The same measure over the words inside quotation marks.", false}, func(r *r) any { return r.report.Scores.QuotedIndex }},
		{Column{"own_findings", typeInteger, "Findings in the outlet's own voice.", false}, func(r *r) any { return r.report.Scores.OwnFindings }},
		{Column{"quoted_findings", typeInteger, "Findings inside quotation marks.", false}, func(r *r) any { return r.report.Scores.QuotedFindings }},
		{Column{"own_weight", typeInteger, "Sum of the severities of the own-voice findings (the numerator of loaded_index).", false}, func(r *r) any { return r.report.Scores.OwnWeight }},
		{Column{"title_findings", typeInteger, "Findings in the headline.", false}, func(r *r) any { return len(r.report.TitleFindings) }},
	}
}

// categoryColumns count the own-voice findings of each lexicon category.
func categoryColumns(categories []analysis.Category) []column[articleRow] {
	type c = column[articleRow]
	type r = articleRow
	var cols []c
	for _, cat := range categories {
		name := cat.Name
		cols = append(cols, c{
			Column{"category_" + name, typeInteger, fmt.Sprintf("Own-voice findings of the category %q (%s).", name, cat.Label), false},
			func(r *r) any { return r.report.Scores.Categories[name] },
		})
	}
	return cols
}

// frameColumns are the frame cues found, the leading frames and each
// frame's share.
func frameColumns(frames []analysis.FrameHeader) []column[articleRow] {
	type c = column[articleRow]
	type r = articleRow
	cols := []c{
		{Column{"frame_hits", typeInteger, "Policy-frame cue words found in the text (with the near words of the headline and lead).", false}, func(r *r) any { return r.report.Frames.Hits }},
		{Column{"top_frames", typeList, "The leading frames, strongest first (up to three, each with at least a tenth of the cue weight).", false}, func(r *r) any { return r.report.Frames.Top }},
	}
	for _, f := range frames {
		name := f.Frame
		cols = append(cols, c{
			Column{"frame_" + name + "_share", typeNumber, fmt.Sprintf("Share (0 to 1) of the weight of the frame cues that belongs to the frame %q (%s); a cue in the headline or lead weighs more than one in the body.", name, f.Label), false},
			func(r *r) any { return frameShare(r.report.Frames, name) },
		})
	}
	return cols
}

// sourceColumns say who speaks in the article and how their words are
// put.
func sourceColumns() []column[articleRow] {
	type c = column[articleRow]
	type r = articleRow
	return []c{
		{Column{"named_sources", typeInteger, "Distinct named people and organisations quoted or paraphrased.", false}, func(r *r) any { return r.report.Sources.NamedSources }},
		{Column{"speakers", typeList, "The named speakers, in order of their first attribution.", false}, func(r *r) any { return speakerNames(r.report.Sources) }},
		{Column{"direct_quotes", typeInteger, "Quotations.", false}, func(r *r) any { return r.report.Sources.DirectQuotes }},
		{Column{"unattributed_quotes", typeInteger, "Quotations whose speaker was not found.", false}, func(r *r) any { return r.report.Sources.UnattributedQuotes }},
		{Column{"paraphrases", typeInteger, "Reported speech put to named or identified sources.", false}, func(r *r) any { return r.report.Sources.Paraphrases }},
		{Column{"anonymous_sources", typeInteger, "Attributions to unnamed sources.", false}, func(r *r) any { return r.report.Sources.AnonymousSources }},
		{Column{"group_attributions", typeInteger, "Views put to whole groups (\"critics warn\").", false}, func(r *r) any { return r.report.Sources.GroupAttributions }},
		{Column{"unattributed_claims", typeInteger, "Claims put to nobody in particular (\"some believe\").", false}, func(r *r) any { return r.report.Sources.UnattributedClaims }},
		{Column{"loaded_verbs_of_saying", typeInteger, "Attributions whose verb of saying is graded loaded.", false}, func(r *r) any { return r.report.Sources.LoadedVerbs }},
		{Column{"quoted_share", typeNumber, "Share of the words that are inside quotation marks.", false}, func(r *r) any { return r.report.Sources.QuotedShare }},
	}
}

// toneColumns are the tone of the body and of the headline, and the
// subjectivity markers.
func toneColumns() []column[articleRow] {
	type c = column[articleRow]
	type r = articleRow
	return []c{
		{Column{"tone_compound", typeNumber, "Mean VADER compound score of the body's sentences, -1 to +1.", false}, func(r *r) any { return r.report.Tone.Compound }},
		{Column{"tone_own_compound", typeNumber, "The same mean over the sentences in the outlet's own voice.", false}, func(r *r) any { return r.report.Tone.OwnCompound }},
		{Column{"tone_positive", typeNumber, "Share of sentences reading positive (compound at least 0.05).", false}, func(r *r) any { return r.report.Tone.Positive }},
		{Column{"tone_negative", typeNumber, "Share of sentences reading negative (compound at most -0.05).", false}, func(r *r) any { return r.report.Tone.Negative }},
		{Column{"tone_neutral", typeNumber, "Share of sentences reading neither.", false}, func(r *r) any { return r.report.Tone.Neutral }},
		{Column{"intensifiers", typeInteger, "Intensifiers in the outlet's own voice.", false}, func(r *r) any { return r.report.Tone.Subjectivity.Intensifiers }},
		{Column{"absolutes", typeInteger, "Absolutes (\"never\", \"everyone\") in the outlet's own voice.", false}, func(r *r) any { return r.report.Tone.Subjectivity.Absolutes }},
		{Column{"opinion_markers", typeInteger, "Opinion markers (\"unfortunately\", \"should\") in the outlet's own voice.", false}, func(r *r) any { return r.report.Tone.Subjectivity.OpinionMarkers }},
		{Column{"hedges", typeInteger, "Hedges (\"reportedly\", \"could\") in the outlet's own voice.", false}, func(r *r) any { return r.report.Tone.Subjectivity.Hedges }},
		{Column{"subjectivity_per_thousand", typeNumber, "Intensifiers, absolutes and opinion markers per 1,000 own-voice words.", false}, func(r *r) any { return r.report.Tone.Subjectivity.PerThousand }},
		{Column{"hedges_per_thousand", typeNumber, "Hedges per 1,000 own-voice words.", false}, func(r *r) any { return r.report.Tone.Subjectivity.HedgesPerThousand }},
		{Column{"headline_words", typeInteger, "Words in the headline.", false}, func(r *r) any { return r.report.Tone.Headline.Words }},
		{Column{"headline_compound", typeNumber, "VADER compound score of the headline.", false}, func(r *r) any { return r.report.Tone.Headline.Compound }},
		{Column{"headline_loaded_index", typeNumber, "The headline's severity-weighted findings per 1,000 words.", false}, func(r *r) any { return r.report.Tone.Headline.LoadedIndex }},
		{Column{"headline_more_loaded", typeBoolean, "Whether the headline carries more loaded language per word than the body.", false}, func(r *r) any { return r.report.Tone.Headline.MoreLoaded }},
	}
}

// modelColumns are the sentence model's figures.
func modelColumns() []column[articleRow] {
	type c = column[articleRow]
	type r = articleRow
	return []c{
		{Column{"model_slant", typeNumber, "The sentence model's mean score (0 to 1, the chance a sentence is slanted) over the sentences in the outlet's own voice; the model is named in lexicon_version (+model:...).", false}, func(r *r) any { return r.report.Scores.ModelSlant }},
		{Column{"model_score_max", typeNumber, "The highest sentence model score of any sentence of the text.", false}, func(r *r) any { return maxModelScore(r.report.Sentences) }},
	}
}

func maxModelScore(sentences []analysis.SentenceVerdict) float64 {
	m := 0.0
	for _, s := range sentences {
		m = max(m, s.ModelScore)
	}
	return m
}

// findingColumns lists the columns of the findings table.
func findingColumns(slantVersion string) []column[findingRow] {
	type c = column[findingRow]
	type r = findingRow
	cols := provenance(slantVersion, func(r *findingRow) *models.Analysis { return &r.article.analysis })
	return append(cols,
		c{Column{"event_id", typeInteger, "The event's id.", false}, func(r *r) any { return r.article.event.ID }},
		c{Column{"article_id", typeInteger, "The article's id (article_id in the articles table).", false}, func(r *r) any { return r.article.article.ID }},
		c{Column{"external_id", typeString, externalIDMeaning, false}, func(r *r) any { return r.article.article.ExternalID }},
		c{Column{"outlet", typeString, "The outlet's name.", false}, func(r *r) any { return r.article.article.Outlet.Name }},
		c{Column{"field", typeString, "Where the finding is: \"text\" (the body) or \"title\" (the headline).", false}, func(r *r) any { return r.field }},
		c{Column{"start", typeInteger, "Byte offset of the finding's first byte in the UTF-8 field, counted from 0.", false}, func(r *r) any { return r.finding.Start }},
		c{Column{"end", typeInteger, "Byte offset just past the finding's last byte (half-open: [start, end)).", false}, func(r *r) any { return r.finding.End }},
		c{Column{"text", typeString, "The words as they appear in the article.", false}, func(r *r) any { return r.finding.Text }},
		c{Column{"term", typeString, "The lexicon entry they matched.", false}, func(r *r) any { return r.finding.Term }},
		c{Column{"category", typeString, "The entry's category (see the codebook's categories).", false}, func(r *r) any { return r.finding.Category }},
		c{Column{"severity", typeInteger, "1 mild to 3 strong.", false}, func(r *r) any { return r.finding.Severity }},
		c{Column{"in_quote", typeBoolean, "Whether the words are inside quotation marks: the speaker's words, not the outlet's.", false}, func(r *r) any { return r.finding.InQuote }},
		c{Column{"custom", typeBoolean, "Whether the term comes from the class word list (added by a teacher on this Slant, see lexicon_version's +custom part) rather than Slant's built-in lexicon.", false}, func(r *r) any { return r.finding.Custom }},
	)
}

// externalIDMeaning is the codebook's word on the external_id column.
const externalIDMeaning = "The article's own id in the researcher's imported file (its id, external_id or doc_id), with the spaces around it removed (\" sp-1 \" is sp-1), unique within the event; empty (null in JSON) for articles added another way. Join on it."

// metadataObject is an article's metadata for JSON, {} when it has none.
func metadataObject(m models.Metadata) models.Metadata {
	if m == nil {
		return models.Metadata{}
	}
	return m
}

// frameShare is a frame's share in a profile, 0 when the frame is absent.
func frameShare(p analysis.FrameProfile, frame string) float64 {
	for _, s := range p.Scores {
		if s.Frame == frame {
			return s.Share
		}
	}
	return 0
}

// speakerNames lists a profile's speakers by name.
func speakerNames(p analysis.SourceProfile) []string {
	names := make([]string, 0, len(p.Speakers))
	for _, s := range p.Speakers {
		names = append(names, s.Name)
	}
	return names
}

// publicColumns strips the value functions, for the codebook.
func publicColumns[R any](cols []column[R]) []Column {
	out := make([]Column, len(cols))
	for i, c := range cols {
		out[i] = c.Column
	}
	return out
}

// timeValue is the canonical form of a time in an export: UTC, RFC 3339
// with as many fractional digits as needed.
func timeValue(t time.Time) string { return t.UTC().Format(time.RFC3339Nano) }
