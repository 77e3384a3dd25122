// dom.js: build DOM nodes from data without ever parsing HTML.
// Strings become text nodes, so stored text shows literally, whatever it holds.

/**
 * h creates an element. attrs may hold:
 *   class: string, text: string (textContent), on: {event: handler},
 *   dataset: {key: value}, and any other attribute (set with setAttribute;
 *   false/null/undefined skip it, true sets it empty).
 * children are nodes, strings (as text) or arrays of those; null is skipped.
 */
export function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  applyAttrs(el, attrs);
  append(el, children);
  return el;
}

const SVG_NS = "http://www.w3.org/2000/svg";

/** s creates an SVG element, with the same rules as h. */
export function s(tag, attrs, ...children) {
  const el = document.createElementNS(SVG_NS, tag);
  applyAttrs(el, attrs);
  append(el, children);
  return el;
}

function applyAttrs(el, attrs) {
  if (!attrs) return;
  for (const [key, value] of Object.entries(attrs)) {
    if (value === false || value === null || value === undefined) continue;
    switch (key) {
      case "class":
        el.setAttribute("class", value);
        break;
      case "text":
        el.textContent = String(value);
        break;
      case "on":
        for (const [type, fn] of Object.entries(value)) el.addEventListener(type, fn);
        break;
      case "dataset":
        for (const [k, v] of Object.entries(value)) el.dataset[k] = String(v);
        break;
      default:
        el.setAttribute(key, value === true ? "" : String(value));
    }
  }
}

/** append adds children (nodes, strings, arrays, null) to el. */
export function append(el, children) {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    if (Array.isArray(child)) append(el, child);
    else if (child instanceof Node) el.appendChild(child);
    else el.appendChild(document.createTextNode(String(child)));
  }
  return el;
}

/** clear removes every child of el. */
export function clear(el) {
  while (el.firstChild) el.removeChild(el.firstChild);
  return el;
}

/** safeHref returns url when it is an http(s) address, or null. */
export function safeHref(url) {
  if (!url) return null;
  try {
    const u = new URL(url, location.href);
    return u.protocol === "http:" || u.protocol === "https:" ? u.href : null;
  } catch {
    return null;
  }
}

const dateFmt = new Intl.DateTimeFormat(undefined, {
  year: "numeric", month: "long", day: "numeric", timeZone: "UTC",
});

/** formatDate shows an RFC 3339 date as a calendar day, or "" when absent. */
export function formatDate(value) {
  if (!value) return "";
  const d = new Date(value);
  if (Number.isNaN(d.getTime()) || d.getUTCFullYear() <= 1) return "";
  return dateFmt.format(d);
}

/** formatIndex shows a loaded-language index with one decimal. */
export function formatIndex(n) {
  const v = Number(n);
  return Number.isFinite(v) ? v.toFixed(1) : "–";
}

/** capitalize starts a text, such as a server message written in lower
 * case, with a capital letter. */
export function capitalize(text) {
  const s = String(text || "");
  return s.charAt(0).toUpperCase() + s.slice(1);
}
