// event.js: one event's page: the summary and chart, a closer look, the
// legend with its filters, the articles side by side with their loaded
// words highlighted, the class tools (blind mode, the neutral version, the
// worksheet, exercises) and the article editor.
//
// The page is drawn from the event and its comparison; the reader's choices
// (categories shown, own voice or quotations, the neutral version) live in
// viewState so that a redraw (blind mode on or off) keeps them.

import * as api from "./api.js";
import { h, safeHref, formatDate, formatIndex, capitalize } from "./dom.js";
import { renderBody, renderInline, byteConverter } from "./text.js";
import { loadedIndexChart } from "./chart.js";
import { closerLook } from "./deeper.js";
import { openPopover, closePopover } from "./popover.js";
import { loadLexicon, category, shortVersion } from "./lexicon.js";
import { isBlind, setBlind, blindOrder, blindExercise, replacements, maskTree, nameWords } from "./blind.js";
import { exercisePanel } from "./exercise.js";
import { llmView, layoutModelBars } from "./llm.js";
import {
  main, render, loading, failure, notFound, field, showError, submitting, plural, nextRoute,
} from "./page.js";

// ---- the reader's choices, per event ------------------------------------------

const states = new Map();

function viewState(eventId) {
  let st = states.get(String(eventId));
  if (!st) {
    st = { hidden: new Set(), voice: "both", neutral: false, onlyOff: false, llmOff: false };
    states.set(String(eventId), st);
  }
  return st;
}

/**
 * loadEvent fetches an event and its comparison. It is shared with the
 * worksheet, which needs the same data.
 */
export async function loadEvent(id) {
  await loadLexicon();
  const ev = await api.getEvent(id);
  const cmp = (ev.articles || []).length ? await api.getComparison(id) : null;
  return { ev, cmp };
}

export async function eventView(id, current, opts = {}) {
  if (!main.querySelector(`[data-event-id="${id}"]`)) loading("Loading the event…");
  let data;
  try {
    data = await loadEvent(id);
  } catch (err) {
    if (!current()) return;
    if (err.status === 404) notFound("No such event", "It may have been deleted.");
    else failure(err, () => eventView(id, current, opts));
    return;
  }
  if (!current()) return;
  drawEvent(data.ev, data.cmp, opts);
}

/** redraw draws the event again from fresh data (after an article was
 * added or removed), keeping the reader's choices. */
async function reload(ev, opts) {
  await eventView(String(ev.id), nextRoute(), opts);
}

/**
 * drawEvent renders the page. opts: focusArticle (an article id to scroll
 * to), ingest ({articleId, removed} for an article just added), keepScroll
 * and focusId (an element to focus after the redraw).
 */
function drawEvent(ev, cmp, opts = {}) {
  closePopover(false);
  const st = viewState(ev.id);
  const blind = isBlind(ev.id);
  const all = ev.articles || [];
  const order = blindOrder(ev.id, all);
  const labels = new Map(order.map((x) => [x.article.id, x.label]));
  // While blind, the columns come in label order ("Outlet 1" first), so
  // that their order gives nothing away either.
  const articles = blind ? order.map((x) => x.article) : all;
  const nameOf = (a) => (blind ? labels.get(a.id) : (a.outlet && a.outlet.name) || "Unknown outlet");

  const scores = new Map(((cmp && cmp.outlets) || []).map((o) => [o.article_id, o]));
  const onlyHere = new Map(articles.length > 1
    ? ((cmp && cmp.content && cmp.content.outlets) || []).map((o) => [o.article_id, o.unique_spans || []])
    : []);
  const date = formatDate(ev.date);
  const scrollY = window.scrollY;
  // The language model's second opinion (llm.js): drawn from what is known,
  // then filled in as the server answers.
  const pairs = blind ? replacements(order) : [];
  const model = llmView({
    ev, articles, blind, pairs, state: st,
    onBody: (body) => {
      applyFilters(st);
      if (st.neutral) neutralOn(body);
    },
  });

  const page = h("div", { class: "event-page", dataset: { eventId: ev.id } },
    h("nav", { class: "crumbs", "aria-label": "Breadcrumb" }, h("a", { href: "#/", text: "← All events" })),
    h("header", { class: "event-head" },
      h("div", { class: "event-head-text" },
        h("h1", { tabindex: "-1", id: "event-title", text: ev.title || "(untitled event)" }),
        date ? h("p", { class: "event-date" }, h("time", { datetime: String(ev.date).slice(0, 10), text: date })) : null,
        ev.description ? eventDescription(ev.description) : null),
      h("button", {
        type: "button", class: "button danger subtle", id: "delete-event",
        on: { click: () => removeEvent(ev, all.length) },
        text: "Delete event",
      })),
    all.length ? classTools(ev, cmp, blind, order, opts, st) : null,
    // At a glance first: the summary, the index bars and the texts side by
    // side; the closer look follows the texts.
    articles.length ? overview(cmp, (u) => nameOf(all.find((a) => a.id === u.article_id) || { outlet: { name: u.outlet } })) : null,
    articles.length ? legend(ev, articles, onlyHere, st, model) : null,
    articles.length ? articleColumns(ev, articles, scores, onlyHere, nameOf, opts, blind, model) : h("p", { class: "empty", text:
      "No articles yet. Paste two or more outlets' reports of this event below to compare them." }),
    articles.length ? closerLook(articles, cmp, { onShowPassages: showPassages }) : null,
    addArticleForm(ev, all.length < 2));

  render(page);
  if (blind) {
    maskTree(page, pairs);
    // A word of an outlet's name on its own, as a term only it uses,
    // would give it away too.
    const words = nameWords(order, ev.title);
    for (const chip of page.querySelectorAll(".chips.terms .chip")) {
      if (words.has(chip.textContent.trim().toLowerCase())) chip.remove();
    }
  }
  applyFilters(st);
  applyNeutral(st);
  model.start();

  if (opts.focusArticle) {
    const col = main.querySelector(`[data-article-id="${opts.focusArticle}"] .article-title`);
    if (col) {
      col.scrollIntoView({ block: "start" });
      col.focus({ preventScroll: true });
    }
  } else if (opts.keepScroll) {
    window.scrollTo(0, scrollY);
    const el = opts.focusId && document.getElementById(opts.focusId);
    if (el) el.focus({ preventScroll: true });
  }
}

