// app.js: Slant's single page. Hash routes:
//   #/                       the events, a search box, "Join with a class
//                            code" and the "New event" form
//   #/events/{id}            one event (event.js)
//   #/events/{id}/worksheet  its printable worksheet (worksheet.js); ?copy=teacher
//                            adds the answer key
//   #/join                   "Join with a class code", for students
//   #/x/{CODE}               a class exercise, for students (exercise.js)
//   #/x/{CODE}/results       the class's results, for the teacher
//   #/wordlist               the class word list (wordlist.js)
// Everything the server stores is shown as text: nodes are built with
// createElement and textContent (see dom.js), never from HTML strings.
//
// The student's routes (#/join and #/x/{CODE}) show nothing that leads to
// the teacher's: the header's links go, and the brand leads to #/join.

import * as api from "./api.js";
import { h, clear, formatDate, capitalize } from "./dom.js";
import { closePopover } from "./popover.js";
import { loadLexicon } from "./lexicon.js";
import { eventView } from "./event.js";
import { worksheetView } from "./worksheet.js";
import { studentView, resultsView, normalizeCode } from "./exercise.js";
import { wordListView } from "./wordlist.js";
import { main, render, loading, failure, field, showError, submitting, nextRoute } from "./page.js";

// ---- routing ---------------------------------------------------------------

