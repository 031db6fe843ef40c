import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { fetchScheme, fetchSignature, parseScheme, schemeURL, errorFromResponse } from '../src/api.js';
import { ApiError } from '../src/errors.js';

// A stand-in for get-scheme on loopback; the path picks the answer.
let server;
let base;
let lastQuery;
const hanging = new Set();

before(async () => {
  server = createServer((req, res) => {
    const u = new URL(req.url, 'http://x');
    lastQuery = Object.fromEntries(u.searchParams);
    const json = (status, body, headers = {}) => {
      res.writeHead(status, { 'Content-Type': 'application/json', ...headers });
      res.end(typeof body === 'string' ? body : JSON.stringify(body));
    };
    switch (u.pathname) {
      case '/ok':
        return json(200, { openlink: 'weixin://dl/business/?t=abc', expires_at: 1790000000, mode: 'encrypted' });
      case '/ok-open-tag':
        return json(200, {
          openlink: 'weixin://dl/business/?appid=wx0123456789abcdef&path=pages/a',
          expires_at: 0,
          mode: 'plaintext',
          path: 'pages/a',
          query: 'x=1',
          env_version: 'trial',
        });
      case '/sig/jssdk':
        return json(200, { appId: 'wxfedcba9876543210', timestamp: 1790000000, nonceStr: 'ABC123', signature: 'a'.repeat(40), page: u.searchParams.get('url') });
      case '/badsig/jssdk':
        return json(200, { appId: 'wxfedcba9876543210', timestamp: 1790000000, nonceStr: 'ABC123', signature: '<script>' });
      case '/evil':
        return json(200, { openlink: 'javascript:alert(1)', expires_at: 1 });
      case '/not-json':
        return json(200, '<html>');
      case '/hang':
        hanging.add(res);
        return undefined;
      default: {
        const m = u.pathname.match(/^\/(\d{3})\/?(.*)$/);
        if (!m) return json(500, {});
        const [, status, kind] = m;
        if (kind === 'html') {
          res.writeHead(Number(status), { 'Content-Type': 'text/html' });
          return res.end('<html><body>Bad Gateway</body></html>');
        }
        const headers = u.searchParams.has('ra') ? { 'Retry-After': u.searchParams.get('ra') } : {};
        return json(Number(status), { error: kind, message: '出错了' }, headers);
      }
    }
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${server.address().port}`;
});

after(() => {
  for (const res of hanging) res.destroy();
  server.close();
});

const get = (path, params = { c: 'spring' }, opts = {}) =>
  fetchScheme(path, params, { baseHref: `${base}/page/?c=spring`, timeoutMs: 2000, ...opts });

test('200 answer', async () => {
  const s = await get(`${base}/ok`, { c: 'spring', k: 'AB3DE9', cq: 'n=1&ch=sms' });
  assert.deepEqual(s, { openlink: 'weixin://dl/business/?t=abc', expiresAt: 1790000000, mode: 'encrypted' });
  assert.deepEqual(lastQuery, { c: 'spring', k: 'AB3DE9', cq: 'n=1&ch=sms' });
});

test('relative API URL resolves against the page', async () => {
  const s = await get('/ok');
  assert.equal(s.openlink, 'weixin://dl/business/?t=abc');
  assert.deepEqual(lastQuery, { c: 'spring' });
});

test('optional open-tag fields are read', async () => {
  const s = await get(`${base}/ok-open-tag`);
  assert.equal(s.mode, 'plaintext');
  assert.equal(s.expiresAt, 0);
  assert.equal(s.path, 'pages/a');
  assert.equal(s.query, 'x=1');
  assert.equal(s.envVersion, 'trial');
});

test('error answers become kinds', async () => {
  const cases = [
    ['/404/invalid_link', 'invalid_link', false],
    ['/404/not_found', 'not_found', false],
    ['/410/not_started', 'not_started', false],
    ['/410/ended', 'ended', false],
    ['/429/rate_limited?ra=9', 'rate_limited', true],
    ['/503/quota_exhausted', 'quota_exhausted', true],
    ['/503/unavailable', 'unavailable', true],
    ['/400/bad_request', 'bad_request', false],
    ['/500/internal', 'internal', true],
    // Unknown or missing kinds fall back to the status.
    ['/410/something_new', 'ended', false],
    ['/502/html', 'unavailable', true],
    ['/404/html', 'invalid_link', false],
    ['/500/network', 'internal', true],
    // A 200 that is not a usable scheme is the server's fault, never followed.
    ['/evil', 'internal', true],
    ['/not-json', 'internal', true],
  ];
  for (const [path, kind, retryable] of cases) {
    await assert.rejects(
      get(`${base}${path}`),
      (err) => {
        assert.ok(err instanceof ApiError, path);
        assert.equal(err.kind, kind, path);
        assert.equal(err.retryable, retryable, path);
        return true;
      },
      path,
    );
  }
});

test('rate_limited carries Retry-After, with a default when unreadable', async () => {
  await assert.rejects(get(`${base}/429/rate_limited?ra=9`), (err) => err.retryAfter === 9);
  await assert.rejects(get(`${base}/429/rate_limited`), (err) => err.retryAfter === 5);
});

test('no answer at all is a network error', async () => {
  const closed = createServer();
  await new Promise((r) => closed.listen(0, '127.0.0.1', r));
  const port = closed.address().port;
  await new Promise((r) => closed.close(r));
  await assert.rejects(get(`http://127.0.0.1:${port}/ok`), (err) => err.kind === 'network' && err.retryable);
});

test('a hanging server times out as a network error', async () => {
  const t0 = Date.now();
  await assert.rejects(get(`${base}/hang`, undefined, { timeoutMs: 150 }), (err) => err.kind === 'network');
  // Only checks that the timeout, not the test runner, ended the request.
  assert.ok(Date.now() - t0 < 5000);
});

test('schemeURL keeps parameters already in the API URL', () => {
  const cases = [
    ['/api/scheme', { c: 'a' }, 'https://h5.example.cn/?c=a', 'https://h5.example.cn/api/scheme?c=a'],
    [
      'https://1234.ap-guangzhou.tencentscf.com/?v=2',
      { c: 'a', k: 'K1', cq: 'x y' },
      'https://h5.example.cn/?c=a',
      'https://1234.ap-guangzhou.tencentscf.com/?v=2&c=a&k=K1&cq=x+y',
    ],
    ['api', { c: 'a' }, 'https://h5.example.cn/sub/index.html?c=a', 'https://h5.example.cn/sub/api?c=a'],
  ];
  for (const [api, params, page, want] of cases) assert.equal(schemeURL(api, params, page), want);
});

test('parseScheme refuses anything but a weixin business link', () => {
  const bad = [
    null,
    'weixin://dl/business/?t=a',
    {},
    { openlink: 42 },
    { openlink: 'https://example.com/' },
    { openlink: 'weixin://dl/business/?' },
    { openlink: 'weixin://dl/business/?t=a b' },
    { openlink: 'WEIXIN://dl/business/?t=a' },
  ];
  for (const b of bad) assert.throws(() => parseScheme(b), (e) => e.kind === 'internal', JSON.stringify(b));
});

test('errorFromResponse reads the server message', () => {
  const e = errorFromResponse(410, '{"error":"not_started","message":"活动未开始"}', null, 0);
  assert.equal(e.kind, 'not_started');
  assert.equal(e.serverMessage, '活动未开始');
  assert.equal(e.status, 410);
});

test('URL Links: only https://wxaurl.cn/ links, with an optional ?cq=', () => {
  const ok = parseScheme({ openlink: 'https://wxaurl.cn/AbC123xyz09?cq=r%3D1', expires_at: 1790000000, mode: 'urllink', title: '春季', poster: 'https://h5.example.cn/p.jpg' });
  assert.equal(ok.mode, 'urllink');
  assert.equal(ok.title, '春季');
  assert.equal(ok.poster, 'https://h5.example.cn/p.jpg');
  const bad = [
    'https://wxaurl.cn.evil.com/Ab',
    'http://wxaurl.cn/Ab',
    'https://wxaurl.cn/',
    'https://wxaurl.cn/Ab?cq=a b',
    'https://wxaurl.cn/Ab#x',
    'weixin://dl/business/?t=a', // a scheme is not a URL Link
  ];
  for (const l of bad) {
    assert.throws(() => parseScheme({ openlink: l, mode: 'urllink' }), (e) => e.kind === 'internal', l);
  }
  // A URL Link where a scheme is expected is refused too.
  assert.throws(() => parseScheme({ openlink: 'https://wxaurl.cn/Ab', mode: 'encrypted' }), (e) => e.kind === 'internal');
  // A poster that is not https is dropped, not shown.
  assert.equal(parseScheme({ openlink: 'weixin://dl/business/?t=a', poster: 'javascript:1' }).poster, undefined);
});

test('closed links carry when and a checked fallback', () => {
  const body = JSON.stringify({
    error: 'ended', message: '活动已结束', ended_at: 1790000000, title: '春季',
    fallback: { openlink: 'weixin://dl/business/?t=fb', mode: 'encrypted', path: 'pages/index/index' },
  });
  const e = errorFromResponse(410, body, null, 0);
  assert.equal(e.kind, 'ended');
  assert.deepEqual(e.closed, { endedAt: 1790000000, title: '春季', fallback: { openlink: 'weixin://dl/business/?t=fb', mode: 'scheme' } });
  const evil = errorFromResponse(404, JSON.stringify({ error: 'not_found', message: 'x', fallback: { openlink: 'javascript:alert(1)', mode: 'encrypted' } }), null, 0);
  assert.equal(evil.closed.fallback, undefined);
  const started = errorFromResponse(410, JSON.stringify({ error: 'not_started', message: 'x', starts_at: 1790000000 }), null, 0);
  assert.equal(started.closed.startsAt, 1790000000);
});

test('link=urllink is passed on', () => {
  assert.equal(schemeURL('/api/scheme', { c: 'a', link: 'urllink' }, 'https://h5.example.cn/?c=a'), 'https://h5.example.cn/api/scheme?c=a&link=urllink');
});

// A browser rejects a CORS refusal like an outage; fetchScheme then asks once
// more without CORS: an answer there means the API is up but does not allow
// this page's origin (a deploy configuration fault, not retryable).
test('a CORS refusal is told apart from a network failure', async () => {
  const calls = [];
  const corsRefused = async (url, init) => {
    calls.push(init);
    if (init.mode === 'no-cors') return { type: 'opaque', ok: false, status: 0 };
    throw new TypeError('Failed to fetch');
  };
  await assert.rejects(
    fetchScheme('https://1234.ap-guangzhou.tencentscf.com/', { c: 'spring' }, { fetch: corsRefused, baseHref: 'https://h5.example.cn/?c=spring' }),
    (err) => err instanceof ApiError && err.kind === 'config' && !err.retryable,
  );
  assert.equal(calls.length, 2);
  assert.equal(calls[1].method, 'HEAD'); // the probe never generates a scheme
  assert.equal(calls[1].credentials, 'omit');

  const offline = async () => {
    throw new TypeError('Failed to fetch');
  };
  await assert.rejects(
    fetchScheme('https://1234.ap-guangzhou.tencentscf.com/', { c: 'spring' }, { fetch: offline, baseHref: 'https://h5.example.cn/?c=spring' }),
    (err) => err.kind === 'network' && err.retryable,
  );
});

test('fetchSignature asks path/jssdk for the page without its fragment and checks the answer', async () => {
  const sig = await fetchSignature(`${base}/sig`, 'https://h5.example.cn/?c=a&k=B#frag', { baseHref: `${base}/` });
  assert.deepEqual(sig, { appId: 'wxfedcba9876543210', timestamp: 1790000000, nonceStr: 'ABC123', signature: 'a'.repeat(40) });
  assert.equal(lastQuery.url, 'https://h5.example.cn/?c=a&k=B');
  await assert.rejects(fetchSignature(`${base}/badsig`, 'https://h5.example.cn/', { baseHref: `${base}/` }), (e) => e.kind === 'internal');
  await assert.rejects(fetchSignature(`${base}/404/not_configured`, 'https://h5.example.cn/', { baseHref: `${base}/` }), (e) => e.kind === 'invalid_link');
});
