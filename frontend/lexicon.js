// lexicon.js: the lexicon's categories (names, labels, colours) and its
// version, loaded once from GET /api/v1/lexicon and again after the class
// word list changes.

import * as api from "./api.js";
import { clear } from "./dom.js";

const COLOURS = 12; // c-0 .. c-11 in style.css
const LINES = 5;    // u-0 .. u-4: solid, double, dotted, dashed, wavy

let lexiconPromise = null;
let current = null;
const categories = new Map(); // name -> {name, label, description, severity, index}

/**
 * loadLexicon returns a promise of the lexicon (or null when it cannot be
 * loaded) and writes its version in the footer. force loads it again.
 */
export function loadLexicon(force = false) {
  if (!lexiconPromise || force) {
    const footer = document.getElementById("lexicon-info");
    lexiconPromise = api.getLexicon().then((lex) => {
      const cats = [...(lex.categories || [])].sort((a, b) => a.name.localeCompare(b.name));
      for (const c of cats) {
        const known = categories.get(c.name);
        categories.set(c.name, {
          name: c.name,
          label: c.label || humanize(c.name),
          description: c.description || "",
          severity: c.severity,
          index: known ? known.index : categories.size,
        });
      }
      current = lex;
      if (footer) {
        clear(footer).append(
          `Lexicon ${shortVersion(lex.version)} · ${lex.entry_count ?? "?"} entries in ${cats.length} categories`);
        footer.title = `Lexicon version ${lex.version || "unknown"}. The lexicon is Slant's word lists: the words it flags as loaded.`;
      }
      return lex;
    }).catch((err) => {
      if (footer) clear(footer).append("The lexicon could not be loaded: " + err.message);
      lexiconPromise = null; // try again on the next view (after a sign-in, say)
      return null;
    });
  }
  return lexiconPromise;
}

/** lexiconVersion is the version of the lexicon last loaded, or "". */
export function lexiconVersion() {
  return (current && current.version) || "";
}

/** categoryList returns the known categories, sorted by name. */
export function categoryList() {
  return [...categories.values()].sort((a, b) => a.index - b.index);
}

export function humanize(name) {
  const s = String(name || "").replace(/[-_]+/g, " ").trim();
  return s ? s[0].toUpperCase() + s.slice(1) : "Loaded language";
}

/** category returns the display data of a category, adding unknown ones. */
export function category(name) {
  let c = categories.get(name);
  if (!c) {
    c = { name, label: humanize(name), description: "", index: categories.size };
    categories.set(name, c);
  }
  return { ...c, className: `c-${c.index % COLOURS} u-${c.index % LINES}` };
}

/**
 * shortVersion turns "sha256:9ff25eb2a1fe864e+custom:1a2b3c4d" into
 * "9ff25eb2a1fe + class list 1a2b3c4d": enough to tell versions apart.
 */
export function shortVersion(v) {
  const s = String(v || "");
  if (!s) return "unknown";
  const [base, custom] = s.split("+custom:");
  const short = base.replace(/^sha256:/, "").slice(0, 12);
  return custom ? `${short} + class list ${custom.slice(0, 8)}` : short;
}
