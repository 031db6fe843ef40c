import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ApiError, isRetryable, kindFromStatus, KINDS, parseRetryAfter } from '../src/errors.js';
import { defaultTexts } from '../src/texts.js';

test('every kind has its own Chinese text', () => {
  const seen = new Set();
  for (const k of KINDS) {
    const text = defaultTexts.errors[k];
    assert.ok(text && /[\u4e00-\u9fff]/.test(text), `text for ${k}`);
    assert.ok(!seen.has(text), `text for ${k} is shared with another kind`);
    seen.add(text);
  }
});

test('retryable kinds', () => {
  const want = {
    invalid_link: false,
    not_found: false,
    not_started: false,
    ended: false,
    bad_request: false,
    rate_limited: true,
    quota_exhausted: true,
    unavailable: true,
    internal: true,
    network: true,
    config: false,
  };
  for (const k of KINDS) {
    assert.equal(isRetryable(k), want[k], k);
    assert.equal(new ApiError(k).retryable, want[k], k);
  }
});

test('kindFromStatus', () => {
  const cases = [
    [400, 'bad_request'],
    [404, 'invalid_link'],
    [410, 'ended'],
    [429, 'rate_limited'],
    [500, 'internal'],
    [502, 'unavailable'],
    [503, 'unavailable'],
    [504, 'unavailable'],
    [403, 'internal'],
  ];
  for (const [status, want] of cases) assert.equal(kindFromStatus(status), want, String(status));
});

test('parseRetryAfter', () => {
  const now = Date.parse('2026-03-01T08:00:00Z');
  const cases = [
    [null, 0],
    ['', 0],
    ['7', 7],
    [' 12 ', 12],
    ['0', 0],
    ['100000', 300],
    ['-5', 0],
    ['1.5', 0],
    ['soon', 0],
    ['Sun, 01 Mar 2026 08:00:30 GMT', 30],
    ['Sun, 01 Mar 2026 07:59:00 GMT', 0],
    ['Mon, 02 Mar 2026 08:00:00 GMT', 300],
  ];
  for (const [v, want] of cases) assert.equal(parseRetryAfter(v, now), want, String(v));
});
