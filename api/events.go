package api

import (
	"net/http"
	"strconv"
	"time"

	"github.com/gin-gonic/gin"

	"slant/desk"
	"slant/models"
)

// EventView is an event as the API shows it. It is the API's own type
// rather than models.Event so that a change to the stored model cannot
// change the JSON by accident.
type EventView struct {
	ID          int64      `json:"id"`
	Title       string     `json:"title"`
	Description string     `json:"description"`
	Date        *time.Time `json:"date"`
	CreatedAt   time.Time  `json:"created_at"`
	UpdatedAt   time.Time  `json:"updated_at"`
}

// EventSummaryView is one row of the event list: the event, how many
// articles it has and the sorted names of the outlets that covered it.
type EventSummaryView struct {
	EventView
	ArticleCount int64    `json:"article_count"`
	Outlets      []string `json:"outlets"`
}

// EventListView is the answer to GET /api/v1/events.
type EventListView struct {
	Events []EventSummaryView `json:"events"`
}

// EventDetailView is the answer to GET /api/v1/events/{id}: the event with
// its articles, as summaries or, with include=text,report, with their
// texts and reports: enough to draw the event page in one request.
type EventDetailView struct {
	EventView
	Articles []ArticleView `json:"articles"`
}

// eventInput is the body of POST and PUT /api/v1/events. Date is a string
// so that both an RFC 3339 time and a plain YYYY-MM-DD date are accepted.
type eventInput struct {
	Title       string `json:"title"`
	Description string `json:"description"`
	Date        string `json:"date"`
}

// event turns the input into a models.Event, checking the date.
func (in eventInput) event(id int64) (models.Event, error) {
	date, err := desk.ParseTime("date", in.Date)
	if err != nil {
		return models.Event{}, err
	}
	return models.Event{ID: id, Title: in.Title, Description: in.Description, Date: date}, nil
}

// eventView converts a stored event.
func eventView(e models.Event) EventView {
	return EventView{
		ID:          e.ID,
		Title:       e.Title,
		Description: e.Description,
		Date:        e.Date,
		CreatedAt:   e.CreatedAt,
		UpdatedAt:   e.UpdatedAt,
	}
}

// listEvents answers GET /api/v1/events?q=&limit=&offset=, newest first.
func (s *Server) listEvents(c *gin.Context) {
	limit, err := queryInt(c, "limit")
	if err != nil {
		s.fail(c, err)
		return
	}
	offset, err := queryInt(c, "offset")
	if err != nil {
		s.fail(c, err)
		return
	}
	events, err := s.store.ListEvents(c.Request.Context(), models.EventFilter{
		Query:  c.Query("q"),
		Limit:  limit,
		Offset: offset,
	})
	if err != nil {
		s.fail(c, err)
		return
	}
	out := EventListView{Events: make([]EventSummaryView, 0, len(events))}
	for _, e := range events {
		outlets := e.Outlets
		if outlets == nil {
			outlets = []string{}
		}
		out.Events = append(out.Events, EventSummaryView{
			EventView:    eventView(e.Event),
			ArticleCount: e.ArticleCount,
			Outlets:      outlets,
		})
	}
	c.JSON(http.StatusOK, out)
}

// createEvent answers POST /api/v1/events.
func (s *Server) createEvent(c *gin.Context) {
	var in eventInput
	if err := s.decodeJSON(c, &in); err != nil {
		s.fail(c, err)
		return
	}
	e, err := in.event(0)
	if err != nil {
		s.fail(c, err)
		return
	}
	if err := s.store.CreateEvent(c.Request.Context(), &e); err != nil {
		s.fail(c, err)
		return
	}
	c.Header("Location", "/api/v1/events/"+strconv.FormatInt(e.ID, 10))
	c.JSON(http.StatusCreated, eventView(e))
}

// getEvent answers GET /api/v1/events/{id}[?include=text,report] with the
// event and its articles: summaries, or with their texts and current
// reports when asked (see eventArticles), written as they are encoded.
func (s *Server) getEvent(c *gin.Context) {
	id, err := pathID(c, "id")
	if err != nil {
		s.fail(c, err)
		return
	}
	include, err := parseInclude(c)
	if err != nil {
		s.fail(c, err)
		return
	}
	event, views, err := s.eventArticles(c, id, include)
	if err != nil {
		s.fail(c, err)
		return
	}
	s.stream(c, EventDetailView{EventView: eventView(event), Articles: views})
}

// updateEvent answers PUT /api/v1/events/{id}. It replaces title,
// description and date; a field left out is emptied, as PUT means.
func (s *Server) updateEvent(c *gin.Context) {
	id, err := pathID(c, "id")
	if err != nil {
		s.fail(c, err)
		return
	}
	var in eventInput
	if err := s.decodeJSON(c, &in); err != nil {
		s.fail(c, err)
		return
	}
	e, err := in.event(id)
	if err != nil {
		s.fail(c, err)
		return
	}
	if err := s.store.UpdateEvent(c.Request.Context(), &e); err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, eventView(e))
}

// deleteEvent answers DELETE /api/v1/events/{id}; its articles and their
// analyses go with it.
func (s *Server) deleteEvent(c *gin.Context) {
	id, err := pathID(c, "id")
	if err != nil {
		s.fail(c, err)
		return
	}
	if err := s.store.DeleteEvent(c.Request.Context(), id); err != nil {
		s.fail(c, err)
		return
	}
	c.Status(http.StatusNoContent)
}
