import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import vm from 'node:vm';
import { BUDGET_BYTES } from '../tools/sizes.mjs';

const run = promisify(execFile);
const build = fileURLToPath(new URL('../build.mjs', import.meta.url));
// Only the variables under test: the runner's own environment must not leak in.
const baseEnv = { PATH: process.env.PATH, HOME: process.env.HOME || '/tmp' };

test('build writes the page, the bundle, config.js, within budget', async (t) => {
  const out = await mkdtemp(join(tmpdir(), 'smsjump-h5-'));
  t.after(() => rm(out, { recursive: true, force: true }));
  await writeFile(join(out, 'app-OLD.js'), 'stale');
  await writeFile(join(out, 'keep.txt'), 'not ours');
  const env = { ...baseEnv, SMSJUMP_API_URL: 'https://api.example.cn/scheme', WECHAT_ORIGINAL_ID: 'gh_0123456789ab' };
  const { stdout } = await run(process.execPath, [build, '--out', out], { env });
  assert.match(stdout, /mobile visit/);

  const files = await readdir(out);
  assert.ok(!files.includes('app-OLD.js'), 'stale bundle removed');
  assert.ok(files.includes('keep.txt'), 'foreign files kept');
  const html = await readFile(join(out, 'index.html'), 'utf8');
  const entry = html.match(/<script type="module" src="(app-[\w-]+\.js)"><\/script>/);
  assert.ok(entry && files.includes(entry[1]), 'index.html names an existing bundle');
  assert.match(html, /<script src="config.js"><\/script>/);
  assert.doesNotMatch(html, /src\/(main\.js|style\.css)/);

  const window = {};
  vm.runInNewContext(await readFile(join(out, 'config.js'), 'utf8'), { window });
  assert.equal(window.SMSJUMP_CONFIG.apiURL, 'https://api.example.cn/scheme');
  assert.equal(window.SMSJUMP_CONFIG.originalId, 'gh_0123456789ab');

  let raw = 0;
  for (const f of files.filter((f) => f.endsWith('.js') || f.endsWith('.html'))) {
    raw += (await readFile(join(out, f))).length;
  }
  assert.ok(raw <= BUDGET_BYTES, `${raw} bytes`);
  assert.match(await readFile(join(out, 'THIRD_PARTY_NOTICES.txt'), 'utf8'), /qrcode-generator .* MIT/);
});

test('--config-only rewrites config.js alone', async (t) => {
  const out = await mkdtemp(join(tmpdir(), 'smsjump-h5-'));
  t.after(() => rm(out, { recursive: true, force: true }));
  await run(process.execPath, [build, '--out', out, '--config-only'], {
    env: { ...baseEnv, WECHAT_ENV_VERSION: 'develop' },
  });
  assert.deepEqual(await readdir(out), ['config.js']);
  assert.match(await readFile(join(out, 'config.js'), 'utf8'), /"envVersion": "develop"/);
});

test('bad configuration fails before touching the output', async (t) => {
  const out = await mkdtemp(join(tmpdir(), 'smsjump-h5-'));
  t.after(() => rm(out, { recursive: true, force: true }));
  await writeFile(join(out, 'index.html'), 'previous build');
  await assert.rejects(
    run(process.execPath, [build, '--out', out], {
      env: { ...baseEnv, WECHAT_ENV_VERSION: 'prod', WECHAT_APPID: 'nope' },
    }),
    (err) => err.code === 1 && /WECHAT_ENV_VERSION/.test(err.stderr) && /WECHAT_APPID/.test(err.stderr),
  );
  assert.equal(await readFile(join(out, 'index.html'), 'utf8'), 'previous build');
});

test('--out is required', async () => {
  await assert.rejects(run(process.execPath, [build], { env: baseEnv }), (err) => err.code === 1 && /--out/.test(err.stderr));
});
