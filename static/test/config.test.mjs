import { test } from 'node:test';
import assert from 'node:assert/strict';
import vm from 'node:vm';
import { ConfigError, configFromEnv, renderConfigJS } from '../tools/config.mjs';

test('defaults suit the local emulator (page and API on one origin)', () => {
  const { config, warnings } = configFromEnv({});
  assert.deepEqual(config, { apiURL: '/api/scheme', appId: '', originalId: '', envVersion: 'release', path: '' });
  assert.equal(warnings.length, 1);
  assert.match(warnings[0], /WECHAT_ORIGINAL_ID/);
});

test('a full deploy configuration', () => {
  const { config, warnings } = configFromEnv({
    SMSJUMP_API_URL: 'https://1234567890-abc.ap-guangzhou.tencentscf.com',
    WECHAT_APPID: 'wx0123456789abcdef',
    WECHAT_ORIGINAL_ID: 'gh_0123456789ab',
    WECHAT_ENV_VERSION: 'trial',
    SMSJUMP_WEAPP_PATH: '/pages/index/index?from=sms',
    SMSJUMP_FALLBACK_MS: '3000',
    SMSJUMP_REQUEST_TIMEOUT_MS: '8000',
    SMSJUMP_TEXTS: '{"heading":"春季活动","errors":{"ended":"活动已结束"}}',
    SMSJUMP_BRAND_NAME: '示例商城',
    SMSJUMP_BRAND_ICON: 'https://h5.example.cn/icon.png',
    SMSJUMP_CLOUDBASE: 'true',
    WECHAT_SECRET: 'must-not-appear',
  });
  assert.deepEqual(warnings, []);
  assert.deepEqual(config, {
    apiURL: 'https://1234567890-abc.ap-guangzhou.tencentscf.com',
    appId: 'wx0123456789abcdef',
    originalId: 'gh_0123456789ab',
    envVersion: 'trial',
    path: 'pages/index/index?from=sms',
    fallbackDelayMs: 3000,
    requestTimeoutMs: 8000,
    texts: { heading: '春季活动', errors: { ended: '活动已结束' } },
    cloudBase: true,
    brandName: '示例商城',
    brandIcon: 'https://h5.example.cn/icon.png',
  });
  assert.doesNotMatch(renderConfigJS(config), /must-not-appear/);
});

test('every problem is reported at once', () => {
  const env = {
    SMSJUMP_API_URL: 'ftp://x',
    WECHAT_APPID: 'wx123',
    WECHAT_ORIGINAL_ID: 'abc',
    WECHAT_ENV_VERSION: 'prod',
    SMSJUMP_WEAPP_PATH: 'pages/a b',
    SMSJUMP_FALLBACK_MS: '10',
    SMSJUMP_REQUEST_TIMEOUT_MS: 'soon',
    SMSJUMP_TEXTS: '["x"]',
    SMSJUMP_BRAND_ICON: 'javascript:alert(1)',
    SMSJUMP_CLOUDBASE: 'yes',
  };
  assert.throws(
    () => configFromEnv(env),
    (e) => {
      assert.ok(e instanceof ConfigError);
      const names = Object.keys(env);
      assert.equal(e.problems.length, names.length, e.message);
      for (const n of names) assert.match(e.message, new RegExp(n));
      return true;
    },
  );
});

test('API URL forms', () => {
  const ok = ['/api/scheme', 'https://a.example.cn/x?y=1', 'http://127.0.0.1:8080/api/scheme', 'HTTPS://A.CN'];
  for (const v of ok) assert.equal(configFromEnv({ SMSJUMP_API_URL: v }).config.apiURL, v, v);
  for (const v of ['api/scheme', '//evil.example/x', 'javascript:alert(1)', 'https://']) {
    assert.throws(() => configFromEnv({ SMSJUMP_API_URL: v }), ConfigError, v);
  }
  const { warnings } = configFromEnv({ SMSJUMP_API_URL: 'http://api.example.cn/' });
  assert.ok(warnings.some((w) => /mixed content/.test(w)));
});

test('unknown text keys warn', () => {
  const { warnings } = configFromEnv({ SMSJUMP_TEXTS: '{"heding":"x"}' });
  assert.ok(warnings.some((w) => /heding/.test(w)));
});

test('config.js evaluates to the config and cannot break out of a script', () => {
  const config = {
    apiURL: '/api/scheme',
    texts: { heading: '</script><script>alert(1)</script>', loading: 'a\u2028b' },
  };
  const js = renderConfigJS(config);
  assert.doesNotMatch(js, /<\/script/i);
  assert.doesNotMatch(js, /\u2028/);
  const window = {};
  vm.runInNewContext(js, { window });
  assert.deepEqual(JSON.parse(JSON.stringify(window.SMSJUMP_CONFIG)), config); // other realm
});
