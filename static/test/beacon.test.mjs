import { test } from 'node:test';
import assert from 'node:assert/strict';
import { beaconURL, createBeacons, EVENTS } from '../src/beacon.js';

test('beacon URL: /beacon on the API path, only c, k and e', () => {
  const base = 'https://h5.example.cn/?c=spring&k=AB3DE9FG';
  assert.equal(beaconURL('/api/scheme', base, { c: 'spring' }, 'jump'), 'https://h5.example.cn/api/scheme/beacon?c=spring&e=jump');
  assert.equal(
    beaconURL('https://1250000000-abc.ap-guangzhou.tencentscf.com/?x=1#f', base, { c: 'spring', k: 'AB3DE9FG' }, 'qr'),
    'https://1250000000-abc.ap-guangzhou.tencentscf.com/beacon?c=spring&k=AB3DE9FG&e=qr',
  );
  assert.equal(beaconURL('/api/scheme/', base, { c: 'a b' }, 'button'), 'https://h5.example.cn/api/scheme/beacon?c=a+b&e=button');
});

test('each event once, unknown events and a missing campaign never sent', () => {
  const urls = [];
  const nav = { sendBeacon: (u) => (urls.push(u), true) };
  let params;
  const send = createBeacons(nav, '/api/scheme', 'https://h5.example.cn/', () => params);
  assert.equal(send('jump'), false, 'no params yet');
  params = { c: 'spring' };
  assert.equal(send('jump'), true);
  assert.equal(send('jump'), false);
  assert.equal(send('opened'), false, 'opened is counted by get-scheme itself');
  assert.equal(send('hacked'), false);
  for (const e of EVENTS) send(e);
  assert.deepEqual(urls.map((u) => new URL(u).searchParams.get('e')), ['jump', ...EVENTS.filter((e) => e !== 'jump')]);
});

test('a browser without sendBeacon, or one that throws, does not break the page', () => {
  const params = () => ({ c: 'spring' });
  assert.equal(createBeacons({}, '/api/scheme', 'https://h5.example.cn/', params)('jump'), false);
  const throwing = { sendBeacon: () => { throw new TypeError('queue full'); } };
  assert.equal(createBeacons(throwing, '/api/scheme', 'https://h5.example.cn/', params)('jump'), false);
});