/**
 * eventDescription shows the event's description folded to its first two
 * lines, with a button that unfolds it when there is more, so that the
 * comparison comes first on the screen. The button shows only while the
 * text is cut (a ResizeObserver looks again when the width changes).
 */
function eventDescription(text) {
  const desc = h("p", { class: "event-desc folded", id: "event-desc", text });
  const more = h("button", {
    type: "button", class: "link-button desc-more", id: "event-desc-more", hidden: true,
    "aria-controls": "event-desc", "aria-expanded": "false",
    on: {
      click: () => {
        const open = desc.classList.toggle("folded") === false;
        more.setAttribute("aria-expanded", String(open));
        more.textContent = open ? "Show less" : "Show all";
        if (!open) fit();
      },
    },
    text: "Show all",
  });
  const fit = () => {
    if (desc.classList.contains("folded")) more.hidden = desc.scrollHeight <= desc.clientHeight + 1;
  };
  if (typeof ResizeObserver === "function") new ResizeObserver(fit).observe(desc);
  return h("div", { class: "event-desc-box" }, desc, more);
}

// ---- class tools: blind mode, worksheet, exercises -------------------------------

// The teaching panel folds to one line until opened (and stays as the
// teacher left it across redraws), so that the comparison comes first. The
// line keeps blind mode's switch, which a teacher flips in front of the
// class; its banner shows whether the panel is open or not.
function classTools(ev, cmp, blind, order, opts, st) {
  const redraw = (focusId) => drawEvent(ev, cmp, { keepScroll: true, focusId });
  if (opts.exerciseOpen) st.teachOpen = true;
  const open = !!st.teachOpen;
  const toggle = h("button", {
    type: "button", class: "tool-toggle", id: "blind-toggle", "aria-pressed": String(blind),
    "aria-describedby": "blind-hint",
    on: {
      click: () => {
        setBlind(ev.id, !blind);
        redraw("blind-toggle");
      },
    },
  }, h("span", { class: "switch", "aria-hidden": "true" }), h("span", { text: "Blind mode" }));

  const n = order.length;
  const shared = blindExercise(ev.id);
  const banner = blind
    ? h("div", { class: "blind-banner", role: "status" },
        h("p", {},
          h("strong", { text: "Blind mode is on. " }),
          `The outlets are shown as ${n > 1 ? `Outlet 1 to Outlet ${n}` : "Outlet 1"}, in a shuffled order, ` +
          "everywhere on this page and on the worksheet.",
          shared ? ` The labels are those of exercise ${shared}, so they match the students' screens.` : ""),
        h("button", {
          type: "button", class: "button primary", id: "blind-reveal",
          on: {
            click: () => {
              setBlind(ev.id, false);
              redraw("blind-toggle");
            },
          },
          text: "Reveal the outlets",
        }))
    : null;

  const body = h("div", { class: "class-tools-body", id: "class-tools-body", hidden: !open },
    h("div", { class: "tool-list" },
      h("a", { class: "button subtle", id: "worksheet-link", href: `#/events/${ev.id}/worksheet`, text: "Print worksheet" }),
      h("a", { class: "button subtle", href: "#/wordlist", text: "Class word list" })),
    h("p", { class: "hint", id: "blind-hint", text:
      "Blind mode hides the outlets' names and domains until you reveal them, so that the class judges the words alone." }),
    exercisePanel(ev, {
      open: !!opts.exerciseOpen,
      freshCode: opts.freshCode || "",
      // A blind exercise's labels become the page's: blind mode goes on
      // with the exercise's order, so that everyone says "Outlet 2" of the
      // same text.
      onBlindExercise: async (ex) => {
        let ids = [];
        try {
          ids = ((await api.getExercise(ex.code)).articles || []).map((a) => a.id);
        } catch {
          ids = [];
        }
        setBlind(ev.id, true, ids.length ? { code: ex.code, ids } : null);
        drawEvent(ev, cmp, { keepScroll: true, exerciseOpen: true, freshCode: ex.code });
      },
    }));
  const label = h("span", { class: "disclose-text", text: open ? "Hide" : "Show" });
  const opener = h("button", {
    type: "button", class: "disclose", id: "class-tools-open", "aria-expanded": String(open), "aria-controls": "class-tools-body",
    on: {
      click: () => {
        st.teachOpen = opener.getAttribute("aria-expanded") !== "true";
        opener.setAttribute("aria-expanded", String(st.teachOpen));
        body.hidden = !st.teachOpen;
        label.textContent = st.teachOpen ? "Hide" : "Show";
      },
    },
  }, label, h("span", { class: "visually-hidden", text: " the teaching tools" }));

  return h("section", { class: "class-tools card", "aria-labelledby": "class-tools-heading" },
    h("div", { class: "class-tools-row" },
      h("h2", { id: "class-tools-heading", text: "Teach with this event" }),
      h("p", { class: "class-tools-gist", text: "A printable worksheet, a class exercise" }),
      toggle,
      opener),
    banner,
    body);
}

// ---- overview ------------------------------------------------------------------

