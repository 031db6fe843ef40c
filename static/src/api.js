// Client of the get-scheme function: one GET, answer validated, failures turned
// into ApiError with a kind the page can act on.

import { ApiError, kindFromStatus, KINDS, parseRetryAfter, DEFAULT_RETRY_AFTER_S } from './errors.js';

/**
 * @typedef {object} Scheme
 * @property {string} openlink  weixin://dl/business/?… (checked)
 * @property {number} expiresAt unix seconds; 0 when the server gave none (plaintext)
 * @property {string} mode      "encrypted" | "plaintext" | "urllink" (openlink is then https://wxaurl.cn/…)
 * @property {string} [path]    target page, for the in-WeChat open tag (optional field)
 * @property {string} [query]   target query, for the open tag (optional field)
 * @property {string} [envVersion] release | trial | develop (optional field env_version)
 * @property {string} [title]   the campaign's page title
 * @property {string} [poster]  the campaign's poster image (https)
 */

/**
 * URL of the request: apiURL (absolute, or relative to the page) plus c, k, cq.
 * Parameters already in apiURL are kept.
 */
export function schemeURL(apiURL, params, baseHref) {
  const u = new URL(apiURL, baseHref);
  for (const name of ['c', 'k', 'cq', 'link']) {
    if (params[name]) u.searchParams.set(name, params[name]);
  }
  return u.href;
}