function parseRoute() {
  const hash = location.hash.replace(/^#/, "") || "/";
  const [path, query = ""] = hash.split("?");
  let m = path.match(/^\/events\/(\d+)\/?$/);
  if (m) return { name: "event", id: m[1] };
  m = path.match(/^\/events\/(\d+)\/worksheet\/?$/);
  if (m) return { name: "worksheet", id: m[1], teacherCopy: new URLSearchParams(query).get("copy") === "teacher" };
  m = path.match(/^\/x\/([A-Za-z0-9]+)(\/results)?\/?$/);
  if (m) return { name: m[2] ? "results" : "exercise", code: m[1].toUpperCase() };
  if (path === "/wordlist" || path === "/wordlist/") return { name: "wordlist" };
  if (path === "/join" || path === "/join/") return { name: "join" };
  if (path === "/" || path === "") return { name: "events", q: new URLSearchParams(query).get("q") || "" };
  return { name: "missing" };
}

const nav = document.querySelector(".site-nav");
const navLinks = nav ? [...nav.children] : [];
const brand = document.querySelector(".brand");

/** studentChrome takes the header's ways to the teacher's views away on
 * the student's routes, and puts them back elsewhere. */
function studentChrome(student) {
  if (nav) {
    if (student) nav.replaceChildren();
    else if (!nav.children.length) nav.append(...navLinks);
    nav.hidden = student;
  }
  if (brand) brand.setAttribute("href", student ? "#/join" : "#/");
  // Students see no highlights: the footer speaks of Slant's list instead.
  for (const p of document.querySelectorAll(".footer-teacher")) p.hidden = student;
  for (const p of document.querySelectorAll(".footer-student")) p.hidden = !student;
}

async function route() {
  closePopover(false);
  const current = nextRoute();
  const r = parseRoute();
  document.body.dataset.route = r.name;
  studentChrome(r.name === "exercise" || r.name === "join");
  window.scrollTo(0, 0);
  if (r.name === "event") await eventView(r.id, current);
  else if (r.name === "join") joinView();
  else if (r.name === "worksheet") await worksheetView(r.id, current, { teacherCopy: r.teacherCopy });
  else if (r.name === "exercise") await studentView(r.code, current);
  else if (r.name === "results") await resultsView(r.code, current);
  else if (r.name === "wordlist") await wordListView(current);
  else if (r.name === "events") await eventsView(r.q, current);
  else render(h("section", { class: "notice" },
    h("h1", { tabindex: "-1", text: "Page not found" }),
    h("p", {}, h("a", { href: "#/", text: "Back to all events" }))));
}

// ---- events list -------------------------------------------------------------

async function eventsView(q, current) {
  loading("Loading events…");
  let data;
  try {
    data = await api.listEvents(q, { ask: false });
  } catch (err) {
    if (!current()) return;
    if (err.status === 401 || err.status === 403) await outsiderHome(err, current);
    else failure(err, route);
    return;
  }
  if (!current()) return;
  loadLexicon();

  const list = h("div", { class: "event-list-holder", "aria-live": "polite" });
  fillEventList(list, data.events || [], q);

  let timer = 0;
  const search = h("input", {
    type: "search", id: "event-search", name: "q", value: q,
    placeholder: "Title, description or outlet", autocomplete: "off",
    on: {
      input: (e) => {
        clearTimeout(timer);
        const value = e.target.value.trim();
        timer = setTimeout(async () => {
          history.replaceState(null, "", value ? `#/?q=${encodeURIComponent(value)}` : "#/");
          try {
            const res = await api.listEvents(value);
            if (current()) fillEventList(list, res.events || [], value);
          } catch (err) {
            if (current()) clear(list).append(h("p", { class: "error", role: "alert", text: err.message }));
          }
        }, 250);
      },
    },
  });

  render(
    h("section", { class: "intro" },
      h("h1", { tabindex: "-1", text: "Events" }),
      h("p", { class: "lede", text:
        "Each event gathers several outlets' reports of the same happening. Open one to read " +
        "them side by side, with loaded words highlighted and explained." })),
    h("div", { class: "events-layout" },
      h("section", { class: "events", "aria-labelledby": "events-heading" },
        h("h2", { id: "events-heading", class: "visually-hidden", text: "All events" }),
        h("form", { class: "search", role: "search", on: { submit: (e) => e.preventDefault() } },
          h("label", { for: "event-search", text: "Search events" }), search),
        list),
      h("div", { class: "side" }, joinForm(), newEventForm())));
}

/** joinView is #/join: the class-code box alone, for students. */
function joinView() {
  render(
    h("section", { class: "intro" },
      h("h1", { tabindex: "-1", text: "Join a class exercise" }),
      h("p", { class: "lede", text: "Type the class code your teacher gave you." })),
    h("div", { class: "join-alone" }, joinForm()));
}

/**
 * outsiderHome is the home page for someone who is not the teacher (the
 * events list was refused): the class-code box, and for the teacher a way
 * to sign in with the admin token, or, on a Slant without one, what the
 * server says to do.
 */
async function outsiderHome(err, current) {
  const token = await api.usesToken();
  if (!current()) return;
  const wrong = err.status === 403;
  if (wrong) api.forgetToken();
  studentChrome(true); // the header's links would only be refused too
  const signIn = h("button", {
    type: "button", class: "button", id: "teacher-sign-in", text: "Enter the admin token",
    on: {
      click: async () => {
        if (await api.askForToken()) route();
      },
    },
  });
  render(
    h("section", { class: "intro" },
      h("h1", { tabindex: "-1", text: "Join a class exercise" }),
      h("p", { class: "lede", text: "Type the class code your teacher gave you." })),
    h("div", { class: "events-layout" },
      joinForm(),
      h("section", { class: "card teacher-note", "aria-labelledby": "teacher-note-heading" },
        h("h2", { id: "teacher-note-heading", text: "Are you the teacher?" }),
        token
          ? [h("p", { text: "Events and articles are for the teacher. Sign in with this Slant's admin token to see them." }),
              wrong ? h("p", { class: "form-error", role: "alert", text: "That admin token is not right. Try again." }) : null,
              signIn]
          : h("p", { class: "server-says", text: sentence(err.message) }))));
}

/** sentence starts a server message with a capital letter and ends it
 * with a full stop. */
function sentence(text) {
  const s = String(text || "").trim();
  if (!s) return s;
  return capitalize(s) + (/[.!?]$/.test(s) ? "" : ".");
}

/** joinForm is the students' way in: a class code from the teacher. */
function joinForm() {
  const error = h("p", { class: "form-error", role: "alert", hidden: true });
  const input = h("input", {
    id: "join-code", name: "code", autocomplete: "off", autocapitalize: "characters", spellcheck: "false",
    maxlength: "12", inputmode: "text", placeholder: "ABC234", "aria-describedby": "join-code-hint",
  });
  const form = h("form", { id: "join-form", class: "card form join", novalidate: true },
    h("h2", { text: "Join with a class code" }),
    field("join-code", "Class code", input, "Six letters and digits, from your teacher."),
    error,
    h("button", { type: "submit", class: "button primary", text: "Join" }));
  form.addEventListener("submit", (e) => {
    e.preventDefault();
    const code = normalizeCode(input.value);
    if (!code) return showError(error, "A class code has six letters and digits, like ABC234.", input);
    location.hash = `#/x/${code}`;
  });
  return form;
}

function fillEventList(list, events, q) {
  clear(list);
  if (!events.length) {
    list.append(h("p", { class: "empty", text: q
      ? `No event matches “${q}”.`
      : "No events yet. Create one with the form, then paste in two or more outlets' reports." }));
    return;
  }
  const ul = h("ul", { class: "event-list" });
  for (const ev of events) {
    const outlets = ev.outlets || [];
    const count = ev.article_count ?? 0;
    const date = formatDate(ev.date);
    ul.append(h("li", { class: "event-card" },
      h("h3", { class: "event-card-title" },
        h("a", { href: `#/events/${ev.id}`, class: "event-link", text: ev.title || "(untitled event)" })),
      h("p", { class: "event-card-meta" },
        date ? h("time", { datetime: String(ev.date).slice(0, 10), text: date }) : null,
        date ? " · " : null,
        `${count} ${count === 1 ? "article" : "articles"}`),
      outlets.length
        ? h("ul", { class: "chips", "aria-label": "Outlets" },
            outlets.map((name) => h("li", { class: "chip", text: name })))
        : null,
      ev.description ? h("p", { class: "event-card-desc", text: ev.description }) : null));
  }
  list.append(ul);
}

function newEventForm() {
  const error = h("p", { class: "form-error", role: "alert", hidden: true });
  const form = h("form", { id: "new-event-form", class: "card form", novalidate: true },
    h("h2", { text: "New event" }),
    field("new-event-title", "Title",
      h("input", { id: "new-event-title", name: "title", required: true, maxlength: "300", autocomplete: "off" })),
    field("new-event-description", "Description",
      h("textarea", { id: "new-event-description", name: "description", rows: "3",
        "aria-describedby": "new-event-description-hint" }),
      "What happened, in a neutral sentence or two."),
    field("new-event-date", "Date",
      h("input", { id: "new-event-date", name: "date", type: "date" })),
    error,
    h("button", { type: "submit", class: "button primary", text: "Create event" }));

  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    const title = form.elements.title.value.trim();
    const description = form.elements.description.value.trim();
    const date = form.elements.date.value;
    if (!title) return showError(error, "Give the event a title.", form.elements.title);
    const body = { title, description };
    if (date) body.date = `${date}T00:00:00Z`;
    await submitting(form, "Creating…", async () => {
      try {
        const ev = await api.createEvent(body);
        location.hash = `#/events/${ev.id}`;
      } catch (err) {
        showError(error, err.message);
      }
    });
  });
  return form;
}

