import { test } from 'node:test';
import assert from 'node:assert/strict';
import { linkKind, routeFor } from '../src/route.js';

test('routeFor: one table of environments and paths', () => {
  const cases = [
    ['wechat', { cloudBase: true }, 'openTag', 'urllink'],
    ['wechat', { cloudBase: false, jssdk: true }, 'openTag', 'urllink'],
    ['wechat', { cloudBase: false }, 'urlLink', 'urllink'],
    ['wecom', { cloudBase: false, jssdk: true }, 'urlLink', 'urllink'],
    ['wecom', { cloudBase: true }, 'urlLink', 'urllink'],
    ['inapp', { cloudBase: false }, 'guide', 'scheme'],
    ['mobile', { cloudBase: false }, 'scheme', 'scheme'],
    ['mobile', { cloudBase: true }, 'scheme', 'scheme'],
    ['desktop', { cloudBase: true }, 'qr', 'scheme'],
  ];
  for (const [env, s, want, kind] of cases) {
    const r = routeFor(/** @type {any} */ (env), s);
    assert.equal(r, want, `${env} ${JSON.stringify(s)}`);
    assert.equal(linkKind(r), kind, `${env} link kind`);
  }
});
