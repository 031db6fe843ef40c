// Error kinds of the get-scheme API (ARCHITECTURE.md, "get-scheme HTTP API") plus
// `network` for a request that never produced an HTTP answer and `config` for
// an API that answers but not to this page's origin (CORS not configured).

/** Kinds the page tells apart; each has its own text in texts.errors. */
export const KINDS = Object.freeze([
  'invalid_link',
  'not_found',
  'not_started',
  'ended',
  'rate_limited',
  'quota_exhausted',
  'unavailable',
  'bad_request',
  'internal',
  'network',
  'config',
]);

// Kinds where trying again later can succeed. invalid_link, not_found, ended and
// bad_request will not change by retrying; not_started only changes at the start
// time, which the API does not tell us, so reopening the link later is the fix.
const RETRYABLE = new Set(['rate_limited', 'quota_exhausted', 'unavailable', 'internal', 'network']);

/** Default wait for rate_limited when Retry-After is absent or unreadable (CORS). */
export const DEFAULT_RETRY_AFTER_S = 5;

// Retry-After larger than this is capped: a countdown of hours helps nobody, and
// the server sends the header for short bursts.
const MAX_RETRY_AFTER_S = 300;

/**
 * @typedef {object} Closed what a closed, unknown or forged link's answer adds
 * @property {number} [startsAt] unix s, not_started
 * @property {number} [endedAt]  unix s, ended by its time window
 * @property {string} [title]
 * @property {string} [poster]
 * @property {{openlink: string, mode: string}} [fallback] a way into the mini-program elsewhere
 */

export class ApiError extends Error {
  /**
   * @param {string} kind one of KINDS
   * @param {{status?: number, serverMessage?: string, retryAfter?: number, cause?: unknown, closed?: Closed}} [info]
   */
  constructor(kind, info = {}) {
    super(`get-scheme: ${kind}${info.status ? ` (HTTP ${info.status})` : ''}`);
    this.name = 'ApiError';
    this.kind = kind;
    this.status = info.status || 0;
    this.serverMessage = info.serverMessage || '';
    this.retryAfter = info.retryAfter || 0;
    /** @type {Closed} */
    this.closed = info.closed || {};
    if (info.cause !== undefined) this.cause = info.cause;
  }

  get retryable() {
    return isRetryable(this.kind);
  }
}

export function isRetryable(kind) {
  return RETRYABLE.has(kind);
}

/**
 * Kind to use when the body is not the contract's JSON (a gateway page, an empty
 * 502) or names a kind this page does not know.
 */
export function kindFromStatus(status) {
  switch (status) {
    case 400:
      return 'bad_request';
    case 404:
      return 'invalid_link';
    case 410:
      return 'ended';
    case 429:
      return 'rate_limited';
    case 502:
    case 503:
    case 504:
      return 'unavailable';
    default:
      return 'internal';
  }
}

/**
 * Seconds to wait from a Retry-After header value (delta-seconds or HTTP-date,
 * RFC 9110 §10.2.3). Returns 0 when the value is absent or unusable.
 * @param {string|null|undefined} value
 * @param {number} nowMs
 */
export function parseRetryAfter(value, nowMs) {
  if (value == null) return 0;
  const v = String(value).trim();
  if (v === '') return 0;
  if (/^\d+$/.test(v)) return Math.min(Number(v), MAX_RETRY_AFTER_S);
  const at = Date.parse(v);
  if (Number.isNaN(at)) return 0;
  const s = Math.ceil((at - nowMs) / 1000);
  return s > 0 ? Math.min(s, MAX_RETRY_AFTER_S) : 0;
}
