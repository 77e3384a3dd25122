// api.js: a small client for Slant's JSON API (/api/v1).
// Every function returns the decoded JSON, or throws an ApiError that carries
// the HTTP status and the server's error message.

const BASE = "/api/v1";

/** An error answered by the API, with its HTTP status. */
export class ApiError extends Error {
  constructor(status, message) {
    super(message);
    this.name = "ApiError";
    this.status = status;
  }
}

// ---- the admin token ---------------------------------------------------------
//
// A Slant with an admin token answers writes without it 401, and writes with
// a wrong one 403. The page then asks for the token (see onTokenNeeded), keeps
// it in sessionStorage for this tab only, and sends it as a Bearer token with
// every write. Reads never carry it, except the teacher's reads below.

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
    throw new ApiError(res.status, msg);
  }
  return data;
}

async function readOnly() {
  try {
    const health = await send("GET", "/healthz");
    return !!(health && health.read_only);
  } catch {
    return false;
  }
}

// Teacher reads (an event's exercise codes, a class's results) need the
// admin token like a write when one is set: they carry it and may ask for
// it. Read-only mode leaves them open, so a 403 there always means a wrong
// token.
async function request(method, path, body, { teacher = false } = {}) {
  const write = teacher || isWrite(method, path);
  let wrong = false;
  for (;;) {
    const token = write ? storedToken() : "";
    try {
      return await send(method, BASE + path, body, token);
    } catch (err) {
      // 401: no token was sent. 403 with a token: the token is wrong, unless
      // the whole Slant is read-only, which no token can change. 403 without
      // a token can only be read-only.
      if (!write || !askToken || !(err.status === 401 || (err.status === 403 && token))) throw err;
      if (err.status === 403) {
        if (!teacher && await readOnly()) throw err;
        storeToken("");
        wrong = true;
      }
      const next = await askToken({ wrong });
      if (!next) throw new ApiError(err.status, "This change needs the admin token.");
      storeToken(next);
      wrong = false;
    }
  }
}

export const listEvents = (q) =>
  request("GET", "/events" + (q ? "?q=" + encodeURIComponent(q) : ""));
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
export const getLexicon = () => request("GET", "/lexicon");

// ---- the language model's second opinion ----------------------------------------
//
// Optional: without a model configured the GET says enabled: false and the
// POSTs answer 409. Asking is a write (it may need the admin token).

export const getEventLLM = (id) => request("GET", `/events/${encodeURIComponent(id)}/llm`);
export const askEventLLM = (id) => request("POST", `/events/${encodeURIComponent(id)}/llm`);
export const askArticleLLM = (id) => request("POST", `/articles/${encodeURIComponent(id)}/llm`);

// ---- class exercises ---------------------------------------------------------
//
// A teacher starts an exercise on an event (a write: it may need the admin
// token); students join with its code, with no token, name or account.

export const createExercise = (eventId, blind) =>
  request("POST", `/events/${encodeURIComponent(eventId)}/exercises`, { blind: !!blind });
export const listExercises = (eventId) =>
  request("GET", `/events/${encodeURIComponent(eventId)}/exercises`, undefined, { teacher: true });
export const getExercise = (code) => request("GET", `/exercises/${encodeURIComponent(code)}`);
export const exerciseResults = (code) =>
  request("GET", `/exercises/${encodeURIComponent(code)}/results`, undefined, { teacher: true });
export const revealExercise = (code) =>
  request("POST", `/exercises/${encodeURIComponent(code)}/reveal`);
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
