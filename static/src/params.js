// Link parameters the SMS link carries (c = campaign, k = personal code,
// cq = attribution) and passes on to get-scheme unchanged.

import { ApiError } from './errors.js';

/**
 * Reads c, k and cq from a query string. Only `c` is required: the server is
 * the judge of what a valid campaign or code is, the page only refuses a link
 * that cannot be right (no campaign at all, e.g. a truncated SMS link).
 * @param {string} search location.search, with or without the leading '?'
 * @returns {{c: string, k?: string, cq?: string}}
 * @throws {ApiError} kind bad_request when c is missing
 */
export function readParams(search) {
  const q = new URLSearchParams(search);
  const c = (q.get('c') || '').trim();
  if (c === '') throw new ApiError('bad_request');
  /** @type {{c: string, k?: string, cq?: string}} */
  const p = { c };
  const k = (q.get('k') || '').trim();
  if (k !== '') p.k = k;
  const cq = q.get('cq') || '';
  if (cq !== '') p.cq = cq;
  return p;
}
