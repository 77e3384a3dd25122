// llm.js: the language model's second opinion on an event page, beside
// (never inside) the word lists. Optional: a Slant without a model says
// "word lists only" in one quiet line and shows nothing else of it.
//
// What it adds to the page (see README, "A second opinion from a language
// model", and GET /api/v1/events/{id}/llm in api/openapi.yaml):
//   - a panel above the columns: which model, "Ask the model", the API's
//     notice as it is, and the facts every outlet reports;
//   - in each column's head: the model's status for that article and how
//     far it agrees with the word lists;
//   - in each column's margin: a bar beside every sentence the model calls
//     slanted, stronger where it is surer; the bar is a button whose
//     popover sets the two readings of the sentence side by side;
//   - a legend entry, "the model's view", that hides or shows the bars.
//
// The bars are placed by renderBody's sentence points (text.js): an empty
// span where a sentence starts (holding the bar) and one where it ends. The
// text, its quotations, passages and word-list marks are exactly what they
// are without them; the bar's height is measured from the two points.
//
// The page asks once when it is drawn, every two seconds while the API says
// a job is pending, and once after "Ask the model". A failure of any kind
// leaves the word-list findings as they are and says so in words.

import * as api from "./api.js";
import { h, clear, capitalize } from "./dom.js";
import { byteConverter } from "./text.js";
import { openExplanation, closePopover } from "./popover.js";
import { category } from "./lexicon.js";
import { maskString, maskTree } from "./blind.js";

const POLL_MS = 2000;
const MAX_FAILED_POLLS = 5;

// The last answer for each event, so that a redraw (blind mode, an added
// article) shows what is known at once, before it asks again.
const cache = new Map();

// The view on screen; a redraw of the event page starts a new one.
let active = null;

const LABELS = {
  word_choice_labelling: "Word choice and labeling",
  sensationalism: "Sensationalism",
  unsubstantiated_claim: "Unsubstantiated claim",
  opinion_as_fact: "Opinion as fact",
  one_sided_sourcing: "One-sided sourcing",
  speculation: "Speculation",
  personal_attack: "Personal attack",
  none: "Neutral reporting",
};

/** layoutModelBars places the bars of the page on screen again, after
 * something moved its text (the neutral version, a filter). */
export function layoutModelBars() {
  if (active) active.layoutAll();
}

/** typeLabel names a bias type for readers. */
export function typeLabel(type) {
  if (LABELS[type]) return LABELS[type];
  const s = String(type || "").replace(/_+/g, " ").trim();
  return s ? s[0].toUpperCase() + s.slice(1) : "Unknown type";
}

/** strengthLevel sorts a strength (0..1) into 1 weak, 2 moderate, 3 strong. */
export function strengthLevel(v) {
  const x = Number(v);
  if (!Number.isFinite(x) || x < 0.4) return 1;
  return x < 0.7 ? 2 : 3;
}

const LEVEL_WORDS = { 1: "weak", 2: "moderate", 3: "strong" };

const stampFmt = new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "short" });

function stamp(value) {
  if (!value) return "";
  const d = new Date(value);
  return Number.isNaN(d.getTime()) ? "" : stampFmt.format(d);
}

/** provenance is "model X · prompt version Y · judged Z" (parts left out when unknown). */
function provenance(model, version, verb, at) {
  return [
    model ? `model ${model}` : "",
    // The prompt is the instructions Slant gives the model; its version
    // tells results asked with other instructions apart.
    version ? `instructions (prompt) version ${version}` : "",
    stamp(at) ? `${verb} ${stamp(at)}` : "",
  ].filter(Boolean).join(" · ");
}

function percent(v) {
  const x = Number(v);
  return Number.isFinite(x) ? `${Math.round(x * 100)}%` : "–";
}

