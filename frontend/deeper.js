// deeper.js: "A closer look", the sections under an event's overview:
// frames, sources, what only one outlet reports, labels and tone. Each is
// built from the comparison (GET /events/{id}/comparison) and, for the
// details the comparison leaves out (cue words, reasons, attributions), from
// the articles' own reports. Outlets appear in the order of the article
// columns everywhere. All text goes in as text nodes (dom.js).

import { h, formatIndex } from "./dom.js";
import { frameBars, toneScale, percent } from "./chart.js";

const MAIN_FRAMES = 5;     // frames shown before "Show all 15 frames"
const MAIN_SPEAKERS = 6;   // speakers shown before "Show all speakers"
const MAIN_ENTITIES = 6;   // named people and places shown in the labels table

/**
 * closerLook returns the section, or null when there is nothing to compare.
 * articles are the event's articles in column order; cmp is the comparison.
 * onShowPassages(articleId) is called by the "Show in the text" buttons.
 */
export function closerLook(articles, cmp, { onShowPassages } = {}) {
  if (!cmp || !articles.length) return null;
  const outlets = articles.map((a) => ({
    id: a.id,
    name: (a.outlet && a.outlet.name) || "Unknown outlet",
    report: a.report || {},
  }));
  const many = outlets.length > 1;
  // Only the frames are open at first, on wide screens: the gists say the
  // rest in a line, and the articles stay close to the top. A section the
  // reader opens or closes stays so (localStorage) on every event.
  const wide = window.matchMedia("(min-width: 700px)").matches;
  const parts = [
    framesSection(outlets, cmp.frames || {}, wide),
    sourcesSection(outlets, cmp.sources || {}, false),
    many ? contentSection(outlets, cmp.content || {}, onShowPassages, false) : null,
    many ? labelsSection(outlets, cmp.labels || {}, false) : null,
    toneSection(outlets, cmp.tone || {}, false),
  ].filter(Boolean);
  if (!parts.length) return null;
  return h("section", { class: "closer", "aria-labelledby": "closer-heading" },
    h("div", { class: "closer-intro" },
      h("h2", { id: "closer-heading", text: "A closer look" }),
      h("p", { class: "closer-lede", text: many
        ? "Beyond single words: which angles each outlet takes, whom it lets speak, what only it reports, " +
          "the names it gives the same things, and its tone."
        : "Which angles the article takes, whom it lets speak, and its tone. Add another outlet's report to compare." })),
    parts);
}

// ---- small helpers ---------------------------------------------------------

let seq = 0;

const OPEN_KEY = "slant.closerOpen";

function openState() {
  try {
    const v = JSON.parse(localStorage.getItem(OPEN_KEY) || "{}");
    return v && typeof v === "object" ? v : {};
  } catch {
    return {};
  }
}

function rememberOpen(key, open) {
  try {
    localStorage.setItem(OPEN_KEY, JSON.stringify({ ...openState(), [key]: open }));
  } catch {
    // Storage may be off; the choice then lasts for this page only.
  }
}

/**
 * section is one collapsible part: a heading with a one-line gist and a
 * Show/Hide button (aria-expanded) that controls the body. open is the
 * default when the reader has not chosen.
 */
function section(key, title, gist, body, byDefault) {
  const id = `closer-${key}`;
  const saved = openState()[key];
  const open = typeof saved === "boolean" ? saved : byDefault;
  const bodyEl = h("div", { class: "closer-body", id: `${id}-body`, hidden: !open }, body);
  const label = h("span", { class: "disclose-text", text: open ? "Hide" : "Show" });
  const button = h("button", {
    type: "button", class: "disclose", id: `${id}-toggle`,
    "aria-expanded": String(open), "aria-controls": `${id}-body`,
    on: {
      click: () => {
        const now = button.getAttribute("aria-expanded") !== "true";
        button.setAttribute("aria-expanded", String(now));
        bodyEl.hidden = !now;
        label.textContent = now ? "Hide" : "Show";
        rememberOpen(key, now);
      },
    },
  }, label, h("span", { class: "visually-hidden", text: ` ${title}` }));
  return h("section", { class: "closer-part card", id, "aria-labelledby": `${id}-heading` },
    h("div", { class: "closer-head" },
      h("div", { class: "closer-title" },
        h("h3", { id: `${id}-heading`, text: title }),
        gist ? h("p", { class: "gist", text: gist }) : null),
      button),
    bodyEl);
}

