// page.js: what every view of the page shares: the <main> element, the
// route token that tells a view whether it is still the one on screen, and
// small helpers for rendering, forms and numbers.

import { h, clear, append } from "./dom.js";

export const main = document.getElementById("main");

let routeToken = 0;

/**
 * nextRoute starts a new view and returns current(), which stays true until
 * another view starts: a view checks it after every await before it draws.
 */
export function nextRoute() {
  const token = ++routeToken;
  return () => token === routeToken;
}

/** render replaces the page's content, names the tab after the first h1
 * and moves focus to it. */
export function render(...nodes) {
  append(clear(main), nodes);
  const h1 = main.querySelector("h1");
  document.title = h1 && h1.textContent !== "Events"
    ? `${h1.textContent} — Slant`
    : "Slant — compare how outlets cover the same event";
  if (h1) h1.focus({ preventScroll: true });
}

export function loading(text) {
  clear(main).append(h("p", { class: "loading", role: "status", text }));
}

/** failure shows an error with a retry button and a way home: all events,
 * or home (such as the class-code box, on the student's pages). */
export function failure(err, retry, home = { href: "#/", text: "All events" }) {
  render(h("section", { class: "notice", role: "alert" },
    h("h1", { tabindex: "-1", text: "Something went wrong" }),
    h("p", { text: err.message || String(err) }),
    h("p", {},
      retry ? h("button", { type: "button", class: "button", on: { click: retry }, text: "Try again" }) : null,
      " ",
      h("a", { href: home.href, text: home.text }))));
}

export function notFound(title, text, link = { href: "#/", text: "See all events" }) {
  render(h("section", { class: "notice" },
    h("h1", { tabindex: "-1", text: title }),
    h("p", {}, text ? `${text} ` : null, h("a", { href: link.href, text: link.text }))));
}

export function field(id, label, input, hint) {
  return h("div", { class: "field" },
    h("label", { for: id, text: label }),
    hint ? h("span", { class: "hint", id: `${id}-hint`, text: hint }) : null,
    input);
}

export function showError(el, message, focus) {
  el.textContent = message;
  el.hidden = false;
  if (focus) focus.focus();
}

/** submitting disables form's submit button while fn runs. */
export async function submitting(form, label, fn) {
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

/** busy is submitting for a lone button. */
export async function busy(button, label, fn) {
  const text = button.textContent;
  button.disabled = true;
  button.textContent = label;
  try {
    return await fn();
  } finally {
    button.disabled = false;
    button.textContent = text;
  }
}

export function plural(n, one, many) {
  return `${n} ${n === 1 ? one : many}`;
}

/** fixed shows a number with digits decimals, or "–" when it is not one. */
export function fixed(v, digits = 2) {
  if (v === null || v === undefined || v === "") return "–";
  const x = Number(v);
  return Number.isFinite(x) ? x.toFixed(digits).replace(/^-/, "−") : "–";
}

/** pct shows a share (0..1) as a whole percentage. */
export function pct(v) {
  const x = Number(v);
  return Number.isFinite(x) ? `${Math.round(x * 100)}%` : "–";
}
