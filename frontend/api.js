// api.js: a small client for Slant's JSON API (/api/v1).
// Every function returns the decoded JSON, or throws an ApiError that carries
// the HTTP status and the server's error message.

const BASE = "/api/v1";

/** An error answered by the API, with its HTTP status. */
export class ApiError extends Error {
  constructor(status, message, data = null) {
    super(message);
    this.name = "ApiError";
    this.status = status;
    // data is the whole error body, for refusals that say more than a
    // message (a class term the built-in lexicon has names that entry).
    this.data = data;
  }
}

// ---- the admin token ---------------------------------------------------------
//
// Everything but the student side of an exercise is the teacher's. A Slant
// with an admin token answers the teacher's routes 401 without it and 403
// with a wrong one; the page then asks for the token (see onTokenNeeded),
// keeps it in sessionStorage for this tab only, and sends it as a Bearer
// token with every request from then on. A Slant without a token serves the
// teacher only on the machine it runs on: its 401 says so, and no token can
// help, so the page shows the message instead of asking.

const TOKEN_KEY = "slant.adminToken";

let askToken = null;

/**
 * onTokenNeeded registers the function that asks the person for the admin
 * token. It gets {wrong: boolean} (true when the last token was refused) and
 * returns a promise of the token, or of null when the person gives up.
 */
export function onTokenNeeded(fn) {
  askToken = fn;
}

function storedToken() {
  try {
    return sessionStorage.getItem(TOKEN_KEY) || "";
  } catch {
    return "";
  }
}

function storeToken(token) {
  try {
    if (token) sessionStorage.setItem(TOKEN_KEY, token);
    else sessionStorage.removeItem(TOKEN_KEY);
  } catch {
    // Storage may be off (private windows, policies): the token then lasts
    // for this one request only.
  }
}

/** isWrite mirrors the server's rule: every method but GET, except analysis. */
function isWrite(method, path) {
  return method !== "GET" && method !== "HEAD" && path !== "/analyze";
}

let healthPromise = null;

/** health is /healthz, asked once per page load (null when unreachable). */
export function health() {
  if (!healthPromise) {
    healthPromise = send("GET", "/healthz").catch(() => {
      healthPromise = null;
      return null;
    });
  }
  return healthPromise;
}

/** usesToken reports whether this Slant has an admin token to ask for. */
export async function usesToken() {
  const h = await health();
  return !!(h && h.auth === "token");
}

/** forgetToken drops the token this tab keeps (one the server refused). */
export function forgetToken() {
  storeToken("");
}

/** askForToken asks the person for the admin token now (the teacher's
 * "sign in"), keeps it, and reports whether one was given. */
export async function askForToken() {
  if (!askToken) return false;
  const token = await askToken({ wrong: false });
  if (token) storeToken(token);
  return !!token;
}

async function send(method, url, body, token) {
  const init = { method, headers: { Accept: "application/json" } };
  if (body !== undefined) {
    init.headers["Content-Type"] = "application/json";
    init.body = JSON.stringify(body);
  }
  if (token) init.headers.Authorization = "Bearer " + token;
  let res;
  try {
    res = await fetch(url, init);
  } catch (err) {
    throw new ApiError(0, "The Slant server cannot be reached. Is it still running?");
  }
  if (res.status === 204) return null;
  let data = null;
  const text = await res.text();
  if (text) {
    try {
      data = JSON.parse(text);
    } catch {
      data = null;
    }
  }
  if (!res.ok) {
    let msg = data && typeof data.error === "string" && data.error
      ? data.error
      : `The server answered ${res.status} ${res.statusText}.`;
    if (res.status === 429) {
      const wait = Number(res.headers.get("Retry-After"));
      msg = wait > 0
        ? `Too many requests at once. Wait ${wait} ${wait === 1 ? "second" : "seconds"} and try again.`
        : "Too many requests at once. Wait a moment and try again.";
    }
    throw new ApiError(res.status, msg, data);
  }
  return data;
}

async function readOnly() {
  const h = await health();
  return !!(h && h.read_only);
}