/** scroller wraps a table so that it scrolls sideways inside its box on
 * narrow screens; the box is focusable so the keyboard can scroll it. */
function scroller(table, label) {
  return h("div", { class: "table-scroll", tabindex: "0", role: "region", "aria-label": label }, table);
}

/** more is a button that reveals hidden rows or items. */
function moreButton(showText, hideText, nodes, extra) {
  const id = `more-${++seq}`;
  const button = h("button", {
    type: "button", class: "button subtle more", "aria-expanded": "false", id,
    on: {
      click: () => {
        const open = button.getAttribute("aria-expanded") !== "true";
        button.setAttribute("aria-expanded", String(open));
        for (const n of nodes) n.hidden = !open;
        button.textContent = open ? hideText : showText;
        if (extra) extra(open);
      },
    },
    text: showText,
  });
  return button;
}

function lowerFirst(str) {
  const t = String(str || "");
  return t && !/^[A-Z]{2}/.test(t) ? t[0].toLowerCase() + t.slice(1) : t;
}

function listWords(words, max = 3) {
  const q = words.filter(Boolean).map((w) => `“${w}”`);
  if (q.length <= max) return joinAnd(q);
  return joinAnd([...q.slice(0, max), `${q.length - max} more`]);
}

function joinAnd(items) {
  if (items.length <= 1) return items.join("");
  return `${items.slice(0, -1).join(", ")} and ${items[items.length - 1]}`;
}

function plural(n, one, many) {
  return `${n} ${n === 1 ? one : many}`;
}

function signed(v) {
  const x = Number(v) || 0;
  const t = Math.abs(x).toFixed(2);
  return x > 0.004 ? `+${t}` : x < -0.004 ? `−${t}` : "0.00";
}

function byArticle(list) {
  return new Map((list || []).map((o) => [o.article_id, o]));
}

/** cell is an empty cell's content: a dash, and words for screen readers. */
function none(words) {
  return [h("span", { class: "none", "aria-hidden": "true", text: "—" }), h("span", { class: "visually-hidden", text: words })];
}

// ---- frames ------------------------------------------------------------------