// ---- admin token -------------------------------------------------------------
//
// When a request is refused for want of the admin token, api.js calls
// askAdminToken. It shows a small form above the page (outside <main>, so
// that re-rendering the page leaves it alone), and resolves with the token,
// or with null when the person cancels or leaves the page.

let pendingToken = null; // {promise, error, input} while the form is shown

function askAdminToken({ wrong }) {
  if (pendingToken) {
    if (wrong) showError(pendingToken.error, "That token is not right. Try again.", pendingToken.input);
    return pendingToken.promise;
  }
  const returnFocus = document.activeElement;
  const input = h("input", {
    id: "admin-token", name: "token", type: "password", required: true,
    autocomplete: "off", spellcheck: "false", "aria-describedby": "admin-token-hint",
  });
  const error = h("p", { class: "form-error", role: "alert", hidden: true });
  const form = h("form", { id: "token-form", class: "card form notice", novalidate: true },
    h("h2", { id: "token-heading", text: "Admin token needed" }),
    field("admin-token", "Admin token", input,
      "This part of Slant is for the teacher. The token is kept in this tab until you close it."),
    error,
    h("p", {},
      h("button", { type: "submit", class: "button primary", text: "Continue" }),
      " ",
      h("button", { type: "button", class: "button", id: "token-cancel", text: "Cancel", on: { click: () => finish(null) } })));
  const holder = h("section", { class: "page token-prompt", "aria-labelledby": "token-heading" }, form);

  let resolve;
  const promise = new Promise((r) => { resolve = r; });
  const cancel = () => finish(null);
  function finish(token) {
    if (!pendingToken) return;
    pendingToken = null;
    window.removeEventListener("hashchange", cancel);
    holder.remove();
    if (returnFocus && returnFocus.isConnected && typeof returnFocus.focus === "function") returnFocus.focus();
    resolve(token);
  }
  form.addEventListener("submit", (e) => {
    e.preventDefault();
    const token = input.value.trim();
    if (!token) return showError(error, "Enter the admin token.", input);
    finish(token);
  });
  form.addEventListener("keydown", (e) => {
    if (e.key === "Escape") cancel();
  });
  window.addEventListener("hashchange", cancel);

  pendingToken = { promise, error, input };
  if (wrong) showError(error, "That token is not right. Try again.");
  main.parentNode.insertBefore(holder, main);
  holder.scrollIntoView({ block: "start" });
  input.focus({ preventScroll: true });
  return promise;
}

api.onTokenNeeded(askAdminToken);

// ---- start -----------------------------------------------------------------

window.addEventListener("hashchange", route);
route();
