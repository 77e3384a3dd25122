package desk

import "slant/models"

// Limits bound what one article may be and how many one event may hold.
// They are the same whichever way the article comes in: pasted, uploaded,
// fetched, imported through the API or loaded as the demo. (The command
// line's `slant import` lifts the two size limits, see
// ImportOptions.Unlimited; the field limits below always hold, because
// the store holds them too.)
type Limits struct {
	// MaxTextBytes caps the text of one article, and of one text sent to
	// be analyzed, in bytes of UTF-8. Zero means DefaultMaxTextBytes.
	MaxTextBytes int
	// MaxArticlesPerEvent caps how many articles one event holds. Zero
	// means DefaultMaxArticlesPerEvent.
	MaxArticlesPerEvent int
}

// Defaults of the limits a configuration may change.
const (
	// DefaultMaxTextBytes: 200 KiB of text is a very long feature (some
	// 30,000 words); the analysis of one takes a few tens of milliseconds.
	DefaultMaxTextBytes = 200 << 10
	// DefaultMaxArticlesPerEvent: the page shows two to six columns side
	// by side and more as a scrolling row; twelve leaves room for a
	// thorough comparison without letting one event grow without end.
	DefaultMaxArticlesPerEvent = 12
)

// The limits on an article's fields are the store's (package models), so
// that the desk's check and the store's can never disagree.
const (
	// MaxEventTitle bounds an event's title and an import's event key,
	// in characters.
	MaxEventTitle = models.MaxEventTitle
	// MaxOutletName bounds an outlet's name, in characters.
	MaxOutletName = models.MaxOutletName
	// MaxOutletDomain bounds an outlet's domain, in bytes.
	MaxOutletDomain = models.MaxOutletDomain
	// MaxArticleTitle bounds a headline, in characters.
	MaxArticleTitle = models.MaxArticleTitle
	// MaxArticleURL bounds an article's address, in bytes.
	MaxArticleURL = models.MaxArticleURL
)

// withDefaults fills the zero limits with their defaults.
func (l Limits) withDefaults() Limits {
	if l.MaxTextBytes <= 0 {
		l.MaxTextBytes = DefaultMaxTextBytes
	}
	if l.MaxArticlesPerEvent <= 0 {
		l.MaxArticlesPerEvent = DefaultMaxArticlesPerEvent
	}
	return l
}