function framesSection(outlets, fc, open) {
  const frames = fc.frames || [];
  const byId = byArticle(fc.outlets);
  const rows = outlets.filter((o) => byId.has(o.id)).map((o) => ({ ...o, f: byId.get(o.id) }));
  if (!frames.length || !rows.length) return null;
  const stressed = fc.stressed || [];
  const many = rows.length > 1;
  const note = h("p", { class: "closer-note", text: "Slant counts cue words for the 15 policy frames of the Media Frames Corpus " +
    "(money, morality, crime, health, politics …) and shows how each outlet's frame words divide among them. " +
    "Hover over a bar for its cue words." });
  if (rows.every((o) => !o.f.hits)) {
    return section("frames", "Frames: the angle each outlet takes", "No frame cue words found", [
      note, h("p", { class: "empty", text: many
        ? "None of the frames' cue words occur in these articles."
        : "None of the frames' cue words occur in this article." })], open);
  }

  // One order for every panel: frames by their mean share across outlets.
  const share = (o, i) => Number((o.f.shares || [])[i]) || 0;
  const mean = frames.map((_, i) => rows.reduce((sum, o) => sum + share(o, i), 0) / rows.length);
  const order = frames.map((_, i) => i).sort((a, b) => mean[b] - mean[a] || a - b);
  const stressedAt = new Set(stressed.map((st) => frames.findIndex((f) => f.frame === st.frame)).filter((i) => i >= 0));
  const main = order.filter((i, k) => mean[i] > 0 && (k < MAIN_FRAMES || stressedAt.has(i)));

  const terms = (o, frame) => {
    const sc = ((o.report.frames || {}).scores || []).find((x) => x.frame === frame);
    return (sc && sc.terms) || [];
  };
  const cueText = (list, max) => list.slice(0, max)
    .map((t) => (t.count > 1 ? `${t.term} ×${t.count}` : t.term)).join(", ");

  const panelRows = (o, indexes, lump) => {
    const mine = new Set(stressed.filter((st) => st.article_id === o.id).map((st) => st.frame));
    const out = indexes.map((i) => {
      const f = frames[i];
      const cues = terms(o, f.frame);
      const label = f.frame === "other" ? "Other (no frame word)" : f.label;
      return {
        label, value: share(o, i), stressed: mine.has(f.frame),
        title: `${label}: ${percent(share(o, i))} of ${o.name}'s frame words.` +
          (cues.length ? ` Cue words: ${cueText(cues, 8)}.` : ""),
      };
    });
    if (lump) {
      const rest = order.filter((i) => !indexes.includes(i));
      const value = rest.reduce((sum, i) => sum + share(o, i), 0);
      out.push({ label: `The other ${rest.length} frames`, value, muted: true,
        title: `The other ${rest.length} frames together: ${percent(value)} of ${o.name}'s frame words.` });
    }
    return out;
  };

  const panels = h("div", { class: "frame-panels" });
  const drawPanels = (all) => {
    const indexes = all ? order : main;
    const byOutlet = rows.map((o) => panelRows(o, indexes, !all));
    const max = Math.max(0.05, ...byOutlet.flat().map((r) => r.value));
    panels.replaceChildren(...rows.map((o, k) => {
      const hits = o.f.hits || 0;
      const figure = h("figure", { class: "frame-panel", dataset: { articleId: o.id } },
        h("figcaption", {},
          h("span", { class: "panel-outlet", text: o.name }),
          h("span", { class: "panel-note", text: plural(hits, "frame word", "frame words") })));
      if (!hits) {
        figure.append(h("p", { class: "empty", text: "None of the frames' cue words occur in this article." }));
        return figure;
      }
      const described = byOutlet[k].filter((r) => r.value > 0)
        .map((r) => `${r.label} ${percent(r.value)}${r.stressed ? " (stressed)" : ""}`).join(", ");
      figure.append(frameBars(o.name, byOutlet[k], max,
        `Frames in ${o.name}, as shares of its ${hits} frame words: ${described}.`));
      return figure;
    }));
  };
  drawPanels(false);

  // Cue words behind each frame, for the curious.
  const cueTable = h("table", { class: "data-table cue-table" },
    h("caption", { text: "The cue words that counted for each frame, most frequent first" }),
    h("thead", {}, h("tr", {}, h("th", { scope: "col", text: "Frame" }),
      rows.map((o) => h("th", { scope: "col", text: o.name })))),
    h("tbody", {}, order.filter((i) => frames[i].frame !== "other").map((i) => h("tr", {},
      h("th", { scope: "row" }, frames[i].label,
        frames[i].description ? h("span", { class: "row-note", text: frames[i].description }) : null),
      rows.map((o) => {
        const cues = terms(o, frames[i].frame);
        return h("td", {}, cues.length
          ? [h("span", { class: "share", text: percent(share(o, i)) }), " ", cueText(cues, 6)]
          : none("no cue words"));
      })))));
  const cueBox = h("div", { class: "cue-box", hidden: true },
    scroller(cueTable, "Cue words per frame and outlet"));
  const toggle = moreButton(`Show all ${frames.length} frames and their cue words`, "Show the main frames only",
    [cueBox], (all) => drawPanels(all));

  const stressedList = stressed.length
    ? [h("p", { class: "frame-key", text: "◆ beside a share in the bars marks a frame an outlet stresses:" }),
        h("ul", { class: "stressed-list" }, stressed.map((st) => h("li", {},
          h("strong", { text: st.outlet }), " stresses ", h("strong", { text: lowerFirst(st.label) }),
          `: ${percent(st.share)} of its frame words, against ${percent(st.others_share)} in the other outlets`,
          (st.terms || []).length ? ` (${listWords(st.terms, 4)})` : "", ".")))]
    : many ? h("p", { class: "stressed-none", text: "No outlet leans on a frame much more than the others do." }) : null;

  const divergence = many
    ? h("div", { class: "divergence" },
        h("p", { class: "figure" },
          h("span", { class: "figure-value", text: (Number(fc.divergence) || 0).toFixed(2) }),
          h("span", { class: "figure-label", text: "frame divergence",
            title: "How far apart the outlets' mixes of angles are: 0 the same mix, 1 nothing shared." })),
        h("div", { class: "figure-text" },
          h("p", { text: "How differently the outlets spread their frame words over the frames: " +
            "0 would be exactly the same mix, 1 no frame in common." }),
          h("p", { class: "figure-method", text: "Measured as the Jensen–Shannon divergence (base 2) " +
            "between each pair of outlets, averaged over the pairs" + ((fc.pairs || []).length > 1 ? ": " : ".") },
            (fc.pairs || []).length > 1
              ? (fc.pairs || []).map((p, k) => [k ? "; " : "", `${p.outlet_a} – ${p.outlet_b} ${(+p.divergence || 0).toFixed(2)}`, k === fc.pairs.length - 1 ? "." : ""])
              : null)))
    : null;

  // The divergence in words on the folded line too: how far apart the
  // outlets' mixes of frames are, with what its ends mean.
  const apart = ` · their mixes ${(Number(fc.divergence) || 0).toFixed(2)} apart (0 the same, 1 nothing shared)`;
  const gist = stressed.length
    ? stressed.map((st) => `${st.outlet} stresses ${lowerFirst(st.label)}`).join("; ") + (many ? apart : "")
    : many ? `The outlets lean on much the same frames${apart}`
      : `Leading frames: ${joinAnd((rows[0].f.top || []).map((id) => lowerFirst((frames.find((f) => f.frame === id) || {}).label || id)))}`;

  return section("frames", "Frames: the angle each outlet takes", gist, [
    note,
    stressedList,
    panels,
    h("p", { class: "more-line" }, toggle),
    cueBox,
    divergence,
  ], open);
}