// Only a WeChat business scheme or URL Link may be navigated to: a compromised
// or misrouted answer must not turn location.href into javascript: or an open
// redirect.
const OPENLINK = /^weixin:\/\/dl\/business\/\?[^\s]+$/;
const URLLINK = /^https:\/\/wxaurl\.cn\/[A-Za-z0-9]+(\?cq=[A-Za-z0-9%._~-]*)?$/;
const POSTER = /^https:\/\/[^\s"'<>\\]+$/;

/** Whether s is a link the page may navigate to for the given mode. */
export function safeLink(s, mode) {
  return typeof s === 'string' && (mode === 'urllink' ? URLLINK : OPENLINK).test(s);
}

/**
 * Validates a 200 answer body.
 * @param {unknown} body
 * @returns {Scheme}
 */
export function parseScheme(body) {
  if (!body || typeof body !== 'object') throw new ApiError('internal', { status: 200 });
  const b = /** @type {Record<string, unknown>} */ (body);
  const mode = b.mode === 'plaintext' || b.mode === 'urllink' ? b.mode : 'encrypted';
  if (!safeLink(b.openlink, mode)) {
    throw new ApiError('internal', { status: 200 });
  }
  /** @type {Scheme} */
  const s = {
    openlink: /** @type {string} */ (b.openlink),
    expiresAt: typeof b.expires_at === 'number' && Number.isFinite(b.expires_at) ? b.expires_at : 0,
    mode,
  };
  Object.assign(s, pageInfo(b));
  if (typeof b.path === 'string' && b.path !== '') s.path = b.path;
  if (typeof b.query === 'string' && b.query !== '') s.query = b.query;
  if (typeof b.env_version === 'string' && b.env_version !== '') s.envVersion = b.env_version;
  return s;
}

/**
 * The campaign's page block from an answer; invalid values are dropped.
 * @param {Record<string, unknown>} b
 */
function pageInfo(b) {
  const o = {};
  if (typeof b.title === 'string' && b.title !== '') o.title = b.title.slice(0, 64);
  if (typeof b.poster === 'string' && POSTER.test(b.poster)) o.poster = b.poster;
  return o;
}

/**
 * What an error answer says about a closed, unknown or forged link: when the
 * campaign runs and a link into the mini-program's fallback page.
 * @param {unknown} j parsed body
 * @returns {import('./errors.js').Closed}
 */
export function closedInfo(j) {
  /** @type {import('./errors.js').Closed} */
  const c = {};
  if (!j || typeof j !== 'object') return c;
  const b = /** @type {Record<string, any>} */ (j);
  const when = (v) => (typeof v === 'number' && Number.isFinite(v) && v > 0 ? v : 0);
  if (when(b.starts_at)) c.startsAt = when(b.starts_at);
  if (when(b.ended_at)) c.endedAt = when(b.ended_at);
  Object.assign(c, pageInfo(b));
  const f = b.fallback;
  if (f && typeof f === 'object' && safeLink(f.openlink, f.mode)) {
    c.fallback = { openlink: f.openlink, mode: f.mode === 'urllink' ? 'urllink' : 'scheme' };
  }
  return c;
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
  let closed = {};
  try {
    const j = JSON.parse(text);
    if (j && typeof j.error === 'string') kind = j.error;
    if (j && typeof j.message === 'string') serverMessage = j.message;
    closed = closedInfo(j);
  } catch {
    // not JSON: fall through to the status
  }
  if (!KINDS.includes(kind) || kind === 'network') kind = kindFromStatus(status);
  let retryAfter = 0;
  if (kind === 'rate_limited') {
    retryAfter = parseRetryAfter(retryAfterHeader, nowMs) || DEFAULT_RETRY_AFTER_S;
  }
  return new ApiError(kind, { status, serverMessage, retryAfter, closed });
}

/**
 * Asks get-scheme for an openlink.
 * @param {string} apiURL
 * @param {{c: string, k?: string, cq?: string, link?: string}} params link: "urllink" inside WeChat
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
    res = await doFetch(schemeURL(apiURL, params, opts.baseHref), apiGet(ctrl));
    text = await res.text();
  } catch (err) {
    // fetch rejects only when no HTTP answer arrived: offline, DNS, CORS refusal,
    // TLS, or our own timeout.
    clearTimeout(timer);
    const timedOut = ctrl !== null && ctrl.signal.aborted;
    throw new ApiError(timedOut ? 'network' : await unreachableKind(doFetch, schemeURL(apiURL, params, opts.baseHref)), { cause: err });
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

/**
 * The request options of every GET the page makes to get-scheme.
 * @param {AbortController|null} ctrl
 * @returns {RequestInit}
 */
function apiGet(ctrl) {
  return {
    method: 'GET',
    // No cookies either way (ARCHITECTURE.md): the API is often on another origin.
    credentials: 'omit',
    cache: 'no-store',
    // The page URL may hold the personal code; the API gets it as k already.
    referrerPolicy: 'no-referrer',
    headers: { Accept: 'application/json' },
    signal: ctrl ? ctrl.signal : undefined,
  };
}

/**
 * Why a request got no answer the page may read. A browser hides a CORS
 * refusal behind the same TypeError as being offline; but a no-cors request
 * resolves (opaquely) whenever the server answered at all. So if the
 * function answers that one, the network is fine and the API does not allow
 * this page's origin: a deploy configuration fault (ALLOWED_ORIGINS /
 * LINK_BASE_URL), which retrying will not fix. Same URL, so that the same
 * route is probed; HEAD, which get-scheme refuses, so that the probe never
 * generates a scheme.
 * @returns {Promise<'config'|'network'>}
 */
async function unreachableKind(doFetch, url) {
  if (typeof navigator !== 'undefined' && navigator.onLine === false) return 'network';
  const ctrl = typeof AbortController === 'function' ? new AbortController() : null;
  const timer = ctrl ? setTimeout(() => ctrl.abort(), 3000) : 0;
  try {
    await doFetch(url, {
      method: 'HEAD',
      mode: 'no-cors',
      credentials: 'omit',
      cache: 'no-store',
      referrerPolicy: 'no-referrer',
      signal: ctrl ? ctrl.signal : undefined,
    });
    return 'config';
  } catch {
    return 'network';
  } finally {
    clearTimeout(timer);
  }
}

const SIGNATURE = { appId: /^wx[0-9a-f]{16}$/i, nonceStr: /^[A-Za-z0-9]{1,32}$/, signature: /^[0-9a-f]{40}$/ };

/**
 * Asks get-scheme's …/jssdk for the service account's JS-SDK signature of
 * pageURL (without its # part, exactly as the page sees it).
 * @param {string} apiURL the get-scheme URL; the endpoint is its path + /jssdk
 * @param {string} pageURL
 * @param {{fetch?: typeof fetch, timeoutMs?: number, baseHref: string}} opts
 * @returns {Promise<import('./wechat.js').Signature>}
 * @throws {ApiError}
 */
export async function fetchSignature(apiURL, pageURL, opts) {
  const u = new URL(apiURL, opts.baseHref);
  u.pathname = u.pathname.replace(/\/+$/, '') + '/jssdk';
  u.searchParams.set('url', pageURL.split('#')[0]);
  const doFetch = opts.fetch || globalThis.fetch.bind(globalThis);
  const ctrl = typeof AbortController === 'function' ? new AbortController() : null;
  const timer = ctrl ? setTimeout(() => ctrl.abort(), opts.timeoutMs || 10000) : 0;
  let res;
  let body;
  try {
    res = await doFetch(u.href, apiGet(ctrl));
    body = await res.json();
  } catch (err) {
    throw new ApiError('network', { cause: err });
  } finally {
    clearTimeout(timer);
  }
  const ok =
    res.ok && body && SIGNATURE.appId.test(body.appId) && SIGNATURE.nonceStr.test(body.nonceStr) &&
    SIGNATURE.signature.test(body.signature) && Number.isInteger(body.timestamp) && body.timestamp > 0;
  if (!ok) throw new ApiError(res.ok ? 'internal' : kindFromStatus(res.status), { status: res.status });
  return { appId: body.appId, timestamp: body.timestamp, nonceStr: body.nonceStr, signature: body.signature };
}
