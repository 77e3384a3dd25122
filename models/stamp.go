package models

import (
	"context"
	"database/sql"
	"fmt"
)

// EventStamp is a cheap fingerprint of everything an event's page is built
// from: the event row's last update, the count, highest id and latest
// analysis time of its articles and their analyses, and how many of its
// articles' outlets have a domain (an outlet's domain is filled in once,
// when an article of another event first brings it). Adding or deleting an
// article, (re-)analyzing one, editing the event and an outlet's domain
// all change it, so a cache keyed by it needs no invalidation of its own,
// and stays right when several processes write to one database. Two
// stamps are compared with ==.
//
// Times are kept as the text the driver returns: the stamp only has to
// change when the data does, not to be read as a time.
type EventStamp struct {
	UpdatedAt      string
	Articles       int64
	Analyses       int64
	MaxArticleID   int64
	LastAnalyzedAt string
	OutletDomains  int64
}

// String writes the stamp for logs and tests.
func (s EventStamp) String() string {
	return fmt.Sprintf("updated=%s articles=%d analyses=%d max_article=%d analyzed=%s outlet_domains=%d",
		s.UpdatedAt, s.Articles, s.Analyses, s.MaxArticleID, s.LastAnalyzedAt, s.OutletDomains)
}

// eventStampQuery reads an EventStamp in one statement. It reads only
// indexed rows: the event by its key, its articles through the (event_id,
// content_hash) index, and their analyses and outlets by primary key.
const eventStampQuery = `SELECT e.updated_at, COUNT(a.id), COUNT(an.article_id), COALESCE(MAX(a.id), 0), MAX(an.analyzed_at),
	COUNT(CASE WHEN o.domain <> '' THEN 1 END)
FROM events e
LEFT JOIN articles a ON a.event_id = e.id
LEFT JOIN analyses an ON an.article_id = a.id
LEFT JOIN outlets o ON o.id = a.outlet_id
WHERE e.id = ?
GROUP BY e.id, e.updated_at`

// EventStamp returns the stamp of an event, or ErrNotFound when there is
// no such event. It reads and never writes.
func (s *Store) EventStamp(ctx context.Context, eventID int64) (EventStamp, error) {
	var (
		st       EventStamp
		updated  sql.NullString
		analyzed sql.NullString
	)
	row := s.db.WithContext(ctx).Raw(eventStampQuery, eventID).Row()
	if err := row.Scan(&updated, &st.Articles, &st.Analyses, &st.MaxArticleID, &analyzed, &st.OutletDomains); err != nil {
		if err == sql.ErrNoRows {
			return EventStamp{}, wrap(ErrNotFound, "stamp of event %d", eventID)
		}
		return EventStamp{}, wrap(err, "stamp of event %d", eventID)
	}
	st.UpdatedAt, st.LastAnalyzedAt = updated.String, analyzed.String
	return st, nil
}