// ---- sources -----------------------------------------------------------------

function sourcesSection(outlets, sc, open) {
  const byId = byArticle(sc.outlets);
  const rows = outlets.filter((o) => byId.has(o.id));
  if (!rows.length) return null;
  const speakers = sc.speakers || [];
  const n = rows.length;

  // Why each loaded verb is loaded, from the articles' attributions.
  const reasons = new Map();
  const attributions = (o) => ((o.report.sources || {}).attributions || []);
  for (const o of rows) {
    for (const a of attributions(o)) {
      if (a.grade === "loaded" && a.verb && a.reason && !reasons.has(a.verb)) reasons.set(a.verb, a.reason);
    }
  }
  const verbs = (list, loaded) => list.map((v, k) => [k ? ", " : "",
    loaded.includes(v)
      ? h("span", { class: "verb loaded", title: reasons.get(v) || "A loaded verb of saying." },
          v, h("span", { class: "visually-hidden", text: " (loaded)" }))
      : h("span", { class: "verb", text: v })]);

  const speakerRows = speakers.map((sp) => {
    const uses = byArticle(sp.uses);
    const count = rows.filter((o) => uses.has(o.id)).length;
    const only = count === 1 ? rows.find((o) => uses.has(o.id)) : null;
    const reach = n > 1
      ? count === n ? `all ${n} outlets` : only ? `only ${only.name}` : `${count} of ${n} outlets`
      : "";
    return h("tr", { class: count === n && n > 1 ? "shared-all" : only && n > 1 ? "unique" : "" },
      h("th", { scope: "row" },
        h("span", { class: "speaker-name", text: sp.name }),
        sp.kind && sp.kind !== "person" ? h("span", { class: "speaker-kind", text: sp.kind === "institution" ? " (body)" : " (organization)" }) : null,
        reach ? h("span", { class: `reach${only ? " reach-only" : ""}`, text: reach }) : null),
      rows.map((o) => {
        const u = uses.get(o.id);
        if (!u) return h("td", { class: "absent" }, none("not quoted"));
        const parts = [];
        if (u.quotes) parts.push(plural(u.quotes, "quotation", "quotations"));
        if (u.paraphrases) parts.push(plural(u.paraphrases, "paraphrase", "paraphrases"));
        return h("td", {},
          u.role ? h("span", { class: "role", text: u.role.length > 70 ? u.role.slice(0, 69) + "…" : u.role, title: u.role.length > 70 ? u.role : null }) : null,
          h("span", { class: "uses", text: parts.join(", ") || "mentioned" }),
          (u.verbs || []).length ? h("span", { class: "verbs" }, verbs(u.verbs, u.loaded_verbs || [])) : null);
      }));
  });
  const hidden = speakerRows.slice(MAIN_SPEAKERS);
  for (const r of hidden) r.hidden = true;

  const speakerTable = speakers.length
    ? h("table", { class: "data-table sources-table" },
        h("caption", { text: "Who is quoted (“…”) or paraphrased (“said that …”) in each outlet, with the role and the verbs of saying it uses" }),
        h("thead", {}, h("tr", {}, h("th", { scope: "col", text: "Speaker" }),
          rows.map((o) => h("th", { scope: "col", text: o.name })))),
        h("tbody", {}, speakerRows))
    : null;

  // How each outlet attributes what it reports.
  const sourceWords = (o, type) => attributions(o).filter((a) => a.source_type === type).map((a) => {
    if (!a.source) return a.verb || "";
    if (!a.verb) return a.source;
    const gap = a.verb_span && a.source_span ? a.verb_span.start - a.source_span.end : 99;
    return gap >= 0 && gap <= 1 ? `${a.source} ${a.verb}` : `${a.source} … ${a.verb}`;
  }).filter(Boolean);
  const loadedVerbs = (o) => [...new Set(attributions(o).filter((a) => a.grade === "loaded" && a.verb).map((a) => a.verb))];
  const metrics = [
    { key: "named_sources", label: "Named people and bodies who speak" },
    { key: "direct_quotes", label: "Quotations" },
    { key: "paraphrases", label: "Paraphrases" },
    { key: "anonymous_sources", label: "Unnamed sources", note: "“people familiar with …”", type: "anonymous" },
    { key: "group_attributions", label: "Views put to whole groups", note: "“critics say”", type: "group" },
    { key: "unattributed_claims", label: "Claims put to nobody", note: "“some believe”", type: "unattributed" },
    { key: "loaded_verbs", label: "Loaded verbs of saying", note: "“claimed”, “admitted”", verbs: true },
    { key: "quoted_share", label: "Words inside quotations", share: true },
  ];
  const countTable = h("table", { class: "data-table counts-table" },
    h("caption", { text: "How each outlet attributes what it reports" }),
    h("thead", {}, h("tr", {}, h("td", {}), rows.map((o) => h("th", { scope: "col", text: o.name })))),
    h("tbody", {}, metrics.map((m) => h("tr", { class: m.type || m.verbs ? "flag-row" : "" },
      h("th", { scope: "row" }, m.label, m.note ? h("span", { class: "row-note", text: m.note }) : null),
      rows.map((o) => {
        const v = byId.get(o.id)[m.key];
        if (m.share) return h("td", { class: "num", text: percent(v) });
        const words = m.type ? sourceWords(o, m.type) : m.verbs ? loadedVerbs(o) : [];
        return h("td", { class: (Number(v) || 0) > 0 && (m.type || m.verbs) ? "num flagged" : "num" },
          h("span", { class: "count", text: String(v ?? 0) }),
          words.length && m.type ? h("span", { class: "source-words", text: words.map((w) => `“${w}”`).join(", ") }) : null,
          words.length && m.verbs ? h("span", { class: "source-words" }, verbs(words, words)) : null);
      })))));

  const reasonList = reasons.size
    ? h("div", { class: "verb-reasons" },
        h("h4", { text: "Why these verbs of saying are loaded" }),
        h("dl", {}, [...reasons].map(([verb, reason]) => [
          h("dt", {}, h("span", { class: "verb loaded", text: verb })),
          h("dd", { text: reason })])))
    : null;

  const shared = speakers.filter((sp) => (sp.outlets || []).length === n && n > 1).map((sp) => sp.name);
  const uniques = rows.map((o) => ({ o, ids: byId.get(o.id).unique || [] })).filter((x) => x.ids.length);
  const nameOf = (id) => (speakers.find((sp) => sp.id === id) || {}).name || id;
  let gist;
  if (!speakers.length) gist = "No named speaker found.";
  else if (n === 1) gist = `${plural(speakers.length, "speaker", "speakers")}: ${joinAnd(speakers.slice(0, 3).map((sp) => sp.name))}${speakers.length > 3 ? " …" : ""}`;
  else {
    const bits = [];
    if (shared.length) bits.push(`All quote ${joinAnd(shared.length > 3 ? [...shared.slice(0, 3), `${shared.length - 3} more`] : shared)}`);
    else bits.push("No speaker is quoted by every outlet");
    for (const { o, ids } of uniques.slice(0, 2)) bits.push(`only ${o.name} quotes ${joinAnd(ids.slice(0, 2).map(nameOf))}${ids.length > 2 ? " …" : ""}`);
    gist = bits.join("; ");
  }

  return section("sources", "Sources: who gets to speak", gist, [
    speakerTable ? scroller(speakerTable, "Speakers per outlet") : h("p", { class: "empty", text: "No named speaker found." }),
    hidden.length ? h("p", { class: "more-line" },
      moreButton(`Show all ${speakers.length} speakers`, `Show the first ${MAIN_SPEAKERS} only`, hidden)) : null,
    h("div", { class: "sources-lower" },
      scroller(countTable, "Attribution counts per outlet"),
      reasonList),
  ], open);
}