function overview(cmp, nameOf) {
  const outlets = (cmp && cmp.outlets) || [];
  const summary = (cmp && cmp.summary) || [];
  const left = (cmp && cmp.not_scored) || [];
  return h("section", { class: "overview", "aria-label": "Overview" },
    h("div", { class: "card summary" },
      h("h2", { text: "In plain words" }),
      summary.length
        ? h("ul", { class: "summary-list" }, summary.map((line) => h("li", { text: line })))
        : h("p", { class: "empty", text: "No summary yet." }),
      // Articles in another language: stored and shown, but not compared.
      left.length
        ? h("p", { class: "not-scored-note", id: "not-scored-note" },
            h("strong", { text: "Left out: " }),
            left.map((u, i) => [i ? "; " : "", nameOf(u), u.language_name ? ` (${u.language_name})` : ""]),
            ` — ${left[0].reason || "not scored: Slant's word lists are English"}.`)
        : null),
    h("div", { class: "card chart-box" },
      h("h2", { text: "Loaded-language index" }),
      outlets.length ? loadedIndexChart(outlets) : h("p", { class: "empty", text: "No figures yet." }),
      h("p", { class: "chart-note" },
        h("span", {}, h("span", { class: "key key-own", "aria-hidden": "true" }),
          " Loaded words per 1,000 words the outlet wrote itself (strong ones count more). ",
          h("span", { class: "key key-quoted", "aria-hidden": "true" }), " The same inside quotations."),
        h("span", { title: MODEL_SLANT_HELP },
          "Model slant: how slanted a sentence model reads its own sentences, from 0 (plain) to 1.")),
      h("details", { class: "how" },
        h("summary", { text: "How Slant reads a text" }),
        h("p", { text: "Highlighted words come from a published list (the lexicon) of words that judge instead of describe. " +
          "Each entry says why the word is loaded and what a neutral report could say instead." }),
        h("p", { text: "Words inside quotation marks belong to the person quoted, not to the outlet: they are shown with a dotted outline and counted apart." }),
        h("p", { text: "A highlight is a prompt to look closer, not a verdict. Compare which facts, voices and words each outlet chose." }))));
}

// ---- legend and filters ------------------------------------------------------------

function legend(ev, shown, onlyHere, st, model) {
  // An article in another language shows no marks: it counts for nothing.
  const articles = shown.filter(isScored);
  const counts = new Map();
  let quoted = 0;
  let own = 0;
  for (const a of articles) {
    const r = a.report || {};
    for (const f of [...(r.findings || []), ...(r.title_findings || [])]) {
      counts.set(f.category, (counts.get(f.category) || 0) + 1);
      if (f.in_quote) quoted++;
      else own++;
    }
  }
  const names = [...counts.keys()].sort((a, b) => category(a).index - category(b).index);
  const items = names.map((name) => {
    const c = category(name);
    const button = h("button", {
      type: "button", class: "legend-toggle", "aria-pressed": String(!st.hidden.has(name)),
      title: c.description ? `${c.description} Click to hide or show.` : "Click to hide or show.",
      dataset: { category: name },
      on: {
        click: () => {
          const on = button.getAttribute("aria-pressed") !== "true";
          button.setAttribute("aria-pressed", String(on));
          if (on) st.hidden.delete(name);
          else st.hidden.add(name);
          applyFilters(st);
        },
      },
    },
      h("span", { class: `sample ${c.className}`, text: c.label }),
      h("span", { class: "count", text: String(counts.get(name)) }));
    return h("li", {}, button);
  });

  const voices = [
    ["own", "Own voice", `${own}`],
    ["quoted", "Quoted words", `${quoted}`],
    ["both", "Both", `${own + quoted}`],
  ];
  const voiceGroup = h("fieldset", { class: "segmented", id: "voice-filter" },
    h("legend", { class: "segmented-label", text: "Show" }),
    voices.map(([value, label, count]) => h("label", { class: "segment" },
      h("input", {
        type: "radio", name: `voice-${ev.id}`, value, checked: st.voice === value,
        id: `voice-${value}`,
        on: {
          change: (e) => {
            st.voice = e.target.value;
            applyFilters(st);
          },
        },
      }),
      h("span", { class: "segment-text" }, label, h("span", { class: "count", text: ` ${count}` })))));

  const neutral = h("button", {
    type: "button", class: "tool-toggle", id: "neutral-toggle", "aria-pressed": String(st.neutral),
    "aria-describedby": "neutral-hint",
    on: {
      click: () => {
        st.neutral = !st.neutral;
        neutral.setAttribute("aria-pressed", String(st.neutral));
        applyNeutral(st);
      },
    },
  }, h("span", { class: "switch", "aria-hidden": "true" }), h("span", { text: "Neutral version" }));

  // The key to what is not a category (the model's words, quotations)
  // shares the line of the controls, so that the sticky legend stays low.
  const classTerms = articles.some((a) => [...((a.report || {}).findings || []), ...((a.report || {}).title_findings || [])]
    .some((f) => f.custom));
  const keys = h("ul", { class: "legend-keys" },
    classTerms
      ? h("li", { class: "legend-static", title: "Words from the class word list, added by a teacher." },
          h("span", { class: "sample class-term-sample", text: "word" }),
          h("span", { class: "legend-aside", text: "from your class word list" }))
      : null,
    articles.some((a) => modelOnlySentences(a.text || "", a.report || {}).length)
      ? h("li", { class: "legend-static", title: MODEL_SLANT_HELP },
          h("span", { class: "model-word legend-model", text: "pushed the sentence model" }),
          h("span", { class: "legend-aside", text: "(no listed word)" }))
      : null,
    h("li", { class: "legend-static" }, h("span", { class: "quote", text: "“Quotation”" })),
    quoted
      ? h("li", { class: "legend-static" },
          h("span", { class: "sample in-quote c-10 u-0", text: "loaded word in a quotation" }))
      : null);

  return [
    // How to read the marks, and (in one quiet line beside it) whether a
    // language model gives a second opinion; when it does, its panel takes
    // a line of its own.
    h("div", { class: "reading-help" },
      h("p", { class: "legend-help", text:
        "Select a highlighted word (or Tab to it, then Enter) to see why it is loaded and what to say instead." }),
      model.panel()),
    h("section", { class: "legend", "aria-labelledby": "legend-heading" },
      h("h2", { id: "legend-heading", class: "legend-heading", text: "Legend" }),
      h("ul", { class: "legend-list" },
        items,
        onlyHereToggle(onlyHere, st),
        model.legendItem()),
      h("div", { class: "legend-controls" },
        voiceGroup,
        neutral,
        h("span", { class: "neutral-key", "aria-hidden": "true" },
          h("span", { class: "swap word", text: "neutral word" }), " ",
          h("span", { class: "swap drop" }, h("s", { text: "dropped" }), h("span", { class: "drop-tag", text: "drop" })), " ",
          h("span", { class: "swap advice", text: "[advice to the writer]" })),
        keys,
        h("span", { class: "visually-hidden", id: "neutral-hint", text:
          "Shows the outlet's own words without their loaded language: a plain word where one fits the sentence, " +
          "words a report can do without struck out, and advice in brackets beside the rest. " +
          "Swapped words are underlined in green; the original shows when you point at or focus one." }))),
  ];
}

