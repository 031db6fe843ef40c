#!/usr/bin/env node
// Builds the H5 page for deploy:
//   node static/build.mjs --out <dir>                 bundle + config.js
//   node static/build.mjs --out <dir> --config-only   rewrite config.js only
// See static/README.md for the environment variables and the output.

import { readFile, writeFile, mkdir, readdir, rm } from 'node:fs/promises';
import { dirname, join, resolve, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { configFromEnv, renderConfigJS, ConfigError } from './tools/config.mjs';
import { assembleHTML } from './tools/page.mjs';
import { measure, total, BUDGET_BYTES } from './tools/sizes.mjs';

const here = dirname(fileURLToPath(import.meta.url));

// Browsers of the SMS audience: iOS Safari 11.1+ and Chromium 64+ (WeChat's XWeb,
// Android System WebView) run ES modules with dynamic import(); older ones get the
// nomodule notice. esbuild cannot lower destructuring for Safari < 15, so the page
// code does not use it.
const TARGET = ['es2017', 'chrome64', 'safari11.1', 'firefox67', 'edge79'];

// Files a previous build may have left; anything else in --out is not ours.
const OURS = /^(index\.html|config\.js|THIRD_PARTY_NOTICES\.txt|(app|chunk)-[\w-]+\.js)$/;

function parseArgs(argv) {
  const a = { out: '', configOnly: false };
  for (let i = 0; i < argv.length; i++) {
    const v = argv[i];
    if (v === '--out') a.out = argv[++i] || '';
    else if (v.startsWith('--out=')) a.out = v.slice(6);
    else if (v === '--config-only') a.configOnly = true;
    else if (v === '-h' || v === '--help') a.help = true;
    else throw new Error(`unknown argument ${v} (try --help)`);
  }
  if (!a.help && !a.out) throw new Error('--out <dir> is required');
  return a;
}

async function writeConfig(out) {
  const { config, warnings } = configFromEnv(process.env);
  for (const w of warnings) console.warn(`warning: ${w}`);
  const js = renderConfigJS(config);
  await writeFile(join(out, 'config.js'), js);
  return js;
}

async function cleanPrevious(out) {
  for (const name of await readdir(out)) {
    if (OURS.test(name)) await rm(join(out, name));
  }
}

async function bundle(out) {
  // Imported here so --config-only works without node_modules (deploy rewrite).
  const esbuild = await import('esbuild');
  const result = await esbuild.build({
    absWorkingDir: here,
    entryPoints: ['src/main.js'],
    bundle: true,
    minify: true,
    format: 'esm',
    // The QR code (and its encoder) is only needed on a desktop: its own chunk.
    splitting: true,
    target: TARGET,
    outdir: out,
    entryNames: 'app-[hash]',
    chunkNames: 'chunk-[hash]',
    metafile: true,
    write: true,
    logLevel: 'warning',
  });
  const css = await esbuild.transform(await readFile(join(here, 'src/style.css'), 'utf8'), {
    loader: 'css',
    minify: true,
    target: TARGET,
  });
  const outputs = Object.keys(result.metafile.outputs).map((p) => relative(out, resolve(here, p)));
  const entry = Object.entries(result.metafile.outputs)
    .filter(([, o]) => o.entryPoint === 'src/main.js')
    .map(([p]) => relative(out, resolve(here, p)));
  if (entry.length !== 1) throw new Error(`expected one entry bundle, got ${entry.join(', ')}`);
  const html = assembleHTML(await readFile(join(here, 'index.html'), 'utf8'), { css: css.code, entry: entry[0] });
  await writeFile(join(out, 'index.html'), html);
  await writeFile(join(out, 'THIRD_PARTY_NOTICES.txt'), await notices(result.metafile));
  return { entry: entry[0], chunks: outputs.filter((n) => n !== entry[0]) };
}

// Bundled npm packages keep their license notices (MIT asks for it) in a file
// served beside the page, since minification drops the source comments.
async function notices(metafile) {
  const pkgs = new Map();
  for (const input of Object.keys(metafile.inputs)) {
    const m = input.split('/').join(sep).match(/node_modules[\\/]((?:@[^\\/]+[\\/])?[^\\/]+)/);
    if (!m) continue;
    const dir = join(here, 'node_modules', m[1]);
    if (!pkgs.has(dir)) pkgs.set(dir, new Set());
    const src = await readFile(join(here, input), 'utf8');
    for (const line of src.match(/^.*Copyright.*$/gm) || []) pkgs.get(dir).add(line.replace(/^[\s/*#-]+/, '').trim());
  }
  let text = 'Third-party software bundled into app-*.js / chunk-*.js:\n';
  for (const [dir, copyrights] of pkgs) {
    const pj = JSON.parse(await readFile(join(dir, 'package.json'), 'utf8'));
    text += `\n${pj.name} ${pj.version} — license: ${pj.license}\n`;
    for (const c of copyrights) text += `  ${c}\n`;
  }
  return text;
}

function kb(n) {
  return `${(n / 1024).toFixed(1)} KB`.padStart(9);
}

async function report(out, built) {
  const names = ['index.html', 'config.js', built.entry, ...built.chunks];
  const files = {};
  for (const n of names) files[n] = await readFile(join(out, n));
  const sizes = measure(files);
  for (const n of names) console.log(`${n.padEnd(24)} raw ${kb(sizes[n].raw)}   gzip ${kb(sizes[n].gzip)}`);
  // A phone downloads page, config and entry; a desktop also the QR chunk.
  const mobile = total(sizes, ['index.html', 'config.js', built.entry]);
  const desktop = total(sizes, names);
  console.log(`${'mobile visit'.padEnd(24)} raw ${kb(mobile.raw)}   gzip ${kb(mobile.gzip)}   (+ WeChat JS-SDK inside WeChat)`);
  console.log(`${'desktop visit'.padEnd(24)} raw ${kb(desktop.raw)}   gzip ${kb(desktop.gzip)}`);
  if (desktop.raw > BUDGET_BYTES) {
    throw new Error(`page is ${desktop.raw} bytes, over the ${BUDGET_BYTES}-byte budget`);
  }
}

async function main() {
  const args = parseArgs(process.argv.slice(2));
  if (args.help) {
    console.log('usage: node build.mjs --out <dir> [--config-only]');
    return;
  }
  const out = resolve(process.cwd(), args.out);
  await mkdir(out, { recursive: true });
  if (args.configOnly) {
    await writeConfig(out);
    console.log(`wrote ${join(out, 'config.js')}`);
    return;
  }
  // Validate the configuration before touching the output directory.
  configFromEnv(process.env);
  await cleanPrevious(out);
  await writeConfig(out);
  const built = await bundle(out);
  await report(out, built);
  console.log(`built ${out}`);
}

main().catch((err) => {
  console.error(err instanceof ConfigError ? err.message : `build failed: ${err.stack || err}`);
  process.exit(1);
});
