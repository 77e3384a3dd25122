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

async function request(method, path, body) {
  const init = { method, headers: { Accept: "application/json" } };
  if (body !== undefined) {
    init.headers["Content-Type"] = "application/json";
    init.body = JSON.stringify(body);
  }
  let res;
  try {
    res = await fetch(BASE + path, init);
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
    const msg = data && typeof data.error === "string" && data.error
      ? data.error
      : `The server answered ${res.status} ${res.statusText}.`;
    throw new ApiError(res.status, msg);
  }
  return data;
}

export const listEvents = (q) =>
  request("GET", "/events" + (q ? "?q=" + encodeURIComponent(q) : ""));
export const createEvent = (ev) => request("POST", "/events", ev);
export const getEvent = (id) => request("GET", `/events/${encodeURIComponent(id)}`);
export const deleteEvent = (id) => request("DELETE", `/events/${encodeURIComponent(id)}`);
export const getComparison = (id) =>
  request("GET", `/events/${encodeURIComponent(id)}/comparison`);
export const addArticle = (eventId, article) =>
  request("POST", `/events/${encodeURIComponent(eventId)}/articles`, article);
export const deleteArticle = (eventId, articleId) =>
  request("DELETE",
    `/events/${encodeURIComponent(eventId)}/articles/${encodeURIComponent(articleId)}`);
export const getLexicon = () => request("GET", "/lexicon");
