import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULTS, loadSettings } from '../src/settings.js';
import { defaultTexts } from '../src/texts.js';

test('no config.js: defaults for the local emulator', () => {
  for (const raw of [undefined, null, 'x', 42]) {
    const s = loadSettings(raw);
    assert.equal(s.apiURL, '/api/scheme');
    assert.equal(s.envVersion, 'release');
    assert.equal(s.fallbackDelayMs, DEFAULTS.fallbackDelayMs);
    assert.equal(s.texts, defaultTexts);
  }
});

test('values of the right type override, others are ignored', () => {
  const s = loadSettings({
    apiURL: 'https://1234.tencentscf.com/',
    appId: 'wx0123456789abcdef',
    originalId: 'gh_0123456789ab',
    envVersion: 'trial',
    path: 'pages/a/b?x=1',
    fallbackDelayMs: 4000,
    requestTimeoutMs: -1,
    texts: {
      heading: '春季活动',
      loading: 42,
      fallbackTips: ['一', '二'],
      wechatFallbackTips: ['ok', 3],
      errors: { ended: '活动已结束啦' },
      nope: 'x',
    },
  });
  assert.equal(s.apiURL, 'https://1234.tencentscf.com/');
  assert.equal(s.originalId, 'gh_0123456789ab');
  assert.equal(s.envVersion, 'trial');
  assert.equal(s.path, 'pages/a/b?x=1');
  assert.equal(s.fallbackDelayMs, 4000);
  assert.equal(s.requestTimeoutMs, DEFAULTS.requestTimeoutMs);
  assert.equal(s.texts.heading, '春季活动');
  assert.equal(s.texts.loading, defaultTexts.loading);
  assert.deepEqual(s.texts.fallbackTips, ['一', '二']);
  assert.deepEqual(s.texts.wechatFallbackTips, defaultTexts.wechatFallbackTips);
  assert.equal(s.texts.errors.ended, '活动已结束啦');
  assert.equal(s.texts.errors.not_found, defaultTexts.errors.not_found);
  assert.equal(s.texts.nope, undefined);
  // Defaults are never mutated by an override.
  assert.notEqual(defaultTexts.heading, '春季活动');
  assert.notEqual(defaultTexts.errors.ended, '活动已结束啦');
});
