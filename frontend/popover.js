// popover.js: the small dialog that explains one highlighted word (or,
// through openExplanation, one sentence the language model judged).
// One popover exists per page; it opens next to the mark that asked for it,
// closes with Escape, its close button or a click elsewhere, and gives focus
// back to the mark.

import { h, clear, append } from "./dom.js";

let pop = null;     // the dialog element
let body = null;    // its content holder
let opener = null;  // the mark that opened it
let onClosed = null; // called once when the popover closes
let beside = null;   // an element to open beside rather than under the mark

const SEVERITY = { 1: "mild", 2: "moderate", 3: "strong" };

function ensure() {
  if (pop) return pop;
  body = h("div", { class: "popover-body" });
  const close = h("button", {
    type: "button",
    class: "popover-close",
    "aria-label": "Close explanation",
    title: "Close (Esc)",
    on: { click: () => closePopover() },
  }, "×");
  pop = h("div", {
    id: "popover",
    class: "popover",
    role: "dialog",
    "aria-modal": "false",
    "aria-labelledby": "popover-title",
    hidden: true,
    tabindex: "-1",
  }, close, body);
  document.body.appendChild(pop);
  document.addEventListener("keydown", (e) => {
    if (e.key === "Escape" && !pop.hidden) {
      e.preventDefault();
      closePopover();
    }
  });
  document.addEventListener("mousedown", (e) => {
    if (pop.hidden) return;
    if (pop.contains(e.target) || (opener && opener.contains(e.target))) return;
    closePopover(false);
  });
  window.addEventListener("resize", () => { if (!pop.hidden) place(); });
  return pop;
}

/**
 * openPopover explains finding f next to the element anchor.
 * labelOf(category) gives the category's label and description.
 */
export function openPopover(anchor, f, info) {
  begin(anchor, null);

  const sev = SEVERITY[f.severity] || String(f.severity ?? "");
  const alts = (f.alternatives || []).filter(Boolean);
  append(body, [
    h("p", { class: "popover-kicker" },
      h("span", { class: `swatch ${info.className}`, "aria-hidden": "true" }),
      h("span", { class: "popover-category", text: info.label })),
    h("h2", { id: "popover-title", class: "popover-title", text: `“${f.text}”` }),
    f.term && f.term.toLowerCase() !== String(f.text).toLowerCase()
      ? h("p", { class: "popover-term", text: `Lexicon entry: ${f.term}` }) : null,
    h("p", { class: "popover-severity" },
      h("span", { class: `severity severity-${f.severity}`, text: `Severity: ${sev}` }),
      f.severity ? ` (${f.severity} of 3)` : ""),
    h("p", { class: "popover-reason", text: f.reason || info.description || "Listed in the lexicon as loaded language." }),
    h("p", { class: "popover-alts" },
      h("strong", { text: "Try instead: " }),
      alts.length
        ? alts.map((a) => h("span", { class: "alt", text: a }))
        : "describe what happened in plain words."),
    f.custom
      ? h("p", { class: "popover-class", text: "From your class word list: a teacher added this word, not Slant's built-in lists." })
      : null,
    f.in_quote
      ? h("p", { class: "popover-quote", text: "Inside a quotation: the speaker's words, not the outlet's." })
      : null,
    info.swap ? swapNote(f, info.swap) : null,
    info.where ? h("p", { class: "popover-where", text: info.where }) : null,
  ]);
  show();
}

/**
 * openExplanation opens the popover next to anchor with nodes as its
 * content; one of them must hold the element with id "popover-title" that
 * names the dialog. opts: wide (a wider popover, for longer texts), onClose
 * (called once when it closes), prepare(body) (called with the filled
 * content before it shows, to mask outlet names in blind mode, say),
 * beside (an element, such as the article's column, to open beside when
 * there is room, so that the text the anchor stands for stays in view).
 */
export function openExplanation(anchor, nodes, opts = {}) {
  begin(anchor, opts.onClose || null);
  beside = opts.beside || null;
  append(body, nodes);
  if (opts.prepare) opts.prepare(body);
  pop.classList.toggle("wide", !!opts.wide);
  show();
}

function begin(anchor, onClose) {
  ensure();
  const previous = onClosed;
  onClosed = null;
  if (previous) previous();
  if (opener && opener !== anchor) opener.setAttribute("aria-expanded", "false");
  opener = anchor;
  onClosed = onClose;
  beside = null;
  anchor.setAttribute("aria-expanded", "true");
  pop.classList.remove("wide");
  clear(body);
}

function show() {
  pop.hidden = false;
  place();
  // A tall anchor (a long sentence) can leave no room above or below it
  // on screen: then bring the popover itself into view.
  const r = pop.getBoundingClientRect();
  if (r.bottom > window.innerHeight || r.top < 0) pop.scrollIntoView({ block: "nearest" });
  pop.focus({ preventScroll: true });
}

/** swapNote says what the neutral version shows in place of the word. */
function swapNote(f, swap) {
  const original = h("q", { class: "popover-original", text: f.text });
  let says;
  if (swap.kind === "drop") says = ["The neutral version drops ", original, ": a plain report can do without it."];
  else if (swap.kind === "advice") says = ["No plain word fits here in place of ", original, `, so the neutral version keeps it, with advice: ${swap.text}.`];
  else says = ["The neutral version shows ", h("strong", { text: swap.text }), " where the outlet wrote ", original, "."];
  return h("p", { class: "popover-neutral" }, says);
}

/** closePopover hides the popover; by default focus returns to its mark. */
export function closePopover(refocus = true) {
  if (!pop || pop.hidden) return;
  pop.hidden = true;
  const done = onClosed;
  onClosed = null;
  const was = opener;
  opener = null;
  if (was) was.setAttribute("aria-expanded", "false");
  if (done) done();
  if (was && refocus) was.focus({ preventScroll: true });
}

/** place puts the popover under its mark (or above it when there is no room),
 * kept inside the viewport. Positions are set through the CSSOM, which the
 * page's Content-Security-Policy allows. */
function place() {
  if (!opener || !opener.isConnected) return;
  const r = opener.getBoundingClientRect();
  const vw = document.documentElement.clientWidth;
  const vh = window.innerHeight;
  const margin = 8;
  const width = Math.min(pop.classList.contains("wide") ? 440 : 360, vw - 2 * margin);
  pop.style.setProperty("width", `${width}px`);
  const ph = pop.offsetHeight;
  let left = Math.min(Math.max(margin, r.left), vw - width - margin);
  let top = r.bottom + 6;
  if (top + ph > vh - margin && r.top - ph - 6 > margin) top = r.top - ph - 6;
  const side = beside && beside.isConnected ? beside.getBoundingClientRect() : null;
  if (side && (side.right + 8 + width <= vw - margin || side.left - 8 - width >= margin)) {
    // Beside the column, level with the top of the anchor, kept on screen.
    left = side.right + 8 + width <= vw - margin ? side.right + 8 : side.left - 8 - width;
    top = Math.max(margin, Math.min(r.top, vh - ph - margin));
  }
  pop.style.setProperty("left", `${left + window.scrollX}px`);
  pop.style.setProperty("top", `${top + window.scrollY}px`);
}
