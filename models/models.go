// Package models holds Slant's domain types and the store that keeps them.
// The rest of the program never sees a database error: the store translates
// them into the errors in errors.go.
package models

import "time"

// Event is something that happened and that several outlets reported on.
// ImportKey is the event key of the bulk import that created or first used
// the event (see ImportBatch); nil for events made by hand.
type Event struct {
	ID          int64      `json:"id" gorm:"primaryKey"`
	Title       string     `json:"title" gorm:"not null"`
	Description string     `json:"description"`
	Date        *time.Time `json:"date"`
	ImportKey   *string    `json:"import_key,omitempty" gorm:"uniqueIndex"`
	CreatedAt   time.Time  `json:"created_at"`
	UpdatedAt   time.Time  `json:"updated_at"`
	Articles    []Article  `json:"articles,omitempty" gorm:"constraint:OnDelete:CASCADE"`
}

// Outlet is a publisher: a newspaper, broadcaster or website. Names are unique.
type Outlet struct {
	ID     int64  `json:"id" gorm:"primaryKey"`
	Name   string `json:"name" gorm:"not null;uniqueIndex"`
	Domain string `json:"domain"`
}

// Article is one outlet's report on one event. ContentHash is the SHA-256 of
// the body; the same body can be stored only once per event. ExternalID and
// Metadata are what an imported record brought beyond the fields Slant
// reads (see metadata.go): the researcher's own id, unique within the
// event, and the other fields; nil for articles added by hand.
type Article struct {
	ID          int64      `json:"id" gorm:"primaryKey"`
	EventID     int64      `json:"event_id" gorm:"not null;uniqueIndex:idx_article_event_hash;uniqueIndex:idx_article_event_external"`
	OutletID    int64      `json:"outlet_id" gorm:"not null;index"`
	Outlet      Outlet     `json:"outlet" gorm:"constraint:OnDelete:RESTRICT"`
	Title       string     `json:"title"`
	URL         string     `json:"url"`
	PublishedAt *time.Time `json:"published_at"`
	Body        string     `json:"text" gorm:"not null"`
	ContentHash string     `json:"content_hash" gorm:"not null;uniqueIndex:idx_article_event_hash"`
	// Language is the language the text was found to be in when it came
	// in (an ISO 639-1 code, "und-" and a script code, or "" when unknown;
	// see ingest.DetectLanguage).
	Language   string    `json:"language"`
	CreatedAt  time.Time `json:"created_at"`
	ExternalID *string   `json:"external_id,omitempty" gorm:"uniqueIndex:idx_article_event_external"`
	Metadata   Metadata  `json:"metadata,omitempty" gorm:"type:text"`
	Analysis   *Analysis `json:"analysis,omitempty" gorm:"constraint:OnDelete:CASCADE"`
}

// Analysis is the stored report of one article, with the lexicon version it
// was made with so that any score can be reproduced.
type Analysis struct {
	ArticleID      int64     `json:"article_id" gorm:"primaryKey;autoIncrement:false"`
	Report         []byte    `json:"-" gorm:"not null"`
	LexiconVersion string    `json:"lexicon_version" gorm:"not null;index"`
	AnalyzedAt     time.Time `json:"analyzed_at"`
}