// request carries the stored token, if any, and on a refusal asks for it
// (unless ask is false, for the page's quiet background reads): 401 means
// no token was sent, 403 with a token that it is wrong, unless the whole
// Slant is read-only (a write), which no token can change. On a Slant
// without a token a 401 cannot be helped by asking: its message, which
// tells the teacher what to set, is thrown as it is.
async function request(method, path, body, { ask = true } = {}) {
  const write = isWrite(method, path);
  let wrong = false;
  for (;;) {
    const token = storedToken();
    try {
      return await send(method, BASE + path, body, token);
    } catch (err) {
      if (!ask || !askToken || !(err.status === 401 || (err.status === 403 && token))) throw err;
      if (!(await usesToken())) throw err;
      if (err.status === 403) {
        if (write && await readOnly()) throw err;
        storeToken("");
        wrong = true;
      }
      const next = await askToken({ wrong });
      if (!next) {
        throw new ApiError(err.status, write
          ? "This change needs the admin token."
          : "This page is for the teacher: it needs the admin token.");
      }
      storeToken(next);
      wrong = false;
    }
  }
}

/** listEvents lists events; opts.ask false keeps a refusal quiet (the home
 * page, which students see too, offers to sign in instead). */
export const listEvents = (q, opts) =>
  request("GET", "/events" + (q ? "?q=" + encodeURIComponent(q) : ""), undefined, opts);
export const createEvent = (ev) => request("POST", "/events", ev);
// The event page draws every article's text with its findings: it asks for
// the texts and reports, which the event read leaves out by default.
export const getEvent = (id) =>
  request("GET", `/events/${encodeURIComponent(id)}?include=text,report`);
export const deleteEvent = (id) => request("DELETE", `/events/${encodeURIComponent(id)}`);
export const getComparison = (id) =>
  request("GET", `/events/${encodeURIComponent(id)}/comparison`);
export const addArticle = (eventId, article) =>
  request("POST", `/events/${encodeURIComponent(eventId)}/articles`, article);
export const deleteArticle = (eventId, articleId) =>
  request("DELETE",
    `/events/${encodeURIComponent(eventId)}/articles/${encodeURIComponent(articleId)}`);
export const getLexicon = (opts) => request("GET", "/lexicon", undefined, opts);

// ---- the language model's second opinion ----------------------------------------
//
// Optional: without a model configured the GET says enabled: false and the
// POSTs answer 409. Asking is a write (it may need the admin token).

export const getEventLLM = (id) => request("GET", `/events/${encodeURIComponent(id)}/llm`);
export const askEventLLM = (id) => request("POST", `/events/${encodeURIComponent(id)}/llm`);
export const askArticleLLM = (id) => request("POST", `/articles/${encodeURIComponent(id)}/llm`);

// ---- class exercises ---------------------------------------------------------
//
// A teacher starts an exercise on an event (it may need the admin token);
// students join with its code, with no token, name or account.

export const createExercise = (eventId, blind) =>
  request("POST", `/events/${encodeURIComponent(eventId)}/exercises`, { blind: !!blind });
export const listExercises = (eventId) =>
  request("GET", `/events/${encodeURIComponent(eventId)}/exercises`);
/** getExercise is the student's view. It never asks for the token; it
 * carries one the teacher gave, so that the teacher still sees an
 * exercise that is over. */
export const getExercise = (code) =>
  request("GET", `/exercises/${encodeURIComponent(code)}`, undefined, { ask: false });
export const exerciseResults = (code) =>
  request("GET", `/exercises/${encodeURIComponent(code)}/results`);
export const revealExercise = (code) =>
  request("POST", `/exercises/${encodeURIComponent(code)}/reveal`);
export const endExercise = (code) =>
  request("POST", `/exercises/${encodeURIComponent(code)}/end`);
export const deleteExercise = (code) => request("DELETE", `/exercises/${encodeURIComponent(code)}`);

/**
 * submitPicks sends one student's picks in one article. A student's answer
 * is open to all: it goes without the admin token (and never asks for it).
 */
export const submitPicks = (code, body) =>
  send("POST", `${BASE}/exercises/${encodeURIComponent(code)}/submissions`, body, "");

// ---- the class word list -------------------------------------------------------

export const getWordList = () => request("GET", "/wordlist");
export const addWord = (entry) => request("POST", "/wordlist", entry);
export const updateWord = (id, entry) => request("PUT", `/wordlist/${encodeURIComponent(id)}`, entry);
export const deleteWord = (id) => request("DELETE", `/wordlist/${encodeURIComponent(id)}`);
