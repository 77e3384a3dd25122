package models

import (
	"context"
)

// AllEvents returns every event in id order, without articles, for
// exports of the whole database.
func (s *Store) AllEvents(ctx context.Context) ([]Event, error) {
	events := []Event{}
	if err := s.db.WithContext(ctx).Order("id").Find(&events).Error; err != nil {
		return nil, wrap(err, "list all events")
	}
	for i := range events {
		normalizeEvent(&events[i])
	}
	return events, nil
}

// MetadataField is one metadata field name found in the articles of an
// export, with the kinds of value it holds.
type MetadataField struct {
	Key string
	// Kind is "string", "number" or "boolean" when every value is of that
	// kind, "string" when they are mixed.
	Kind string
}

// MetadataFields lists the metadata field names of the articles of one
// event (every event when eventID is 0), sorted, so that a CSV export can
// give each its column before the first row. It reads the metadata
// column alone, one row at a time.
func (s *Store) MetadataFields(ctx context.Context, eventID int64) ([]MetadataField, error) {
	q := s.db.WithContext(ctx).Model(&Article{}).Select("metadata").Where("metadata IS NOT NULL")
	if eventID != 0 {
		q = q.Where("event_id = ?", eventID)
	}
	rows, err := q.Rows()
	if err != nil {
		return nil, wrap(err, "list metadata fields")
	}
	defer rows.Close()
	kinds := map[string]string{}
	for rows.Next() {
		var m Metadata
		if err := rows.Scan(&m); err != nil {
			return nil, wrap(err, "list metadata fields")
		}
		for k, v := range m {
			kind := MetadataKind(v)
			if prev, ok := kinds[k]; ok && prev != kind {
				kind = "string"
			}
			kinds[k] = kind
		}
	}
	if err := rows.Err(); err != nil {
		return nil, wrap(err, "list metadata fields")
	}
	fields := make([]MetadataField, 0, len(kinds))
	keys := make(Metadata, len(kinds))
	for k := range kinds {
		keys[k] = nil
	}
	for _, k := range keys.Keys() {
		fields = append(fields, MetadataField{Key: k, Kind: kinds[k]})
	}
	return fields, nil
}
