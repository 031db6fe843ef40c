import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { assembleHTML, CSS_TAG, ENTRY_TAG } from '../tools/page.mjs';

const source = await readFile(new URL('../index.html', import.meta.url), 'utf8');

test('the source page has the elements tests and scripts rely on', () => {
  for (const id of ['heading', 'msg', 'tips', 'detail', 'qr', 'wx-slot', 'open-btn', 'retry']) {
    assert.match(source, new RegExp(`id="${id}"`), id);
  }
  // config.js must run before the bundle: a classic script ahead of the module.
  assert.ok(source.indexOf('<script src="config.js"></script>') < source.indexOf(ENTRY_TAG));
  assert.doesNotMatch(source, /https?:\/\/(?!res\.wx\.qq\.com)/, 'no other remote resources');
});

test('assembleHTML inlines CSS and names the bundle', () => {
  const html = assembleHTML(source, { css: 'body{margin:0}', entry: 'app-ABC123.js' });
  assert.match(html, /<style>body\{margin:0\}<\/style>/);
  assert.match(html, /<script type="module" src="app-ABC123.js"><\/script>/);
  assert.ok(!html.includes(CSS_TAG) && !html.includes(ENTRY_TAG));
  assert.ok(html.length < source.length + 20, 'whitespace collapsed');
});

test('assembleHTML refuses a template it does not understand', () => {
  const bad = [
    [source.replace(CSS_TAG, ''), { css: '', entry: 'app.js' }],
    [source.replace(ENTRY_TAG, ''), { css: '', entry: 'app.js' }],
    [source + ENTRY_TAG, { css: '', entry: 'app.js' }],
    [source, { css: '', entry: 'x" onload="alert(1).js' }],
    [source, { css: 'a{}</style><script>', entry: 'app.js' }],
  ];
  for (const [html, o] of bad) assert.throws(() => assembleHTML(html, o));
});
