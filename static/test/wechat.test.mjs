import { test } from 'node:test';
import assert from 'node:assert/strict';
import { configure, tagPath, WeChatError } from '../src/wechat.js';

test('tagPath', () => {
  const cases = [
    ['', undefined, ''],
    ['pages/index/index', undefined, 'pages/index/index'],
    ['/pages/index/index', '', 'pages/index/index'],
    ['pages/a', 'x=1&y=2', 'pages/a?x=1&y=2'],
    ['pages/a', '?x=1', 'pages/a?x=1'],
  ];
  for (const [p, q, want] of cases) assert.equal(tagPath(p, q), want);
});

// A JS-SDK stand-in that answers wx.config with ready, error, or nothing.
function fakeWx(outcome) {
  const ready = [];
  const error = [];
  const wx = {
    configs: [],
    ready: (f) => ready.push(f),
    error: (f) => error.push(f),
    config(c) {
      wx.configs.push(c);
      setTimeout(() => {
        if (outcome === 'ready' || outcome === 'ready-then-error') ready.forEach((f) => f());
        if (outcome === 'error' || outcome === 'ready-then-error') {
          error.forEach((f) => f({ errMsg: 'config:invalid signature' }));
        }
      }, 5);
    },
  };
  return wx;
}

test('configure sends the signature-free config and resolves on ready', async () => {
  const wx = fakeWx('ready');
  await configure(wx, 'wx0123456789abcdef', 1000);
  assert.deepEqual(wx.configs, [
    {
      debug: false,
      appId: 'wx0123456789abcdef',
      timestamp: 0,
      nonceStr: 'nonce',
      signature: 'signature',
      jsApiList: ['chooseImage'],
      openTagList: ['wx-open-launch-weapp'],
    },
  ]);
});

test('configure rejects with the reason', async () => {
  await assert.rejects(
    configure(fakeWx('error'), 'wx0123456789abcdef', 1000),
    (e) => e instanceof WeChatError && e.reason === 'wx_config' && e.detail === 'config:invalid signature',
  );
  await assert.rejects(
    configure(fakeWx('silent'), 'wx0123456789abcdef', 30),
    (e) => e instanceof WeChatError && e.reason === 'wx_timeout',
  );
});

test('an error after ready reaches onLateError', async () => {
  const late = [];
  await configure(fakeWx('ready-then-error'), 'wx0123456789abcdef', 1000, (e) => late.push(e));
  await new Promise((r) => setTimeout(r, 10));
  assert.equal(late.length, 1);
  assert.equal(late[0].reason, 'wx_config');
});

test('configure uses a service account signature when given one', async () => {
  const wx = fakeWx('ready');
  const sig = { appId: 'wxfedcba9876543210', timestamp: 1790000000, nonceStr: 'ABC123', signature: 'f'.repeat(40) };
  await configure(wx, 'wx0123456789abcdef', 1000, undefined, sig);
  assert.equal(wx.configs.length, 1);
  const c = wx.configs[0];
  assert.deepEqual([c.appId, c.timestamp, c.nonceStr, c.signature], [sig.appId, sig.timestamp, sig.nonceStr, sig.signature]);
  assert.deepEqual(c.openTagList, ['wx-open-launch-weapp']);
});