/** applyFilters mutes the marks of hidden categories and of the voice the
 * reader chose not to see. */
function applyFilters(st) {
  for (const m of main.querySelectorAll("mark.finding")) {
    const quoted = m.classList.contains("in-quote");
    const off = st.hidden.has(m.dataset.category) ||
      (st.voice === "own" && quoted) || (st.voice === "quoted" && !quoted);
    m.classList.toggle("muted", off);
  }
  const grid = main.querySelector(".articles");
  if (grid) {
    grid.classList.toggle("hide-only-here", st.onlyOff);
    grid.dataset.voice = st.voice;
  }
  layoutModelBars();
}

function onlyHereToggle(onlyHere, st) {
  let n = 0;
  for (const spans of onlyHere.values()) n += spans.length;
  if (!n) return null;
  const button = h("button", {
    type: "button", class: "legend-toggle only-toggle", id: "only-here-toggle", "aria-pressed": String(!st.onlyOff),
    title: "Passages no other outlet carries. Click to hide or show the marks.",
    on: {
      click: () => {
        const on = button.getAttribute("aria-pressed") !== "true";
        button.setAttribute("aria-pressed", String(on));
        st.onlyOff = !on;
        applyFilters(st);
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

function makePassage(outletName) {
  return (range, first) => {
    const el = h("span", { class: "only-here", dataset: { passage: range.index } });
    if (first) {
      el.append(h("span", { class: "only-tag", title: `No other outlet carries this passage; only ${outletName} does.`, text: "only here" }), " ");
    }
    return el;
  };
}

// ---- marks, the popover and the neutral version ----------------------------------------

// Findings of every rendered mark, for the delegated click and key handlers.
const markFindings = new WeakMap();

/**
 * neutralOf indexes a text's neutral edits (from the report, computed by
 * the analysis) by the finding they belong to, with the text they apply
 * to: the page only shows them, it never chooses words itself.
 */
function neutralOf(text, edits) {
  const byFinding = new Map();
  for (const e of edits || []) byFinding.set(e.finding, e);
  return { text: text || "", byFinding, conv: null };
}

function makeMarker(outletName, where, neutral) {
  return (range, text) => {
    const f = range.item;
    const c = category(f.category);
    const label = `Loaded language: ${text}, ${c.label}` + (f.in_quote ? ", inside a quotation" : "") +
      (f.custom ? ", from the class word list" : "") + ` (${outletName})`;
    const mark = h("mark", {
      class: `finding ${c.className}${f.in_quote ? " in-quote" : ""}${f.custom ? " class-term" : ""}`,
      tabindex: "0",
      role: "button",
      "aria-haspopup": "dialog",
      "aria-expanded": "false",
      "aria-label": label,
      dataset: { category: f.category, finding: range.index, severity: f.severity ?? "" },
    });
    const edit = neutral && !f.in_quote ? neutral.byFinding.get(range.index) : null;
    markFindings.set(mark, { finding: f, where, category: c, swap: null, edit, neutral });
    return mark;
  };
}

// ---- the sentence model's reading ------------------------------------------------

const MODEL_SLANT_HELP = "Model slant: how slanted the sentence model reads this outlet's own sentences on average, " +
  "from 0 (plain) to 1 (slanted). The model reads every word of a sentence, not only listed ones; " +
  "the loaded index, which counts listed words, stays the ranking.";

/** formatSlant writes a model score (0 to 1) with two decimals. */
function formatSlant(v) {
  const n = Number(v);
  return Number.isFinite(n) ? n.toFixed(2) : "–";
}

/**
 * modelOnlySentences returns the sentences the sentence model reads as
 * slanted although no listed word in the outlet's own voice is in them:
 * the ones the page marks quietly, with the words that pushed the model.
 */
function modelOnlySentences(text, r) {
  const findings = r.findings || [];
  return (r.sentences || []).filter((v) => (v.model_words || []).length &&
    !(v.findings || []).some((i) => findings[i] && !findings[i].in_quote))
    .map((v) => ({ sentence: v, text: text, words: v.model_words }));
}

/**
 * withModelWords adds the pushing words of those sentences to the findings
 * as marks of their own kind, in text order. A model word never overlaps a
 * finding: it is an own-voice word of a sentence without own-voice
 * findings, and quoted findings lie inside quotations. Each finding keeps
 * its index in the report.
 */
function withModelWords(findings, modelOnly) {
  const out = (findings || []).map((f, i) => ({ ...f, index: i }));
  for (const m of modelOnly) {
    for (const w of m.words) out.push({ start: w.start, end: w.end, text: w.text, model: m.sentence });
  }
  return out.sort((a, b) => a.start - b.start);
}

/** makeMarkerOrModel draws findings as flags and model words quietly. */
function makeMarkerOrModel(outletName, neutral) {
  const flag = makeMarker(outletName, null, neutral);
  return (range, text) => {
    const item = range.item;
    if (!item.model) return flag({ ...range, index: item.index }, text);
    const label = `The sentence model reads this sentence as slanted (${formatSlant(item.model.model_score)}), ` +
      `though it has no listed word; pushed by: ${item.model.model_words.map((w) => w.text).join(", ")}.`;
    return h("span", { class: "model-word", tabindex: "0", title: label, "aria-label": `${text}: ${label}` });
  };
}

/**
 * modelSentencesNote lists, under an article's figures, the sentences the
 * model reads as slanted without a listed word, each with the words that
 * pushed it, so that the model too points at words.
 */
function modelSentencesNote(modelOnly) {
  const n = modelOnly.length;
  return h("details", { class: "model-sentences" },
    h("summary", { text: `The sentence model reads ${n === 1 ? "1 more sentence" : `${n} more sentences`} as slanted, without a listed word` }),
    h("p", { class: "model-help", text: "It is a statistical reading of all the words, not a rule: look at the words it was " +
      "pushed by and decide for yourself." }),
    h("ul", { class: "model-sentence-list" }, modelOnly.map((m) => {
      const v = m.sentence;
      const excerpt = byteSlice(m.text, v.start, v.end);
      return h("li", {},
        h("q", { class: "model-sentence", text: excerpt.length > 160 ? excerpt.slice(0, 159) + "…" : excerpt }),
        h("span", { class: "model-pushed", text: ` pushed by: ${m.words.map((w) => w.text).join(", ")}` }),
        h("span", { class: "model-score", text: ` (${formatSlant(v.model_score)})` }));
    })));
}

/** byteSlice returns the text between two UTF-8 byte offsets. */
function byteSlice(str, start, end) {
  const bytes = new TextEncoder().encode(str);
  return new TextDecoder().decode(bytes.subarray(start, end));
}

// Alternatives that are advice to the writer, not words to put in the text.
const ADVICE = /^(name|describe|state|say|give|use|cite|explain|leave|quote|ask|check|specify|report|show|add|tell|avoid|attribute)\b/i;

/**
 * swapOf says how the neutral version shows an edit: {kind: "word", text}
 * for a replacement, {kind: "drop", text} for words left out (text is
 * what stays, such as the next word with a capital), {kind: "advice",
 * text} for advice beside the words. A report made before neutral edits
 * existed has none, and its marks stay as they are.
 */
export function swapOf(edit) {
  if (!edit) return null;
  if (edit.kind === "replace") return { kind: "word", text: edit.text };
  if (edit.kind === "drop") return { kind: "drop", text: edit.text || "" };
  return { kind: "advice", text: edit.text };
}

/**
 * editReach returns the text an edit takes in beyond its finding, before
 * and after it ("a " when "a ploy" becomes "an idea", ", nobody" when
 * "For some reason, nobody" becomes "Nobody"), as UTF-16 strings.
 */
function editReach(neutral, f, edit) {
  if (!neutral.conv) neutral.conv = byteConverter(neutral.text);
  const at = neutral.conv;
  return {
    before: neutral.text.slice(at(edit.start), at(f.start)),
    after: neutral.text.slice(at(f.end), at(edit.end)),
  };
}

/** isOwnText tells whether a text node holds the article's words, rather
 * than what the neutral version added (swaps, hints, tags). */
function isOwnText(node) {
  const el = node.parentElement;
  return !(el && el.closest(".swap, .was, .drop-tag"));
}

/**
 * cutBeside hides `want`, the text right before (dir -1) or after (dir 1)
 * mark, in span.neutral-cut elements, walking the own text nodes of root
 * in document order; it changes nothing unless the text there is exactly
 * `want`.
 */
function cutBeside(root, mark, want, dir) {
  if (!want) return;
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT,
    { acceptNode: (n) => (isOwnText(n) && !mark.contains(n) ? NodeFilter.FILTER_ACCEPT : NodeFilter.FILTER_SKIP) });
  let start = mark;
  if (dir > 0) while (start.lastChild) start = start.lastChild;
  walker.currentNode = start;
  const plan = [];
  let rest = want;
  while (rest) {
    const node = dir < 0 ? walker.previousNode() : walker.nextNode();
    if (!node) return;
    const s = node.data;
    const take = Math.min(s.length, rest.length);
    const piece = dir < 0 ? s.slice(s.length - take) : s.slice(0, take);
    const need = dir < 0 ? rest.slice(rest.length - take) : rest.slice(0, take);
    if (piece !== need) return;
    plan.push({ node, take });
    rest = dir < 0 ? rest.slice(0, rest.length - take) : rest.slice(take);
  }
  for (const { node, take } of plan) {
    const part = dir < 0 ? node.splitText(node.data.length - take) : node;
    if (dir > 0 && take < node.data.length) node.splitText(take);
    const cut = h("span", { class: "neutral-cut" });
    part.parentNode.insertBefore(cut, part);
    cut.append(part);
  }
}

/**
 * neutralOn puts the neutral version into every own-voice mark in root,
 * from the report's neutral edits: the original words go into .orig, the
 * edit into .swap, and CSS shows the swap (the original on hover and
 * focus); advice keeps the words and stands beside them. Text an edit
 * takes in beside its mark (an article, a comma) is hidden in
 * .neutral-cut. A finding cut in pieces (by a quotation's edge) gets the
 * swap on its first piece; the others hide. neutralOff takes it all out
 * again, so that the marks hold exactly the text's words.
 */
function neutralOn(root) {
  const seen = new Map();
  for (const mark of root.querySelectorAll("mark.finding:not(.in-quote)")) {
    const data = markFindings.get(mark);
    if (!data || !data.edit || mark.querySelector(".orig")) continue;
    const col = mark.closest(".article");
    const key = `${col ? col.dataset.articleId : ""}:${mark.closest(".article-title") ? "t" : "b"}${mark.dataset.finding}`;
    const orig = h("span", { class: "orig" }, ...mark.childNodes);
    mark.append(orig);
    if (seen.has(key)) {
      mark.classList.add("swap-cont");
      seen.get(key).last = mark;
      continue;
    }
    seen.set(key, { first: mark, last: mark, data });
    const sw = swapOf(data.edit);
    data.swap = sw;
    data.baseLabel = mark.getAttribute("aria-label");
    const original = orig.textContent;
    let label;
    if (sw.kind === "drop") {
      mark.append(h("span", { class: "swap drop" },
        h("s", { text: original }), h("span", { class: "drop-tag", text: "drop" })));
      if (sw.text) mark.append(h("span", { class: "swap word", text: sw.text }));
      label = `Neutral version drops “${original}”.`;
    } else if (sw.kind === "advice") {
      mark.append(h("span", { class: "swap advice", text: `[${sw.text}]` }));
      mark.classList.add("swap-advice");
      label = `Neutral version keeps “${original}”, with advice: ${sw.text}.`;
    } else {
      mark.append(h("span", { class: "swap word", text: sw.text }));
      label = `Neutral version: ${sw.text}, replacing “${original}”.`;
    }
    if (sw.kind !== "advice") mark.append(h("span", { class: "was", "aria-hidden": "true", text: `was: ${original}` }));
    mark.classList.add("swapped");
    mark.setAttribute("aria-label", `${label} ${data.baseLabel}`);
  }
  for (const { first, last, data } of seen.values()) {
    if (data.swap.kind === "advice") continue;
    const reach = editReach(data.neutral, data.finding, data.edit);
    const scope = first.closest(".article-body, .article-title") || root;
    cutBeside(scope, first, reach.before, -1);
    cutBeside(scope, last, reach.after, 1);
  }
}

function neutralOff(root) {
  for (const mark of root.querySelectorAll("mark.finding.swapped, mark.finding.swap-cont")) {
    const orig = mark.querySelector(".orig");
    if (orig) mark.replaceChildren(...orig.childNodes);
    const data = markFindings.get(mark);
    if (data && data.baseLabel) mark.setAttribute("aria-label", data.baseLabel);
    mark.classList.remove("swapped", "swap-cont", "swap-advice");
  }
  const parents = new Set();
  for (const cut of root.querySelectorAll(".neutral-cut")) {
    parents.add(cut.parentNode);
    cut.replaceWith(...cut.childNodes);
  }
  for (const p of parents) p.normalize();
}

function applyNeutral(st) {
  const grid = main.querySelector(".articles");
  if (!grid) return;
  closePopover(false);
  grid.classList.toggle("neutral-on", st.neutral);
  const key = main.querySelector(".legend");
  if (key) key.classList.toggle("neutral-on", st.neutral);
  if (st.neutral) neutralOn(grid);
  else neutralOff(grid);
  layoutModelBars();
}

function activate(mark) {
  const data = markFindings.get(mark);
  if (!data) return;
  const grid = mark.closest(".articles");
  const neutral = !!(grid && grid.classList.contains("neutral-on")) && mark.classList.contains("swapped");
  openPopover(mark, data.finding, {
    label: data.category.label,
    description: data.category.description,
    className: data.category.className,
    where: data.where,
    swap: neutral ? data.swap : null,
  });
}

// ---- the articles --------------------------------------------------------------------

function articleColumns(ev, articles, scores, onlyHere, nameOf, opts, blind, model) {
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
  const ranked = articles.filter(isScored).length; // an article in another language has no rank
  for (const a of articles) {
    grid.append(articleColumn(ev, a, scores.get(a.id), ranked, onlyHere.get(a.id), nameOf(a), blind,
      opts.ingest && opts.ingest.articleId === a.id ? opts.ingest : null, model));
  }
  return grid;
}

/** isScored tells whether an article's figures count: false for a text in
 * another language than English (its report is kept but not shown). */
function isScored(a) {
  return a.scored !== false;
}

function articleColumn(ev, a, score, total, passages, name, blind, intake, model) {
  if (!isScored(a)) return unscoredColumn(ev, a, name, blind, intake);
  const r = a.report || {};
  const sc = r.scores || {};
  const href = blind ? null : safeHref(a.url);
  const published = formatDate(a.published_at);
  const quotedFindings = sc.quoted_findings ?? (r.findings || []).filter((f) => f.in_quote).length;
  const sentences = (r.sentences || []).length;
  const version = a.lexicon_version || r.lexicon_version || "";

  const title = h("h3", { class: "article-title", id: `article-${a.id}-title`, tabindex: "-1" });
  if (a.title) {
    title.append(renderInline(a.title, r.title_findings,
      makeMarker(name, "In the headline.", neutralOf(a.title, r.title_neutral_edits))));
  }
  else title.append(h("span", { class: "untitled", text: "(no headline)" }));

  // The body: the word lists' marks, and the model's sentence bars (when
  // it has a view of this article) set between them as points.
  const body = h("div", { class: "article-body", lang: "en" });
  const modelOnly = modelOnlySentences(a.text || "", r);
  const marks = withModelWords(r.findings, modelOnly);
  const draw = (sentences) => renderBody(a.text || "", marks, r.quotes,
    makeMarkerOrModel(name, neutralOf(a.text, r.neutral_edits)),
    passages, passages && passages.length ? makePassage(name) : null, sentences);
  body.append(draw(model.layer(a)));
  model.bindBody(a.id, body, draw);

  const topTerms = (score && score.top_terms) || [];
  return h("article", {
    class: "article", "aria-labelledby": `article-${a.id}-title`, dataset: { articleId: a.id },
  },
    h("header", { class: "article-head" },
      outletLine(ev, a, name, blind),
      title,
      (published || href)
        ? h("p", { class: "article-meta" },
            published ? h("time", { datetime: String(a.published_at).slice(0, 10), text: published }) : null,
            published && href ? " · " : null,
            href ? h("a", { href, rel: "noopener noreferrer nofollow", target: "_blank", text: "original" }) : null)
        : null,
      intake ? removedNote(intake) : null,
      h("div", { class: "figures" },
        h("p", { class: "index-line" },
          h("span", { class: "loaded-index", text: formatIndex(sc.loaded_index ?? (score && score.loaded_index)) }),
          h("span", { class: "index-label" },
            "loaded index",
            score && total > 1 ? h("span", { class: "rank", text: ` · rank ${score.rank} of ${total}` }) : null),
          sc.model_slant != null
            ? h("span", { class: "model-slant", title: MODEL_SLANT_HELP },
                " · model slant ", h("span", { class: "model-slant-value", text: formatSlant(sc.model_slant) }))
            : null),
        h("p", { class: "stats" },
          plural(sc.own_findings ?? 0, "loaded word", "loaded words"), " in its own voice · ",
          `${quotedFindings} in quotations · `,
          plural(sc.words ?? 0, "word", "words"),
          sentences ? ` · ${sc.biased_sentences ?? 0} of ${sentences} sentences slanted` : ""),
        h("p", { class: "lexicon-line", title: `Analyzed with lexicon version ${version || "unknown"}. ` +
            "The lexicon is Slant's word lists: the words it flags as loaded, each with why and a plainer choice." },
          "Lexicon ", h("span", { class: "lexicon-version", text: shortVersion(version) })),
        model.columnBox(a.id),
        modelOnly.length ? modelSentencesNote(modelOnly) : null),
      topTerms.length
        ? h("p", { class: "top-terms" }, h("span", { class: "top-terms-label", text: "Strongest words: " }),
            topTerms.slice(0, 5).flatMap(termForms).map((f, i) => [i ? ", " : "",
              h("span", { class: "term", text: f.text }),
              f.count > 1 ? h("span", { class: "term-count", text: ` ×${f.count}` }) : null]))
        : null),
    body);
}

/**
 * termForms lists a top term's forms as the outlet wrote them, each with
 * how often: one entry of the word lists can be written several ways
 * ("rammed through", "bulldozed through"), and its count is theirs
 * together. A comparison made before example_counts says each form
 * without a count, unless it has one form.
 */
function termForms(t) {
  const examples = t.examples && t.examples.length ? t.examples : [t.term];
  const counts = t.example_counts && t.example_counts.length === examples.length ? t.example_counts : null;
  if (counts) return examples.map((text, i) => ({ text, count: counts[i] }));
  if (examples.length === 1) return [{ text: examples[0], count: t.count }];
  return examples.map((text) => ({ text, count: 0 }));
}

/** outletLine is a column's first line: the outlet (its domain hidden in
 * blind mode) and the button that deletes the article. */
function outletLine(ev, a, name, blind) {
  const outlet = a.outlet || {};
  return h("div", { class: "outlet-line" },
    h("p", { class: "outlet" },
      h("span", { class: "outlet-name", text: name }),
      !blind && outlet.domain ? h("span", { class: "outlet-domain", text: outlet.domain }) : null),
    h("button", {
      type: "button", class: "icon-button delete-article",
      "aria-label": `Delete the article from ${name}`, title: "Delete this article",
      on: { click: () => removeArticle(ev, a, name) },
      text: "Delete",
    }));
}

/**
 * unscoredColumn shows an article in another language than English: its
 * headline and text, plain, with why it has no marks and no figures.
 */
function unscoredColumn(ev, a, name, blind, intake) {
  const lang = (a.language || "").split("-")[0] || null;
  const body = h("div", { class: "article-body", lang });
  body.append(renderBody(a.text || "", [], [], null, null, null, null));
  const title = h("h3", { class: "article-title", id: `article-${a.id}-title`, tabindex: "-1",
    lang, text: a.title || "(no headline)" });
  return h("article", {
    class: "article not-scored", "aria-labelledby": `article-${a.id}-title`, dataset: { articleId: a.id },
  },
    h("header", { class: "article-head" },
      outletLine(ev, a, name, blind),
      title,
      intake ? removedNote(intake) : null,
      h("p", { class: "not-scored-badge", role: "note" },
        h("strong", { text: "Not scored: " }),
        "Slant's word lists are English",
        a.language_name ? `, and this text reads as ${a.language_name}.` : ".",
        " It is kept here but left out of the comparison and of exercises.")),
    body);
}

/**
 * removedNote says what Slant did to a new article's text: read pasted
 * HTML as a page, and which lines of page furniture it took out.
 */
function removedNote(ingest) {
  const removed = ingest.removed || [];
  const page = ingest.htmlInText ? "The pasted text was a web page (HTML): Slant read it as an uploaded page and kept the story. " : "";
  if (!removed.length) {
    return h("p", { class: "ingest-note", id: "ingest-note", role: "status", text: page + "Slant found no page furniture to remove." });
  }
  return h("details", { class: "ingest-note", id: "ingest-note" },
    h("summary", { role: "status", text:
      `${page}Slant removed ${plural(removed.length, "line", "lines")} of page furniture` }),
    h("ol", { class: "removed-list" }, removed.map((r) => h("li", {},
      h("span", { class: "removed-line", text: `Line ${r.line}: ` }),
      h("q", { class: "removed-text", text: r.text }),
      r.why ? h("span", { class: "removed-why", text: ` — ${r.why}` }) : null))));
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
  await reload(ev, {});
}

// ---- the article editor ----------------------------------------------------------------

const SOURCES = [
  ["text", "Paste the text"],
  ["html", "Upload a saved page"],
  ["url", "Give its address"],
];

function addArticleForm(ev, open) {
  const error = h("p", { class: "form-error", role: "alert", hidden: true });
  const fileInput = h("input", {
    id: "article-file", name: "file", type: "file", accept: ".html,.htm,text/html,application/xhtml+xml",
    "aria-describedby": "article-file-hint",
  });
  const panes = {
    text: h("div", { class: "source-pane", dataset: { source: "text" } },
      field("article-text", "Article text",
        h("textarea", { id: "article-text", name: "text", rows: "12",
          "aria-describedby": "article-text-hint" }),
        "Paste the body of the article. Leave a blank line between paragraphs."),
      h("label", { class: "check" },
        h("input", { type: "checkbox", id: "article-clean", name: "clean", checked: true }),
        " Remove page furniture (share prompts, “read more” links, repeated headlines)")),
    html: h("div", { class: "source-pane", dataset: { source: "html" }, hidden: true },
      field("article-file", "Saved web page (.html)", fileInput,
        "In the browser, use File › Save page as… (HTML only), then choose the file here. " +
        "Slant keeps the story and drops menus, adverts and links.")),
    url: h("div", { class: "source-pane", dataset: { source: "url" }, hidden: true },
      field("article-fetch-url", "Address of the article",
        h("input", { id: "article-fetch-url", name: "fetch_url", type: "url", placeholder: "https://", autocomplete: "off",
          "aria-describedby": "article-fetch-url-hint" }),
        "Slant fetches the page and keeps the story. Some sites refuse; then save the page and upload it.")),
  };
  const urlMeta = field("article-url", "Original address (optional)",
    h("input", { id: "article-url", name: "url", type: "url", placeholder: "https://", autocomplete: "off" }));
  let source = "text";
  const choose = (value) => {
    source = value;
    for (const [k, pane] of Object.entries(panes)) pane.hidden = k !== value;
    urlMeta.hidden = value === "url";
    error.hidden = true;
  };

  const form = h("form", { id: "add-article-form", class: "form article-form", novalidate: true },
    h("fieldset", { class: "segmented source-choice", id: "article-source" },
      h("legend", { class: "segmented-label", text: "Where the article comes from" }),
      SOURCES.map(([value, label]) => h("label", { class: "segment" },
        h("input", { type: "radio", name: "source", value, id: `source-${value}`, checked: value === "text",
          on: { change: (e) => choose(e.target.value) } }),
        h("span", { class: "segment-text", text: label })))),
    h("div", { class: "form-row" },
      field("article-outlet", "Outlet name",
        h("input", { id: "article-outlet", name: "outlet", autocomplete: "off", maxlength: "200",
          "aria-describedby": "article-outlet-hint" }),
        "Needed for pasted text; for a page (saved, or its HTML pasted), Slant uses the name the site gives."),
      field("article-domain", "Outlet domain",
        h("input", { id: "article-domain", name: "outlet_domain", placeholder: "example.com", autocomplete: "off" }))),
    h("div", { class: "form-row" },
      field("article-title", "Headline",
        h("input", { id: "article-title", name: "title", autocomplete: "off" })),
      field("article-published", "Published",
        h("input", { id: "article-published", name: "published_at", type: "date" }))),
    panes.text, panes.html, panes.url,
    urlMeta,
    error,
    h("button", { type: "submit", class: "button primary", text: "Add and analyze" }));

  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    error.hidden = true;
    const v = (name) => form.elements[name].value.trim();
    const body = {};
    if (v("outlet")) body.outlet = v("outlet");
    if (v("outlet_domain")) body.outlet_domain = v("outlet_domain");
    if (v("title")) body.title = v("title");
    if (v("published_at")) body.published_at = `${v("published_at")}T00:00:00Z`;
    if (source === "text") {
      body.text = form.elements.text.value;
      body.clean = form.elements.clean.checked;
      // A page's HTML pasted here is read as an uploaded page is, and names
      // its outlet the same way: the server says when the page does not.
      if (!body.outlet && !(body.clean && looksLikePage(body.text))) {
        return showError(error, "Name the outlet that published the article.", form.elements.outlet);
      }
      if (!body.text.trim()) return showError(error, "Paste the article's text.", form.elements.text);
      if (v("url")) body.url = v("url");
    } else if (source === "html") {
      const file = fileInput.files && fileInput.files[0];
      if (!file) return showError(error, "Choose the saved page (.html file).", fileInput);
      try {
        body.html = await readFile(file);
      } catch {
        return showError(error, "That file could not be read.", fileInput);
      }
      if (!body.html.trim()) return showError(error, "That file is empty.", fileInput);
      if (v("url")) body.url = v("url");
    } else {
      const address = v("fetch_url");
      if (!/^https?:\/\/\S+$/i.test(address)) {
        return showError(error, "Give the article's full address, starting with https://.", form.elements.fetch_url);
      }
      body.url = address;
    }
    await submitting(form, source === "url" ? "Fetching…" : "Analyzing…", async () => {
      try {
        const created = await api.addArticle(ev.id, body);
        const removed = (created && (created.removed || (created.ingest && created.ingest.removed))) || [];
        const cleaned = source !== "text" || body.clean;
        const htmlInText = !!(created && created.ingest && created.ingest.html_in_text);
        await reload(ev, {
          focusArticle: created && created.id,
          ingest: cleaned && created ? { articleId: created.id, removed, htmlInText } : null,
        });
      } catch (err) {
        showError(error, articleError(err, source));
      }
    });
  });

  return h("section", { class: "add-article", "aria-labelledby": "add-article-heading" },
    h("details", { class: "card", open },
      h("summary", {}, h("h2", { id: "add-article-heading", text: "Add an article" })),
      form));
}

function readFile(file) {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result || ""));
    reader.onerror = () => reject(reader.error);
    reader.readAsText(file);
  });
}

