package models

import "context"

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
