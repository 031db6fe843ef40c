// Client of the get-scheme function: one GET, answer validated, failures turned
// into ApiError with a kind the page can act on.

import { ApiError, kindFromStatus, KINDS, parseRetryAfter, DEFAULT_RETRY_AFTER_S } from './errors.js';

/**
 * @typedef {object} Scheme
 * @property {string} openlink  weixin://dl/business/?… (checked)
 * @property {number} expiresAt unix seconds; 0 when the server gave none (plaintext)
 * @property {string} mode      "encrypted" | "plaintext"
 * @property {string} [path]    target page, for the in-WeChat open tag (optional field)
 * @property {string} [query]   target query, for the open tag (optional field)
 * @property {string} [envVersion] release | trial | develop (optional field env_version)
 */

/**
 * URL of the request: apiURL (absolute, or relative to the page) plus c, k, cq.
 * Parameters already in apiURL are kept.
 */
export function schemeURL(apiURL, params, baseHref) {
  const u = new URL(apiURL, baseHref);
  for (const name of ['c', 'k', 'cq']) {
    if (params[name]) u.searchParams.set(name, params[name]);
  }
  return u.href;
}

// Only a WeChat business scheme may be navigated to: a compromised or misrouted
// answer must not turn location.href into javascript: or an open redirect.
const OPENLINK = /^weixin:\/\/dl\/business\/\?[^\s]+$/;

/**
 * Validates a 200 answer body.
 * @param {unknown} body
 * @returns {Scheme}
 */
export function parseScheme(body) {
  if (!body || typeof body !== 'object') throw new ApiError('internal', { status: 200 });
  const b = /** @type {Record<string, unknown>} */ (body);
  if (typeof b.openlink !== 'string' || !OPENLINK.test(b.openlink)) {
    throw new ApiError('internal', { status: 200 });
  }
  /** @type {Scheme} */
  const s = {
    openlink: b.openlink,
    expiresAt: typeof b.expires_at === 'number' && Number.isFinite(b.expires_at) ? b.expires_at : 0,
    mode: b.mode === 'plaintext' ? 'plaintext' : 'encrypted',
  };
  if (typeof b.path === 'string' && b.path !== '') s.path = b.path;
  if (typeof b.query === 'string' && b.query !== '') s.query = b.query;
  if (typeof b.env_version === 'string' && b.env_version !== '') s.envVersion = b.env_version;
  return s;
}

/**
 * Turns a non-2xx answer into an ApiError. The body's kind wins when the page
 * knows it; otherwise the status decides (gateway pages are not JSON).
 * @param {number} status
 * @param {string} text response body
 * @param {string|null} retryAfterHeader
 * @param {number} nowMs
 */
export function errorFromResponse(status, text, retryAfterHeader, nowMs) {
  let kind = '';
  let serverMessage = '';
  try {
    const j = JSON.parse(text);
    if (j && typeof j.error === 'string') kind = j.error;
    if (j && typeof j.message === 'string') serverMessage = j.message;
  } catch {
    // not JSON: fall through to the status
  }
  if (!KINDS.includes(kind) || kind === 'network') kind = kindFromStatus(status);
  let retryAfter = 0;
  if (kind === 'rate_limited') {
    retryAfter = parseRetryAfter(retryAfterHeader, nowMs) || DEFAULT_RETRY_AFTER_S;
  }
  return new ApiError(kind, { status, serverMessage, retryAfter });
}

/**
 * Asks get-scheme for an openlink.
 * @param {string} apiURL
 * @param {{c: string, k?: string, cq?: string}} params
 * @param {{fetch?: typeof fetch, timeoutMs?: number, baseHref: string, now?: () => number}} opts
 * @returns {Promise<Scheme>}
 * @throws {ApiError}
 */
export async function fetchScheme(apiURL, params, opts) {
  const doFetch = opts.fetch || globalThis.fetch.bind(globalThis);
  const now = opts.now || Date.now;
  const ctrl = typeof AbortController === 'function' ? new AbortController() : null;
  const timer = ctrl ? setTimeout(() => ctrl.abort(), opts.timeoutMs || 10000) : 0;
  let res;
  let text;
  try {
    res = await doFetch(schemeURL(apiURL, params, opts.baseHref), {
      method: 'GET',
      // No cookies either way (ARCHITECTURE.md): the API is often on another origin.
      credentials: 'omit',
      cache: 'no-store',
      // The page URL may hold the personal code; the API gets it as k already.
      referrerPolicy: 'no-referrer',
      headers: { Accept: 'application/json' },
      signal: ctrl ? ctrl.signal : undefined,
    });
    text = await res.text();
  } catch (err) {
    // fetch rejects only when no HTTP answer arrived: offline, DNS, CORS refusal,
    // TLS, or our own timeout.
    throw new ApiError('network', { cause: err });
  } finally {
    clearTimeout(timer);
  }
  if (!res.ok) {
    throw errorFromResponse(res.status, text, res.headers.get('Retry-After'), now());
  }
  let body;
  try {
    body = JSON.parse(text);
  } catch (err) {
    throw new ApiError('internal', { status: res.status, cause: err });
  }
  return parseScheme(body);
}