function kappaText(k) {
  if (k === null || k === undefined || !Number.isFinite(Number(k))) return "κ undefined";
  const x = Number(k);
  // -0.00 reads oddly: a kappa within rounding of zero is 0.00.
  const v = Math.abs(x) < 0.005 ? 0 : x;
  return `κ = ${v.toFixed(2).replace(/^-/, "−")}`;
}

function spinner() {
  return h("span", { class: "llm-spin", "aria-hidden": "true" });
}

/** biased reports whether a judgement gets a bar: any type but none. */
function marked(j) {
  return j && j.type && j.type !== "none";
}

/**
 * llmView starts the model's part of one drawing of an event page and
 * returns its pieces: panel(), legendItem(), columnBox(id), layer(article)
 * and bindBody(...) build and register the parts as the page is drawn;
 * start() fills them from the last known answer and asks the server.
 *
 * opts: ev, articles (in column order), blind, pairs (blind mode's
 * replacements), state (the page's view state; llmOff hides the bars),
 * onBody(body) (re-applies the word-list filters to a redrawn body).
 */
export function llmView(opts) {
  if (active) active.stop();
  const view = new View(opts);
  active = view;
  return view;
}

class View {
  constructor({ ev, articles, blind, pairs, state, onBody }) {
    this.ev = ev;
    this.id = String(ev.id);
    this.articles = articles;
    this.byId = new Map(articles.map((a) => [a.id, a]));
    this.blind = !!blind;
    this.pairs = pairs || [];
    this.state = state;
    this.onBody = onBody || (() => {});
    this.data = cache.get(this.id) || null;
    this.columns = new Map(); // article id -> {box, body, rerender, sig}
    this.stopped = false;
    this.timer = 0;
    this.failures = 0;
    this.asking = false;
    this.observer = typeof ResizeObserver === "function"
      ? new ResizeObserver((entries) => {
          for (const e of entries) this.layout(e.target);
        })
      : null;
    this.onResize = () => this.layoutAll();
  }

  // ---- the parts, built while the page is drawn ------------------------------

  panel() {
    this.panelEl = h("section", { class: "llm-panel", id: "llm-panel", "aria-labelledby": "llm-heading", hidden: true });
    return this.panelEl;
  }

  legendItem() {
    this.legendEl = h("li", { class: "llm-legend-item", hidden: true });
    return this.legendEl;
  }

  columnBox(articleId) {
    const box = h("div", { class: "llm-article", hidden: true, dataset: { articleId } });
    this.column(articleId).box = box;
    return box;
  }

  column(articleId) {
    let c = this.columns.get(articleId);
    if (!c) {
      c = { box: null, body: null, rerender: null, sig: "" };
      this.columns.set(articleId, c);
    }
    return c;
  }

  /**
   * layer returns renderBody's sentences for an article from the known
   * answer ({spans, make}), or null when the model has no view of it.
   */
  layer(article) {
    const c = this.column(article.id);
    const la = this.llmArticle(article.id);
    c.sig = signature(la);
    const spans = la ? (la.judgements || []).filter(marked) : [];
    if (!spans.length) return null;
    return { spans, make: (range) => this.sentenceNodes(article, range.item) };
  }

  /** bindBody registers a column's body and how to draw it again with a
   * new layer (rerender(layer) returns its new content). */
  bindBody(articleId, body, rerender) {
    const c = this.column(articleId);
    c.body = body;
    c.rerender = rerender;
  }

  llmArticle(articleId) {
    const d = this.data;
    if (!d || !d.enabled) return null;
    return (d.articles || []).find((x) => x.article_id === articleId) || null;
  }

  // ---- running -------------------------------------------------------------------

  /** start shows the known answer and asks the server for a fresh one. */
  start() {
    for (const c of this.columns.values()) {
      if (c.body && this.observer) this.observer.observe(c.body);
    }
    window.addEventListener("resize", this.onResize);
    if (document.fonts && document.fonts.ready) document.fonts.ready.then(() => this.layoutAll());
    if (this.data) this.apply(this.data);
    this.refresh();
  }

