// app.js: Slant's single page. Hash routes:
//   #/             the events, a search box and the "New event" form
//   #/events/{id}  one event: summary, chart, a closer look (frames, sources,
//                  what only one outlet reports, labels, tone), legend and the
//                  articles side by side
// Everything the server stores is shown as text: nodes are built with
// createElement and textContent (see dom.js), never from HTML strings.

import * as api from "./api.js";
import { h, clear, append, safeHref, formatDate, formatIndex } from "./dom.js";
import { renderBody, renderInline } from "./text.js";
import { loadedIndexChart } from "./chart.js";
import { closerLook } from "./deeper.js";
import { openPopover, closePopover } from "./popover.js";

const main = document.getElementById("main");
const footerInfo = document.getElementById("lexicon-info");

// ---- lexicon and category styles ------------------------------------------

const COLOURS = 12; // c-0 .. c-11 in style.css
const LINES = 5;    // u-0 .. u-4: solid, double, dotted, dashed, wavy

let lexiconPromise = null;
const categories = new Map(); // name -> {name, label, description, severity, index}

function loadLexicon() {
  if (!lexiconPromise) {
    lexiconPromise = api.getLexicon().then((lex) => {
      const cats = [...(lex.categories || [])].sort((a, b) => a.name.localeCompare(b.name));
      for (const c of cats) {
        if (!categories.has(c.name)) {
          categories.set(c.name, {
            name: c.name,
            label: c.label || humanize(c.name),
            description: c.description || "",
            severity: c.severity,
            index: categories.size,
          });
        }
      }
      clear(footerInfo).append(
        `Lexicon ${String(lex.version || "").replace(/^sha256:/, "").slice(0, 12)} · ${lex.entry_count ?? "?"} entries in ${cats.length} categories`);
      return lex;
    }).catch((err) => {
      clear(footerInfo).append("The lexicon could not be loaded: " + err.message);
      return null;
    });
  }
  return lexiconPromise;
}

function humanize(name) {
  const s = String(name || "").replace(/[-_]+/g, " ").trim();
  return s ? s[0].toUpperCase() + s.slice(1) : "Loaded language";
}

/** category returns the display data of a category, adding unknown ones. */
function category(name) {
  let c = categories.get(name);
  if (!c) {
    c = { name, label: humanize(name), description: "", index: categories.size };
    categories.set(name, c);
  }
  return { ...c, className: `c-${c.index % COLOURS} u-${c.index % LINES}` };
}

// ---- routing ---------------------------------------------------------------

let routeToken = 0;

function parseRoute() {
  const hash = location.hash.replace(/^#/, "") || "/";
  const [path, query = ""] = hash.split("?");
  const m = path.match(/^\/events\/(\d+)\/?$/);
  if (m) return { name: "event", id: m[1] };
  if (path === "/" || path === "") return { name: "events", q: new URLSearchParams(query).get("q") || "" };
  return { name: "missing" };
}

async function route() {
  closePopover(false);
  const token = ++routeToken;
  const r = parseRoute();
  const current = () => token === routeToken;
  window.scrollTo(0, 0);
  if (r.name === "event") await eventView(r.id, current);
  else if (r.name === "events") await eventsView(r.q, current);
  else render(h("section", { class: "notice" },
    h("h1", { tabindex: "-1", text: "Page not found" }),
    h("p", {}, h("a", { href: "#/", text: "Back to all events" }))));
}

function render(...nodes) {
  append(clear(main), nodes);
  const title = main.querySelector("h1");
  document.title = title && title.textContent !== "Events"
    ? `${title.textContent} — Slant`
    : "Slant — compare how outlets cover the same event";
  const h1 = main.querySelector("h1");
  if (h1) h1.focus({ preventScroll: true });
}

function loading(text) {
  clear(main).append(h("p", { class: "loading", role: "status", text }));
}

function failure(err, retry) {
  render(h("section", { class: "notice", role: "alert" },
    h("h1", { tabindex: "-1", text: "Something went wrong" }),
    h("p", { text: err.message || String(err) }),
    h("p", {},
      h("button", { type: "button", class: "button", on: { click: retry }, text: "Try again" }),
      " ",
      h("a", { href: "#/", text: "All events" }))));
}

// ---- events list -------------------------------------------------------------

async function eventsView(q, current) {
  loading("Loading events…");
  let data;
  try {
    data = await api.listEvents(q);
  } catch (err) {
    if (current()) failure(err, route);
    return;
  }
  if (!current()) return;

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
      newEventForm()));
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

