/* What every page script shares: the page's words, money as integer fen, and the one client of
 * the JSON API. An ES module: each page's script imports what it needs from here.
 *
 * The API client sends JSON with the session cookie and the page's CSRF token, an
 * Idempotency-Key when the caller gives one, and turns every failure into an ApiError: a
 * problem+json answer keeps its code, detail, status and extra members (shortfall_fen,
 * errors, ...); a lost answer (network, timeout) is status 0 and code "network". */

const CSRF = (document.querySelector('meta[name="csrf-token"]') || {}).content || "";
const TIMEOUT_MS = 15000;

/** A translator over the words the server put in ``root.dataset.strings``. */
export function words(root) {
  const S = JSON.parse(root.dataset.strings || "{}");
  const tr = (key, values) => (S[key] || key).replace(
    /\{(\w+)\}/g, (_, name) => (values && name in values ? values[name] : ""));
  tr.has = (key) => key in S;
  return tr;
}

/** Yuan as typed ("12", "12.5", "1200.50") -> fen, by string arithmetic; else null. */
export function fen(text) {
  const m = /^\s*(\d{1,9})(?:\.(\d{1,2}))?\s*$/.exec(text || "");
  if (!m) return null;
  return Number(m[1]) * 100 + Number((m[2] || "0").padEnd(2, "0"));
}

/** Fen as yuan with two decimals, in integers only (no float rounding on money). */
export function yuan(amount) {
  const sign = amount < 0 ? "-" : "";
  const abs = Math.abs(amount);
  return `${sign}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, "0")}`;
}

/** A fresh Idempotency-Key. randomUUID needs a secure context; a till on plain http in a LAN
 * still gets a key. */
export function uuid() {
  if (window.crypto.randomUUID) return window.crypto.randomUUID();
  const b = window.crypto.getRandomValues(new Uint8Array(16));
  return Array.from(b, (x) => x.toString(16).padStart(2, "0")).join("");
}

/** A refused or lost API call: the problem's ``code``, ``detail``, HTTP ``status`` (0 when no
 * answer came) and the whole ``problem`` with its extra members. */
export class ApiError extends Error {
  constructor(status, problem) {
    super(problem.detail || problem.code);
    this.name = "ApiError";
    this.status = status;
    this.code = problem.code;
    this.detail = problem.detail || "";
    this.problem = problem;
  }

  /** Worth the same request again (with the same key): the answer was lost, or the server
   * failed. Any other refusal changed nothing and will be refused again. */
  get retryable() {
    return this.status === 0 || this.status >= 500;
  }
}

/**
 * One call to ``/api/v1{path}``: ``await api("POST", "/meals", { body, key })``.
 * Resolves to the parsed JSON answer (null when there is none); rejects with an ApiError.
 */
export async function api(method, path, { body, key, timeoutMs = TIMEOUT_MS } = {}) {
  const headers = { Accept: "application/json", "X-CSRF-Token": CSRF };
  if (body !== undefined) headers["Content-Type"] = "application/json";
  if (key) headers["Idempotency-Key"] = key;
  const abort = new AbortController();
  const timer = setTimeout(() => abort.abort(), timeoutMs);
  let response;
  try {
    response = await fetch(`/api/v1${path}`, {
      method, headers, credentials: "same-origin", signal: abort.signal,
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch (_) {
    throw new ApiError(0, { code: "network" });
  } finally {
    clearTimeout(timer);
  }
  const data = await response.json().catch(() => null);
  if (response.ok) return data;
  if (data && data.code) throw new ApiError(response.status, data);
  throw new ApiError(response.status, { code: response.status >= 500 ? "server" : `http_${response.status}` });
}

/** Every item of a list endpoint, following ``next_cursor``. */
export async function allItems(path) {
  const items = [];
  let cursor = null;
  do {
    const sep = path.includes("?") ? "&" : "?";
    const more = cursor ? `&cursor=${encodeURIComponent(cursor)}` : "";
    const page = await api("GET", `${path}${sep}limit=500${more}`);
    items.push(...page.items);
    cursor = page.next_cursor;
  } while (cursor);
  return items;
}

/**
 * A call whose answer is a stream of JSON lines (``application/x-ndjson``), each handed to
 * ``onLine`` as it arrives: ``await apiLines("POST", "/cards/print", { body, onLine })``.
 * A refusal before the first line rejects with an ApiError, as ``api`` does; the stream has
 * no timeout, since a long batch is expected to take its time.
 */
export async function apiLines(method, path, { body, onLine }) {
  const headers = { Accept: "application/x-ndjson", "X-CSRF-Token": CSRF };
  if (body !== undefined) headers["Content-Type"] = "application/json";
  let response;
  try {
    response = await fetch(`/api/v1${path}`, {
      method, headers, credentials: "same-origin",
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch (_) {
    throw new ApiError(0, { code: "network" });
  }
  if (!response.ok) {
    const data = await response.json().catch(() => null);
    if (data && data.code) throw new ApiError(response.status, data);
    throw new ApiError(response.status, { code: response.status >= 500 ? "server" : `http_${response.status}` });
  }
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  let parts = []; // the line being received, in pieces: a PDF's line runs to megabytes
  const finish = (last) => {
    parts.push(last);
    const line = parts.join("");
    parts = [];
    if (line.trim()) onLine(JSON.parse(line));
  };
  for (;;) {
    let chunk;
    try {
      chunk = await reader.read();
    } catch (_) {
      throw new ApiError(0, { code: "network" });
    }
    if (chunk.done) break;
    let text = chunk.value;
    let end;
    while ((end = text.indexOf("\n")) >= 0) {
      finish(text.slice(0, end));
      text = text.slice(end + 1);
    }
    parts.push(text);
  }
  finish("");
}
