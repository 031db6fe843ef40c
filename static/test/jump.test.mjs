import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isStale, watchJump } from '../src/jump.js';

// window and document stand-ins: only events and visibilityState matter.
function page() {
  const win = new EventTarget();
  const doc = new EventTarget();
  doc.visibilityState = 'visible';
  const hide = () => {
    doc.visibilityState = 'hidden';
    doc.dispatchEvent(new Event('visibilitychange'));
  };
  const show = () => {
    doc.visibilityState = 'visible';
    doc.dispatchEvent(new Event('visibilitychange'));
  };
  return { win, doc, hide, show };
}

function recorder() {
  const calls = [];
  return { calls, h: { stay: () => calls.push('stay'), leave: () => calls.push('leave'), back: () => calls.push('back') } };
}

const wait = (ms) => new Promise((r) => setTimeout(r, ms));

test('still visible after the delay: help', async () => {
  const p = page();
  const r = recorder();
  watchJump(p.win, p.doc, 20, r.h);
  await wait(60);
  assert.deepEqual(r.calls, ['stay']);
});

test('hidden before the delay: WeChat opened, no help, back on return', async () => {
  const p = page();
  const r = recorder();
  watchJump(p.win, p.doc, 40, r.h);
  p.hide();
  p.hide();
  await wait(80);
  p.show();
  assert.deepEqual(r.calls, ['leave', 'back']);
});

test('pagehide and bfcache pageshow count as leave and back', async () => {
  const p = page();
  const r = recorder();
  watchJump(p.win, p.doc, 40, r.h);
  p.win.dispatchEvent(new Event('pagehide'));
  p.win.dispatchEvent(new Event('pageshow'));
  await wait(80);
  assert.deepEqual(r.calls, ['leave', 'back']);
});

test('pageshow without a leave is not a return', async () => {
  const p = page();
  const r = recorder();
  watchJump(p.win, p.doc, 20, r.h);
  p.win.dispatchEvent(new Event('pageshow'));
  await wait(60);
  assert.deepEqual(r.calls, ['stay']);
});

test('cancel stops the timer and the listeners', async () => {
  const p = page();
  const r = recorder();
  const cancel = watchJump(p.win, p.doc, 20, r.h);
  cancel();
  p.hide();
  await wait(60);
  assert.deepEqual(r.calls, []);
});

test('isStale', () => {
  const now = 1_700_000_000_000;
  const s = now / 1000;
  const cases = [
    [0, false, 'plaintext never expires'],
    [s + 3600, false, 'an hour left'],
    [s + 61, false, 'just over the margin'],
    [s + 60, true, 'at the margin'],
    [s - 1, true, 'expired'],
  ];
  for (const [exp, want, name] of cases) assert.equal(isStale(exp, now), want, name);
});
