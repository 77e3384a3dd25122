package e2e

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// TestBrowserTokenPrompt drives the page against a Slant with an admin
// token, from a browser that does not hold it: the home page offers the
// class-code box and a sign-in instead of the events; a wrong token is
// refused there, the right one is kept for the tab and opens the events;
// a teacher's page opened without the token asks for it on its first
// read; later writes need no second asking. Like TestBrowser it needs
// Chromium.
func TestBrowserTokenPrompt(t *testing.T) {
	b := newPageBrowser(t, map[string]string{"SLANT_ADMIN_TOKEN": serveToken, "SLANT_DEMO": "0"})
	base, out, ctx, console := b.base, b.out, b.ctx, b.console
	step, text := b.step, b.text

	step("open the home page without the token",
		chromedp.Navigate(base+"/"),
		chromedp.WaitVisible(chromedp.ID("teacher-sign-in")),
	)
	if got := text("no events", `String(document.querySelectorAll("#new-event-form, .event-list").length)`); got != "0" {
		t.Error("the home page shows the teacher's forms to a browser without the token")
	}
	if got := text("join box", `String(document.querySelectorAll("#join-form").length)`); got != "1" {
		t.Error("the home page has no class-code box")
	}
	saveShot(t, ctx, out, "home-without-token-1440.png")

	step("sign in with a wrong token",
		chromedp.Click(chromedp.ID("teacher-sign-in")),
		chromedp.WaitVisible(chromedp.ID("token-form")),
	)
	if got := text("focus", `document.activeElement ? document.activeElement.id : ""`); got != "admin-token" {
		t.Errorf("focus is on %q, want the token field", got)
	}
	saveShot(t, ctx, out, "token-prompt-1440.png")
	step("a wrong token",
		chromedp.SendKeys(chromedp.ID("admin-token"), "not-"+serveToken),
		chromedp.Click(chromedp.CSS(`#token-form button[type="submit"]`)),
		chromedp.WaitVisible(chromedp.CSS(".teacher-note .form-error")),
	)
	if msg := text("wrong message", `document.querySelector(".teacher-note .form-error").textContent`); !strings.Contains(msg, "not right") {
		t.Errorf("after a wrong token the home page says %q", msg)
	}
	if got := text("no stored token", `sessionStorage.getItem("slant.adminToken") || ""`); got != "" {
		t.Errorf("a refused token stays stored: %q", got)
	}

	step("sign in with the right token",
		chromedp.Click(chromedp.ID("teacher-sign-in")),
		chromedp.WaitVisible(chromedp.ID("token-form")),
		chromedp.SendKeys(chromedp.ID("admin-token"), serveToken),
		chromedp.Click(chromedp.CSS(`#token-form button[type="submit"]`)),
		chromedp.WaitVisible(chromedp.ID("new-event-form")),
	)
	title := fmt.Sprintf("Token test event %d", time.Now().UnixNano())
	step("submit a new event",
		chromedp.SendKeys(chromedp.ID("new-event-title"), title),
		chromedp.Click(chromedp.CSS(`#new-event-form button[type="submit"]`)),
		chromedp.WaitVisible(chromedp.ID("add-article-form")),
	)
	eventHash := text("event route", `location.hash`)

	// A teacher's page opened in a fresh tab state asks for the token on
	// its first read, and shows once it has it.
	step("forget the token and open the event page",
		chromedp.Evaluate[chromedp.Void](`sessionStorage.removeItem("slant.adminToken")`),
		chromedp.Navigate(base+"/?again=1"+eventHash),
		chromedp.WaitVisible(chromedp.ID("token-form")),
		chromedp.SendKeys(chromedp.ID("admin-token"), serveToken),
		chromedp.Click(chromedp.CSS(`#token-form button[type="submit"]`)),
		chromedp.WaitVisible(chromedp.ID("add-article-form")),
	)
	if got := text("title", `document.querySelector("#event-title").textContent`); got != title {
		t.Errorf("the event page shows %q, want %q", got, title)
	}
	if got := text("form gone", `String(document.querySelectorAll("#token-form").length)`); got != "0" {
		t.Error("the token form is still there")
	}
	if got := text("stored token", `sessionStorage.getItem("slant.adminToken") || ""`); got != serveToken {
		t.Errorf("sessionStorage holds %q, want the token", got)
	}

	// A second write goes through without asking again.
	step("add an article",
		chromedp.SendKeys(chromedp.ID("article-outlet"), "Token Outlet"),
		chromedp.SetValue(chromedp.ID("article-text"), "The bridge reopened on Monday."),
		chromedp.Click(chromedp.CSS(`#add-article-form button[type="submit"]`)),
		chromedp.WaitVisible(chromedp.CSS(".articles > .article .article-body")),
	)
	if got := text("no prompt", `String(document.querySelectorAll("#token-form").length)`); got != "0" {
		t.Error("the page asked for the token a second time")
	}

	// Cancelling the form gives up the write with a plain message.
	step("forget the token and try to add another article",
		chromedp.Evaluate[chromedp.Void](`sessionStorage.removeItem("slant.adminToken")`),
		chromedp.SendKeys(chromedp.ID("article-outlet"), "Second Outlet"),
		chromedp.SetValue(chromedp.ID("article-text"), "Another text."),
		chromedp.Click(chromedp.CSS(`#add-article-form button[type="submit"]`)),
		chromedp.WaitVisible(chromedp.ID("token-form")),
		chromedp.Click(chromedp.ID("token-cancel")),
		chromedp.WaitVisible(chromedp.CSS("#add-article-form .form-error")),
	)
	if msg := text("cancel message", `document.querySelector("#add-article-form .form-error").textContent`); !strings.Contains(msg, "admin token") {
		t.Errorf("after cancelling, the form says %q", msg)
	}

	step("settle", chromedp.Sleep(300*time.Millisecond))
	for _, p := range console.list() {
		// The browser logs the refused writes' 401 and 403 itself.
		if strings.Contains(p, "status of 401") || strings.Contains(p, "status of 403") {
			continue
		}
		t.Errorf("console: %s", p)
	}
}