// ---- only in one outlet -------------------------------------------------------

function contentSection(outlets, cc, onShowPassages, open) {
  const byId = byArticle(cc.outlets);
  const rows = outlets.filter((o) => byId.has(o.id));
  if (rows.length < 2) return null;
  const units = cc.units || [];
  const cards = rows.map((o) => {
    const c = byId.get(o.id);
    const first = (c.only_here || []).map((i) => units[i]).find((u) => u && u.text);
    const quote = first ? (first.text.length > 180 ? first.text.slice(0, 179).trimEnd() + "…" : first.text) : "";
    const spans = (c.unique_spans || []).length;
    return h("div", { class: "outlet-card", dataset: { articleId: o.id } },
      h("h4", { text: o.name }),
      h("p", { class: "card-figure" },
        h("span", { class: "figure-value small", text: String(c.unique || 0) }),
        h("span", { class: "figure-label", text: (c.unique === 1 ? " passage only here" : " passages only here") +
          (c.unique ? ` (${percent(c.unique_share)} of its content)` : "") })),
      h("p", { class: "card-line", text: (c.left_out || []).length
        ? `Leaves out ${plural(c.left_out.length, "passage", "passages")} other outlets carry.`
        : "Leaves out nothing the other outlets carry." }),
      quote ? h("blockquote", { class: "only-quote", text: quote }) : null,
      (c.unique_terms || []).length
        ? [h("p", { class: "card-line terms-label", text: "Names, numbers and words only here:" }),
           h("ul", { class: "chips terms" }, c.unique_terms.map((t) => h("li", { class: "chip", text: t })))]
        : null,
      spans && onShowPassages
        ? h("p", { class: "card-action" }, h("button", {
            type: "button", class: "button subtle show-passages",
            on: { click: () => onShowPassages(o.id) },
            text: "Show in the text",
          }))
        : null);
  });
  const counts = rows.map((o) => ({ o, n: byId.get(o.id).unique || 0 })).sort((a, b) => b.n - a.n);
  const gist = counts.every((x) => !x.n)
    ? "Every passage has a close match in another outlet"
    : counts.filter((x) => x.n).map((x, k) => k ? `${x.o.name} ${x.n}` : `${x.o.name} carries ${plural(x.n, "passage", "passages")} no other outlet has`).join("; ");
  return section("content", "Only in one outlet: what the others leave out", gist, [
    h("p", { class: "closer-note", text: "Slant lines the articles up passage by passage. A passage with no close match " +
      `(sharing enough words, above all rarer ones: a TF-IDF cosine of ${(Number(cc.threshold) || 0).toFixed(2)} or more, on a scale from 0 to 1) in any other outlet is marked “only here” ` +
      "in the columns below. It may be a fact the others chose to leave out, or the same point put in different words." }),
    h("div", { class: "outlet-cards" }, cards),
  ], open);
}

