import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readParams } from '../src/params.js';
import { ApiError } from '../src/errors.js';

test('readParams keeps c, k, cq', () => {
  const cases = [
    ['?c=spring', { c: 'spring' }],
    ['c=spring', { c: 'spring' }],
    ['?c=spring&k=AB3DE9', { c: 'spring', k: 'AB3DE9' }],
    ['?c=spring&k=AB3DE9&cq=ch%3Dsms%26n%3D1', { c: 'spring', k: 'AB3DE9', cq: 'ch=sms&n=1' }],
    ['?c=%20spring%20&k=&cq=', { c: 'spring' }],
    ['?k=AB3DE9&c=spring&utm=x', { c: 'spring', k: 'AB3DE9' }],
    ['?c=%E6%98%A5', { c: '春' }],
  ];
  for (const [search, want] of cases) assert.deepEqual(readParams(search), want, search);
});

test('readParams refuses a link without campaign', () => {
  for (const search of ['', '?', '?k=AB3DE9', '?c=', '?c=%20']) {
    assert.throws(
      () => readParams(search),
      (err) => err instanceof ApiError && err.kind === 'bad_request' && !err.retryable,
      search,
    );
  }
});