function field(id, label, input, hint) {
  return h("div", { class: "field" },
    h("label", { for: id, text: label }),
    hint ? h("span", { class: "hint", id: `${id}-hint`, text: hint }) : null,
    input);
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

function showError(el, message, focus) {
  el.textContent = message;
  el.hidden = false;
  if (focus) focus.focus();
}

async function submitting(form, label, fn) {
  const button = form.querySelector("button[type=submit]");
  const text = button.textContent;
  button.disabled = true;
  button.textContent = label;
  form.setAttribute("aria-busy", "true");
  try {
    await fn();
  } finally {
    button.disabled = false;
    button.textContent = text;
    form.removeAttribute("aria-busy");
  }
}

// ---- one event ---------------------------------------------------------------

async function eventView(id, current, focusArticle) {
  if (!main.querySelector(`[data-event-id="${id}"]`)) loading("Loading the event…");
  let ev, cmp = null;
  try {
    await loadLexicon();
    ev = await api.getEvent(id);
    if ((ev.articles || []).length) cmp = await api.getComparison(id);
  } catch (err) {
    if (!current()) return;
    if (err.status === 404) {
      render(h("section", { class: "notice" },
        h("h1", { tabindex: "-1", text: "No such event" }),
        h("p", { text: "It may have been deleted. " }, h("a", { href: "#/", text: "See all events" }))));
    } else failure(err, route);
    return;
  }
  if (!current()) return;

  const articles = ev.articles || [];
  const scores = new Map(((cmp && cmp.outlets) || []).map((o) => [o.article_id, o]));
  // The passages only one outlet carries, by article; with one article
  // there is nothing to compare, so nothing is marked.
  const onlyHere = new Map(articles.length > 1
    ? ((cmp && cmp.content && cmp.content.outlets) || []).map((o) => [o.article_id, o.unique_spans || []])
    : []);
  const date = formatDate(ev.date);

  const page = h("div", { class: "event-page", dataset: { eventId: ev.id } },
    h("nav", { class: "crumbs", "aria-label": "Breadcrumb" }, h("a", { href: "#/", text: "← All events" })),
    h("header", { class: "event-head" },
      h("div", { class: "event-head-text" },
        h("h1", { tabindex: "-1", id: "event-title", text: ev.title || "(untitled event)" }),
        date ? h("p", { class: "event-date" }, h("time", { datetime: String(ev.date).slice(0, 10), text: date })) : null,
        ev.description ? h("p", { class: "event-desc", text: ev.description }) : null),
      h("button", {
        type: "button", class: "button danger subtle", id: "delete-event",
        on: { click: () => removeEvent(ev, articles.length) },
        text: "Delete event",
      })),
    articles.length ? overview(cmp) : null,
    articles.length ? closerLook(articles, cmp, { onShowPassages: showPassages }) : null,
    articles.length ? legend(articles, onlyHere) : null,
    articles.length ? articleColumns(ev, articles, scores, onlyHere) : h("p", { class: "empty", text:
      "No articles yet. Paste two or more outlets' reports of this event below to compare them." }),
    addArticleForm(ev, articles.length < 2));

  render(page);
  if (focusArticle) {
    const col = main.querySelector(`[data-article-id="${focusArticle}"] .article-title`);
    if (col) {
      col.scrollIntoView({ block: "start" });
      col.focus({ preventScroll: true });
    }
  }
}

function overview(cmp) {
  const outlets = (cmp && cmp.outlets) || [];
  const summary = (cmp && cmp.summary) || [];
  return h("section", { class: "overview", "aria-label": "Overview" },
    h("div", { class: "card summary" },
      h("h2", { text: "In plain words" }),
      summary.length
        ? h("ul", { class: "summary-list" }, summary.map((line) => h("li", { text: line })))
        : h("p", { class: "empty", text: "No summary yet." })),
    h("div", { class: "card chart-box" },
      h("h2", { text: "Loaded-language index" }),
      outlets.length ? loadedIndexChart(outlets) : h("p", { class: "empty", text: "No figures yet." }),
      h("p", { class: "chart-note" },
        h("span", {}, h("span", { class: "key key-own", "aria-hidden": "true" }),
          " Own voice: severity-weighted loaded words per 1,000 words the outlet wrote itself."),
        h("span", {}, h("span", { class: "key key-quoted", "aria-hidden": "true" }),
          " The same measure inside quotations, counted apart.")),
      h("details", { class: "how" },
        h("summary", { text: "How Slant reads a text" }),
        h("p", { text: "Highlighted words come from a published list (the lexicon) of words that judge instead of describe. " +
          "Each entry says why the word is loaded and what a neutral report could say instead." }),
        h("p", { text: "Words inside quotation marks belong to the person quoted, not to the outlet: they are shown with a dotted outline and counted apart." }),
        h("p", { text: "A highlight is a prompt to look closer, not a verdict. Compare which facts, voices and words each outlet chose." }))));
}

function legend(articles, onlyHere) {
  const counts = new Map();
  let quoted = 0;
  for (const a of articles) {
    const r = a.report || {};
    for (const f of [...(r.findings || []), ...(r.title_findings || [])]) {
      counts.set(f.category, (counts.get(f.category) || 0) + 1);
      if (f.in_quote) quoted++;
    }
  }
  const names = [...counts.keys()].sort((a, b) => category(a).index - category(b).index);
  const items = names.map((name) => {
    const c = category(name);
    const button = h("button", {
      type: "button", class: "legend-toggle", "aria-pressed": "true",
      title: c.description ? `${c.description} Click to hide or show.` : "Click to hide or show.",
      on: {
        click: () => {
          const on = button.getAttribute("aria-pressed") !== "true";
          button.setAttribute("aria-pressed", String(on));
          for (const m of main.querySelectorAll(`mark.finding[data-category="${CSS.escape(name)}"]`)) {
            m.classList.toggle("muted", !on);
          }
        },
      },
    },
      h("span", { class: `sample ${c.className}`, text: c.label }),
      h("span", { class: "count", text: String(counts.get(name)) }));
    return h("li", {}, button);
  });
  return [
    h("p", { class: "legend-help", text:
      "Select a highlighted word, or focus it and press Enter, to see why it is loaded and what a neutral report could say. " +
      "The buttons in the legend hide or show a category." }),
    h("section", { class: "legend", "aria-labelledby": "legend-heading" },
      h("h2", { id: "legend-heading", class: "legend-heading", text: "Legend" }),
      h("ul", { class: "legend-list" },
        items,
        onlyHereToggle(onlyHere),
        h("li", { class: "legend-static" }, h("span", { class: "quote", text: "“Quotation”" })),
        quoted
          ? h("li", { class: "legend-static" },
              h("span", { class: "sample in-quote c-10 u-0", text: "loaded word in a quotation" }))
          : null)),
  ];
}

/** onlyHereToggle is the legend's switch for the "only here" marks, or
 * null when no passage is found in one outlet only. */
function onlyHereToggle(onlyHere) {
  let n = 0;
  for (const spans of onlyHere.values()) n += spans.length;
  if (!n) return null;
  const button = h("button", {
    type: "button", class: "legend-toggle only-toggle", id: "only-here-toggle", "aria-pressed": "true",
    title: "Passages no other outlet carries. Click to hide or show the marks.",
    on: {
      click: () => {
        const on = button.getAttribute("aria-pressed") !== "true";
        button.setAttribute("aria-pressed", String(on));
        const grid = main.querySelector(".articles");
        if (grid) grid.classList.toggle("hide-only-here", !on);
      },
    },
  },
    h("span", { class: "sample only-sample", text: "only in this outlet" }),
    h("span", { class: "count", text: String(n) }));
  return h("li", {}, button);
}

/** showPassages scrolls to the first "only here" passage of an article,
 * turning the marks on if they were off. */
function showPassages(articleId) {
  const toggle = document.getElementById("only-here-toggle");
  if (toggle && toggle.getAttribute("aria-pressed") !== "true") toggle.click();
  const first = main.querySelector(`.articles > .article[data-article-id="${CSS.escape(String(articleId))}"] .only-here`);
  if (!first) return;
  first.scrollIntoView({ block: "center", behavior: "smooth" });
  first.classList.add("flash");
  setTimeout(() => first.classList.remove("flash"), 1600);
}

/** makePassage wraps one piece of an "only here" passage; the first piece
 * carries the tag that says so in words. */
function makePassage(outletName) {
  return (range, first) => {
    const el = h("span", { class: "only-here", dataset: { passage: range.index } });
    if (first) {
      el.append(h("span", { class: "only-tag", title: `No other outlet carries this passage; only ${outletName} does.`, text: "only here" }), " ");
    }
    return el;
  };
}

// Findings of every rendered mark, for the delegated click and key handlers.
const markFindings = new WeakMap();

function makeMarker(outletName, where) {
  return (range, text) => {
    const f = range.item;
    const c = category(f.category);
    const label = `Loaded language: ${text}, ${c.label}` + (f.in_quote ? ", inside a quotation" : "") +
      ` (${outletName})`;
    const mark = h("mark", {
      class: `finding ${c.className}${f.in_quote ? " in-quote" : ""}`,
      tabindex: "0",
      role: "button",
      "aria-haspopup": "dialog",
      "aria-expanded": "false",
      "aria-label": label,
      dataset: { category: f.category, finding: range.index, severity: f.severity ?? "" },
    });
    markFindings.set(mark, { finding: f, where, category: c });
    return mark;
  };
}

function activate(mark) {
  const data = markFindings.get(mark);
  if (!data) return;
  openPopover(mark, data.finding, {
    label: data.category.label,
    description: data.category.description,
    className: data.category.className,
    where: data.where,
  });
}

function articleColumns(ev, articles, scores, onlyHere) {
  const n = articles.length;
  const grid = h("section", {
    class: `articles cols-${Math.min(n, 6)}${n > 6 ? " cols-many" : ""}`,
    "aria-label": "Articles side by side",
    on: {
      click: (e) => {
        const mark = e.target.closest && e.target.closest("mark.finding");
        if (mark) activate(mark);
      },
      keydown: (e) => {
        if (e.key !== "Enter" && e.key !== " ") return;
        const mark = e.target.closest && e.target.closest("mark.finding");
        if (!mark) return;
        e.preventDefault();
        activate(mark);
      },
    },
  });
  for (const a of articles) grid.append(articleColumn(ev, a, scores.get(a.id), n, onlyHere.get(a.id)));
  return grid;
}

function articleColumn(ev, a, score, total, passages) {
  const r = a.report || {};
  const sc = r.scores || {};
  const outlet = a.outlet || {};
  const name = outlet.name || "Unknown outlet";
  const href = safeHref(a.url);
  const published = formatDate(a.published_at);
  const quotedFindings = sc.quoted_findings ?? (r.findings || []).filter((f) => f.in_quote).length;
  const sentences = (r.sentences || []).length;

  const title = h("h3", { class: "article-title", id: `article-${a.id}-title`, tabindex: "-1" });
  if (a.title) title.append(renderInline(a.title, r.title_findings, makeMarker(name, "In the headline.")));
  else title.append(h("span", { class: "untitled", text: "(no headline)" }));

  const body = h("div", { class: "article-body", lang: "en" });
  body.append(renderBody(a.text || "", r.findings, r.quotes, makeMarker(name, null),
    passages, passages && passages.length ? makePassage(name) : null));

  const topTerms = (score && score.top_terms) || [];
  return h("article", {
    class: "article", "aria-labelledby": `article-${a.id}-title`, dataset: { articleId: a.id },
  },
    h("header", { class: "article-head" },
      h("div", { class: "outlet-line" },
        h("p", { class: "outlet" },
          h("span", { class: "outlet-name", text: name }),
          outlet.domain ? h("span", { class: "outlet-domain", text: outlet.domain }) : null),
        h("button", {
          type: "button", class: "icon-button delete-article",
          "aria-label": `Delete the article from ${name}`, title: "Delete this article",
          on: { click: () => removeArticle(ev, a, name) },
          text: "Delete",
        })),
      title,
      (published || href)
        ? h("p", { class: "article-meta" },
            published ? h("time", { datetime: String(a.published_at).slice(0, 10), text: published }) : null,
            published && href ? " · " : null,
            href ? h("a", { href, rel: "noopener noreferrer nofollow", target: "_blank", text: "original" }) : null)
        : null,
      h("div", { class: "figures" },
        h("p", { class: "index-line" },
          h("span", { class: "loaded-index", text: formatIndex(sc.loaded_index ?? (score && score.loaded_index)) }),
          h("span", { class: "index-label" },
            "loaded index",
            score && total > 1 ? h("span", { class: "rank", text: ` · rank ${score.rank} of ${total}` }) : null)),
        h("p", { class: "stats" },
          plural(sc.own_findings ?? 0, "loaded word", "loaded words"), " in its own voice · ",
          `${quotedFindings} in quotations · `,
          plural(sc.words ?? 0, "word", "words"),
          sentences ? ` · ${sc.biased_sentences ?? 0} of ${sentences} sentences slanted` : "")),
      topTerms.length
        ? h("p", { class: "top-terms" }, h("span", { class: "top-terms-label", text: "Strongest words: " }),
            topTerms.slice(0, 5).map((t, i) => [i ? ", " : "",
              h("span", { class: "term", text: (t.examples && t.examples[0]) || t.term }),
              t.count > 1 ? h("span", { class: "term-count", text: ` ×${t.count}` }) : null]))
        : null),
    body);
}

function plural(n, one, many) {
  return `${n} ${n === 1 ? one : many}`;
}

async function removeEvent(ev, n) {
  const what = n ? ` and its ${n} ${n === 1 ? "article" : "articles"}` : "";
  if (!window.confirm(`Delete the event “${ev.title}”${what}? This cannot be undone.`)) return;
  try {
    await api.deleteEvent(ev.id);
    location.hash = "#/";
  } catch (err) {
    window.alert("The event could not be deleted: " + err.message);
  }
}

async function removeArticle(ev, a, name) {
  if (!window.confirm(`Delete the article from ${name}${a.title ? ` (“${a.title}”)` : ""}?`)) return;
  try {
    await api.deleteArticle(ev.id, a.id);
  } catch (err) {
    window.alert("The article could not be deleted: " + err.message);
  }
  const token = ++routeToken;
  await eventView(String(ev.id), () => token === routeToken);
}

function addArticleForm(ev, open) {
  const error = h("p", { class: "form-error", role: "alert", hidden: true });
  const form = h("form", { id: "add-article-form", class: "form article-form", novalidate: true },
    h("div", { class: "form-row" },
      field("article-outlet", "Outlet name",
        h("input", { id: "article-outlet", name: "outlet", required: true, autocomplete: "off", maxlength: "200" })),
      field("article-domain", "Outlet domain",
        h("input", { id: "article-domain", name: "outlet_domain", placeholder: "example.com", autocomplete: "off" }))),
    field("article-title", "Headline",
      h("input", { id: "article-title", name: "title", autocomplete: "off" })),
    h("div", { class: "form-row" },
      field("article-url", "Address (URL)",
        h("input", { id: "article-url", name: "url", type: "url", placeholder: "https://", autocomplete: "off" })),
      field("article-published", "Published",
        h("input", { id: "article-published", name: "published_at", type: "date" }))),
    field("article-text", "Article text",
      h("textarea", { id: "article-text", name: "text", rows: "12", required: true,
        "aria-describedby": "article-text-hint" }),
      "Paste the body of the article. Leave a blank line between paragraphs."),
    error,
    h("button", { type: "submit", class: "button primary", text: "Add and analyse" }));

  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    error.hidden = true;
    const v = (name) => form.elements[name].value.trim();
    const body = { outlet: v("outlet"), text: form.elements.text.value };
    if (!body.outlet) return showError(error, "Name the outlet that published the article.", form.elements.outlet);
    if (!body.text.trim()) return showError(error, "Paste the article's text.", form.elements.text);
    if (v("outlet_domain")) body.outlet_domain = v("outlet_domain");
    if (v("title")) body.title = v("title");
    if (v("url")) body.url = v("url");
    if (v("published_at")) body.published_at = `${v("published_at")}T00:00:00Z`;
    await submitting(form, "Analysing…", async () => {
      try {
        const created = await api.addArticle(ev.id, body);
        const token = ++routeToken;
        await eventView(String(ev.id), () => token === routeToken, created && created.id);
      } catch (err) {
        showError(error, err.status === 409
          ? "This text is already in the event."
          : err.message);
      }
    });
  });

  return h("section", { class: "add-article", "aria-labelledby": "add-article-heading" },
    h("details", { class: "card", open },
      h("summary", {}, h("h2", { id: "add-article-heading", text: "Add an article" })),
      form));
}

// ---- admin token -------------------------------------------------------------
//
// When a write is refused for want of the admin token, api.js calls
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
      "Only this Slant's editors can change events and articles. The token is kept in this tab until you close it."),
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
loadLexicon();
route();