// ---- labels ------------------------------------------------------------------

function labelsSection(outlets, lc, open) {
  const concepts = lc.concepts || [];
  const entities = lc.entities || [];
  if (!concepts.length && !entities.length) return null;

  // The reason a loaded label is loaded: the lexicon finding at its place.
  const reasonAt = (o, spans, l) => {
    const r = o.report;
    for (const sp of spans || []) {
      const list = sp.in_title ? r.title_findings : r.findings;
      const f = (list || []).find((x) => x.start < sp.end && x.end > sp.start);
      if (f && f.reason) {
        // The lexicon may flag a longer phrase the label sits in
        // ("swarm of police"): say which.
        const whole = String(f.text || "").toLowerCase() === String(l.example || "").toLowerCase();
        return whole || !f.text ? f.reason : `In “${f.text}”: ${f.reason}`;
      }
    }
    return "Slant's word lists (its lexicon) flag these words as loaded.";
  };
  const loadedWords = new Map(); // word -> reason, for the list under the table
  const word = (text, { loaded, distinct, title }) => {
    if (loaded && !loadedWords.has(text)) loadedWords.set(text, title);
    return wordEl(text, { loaded, distinct, title });
  };
  const wordEl = (text, { loaded, distinct, title }) => h("span", {
    class: "label-word" + (loaded ? " loaded" : "") + (distinct ? " distinct" : ""), title,
  }, text, loaded ? h("span", { class: "tag tag-loaded", text: "loaded" }) : null);
  const flags = (item) => [
    item.differs ? h("span", { class: "tag tag-differs", text: "differs" }) : null,
    item.loaded ? h("span", { class: "tag tag-loaded", text: "loaded" }) : null,
  ];

  const conceptRows = concepts.map((c) => {
    const by = byArticle(c.outlets);
    const distinct = new Set((c.distinct || []).map((d) => d.label));
    return h("tr", {},
      h("th", { scope: "row" }, h("span", { class: "row-name", text: c.concept }), flags(c),
        c.description ? h("span", { class: "row-note", text: c.description }) : null),
      outlets.map((o) => {
        const ol = by.get(o.id);
        if (!ol || !(ol.labels || []).length) return h("td", { class: "absent" }, none("not mentioned"));
        return h("td", {}, h("ul", { class: "label-list" }, ol.labels.map((l) => h("li", {},
          word((l.examples && l.examples[0]) || l.label, {
            loaded: l.loaded, distinct: distinct.has(l.label),
            title: l.loaded ? reasonAt(o, l.spans, { example: (l.examples && l.examples[0]) || l.label })
              : distinct.has(l.label) ? "Not every outlet uses this word." : null,
          }),
          l.count > 1 ? h("span", { class: "times", text: ` ×${l.count}` }) : null))));
      }));
  });

  const entityRows = entities.map((e) => {
    const by = byArticle(e.outlets);
    const heads = new Map(outlets.map((o) => [o.id, new Set(((by.get(o.id) || {}).descriptors || []).map((d) => d.head))]));
    const mentioning = outlets.filter((o) => by.has(o.id));
    return h("tr", {},
      h("th", { scope: "row" }, h("span", { class: "row-name", text: e.name }), flags(e)),
      outlets.map((o) => {
        const eo = by.get(o.id);
        if (!eo) return h("td", { class: "absent" }, none("not mentioned"));
        const ds = eo.descriptors || [];
        if (!ds.length) return h("td", { class: "plain" }, h("span", { class: "row-note", text: "the name alone" }));
        return h("td", {}, h("ul", { class: "label-list" }, ds.map((d) => {
          const distinct = mentioning.some((x) => x.id !== o.id && !heads.get(x.id).has(d.head));
          return h("li", {},
            word(d.text, { loaded: d.loaded, distinct, title: d.loaded ? reasonAt(o, d.spans, { example: d.text }) : null }),
            d.count > 1 ? h("span", { class: "times", text: ` ×${d.count}` }) : null);
        })));
      }));
  });
  const hiddenEntities = entityRows.slice(MAIN_ENTITIES);
  for (const r of hiddenEntities) r.hidden = true;

  const cols = outlets.length + 1;
  const table = h("table", { class: "data-table labels-table" },
    h("caption", {},
      "The words each outlet uses for the same things and people. ",
      h("span", { class: "caption-key" },
        "Bold: not every outlet uses it. ", h("span", { class: "tag tag-loaded", text: "loaded" }),
        " Slant's word lists (its lexicon) flag it.")),
    h("thead", {}, h("tr", {}, h("th", { scope: "col", text: "Named" }),
      outlets.map((o) => h("th", { scope: "col", text: o.name })))),
    concepts.length ? h("tbody", {},
      h("tr", { class: "group-row" }, h("th", { scope: "rowgroup", colspan: cols, text: "Things, groups and places" })),
      conceptRows) : null,
    entities.length ? h("tbody", {},
      h("tr", { class: "group-row" }, h("th", { scope: "rowgroup", colspan: cols, text: "How named people are described" })),
      entityRows) : null);

  const loadedLabels = [];
  for (const c of concepts) {
    for (const d of c.distinct || []) {
      if (d.loaded) loadedLabels.push(`“${d.label}” for ${c.concept} (${(d.outlets || []).join(", ")})`);
    }
  }
  const differing = concepts.filter((c) => c.differs).length + entities.filter((e) => e.differs).length;
  const gist = loadedLabels.length
    ? `Loaded labels: ${loadedLabels.slice(0, 2).join("; ")}${loadedLabels.length > 2 ? " …" : ""}`
    : differing ? `${plural(differing, "thing is", "things are")} named differently` : "The outlets name things alike";

  return section("labels", "Labels: the same thing, different words", gist, [
    scroller(table, "Labels per outlet"),
    hiddenEntities.length ? h("p", { class: "more-line" },
      moreButton(`Show all ${entities.length} people and places`, `Show the first ${MAIN_ENTITIES} only`, hiddenEntities)) : null,
    loadedWords.size
      ? h("div", { class: "word-reasons" },
          h("h4", { text: "Why these words are loaded" }),
          h("dl", {}, [...loadedWords].map(([w, reason]) => [
            h("dt", {}, h("span", { class: "label-word loaded", text: w })),
            h("dd", { text: reason })])))
      : null,
  ], open);
}

