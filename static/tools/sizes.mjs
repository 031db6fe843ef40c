// What a visitor downloads, raw and gzipped, checked against the page budget.
// Static hosting may serve files uncompressed (COS does unless told otherwise),
// so the budget applies to the raw bytes.

import { gzipSync } from 'node:zlib';

export const BUDGET_BYTES = 50 * 1024;

/**
 * @param {Record<string, Uint8Array|string>} files name → content
 * @returns {Record<string, {raw: number, gzip: number}>}
 */
export function measure(files) {
  /** @type {Record<string, {raw: number, gzip: number}>} */
  const out = {};
  for (const [name, content] of Object.entries(files)) {
    const buf = typeof content === 'string' ? Buffer.from(content) : Buffer.from(content);
    out[name] = { raw: buf.length, gzip: gzipSync(buf, { level: 9 }).length };
  }
  return out;
}

/**
 * Sums the sizes of the files one visit downloads.
 * @param {Record<string, {raw: number, gzip: number}>} sizes
 * @param {string[]} names
 */
export function total(sizes, names) {
  let raw = 0;
  let gzip = 0;
  for (const n of names) {
    if (!sizes[n]) throw new Error(`no size for ${n}`);
    raw += sizes[n].raw;
    gzip += sizes[n].gzip;
  }
  return { raw, gzip };
}
