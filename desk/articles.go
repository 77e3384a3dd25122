package desk

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"slant/models"
)

// Added is an article just filed, with how its text was got.
type Added struct {
	Filed
	Intake Intake
}

// AddArticle files one article in an event: the door of pasted text, an
// uploaded page, a URL to fetch and the demo. It checks the submission,
// works out its text (see intake.go), analyzes title and text with the
// lexicon in force and stores article and analysis together, so that no
// article is ever stored without its report. The event is checked before
// any page is fetched, so that a full or missing event costs no fetch;
// beforeFetch, when not nil, is called just before a fetch and its error
// stops the add (the API's fetch rate limit).
//
// It costs one analysis and no read of the event's articles: a count of
// them, and the store's own checks in the write's transaction.
//
// Errors: *models.ValidationError (422 in the API), *TooLargeError (a text
// over the limit), an explained models.ErrConflict (the event already
// holds this text), an explained *models.ValidationError (the event is
// full), *FetchError and the extractor's ingest.ErrNoArticle.
func (d *Desk) AddArticle(ctx context.Context, eventID int64, sub Submission, beforeFetch func() error) (Added, error) {
	if err := sub.check(pasted).err(); err != nil {
		return Added{}, err
	}
	if strings.TrimSpace(sub.Text) != "" {
		if err := d.checkTextSize(sub.Text); err != nil {
			return Added{}, err
		}
	}
	if err := d.checkRoom(ctx, eventID); err != nil {
		return Added{}, err
	}
	if strings.TrimSpace(sub.Text) == "" && strings.TrimSpace(sub.HTML) == "" {
		// A fetch reaches out to another site: not for an event that
		// is not there.
		if _, err := d.store.GetEvent(ctx, eventID); errors.Is(err, models.ErrNotFound) {
			return Added{}, &models.ValidationError{Field: "event", Problem: "does not exist"}
		} else if err != nil {
			return Added{}, err
		}
	}
	in, err := d.takeIn(ctx, sub, pasted, beforeFetch)
	if err != nil {
		return Added{}, err
	}
	if err := checkTaken(&in).err(); err != nil {
		return Added{}, err
	}
	if err := d.checkTextSize(in.sub.Text); err != nil {
		return Added{}, err
	}
	an, report, err := d.analyze(ctx, d.Analyzer(), in.sub.Title, in.sub.Text)
	if err != nil {
		return Added{}, err
	}
	article := models.Article{
		EventID:     eventID,
		Outlet:      models.Outlet{Name: in.sub.Outlet},
		Title:       in.sub.Title,
		URL:         in.sub.URL,
		PublishedAt: in.sub.PublishedAt,
		Body:        in.sub.Text,
		ContentHash: in.hash,
		Language:    in.intake.Language.Code,
	}
	err = d.store.AddArticle(ctx, &article, in.sub.OutletDomain, &an)
	if errors.Is(err, models.ErrConflict) {
		// The only unique key an added article can hit is (event, text).
		err = Explain(err, "this article is already in this event")
	}
	if err != nil {
		return Added{}, err
	}
	article.Analysis = nil
	an.Report = nil
	return Added{Filed: Filed{Article: article, Analysis: an, Report: report}, Intake: in.intake}, nil
}

// checkRoom refuses an article for an event that already holds the most
// articles allowed. The count is read before the article is stored,
// outside its transaction, so two requests racing for the last place may
// both get it: the cap bounds growth, it is not an exact quota.
func (d *Desk) checkRoom(ctx context.Context, eventID int64) error {
	n, err := d.store.CountArticles(ctx, eventID)
	if err != nil {
		return fmt.Errorf("count articles of event %d: %w", eventID, err)
	}
	if n >= int64(d.limits.MaxArticlesPerEvent) {
		return Explain(&models.ValidationError{Field: "event", Problem: "is full"},
			fmt.Sprintf("this event already has %d articles, the most one event may hold", n))
	}
	return nil
}