// ---- tone --------------------------------------------------------------------

function toneSection(outlets, tc, open) {
  const byId = byArticle(tc.outlets);
  const rows = outlets.filter((o) => byId.has(o.id));
  if (!rows.length) return null;
  const n = rows.length;
  const subjOf = (o) => Number(byId.get(o.id).subjectivity) || 0;
  const most = Math.max(...rows.map(subjOf));
  const least = Math.min(...rows.map(subjOf));
  const cards = rows.map((o) => {
    const t = byId.get(o.id);
    const own = Number(t.own_compound) || 0;
    const mood = own >= 0.5 ? "clearly positive" : own >= 0.2 ? "positive" : own >= 0.05 ? "slightly positive"
      : own <= -0.5 ? "clearly negative" : own <= -0.2 ? "negative" : own <= -0.05 ? "slightly negative" : "neutral";
    const subj = subjOf(o);
    const stance = subj === 0 ? "None in its own voice."
      : n > 1 && subj === most ? `The most of the ${n} outlets.`
        : n > 1 && subj === least ? `The fewest of the ${n} outlets.`
          : n > 1 ? "Between the others." : "In its own voice.";
    const hl = Number(t.headline_loaded_index) || 0;
    const body = Number(t.body_loaded_index) || 0;
    return h("div", { class: "outlet-card tone-card", dataset: { articleId: o.id } },
      h("h4", { text: o.name }),
      h("dl", { class: "tone-figures" },
        h("div", {},
          h("dt", { text: "Tone of its own voice" }),
          h("dd", {},
            h("span", { class: "figure-value small", text: signed(own) }),
            toneScale(own, `${o.name}: own-voice tone ${signed(own)} on a scale from −1 (negative) to +1 (positive)`),
            h("span", { class: "plain", text: `Its own sentences read ${mood} on balance.` }))),
        h("div", {},
          h("dt", { text: "Stance words per 1,000 words" }),
          h("dd", {},
            h("span", { class: "figure-value small", text: formatIndex(subj) }),
            h("span", { class: "unit", text: ` · hedges ${formatIndex(t.hedges)}` }),
            h("span", { class: "plain", text: stance }))),
        h("div", {},
          h("dt", { text: "Loaded index: headline against article" }),
          h("dd", {},
            h("span", { class: "figure-value small", text: formatIndex(hl) }),
            h("span", { class: "unit", text: ` against ${formatIndex(body)}` }),
            h("span", { class: "plain", text: !hl && !body
              ? "No flagged words in either."
              : t.headline_more_loaded
                ? "The headline is more loaded than the article."
                : "The headline is no more loaded than the article." })))));
  });
  const summary = tc.summary || [];
  const first = byId.get(rows[0].id);
  const gist = summary[0] || `Own voice ${signed(first.own_compound)} on a scale from −1 to +1; ` +
    `${formatIndex(first.subjectivity)} stance words per 1,000 words`;
  return section("tone", "Tone: how it sounds", gist, [
    h("p", { class: "closer-note", text: "Tone is the average VADER sentiment of the outlet's own sentences " +
      "(quotations left out), from −1 (negative) to +1 (positive). Stance words are intensifiers, absolutes and " +
      "opinion words (“extremely”, “never”, “should”); hedges (“reportedly”, “could”) are counted apart, since careful " +
      "reporting hedges too. A short headline with one loaded word has a high loaded index." }),
    h("div", { class: "outlet-cards" }, cards),
  ], open);
}
