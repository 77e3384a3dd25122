// blind.js: blind mode, which hides the outlets' names until the class has
// judged the texts on their own. Each article gets a label ("Outlet 1",
// "Outlet 2", ...) in an order shuffled by a hash of the event and article
// ids: the same on every visit, but not the order the articles were added
// in (which would give the outlets away). The page is drawn as usual and
// then masked: every outlet name and domain in its text and in its
// labelling attributes becomes the outlet's label.

const KEY = "slant.blind.";

function stored(eventId) {
  try {
    return sessionStorage.getItem(KEY + eventId);
  } catch {
    return null;
  }
}

/** isBlind tells whether blind mode is on for an event (in this tab). */
export function isBlind(eventId) {
  return stored(eventId) !== null;
}

/**
 * setBlind turns blind mode on or off. exercise ({code, ids}), when given,
 * is a blind class exercise whose labels the page should share: its code,
 * and its article ids in its order, so that "Outlet 2" on the projector is
 * "Outlet 2" on the students' screens.
 */
export function setBlind(eventId, on, exercise) {
  try {
    if (!on) sessionStorage.removeItem(KEY + eventId);
    else if (exercise) sessionStorage.setItem(KEY + eventId, JSON.stringify({ code: exercise.code, ids: exercise.ids }));
    else if (!isBlind(eventId)) sessionStorage.setItem(KEY + eventId, "1");
  } catch {
    // Storage may be off: blind mode then lasts until the page is left.
  }
}

/** blindExercise returns the code of the exercise whose labels blind mode
 * shares, or "". */
export function blindExercise(eventId) {
  try {
    const v = JSON.parse(stored(eventId) || "null");
    return v && typeof v.code === "string" ? v.code : "";
  } catch {
    return "";
  }
}

function storedOrder(eventId) {
  try {
    const v = JSON.parse(stored(eventId) || "null");
    return v && Array.isArray(v.ids) ? v.ids.map(Number) : [];
  } catch {
    return [];
  }
}

/** hash is FNV-1a over a string, as an unsigned 32-bit number. */
function hash(str) {
  let x = 0x811c9dc5;
  for (let i = 0; i < str.length; i++) {
    x ^= str.charCodeAt(i);
    x = Math.imul(x, 0x01000193) >>> 0;
  }
  return x;
}

/**
 * blindOrder returns the articles in their blind order with their labels:
 * [{article, label}], "Outlet 1" first.
 */
export function blindOrder(eventId, articles) {
  // An exercise's order first (articles added since come after it), else
  // the page's own.
  const ids = storedOrder(eventId);
  const place = (a) => {
    const i = ids.indexOf(a.id);
    return i < 0 ? ids.length : i;
  };
  return [...articles]
    .map((a) => ({ a, p: place(a), k: hash(`${eventId}:${a.id}`) }))
    .sort((x, y) => x.p - y.p || x.k - y.k || x.a.id - y.a.id)
    .map((x, i) => ({ article: x.a, label: `Outlet ${i + 1}` }));
}

/**
 * replacements lists what to mask: each article's outlet name and domain,
 * mapped to its label; longest first so that a name inside another is
 * replaced last.
 */
export function replacements(order) {
  const out = [];
  for (const { article, label } of order) {
    const o = article.outlet || {};
    if (o.name) out.push([o.name, label]);
    if (o.domain) out.push([o.domain, label]);
    // Text may say "the Halvern Beacon's" or "Halvern Beacon": mask the
    // name without its article too, when that is still more than one word.
    const bare = (o.name || "").replace(/^the\s+/i, "");
    if (bare !== o.name && /\s/.test(bare)) out.push([bare, label]);
  }
  return out.filter(([from]) => from.trim().length >= 3).sort((a, b) => b[0].length - a[0].length);
}

function escapeRe(s) {
  return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** maskString replaces every outlet name in str with its label. */
export function maskString(str, pairs) {
  if (!pairs.length || !str) return str;
  const re = new RegExp(pairs.map(([from]) => escapeRe(from)).join("|"), "gi");
  const to = new Map(pairs.map(([from, label]) => [from.toLowerCase(), label]));
  return String(str).replace(re, (m) => to.get(m.toLowerCase()) || m);
}

const ATTRS = ["aria-label", "title", "data-outlet", "alt"];

/** maskTree masks the text and labelling attributes of root and its
 * descendants, SVG included. */
export function maskTree(root, pairs) {
  if (!root || !pairs.length) return;
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    const v = maskString(n.nodeValue, pairs);
    if (v !== n.nodeValue) n.nodeValue = v;
  }
  const els = [root, ...root.querySelectorAll("*")];
  for (const el of els) {
    if (!el.getAttribute) continue;
    for (const name of ATTRS) {
      const v = el.getAttribute(name);
      if (v) {
        const m = maskString(v, pairs);
        if (m !== v) el.setAttribute(name, m);
      }
    }
  }
}

/**
 * nameWords returns the distinctive words of the outlets' names ("Riverlands",
 * "Wire"), lower-cased: not "the", and not words the event's own title
 * uses ("Halvern" names the town as well as "The Halvern Beacon").
 */
export function nameWords(order, title) {
  const common = new Set(String(title || "").toLowerCase().split(/[^\p{L}\p{N}]+/u));
  const out = new Set();
  for (const { article } of order) {
    for (const w of String((article.outlet && article.outlet.name) || "").toLowerCase().split(/[^\p{L}\p{N}]+/u)) {
      if (w.length > 2 && w !== "the" && !common.has(w)) out.add(w);
    }
  }
  return out;
}
