package api

import (
	"slant/desk"
	"slant/ingest"
)

// IngestView tells the sender of an article what Slant did to get its
// text, so that a teacher can check that nothing of the story was lost
// (desk.Intake; see desk/intake.go for the three ways in). It is part of
// the answer to adding an article, not stored.
type IngestView struct {
	// Source is "text", "html" or "url": what the text was taken from.
	Source string `json:"source"`
	// Cleaned is true when page furniture was looked for and removed.
	Cleaned bool `json:"cleaned"`
	// DetectedTitle is the headline found in the text or page, "" when
	// none was.
	DetectedTitle string `json:"detected_title"`
	// Byline, SiteName and CanonicalURL are what the page says about
	// itself (html and url only); the byline is not stored.
	Byline       string `json:"byline"`
	SiteName     string `json:"site_name"`
	CanonicalURL string `json:"canonical_url"`
	// FetchedURL is the address that answered, after redirects (url
	// only).
	FetchedURL string `json:"fetched_url"`
	// Removed lists the lines taken out, with why. Line numbers count in
	// the text sent (text), or in the page's extracted text (html, url).
	Removed []ingest.RemovedLine `json:"removed"`
	// HTMLInText is true when the pasted text was an HTML page (or its
	// source), read as an uploaded page is: Source is then "html".
	HTMLInText bool `json:"html_in_text"`
}

// ingestView converts the desk's account of an intake.
func ingestView(in desk.Intake) *IngestView {
	return &IngestView{
		Source: in.Source, Cleaned: in.Cleaned, DetectedTitle: in.DetectedTitle,
		Byline: in.Byline, SiteName: in.SiteName, CanonicalURL: in.CanonicalURL,
		FetchedURL: in.FetchedURL, Removed: nonNil(in.Removed), HTMLInText: in.HTMLInText,
	}
}