/** articleError words a refused article for the person who sent it. */
// pageTag matches a tag of an element that carries an article's text, as
// the server's ingest.LooksLikeHTML counts them.
const pageTag = /<(\/?)(?:p|div|span|br|hr|a|h[1-6]|article|section|main|header|footer|nav|aside|ul|ol|li|em|strong|b|i|u|blockquote|q|figure|figcaption|table|thead|tbody|tr|td|th|time|address|cite|small|sup|sub)(?:\s[^<>]*)?\/?>/gi;

/**
 * looksLikePage mirrors the server's ingest.LooksLikeHTML: pasted text is a
 * page (or its source) when it starts as one; or when it holds three or
 * more tags of an article's elements, one of them closing, and the markup
 * shapes the text (it starts with a tag, most lines do, or there is a tag
 * for every six words or fewer). Prose that writes about tags stays prose.
 */
function looksLikePage(text) {
  const head = text.slice(0, 512).trim().replace(/^\ufeff/, "").toLowerCase();
  if (["<!doctype html", "<html", "<head"].some((start) => head.startsWith(start))) return true;
  let tags = 0;
  let closing = false;
  for (const m of text.matchAll(pageTag)) {
    tags++;
    if (m[1] === "/") closing = true;
  }
  if (tags < 3 || !closing) return false;
  const lines = text.split("\n").map((line) => line.trim()).filter(Boolean);
  const tagged = lines.filter((line) => line.startsWith("<")).length;
  const words = text.split(/\s+/).filter(Boolean).length;
  return head.startsWith("<") || tagged * 2 > lines.length || tags * 6 >= words;
}

function articleError(err, source) {
  switch (err.status) {
    case 409:
      return "This text is already in the event.";
    case 413:
      // The server's words as they come: they give the limit in words
      // and in bytes.
      return source === "text"
        ? `${capitalize(err.message)}. Paste a shorter part of the story.`
        : `${capitalize(err.message)}. Try pasting the story's text instead.`;
    case 415:
      return `Slant cannot read that kind of content (${err.message}).`;
    case 422:
      if (err.message.startsWith("outlet is required")) {
        return "Name the outlet that published the article: the page does not say which outlet it is.";
      }
      return source === "url" ? `That address cannot be used: ${err.message}.` : err.message;
    case 502:
      return `The page could not be fetched: ${err.message}. Save the page in your browser and upload it instead.`;
    default:
      return err.message;
  }
}
