// Package ingest turns outside material into clean article text for Slant.
//
// It has four entry points, one per way an article can come in:
//
//   - Clean strips page furniture (logos, breadcrumbs, share prompts,
//     comment forms, "Related News" lists, repeated headlines and summary
//     boxes) from text a teacher pasted, and says which lines it dropped
//     and why.
//   - Extractor turns an uploaded HTML page into an Article: metadata from
//     the page's own tags (OpenGraph, JSON-LD, <time>, <link rel=canonical>)
//     and the body found by go-readability, as plain text with paragraphs
//     separated by blank lines, then passed through Clean.
//   - Fetcher downloads a page safely: http and https only, time and size
//     limits, few redirects, and no connections to loopback, private,
//     link-local, metadata or other internal addresses (checked when the
//     socket is dialled, after DNS).
//   - ParseJSONL and ParseCSV read bulk import files into Records, reporting
//     bad lines by number and carrying on.
//
// Two checks serve every way in: LooksLikeHTML tells pasted text that is
// a web page (or its source) from prose, so that it is read as a page; and
// DetectLanguage tells the language of a text (Slant's word lists are
// English), deterministically, with the trigram model of whatlanggo.
//
// The package does no storage and knows nothing of HTTP handlers: the
// caller maps its typed errors (ErrBlockedAddress, ErrTooLarge, ...) to
// statuses.
package ingest