  stop() {
    this.stopped = true;
    clearTimeout(this.timer);
    if (this.observer) this.observer.disconnect();
    window.removeEventListener("resize", this.onResize);
    if (active === this) active = null;
  }

  /** alive tells whether this view is still the page on screen. */
  alive() {
    if (this.stopped) return false;
    if (this.panelEl && !this.panelEl.isConnected) {
      this.stop();
      return false;
    }
    return true;
  }

  schedule(ms = POLL_MS) {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.refresh(), ms);
  }

  async refresh() {
    if (!this.alive()) return;
    clearTimeout(this.timer);
    let data;
    try {
      data = await api.getEventLLM(this.id);
    } catch (err) {
      if (!this.alive()) return;
      this.failures++;
      this.loadError = err.message || String(err);
      this.drawPanel();
      // Keep trying a while when nothing is known yet or results were
      // on their way; the notice says what is missing meanwhile.
      if ((!this.data || this.data.pending) && this.failures < MAX_FAILED_POLLS) this.schedule(POLL_MS * 2 * this.failures);
      return;
    }
    if (!this.alive()) return;
    this.failures = 0;
    this.loadError = "";
    cache.set(this.id, data);
    this.apply(data);
    if (data.enabled && data.pending) this.schedule();
  }

  async ask() {
    if (this.asking || (this.data && this.data.pending)) return;
    this.asking = true;
    this.askError = "";
    this.drawPanel();
    try {
      if (this.articles.length >= 2) await api.askEventLLM(this.id);
      else await api.askArticleLLM(this.articles[0].id);
    } catch (err) {
      this.askError = err.status === 409 || err.status === 422
        ? err.message
        : `The model could not be asked: ${err.message}`;
    }
    this.asking = false;
    if (!this.alive()) return;
    this.drawPanel();
    await this.refresh();
  }

  // ---- drawing -----------------------------------------------------------------------

  apply(data) {
    this.data = data;
    this.drawPanel();
    this.drawLegend();
    let redrawn = false;
    for (const a of this.articles) {
      const c = this.column(a.id);
      this.drawColumnBox(a, c.box);
      const la = this.llmArticle(a.id);
      const sig = signature(la);
      if (c.body && c.rerender && sig !== c.sig) {
        this.redrawBody(a, c);
        redrawn = true;
      }
    }
    this.applyHidden();
    if (redrawn) this.layoutAll();
  }

  /** redrawBody draws a column's text again with the model's sentence
   * points, keeping the focus on the same mark or bar. */
  redrawBody(article, c) {
    const body = c.body;
    if (body.querySelector('[aria-expanded="true"]')) closePopover(false);
    const focused = body.contains(document.activeElement) ? document.activeElement : null;
    const key = focused && focused.matches("mark.finding")
      ? `mark.finding[data-finding="${CSS.escape(focused.dataset.finding || "")}"]`
      : focused && focused.matches(".llm-bar")
        ? `.llm-bar[data-sentence="${CSS.escape(focused.dataset.sentence || "")}"]`
        : "";
    clear(body).append(c.rerender(this.layer(article)));
    if (this.blind) maskTree(body, this.pairs);
    this.onBody(body);
    if (key) {
      const again = body.querySelector(key);
      if (again) again.focus({ preventScroll: true });
    }
  }

  drawPanel() {
    const panel = this.panelEl;
    if (!panel || !this.alive()) return;
    const d = this.data;
    if (!d) {
      if (this.loadError) {
        this.mode = "error";
        clear(panel);
        panel.hidden = false;
        panel.className = "llm-panel llm-quiet";
        panel.append(h("p", { class: "llm-notice warn", id: "llm-notice", role: "status", text:
          `The language model's results could not be loaded: ${this.loadError} The word-list findings stand on their own.` }));
      }
      return;
    }
    panel.hidden = false;
    if (!d.enabled) {
      // Nothing else of the model: one quiet line, as the API words it.
      if (this.mode !== "off") {
        this.mode = "off";
        clear(panel);
        panel.className = "llm-panel llm-quiet";
        panel.append(h("p", { class: "llm-off", id: "llm-off",
          text: capitalize(d.notice || "no language model is set up on this server: Slant uses its word lists only") }));
      }
      return;
    }
    if (this.mode !== "on") this.buildPanel(d);
    const p = this.parts;
    p.desc.textContent = d.llm || "";

    const failed = (d.articles || []).some((a) => a.status === "failed") ||
      !!(d.agreed_facts && d.agreed_facts.status === "failed");
    const done = (d.articles || []).some((a) => (a.judgements || []).length);
    const busy = this.asking || d.pending;
    clear(p.button);
    if (busy) {
      p.button.setAttribute("aria-disabled", "true");
      p.button.append(spinner(), this.asking ? " Asking…" : " The model is reading…");
    } else {
      p.button.removeAttribute("aria-disabled");
      p.button.append(done || d.agreed_facts ? "Ask the model again" : "Ask the model");
    }

    // The notice, as the API words it; a line of help once results are in.
    const warn = failed || !!this.loadError;
    const notice = [
      d.notice,
      this.loadError
        ? `The model's latest results could not be loaded (${this.loadError.replace(/\.$/, "")}): what is shown may be out of date. ` +
          "The word-list findings stand on their own."
        : "",
    ].filter(Boolean).join(" ");
    const key = `${warn}|${notice}|${done}`;
    if (key !== this.noticeKey) {
      this.noticeKey = key;
      clear(p.status);
      if (notice) {
        p.status.append(h("p", { class: `llm-notice${warn ? " warn" : ""}`, id: "llm-notice", text: notice }));
      } else if (done) {
        p.status.append(h("p", { class: "llm-notice quiet", id: "llm-notice", text:
          "The model's view is ready. Select a bar in an article's margin (or tab to it and press Enter) " +
          "to compare the word lists' reading of that sentence with the model's." }));
      }
      if (this.blind) maskTree(p.status, this.pairs);
    }

    p.askError.hidden = !this.askError;
    p.askError.textContent = this.askError || "";

    const facts = d.agreed_facts ? this.factsBox(d.agreed_facts) : h("div", { hidden: true });
    p.facts.replaceWith(facts);
    p.facts = facts;
    if (this.blind) maskTree(facts, this.pairs);
  }

  /** buildPanel draws the panel's lasting parts once; drawPanel updates
   * them, so that a poll leaves focus and an open "How to read" alone. */
  buildPanel(d) {
    const panel = this.panelEl;
    this.mode = "on";
    this.noticeKey = null;
    clear(panel);
    panel.className = "llm-panel card";
    const p = {
      desc: h("span", { class: "llm-desc" }),
      button: h("button", {
        type: "button", class: "button primary llm-ask", id: "llm-ask",
        "aria-describedby": "llm-about",
        on: { click: () => this.ask() },
      }),
      status: h("div", { class: "llm-status", role: "status" }),
      askError: h("p", { class: "form-error llm-ask-error", role: "alert", hidden: true }),
      facts: h("div", { hidden: true }),
    };
    this.parts = p;
    panel.append(
      h("div", { class: "llm-head" },
        h("div", { class: "llm-head-text" },
          h("h2", { id: "llm-heading", text: "A second opinion from a language model" }),
          h("p", { class: "llm-which" }, h("span", { class: "llm-which-label", text: "Set up on this server: " }), p.desc)),
        p.button),
      h("p", { class: "llm-about hint", id: "llm-about", text:
        "The model reads every sentence and names the kind of slant it sees, if any. Its view is a bar in the margin " +
        "of each article, beside the word lists' highlights, which it never changes. A model can be wrong: " +
        "treat it as a second opinion to discuss." }),
      p.status,
      p.askError,
      p.facts,
      this.key(d));
  }

  /** factsBox is the model's account of what every outlet reports. */
  factsBox(f) {
    const working = f.status === "queued" || f.status === "running";
    const facts = f.facts || [];
    const outletsOf = (names) => {
      const list = (names || []).map((n) => (this.blind ? maskString(n, this.pairs) : n));
      if (this.blind) list.sort((a, b) => a.localeCompare(b, undefined, { numeric: true }));
      return list.join(", ");
    };
    return h("section", { class: "llm-facts", id: "llm-facts", "aria-labelledby": "llm-facts-heading", "aria-busy": String(working) },
      h("h3", { id: "llm-facts-heading", text: "What every outlet reports" }),
      h("p", { class: "llm-facts-kicker", text: "The facts the articles share, as the model sums them up. Check them against the texts." }),
      working
        ? h("p", { class: "llm-working" }, spinner(),
            f.summary ? " The model is drawing up the facts again…" : " The model is drawing up the facts every outlet reports…")
        : null,
      f.status === "failed"
        ? h("p", { class: "llm-facts-error", text: `The agreed facts could not be drawn up: ${f.error || "the model failed"}.` })
        : null,
      f.summary ? h("p", { class: "llm-summary", text: f.summary }) : null,
      facts.length
        ? h("ul", { class: "llm-fact-list" }, facts.map((x) => h("li", {},
            h("span", { class: "llm-fact", text: x.text }),
            (x.outlets || []).length ? h("span", { class: "llm-from", text: ` — from: ${outletsOf(x.outlets)}` }) : null)))
        : null,
      f.made_at
        ? h("p", { class: "llm-prov" }, "Drawn up by ", provenance(f.model, f.prompt_version, "on", f.made_at),
            (f.outlets || []).length ? `, from ${outletsOf(f.outlets)}` : "", ".")
        : null,
      f.stale
        ? h("p", { class: "llm-stale", text:
            "These facts were drawn up before the event's articles changed. Ask the model again to bring them up to date." })
        : null);
  }

  /** key explains the bars, the figures and the model's types. */
  key(d) {
    const types = (d.types || []).filter((t) => t.type !== "none");
    return h("details", { class: "llm-key how" },
      h("summary", { text: "How to read the model's view" }),
      h("p", { class: "llm-key-bars" },
        "A bar in an article's margin marks a sentence the model calls slanted: ",
        h("span", { class: "llm-key-sample llm-s1", "aria-hidden": "true" }), " dotted when it is unsure, ",
        h("span", { class: "llm-key-sample llm-s2", "aria-hidden": "true" }), " dashed when moderately sure, ",
        h("span", { class: "llm-key-sample llm-s3", "aria-hidden": "true" }), " solid when sure. ",
        "Sentences it reads as neutral reporting get no bar."),
      h("p", { text:
        "Under each headline: how often the word lists (a sentence with a loaded word in the outlet's own voice) and the model " +
        "agree on which sentences are slanted. κ (Cohen's kappa) discounts the agreement two readers would reach by chance: " +
        "1 is full agreement, 0 no better than chance; it is undefined when one of them calls every sentence the same." }),
      types.length
        ? [h("p", { text: "The kinds of slant the model may name:" }),
            h("dl", { class: "llm-types" }, types.map((t) => [
              h("dt", { text: typeLabel(t.type) }),
              h("dd", { text: t.description || "" })]))]
        : null);
  }

  drawLegend() {
    const li = this.legendEl;
    if (!li) return;
    clear(li);
    const n = this.barCount();
    if (!n) {
      li.hidden = true;
      return;
    }
    li.hidden = false;
    const st = this.state || {};
    const button = h("button", {
      type: "button", class: "legend-toggle llm-toggle", id: "llm-toggle", "aria-pressed": String(!st.llmOff),
      title: "Sentences the language model calls slanted, marked by a bar in the margin. Click to hide or show the bars.",
      on: {
        click: () => {
          st.llmOff = !st.llmOff;
          button.setAttribute("aria-pressed", String(!st.llmOff));
          this.applyHidden();
        },
      },
    },
      h("span", { class: "sample llm-sample" }, h("span", { class: "llm-sample-bar", "aria-hidden": "true" }), "the model's view"),
      h("span", { class: "count", text: String(n) }));
    li.append(button);
  }

  barCount() {
    let n = 0;
    for (const a of this.articles) {
      const la = this.llmArticle(a.id);
      if (la) n += (la.judgements || []).filter(marked).length;
    }
    return n;
  }

  applyHidden() {
    const grid = this.panelEl && this.panelEl.isConnected ? document.querySelector(".articles") : null;
    if (grid) grid.classList.toggle("hide-llm", !!(this.state && this.state.llmOff));
  }

  /** drawColumnBox shows the model's status for one article and its
   * agreement with the word lists. */
  drawColumnBox(article, box) {
    if (!box) return;
    clear(box);
    const d = this.data;
    const la = this.llmArticle(article.id);
    if (!d || !d.enabled || !la) {
      box.hidden = true;
      return;
    }
    box.hidden = false;
    const status = la.status || "none";
    const chipText = {
      none: "Model: not asked yet",
      queued: "Model: waiting its turn",
      running: "Model: reading",
      done: "Model: done",
      failed: "Model: failed",
    }[status] || `Model: ${status}`;
    const chip = h("span", { class: "llm-chip", dataset: { status } },
      status === "queued" || status === "running" ? spinner() : null,
      status === "done" ? h("span", { class: "llm-chip-icon", "aria-hidden": "true", text: "✓" }) : null,
      status === "failed" ? h("span", { class: "llm-chip-icon", "aria-hidden": "true", text: "✕" }) : null,
      chipText);
    box.append(h("p", { class: "llm-status-line" }, chip,
      la.judged_at && status !== "done"
        ? h("span", { class: "llm-older", text: " Showing its earlier view." })
        : null));
    if (status === "failed") {
      box.append(h("p", { class: "llm-article-error", text:
        `The model's view is missing: ${la.error || "the job failed"}. The word-list highlights below stand on their own.` }));
    }
    const ag = la.agreement;
    if (ag) {
      const bars = (la.judgements || []).filter(marked).length;
      box.append(
        h("p", { class: "llm-agree-main" },
          "Word lists and model agree on ", h("strong", { text: percent(ag.agreement) }), " of sentences"),
        h("p", { class: "llm-agree-counts" },
          h("span", { class: "llm-count" }, "both ", h("strong", { text: String(ag.both ?? 0) })), " · ",
          h("span", { class: "llm-count" }, "only word lists ", h("strong", { text: String(ag.only_word_list ?? 0) })), " · ",
          h("span", { class: "llm-count" }, "only model ", h("strong", { text: String(ag.only_llm ?? 0) })), " · ",
          h("span", { class: "llm-count" }, "neither ", h("strong", { text: String(ag.neither ?? 0) }))),
        h("p", { class: "llm-agree-extra" },
          h("span", { class: "llm-kappa", title: "Cohen's kappa: agreement beyond chance (1 full, 0 chance)", text: kappaText(ag.kappa) }),
          ` · ${ag.unjudged ?? 0} not judged · ${bars ? bars : "no"} ${bars === 1 ? "bar" : "bars"} in the margin`),
        la.model || la.judged_at
          ? h("p", { class: "llm-prov small", text: provenance(la.model, la.prompt_version, "judged", la.judged_at) })
          : null);
    }
  }

  // ---- the bars ---------------------------------------------------------------------------

  /** sentenceNodes makes the start point (holding the bar) and the end
   * point of one judged sentence. */
  sentenceNodes(article, j) {
    const level = strengthLevel(j.strength);
    const text = sentenceText(article, j);
    const words = text.split(/\s+/).filter(Boolean);
    const opening = words.slice(0, 8).join(" ") + (words.length > 8 ? "…" : "");
    const bar = h("button", {
      type: "button", class: `llm-bar llm-s${level}`,
      "aria-haspopup": "dialog", "aria-expanded": "false",
      "aria-label": `The model's view of the sentence “${opening}”: ${typeLabel(j.type)}, ${LEVEL_WORDS[level]}.`,
      dataset: { sentence: j.index, type: j.type, strength: j.strength ?? "" },
    });
    const start = h("span", { class: "llm-at", dataset: { sentence: j.index } }, bar);
    const end = h("span", { class: "llm-end", dataset: { sentence: j.index } });
    bar.addEventListener("click", () => this.openSentence(bar, article, j));
    bar.addEventListener("mouseenter", () => this.highlight(bar));
    bar.addEventListener("focus", () => this.highlight(bar));
    bar.addEventListener("mouseleave", () => this.unhighlight(bar));
    bar.addEventListener("blur", () => this.unhighlight(bar));
    return { start, end };
  }

  /** sentenceRange is the DOM range of a bar's sentence: from just after
   * the bar to its end point. */
  sentenceRange(bar) {
    const at = bar.parentElement;
    const body = bar.closest(".article-body");
    if (!at || !body) return null;
    const end = body.querySelector(`.llm-end[data-sentence="${CSS.escape(bar.dataset.sentence)}"]`);
    if (!end) return null;
    const r = document.createRange();
    r.setStart(at, at.childNodes.length);
    r.setEnd(end, 0);
    return r;
  }

  highlight(bar) {
    if (!window.CSS || !CSS.highlights || typeof Highlight !== "function") return;
    const r = this.sentenceRange(bar);
    if (r) CSS.highlights.set("llm-sentence", new Highlight(r));
  }

  unhighlight(bar) {
    if (!window.CSS || !CSS.highlights) return;
    if (bar.getAttribute("aria-expanded") === "true") return;
    CSS.highlights.delete("llm-sentence");
  }

  layoutAll() {
    if (!this.alive()) return;
    for (const c of this.columns.values()) if (c.body) this.layout(c.body);
  }

  /**
   * layout sets each bar of a body beside its sentence: from the top of
   * its first line to the bottom of its last. Neighbours that share a line
   * split it, so that every bar stays a bar of its own.
   */
  layout(body) {
    if (!body.isConnected) return;
    const bars = [...body.querySelectorAll(".llm-bar")];
    if (!bars.length) return;
    const box = body.getBoundingClientRect();
    let prev = null;
    for (const bar of bars) {
      const r = this.sentenceRange(bar);
      const rect = r && r.getBoundingClientRect();
      if (!rect || (!rect.height && !rect.width)) continue;
      const cur = { bar, top: rect.top - box.top + 2, bottom: rect.bottom - box.top - 2 };
      if (prev && cur.top < prev.bottom + 6) {
        const mid = (cur.top + prev.bottom) / 2;
        prev.bottom = mid - 3;
        cur.top = mid + 3;
        place(prev);
      }
      place(cur);
      prev = cur;
    }
  }

  // ---- the popover -------------------------------------------------------------------------

  openSentence(bar, article, j) {
    const d = this.data || {};
    const la = this.llmArticle(article.id) || {};
    const r = article.report || {};
    const text = sentenceText(article, j);
    const findings = (r.findings || []).filter((f) => f.start >= j.start && f.end <= j.end);
    const verdict = ((la.agreement && la.agreement.sentences) || []).find((s) => s.index === j.index);
    const info = (d.types || []).find((t) => t.type === j.type) || {};
    const level = strengthLevel(j.strength);
    const strength = Number(j.strength);
    const short = text.length > 220 ? text.slice(0, text.lastIndexOf(" ", 210) > 120 ? text.lastIndexOf(" ", 210) : 210).trimEnd() + " …" : text;

    const wordLists = h("section", { class: "pop-part pop-wordlists", "aria-labelledby": "pop-wordlists-h" },
      h("h3", { id: "pop-wordlists-h", text: "Word lists" }),
      findings.length
        ? h("ul", { class: "pop-findings" }, findings.map((f) => {
            const c = category(f.category);
            return h("li", {},
              h("span", { class: `sample ${c.className}${f.in_quote ? " in-quote" : ""}`, text: f.text }),
              ` ${c.label}`,
              f.in_quote ? h("span", { class: "pop-quoted", text: " (in a quotation: the speaker's word)" }) : null);
          }))
        : h("p", { class: "pop-none", text: "No word from the word lists in this sentence." }),
      verdict
        ? h("p", { class: "pop-verdict", text: verdict.word_list
            ? "The word lists count this sentence as slanted."
            : "The word lists do not count this sentence as slanted." })
        : null);

    const model = h("section", { class: "pop-part pop-model", "aria-labelledby": "pop-model-h" },
      h("h3", { id: "pop-model-h", text: "Model" }),
      h("p", { class: "pop-type" },
        h("span", { class: `llm-key-sample llm-s${level}`, "aria-hidden": "true" }),
        h("strong", { class: "pop-type-label", text: typeLabel(j.type) })),
      Number.isFinite(strength)
        ? h("p", { class: "pop-strength", text: `Strength ${strength.toFixed(1)} of 1: ${LEVEL_WORDS[level]}` })
        : null,
      info.description ? h("p", { class: "pop-desc", text: info.description }) : null,
      j.explanation ? h("p", { class: "pop-why" }, h("span", { class: "pop-label", text: "Why: " }), j.explanation) : null,
      j.rewrite
        ? h("div", { class: "pop-rewrite" },
            h("p", { class: "pop-label", text: "A neutral version:" }),
            h("blockquote", { class: "pop-rewrite-text", text: j.rewrite }))
        : null,
      h("p", { class: "pop-prov", text: provenance(la.model || d.model, la.prompt_version || d.prompt_version, "judged", la.judged_at) }));

    const agree = verdict && verdict.judged
      ? h("p", { class: `pop-agree${verdict.agree ? " yes" : " no"}`, text: verdict.agree
          ? "Here the word lists and the model agree."
          : verdict.word_list
            ? "Here they disagree: the word lists count the sentence as slanted, the model does not."
            : "Here they disagree: the model sees slant that no listed word shows." })
      : null;

    this.highlight(bar);
    openExplanation(bar, [
      h("p", { class: "popover-kicker" },
        h("span", { class: "llm-sample-bar", "aria-hidden": "true" }),
        h("span", { text: "One sentence, two readings" })),
      h("h2", { id: "popover-title", class: "popover-title sentence", text: `“${short}”` }),
      wordLists, model, agree,
    ], {
      wide: true,
      beside: bar.closest(".article"),
      prepare: (root) => { if (this.blind) maskTree(root, this.pairs); },
      onClose: () => { if (window.CSS && CSS.highlights) CSS.highlights.delete("llm-sentence"); },
    });
  }
}

/** place sets a bar's measured top and height through the CSSOM (which
 * the page's Content-Security-Policy allows). */
function place(p) {
  p.bar.style.setProperty("top", `${Math.round(p.top)}px`);
  p.bar.style.setProperty("height", `${Math.max(8, Math.round(p.bottom - p.top))}px`);
}

/** signature tells whether an article's judgements changed since drawn. */
function signature(la) {
  const n = la ? (la.judgements || []).filter(marked).length : 0;
  return n ? `${la.judged_at ?? ""}|${la.model ?? ""}|${la.prompt_version ?? ""}|${n}` : "";
}

const converters = new WeakMap();

/** sentenceText is the text of a judged sentence (its byte span). */
function sentenceText(article, j) {
  const str = article.text || "";
  let conv = converters.get(article);
  if (!conv) {
    conv = byteConverter(str);
    converters.set(article, conv);
  }
  return str.slice(conv(j.start), conv(j.end)).replace(/\s+/g, " ").trim();
}
