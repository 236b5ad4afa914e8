#!/usr/bin/env node
// `npm run build`: everything the package ships, from a clean slate.
//
//   1. tsc -p tsconfig.build.json     protocol/, widget/, server/ -> lib/ (JS + .d.ts;
//                                     bundler users import lib/widget/index.js)
//   2. rollup (rollup.config.mjs)     lib/widget -> dist/chunks/<name>-<hash>.js (lazy parts)
//                                                   dist/chat-room.js (the loader)
//   3. cem analyze                    widget JSDoc -> custom-elements.json
//   4. .gz and .br next to every file of dist/, which the server sends to
//      browsers that accept them; each file's gzip size; fails over a budget.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { brotliCompressSync, gzipSync } from 'node:zlib';
import { rollup } from 'rollup';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
/** Gzip budgets (issue #11): what the loader costs every page, what an inline room downloads before it connects. */
const BUDGETS = { loader: 6 * 1024, inline: 32 * 1024, launcher: 22 * 1024 };
const started = performance.now();

function step(name) {
  console.log(`\n> ${name}`);
  return performance.now();
}

function done(t0) {
  console.log(`  done in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
}

function fail(message) {
  console.error(`\nbuild failed: ${message}`);
  process.exit(1);
}

function run(label, args) {
  const result = spawnSync(process.execPath, args, { cwd: root, stdio: 'inherit' });
  if (result.error) fail(`${label}: ${result.error.message}`);
  if (result.status !== 0) fail(`${label} exited with ${result.status ?? result.signal}`);
}

const kb = (n) => `${(n / 1024).toFixed(1)} KB`;

// 1. clean + compile -------------------------------------------------------
let t = step('clean lib/ dist/ custom-elements.json');
for (const p of ['lib', 'dist', 'custom-elements.json']) {
  rmSync(join(root, p), { recursive: true, force: true });
}
done(t);

t = step('tsc -p tsconfig.build.json');
run('tsc', [join(root, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.build.json']);
done(t);

for (const entry of ['lib/widget/define.js', 'lib/widget/index.js', 'lib/server/cli.js']) {
  if (!existsSync(join(root, entry))) fail(`${entry} was not emitted (is the source file missing?)`);
}

// 2. bundle -----------------------------------------------------------------
t = step('rollup: chunks, then the loader');
const { chunksConfig, loaderConfig } = await import(pathToFileURL(join(root, 'rollup.config.mjs')).href);
process.chdir(root);

async function bundle(config) {
  const { output, ...input } = config;
  const build = await rollup(input);
  try {
    return (await build.write(output)).output;
  } finally {
    await build.close();
  }
}

const chunks = (await bundle(chunksConfig)).filter((c) => c.type === 'chunk');
const byFile = new Map(chunks.map((c) => [c.fileName, c]));
/** A chunk and every chunk it imports statically: what `import()` of it fetches. */
const closure = (fileName, seen = new Set()) => {
  if (seen.has(fileName)) return seen;
  seen.add(fileName);
  for (const dep of byFile.get(fileName).imports) closure(dep, seen);
  return seen;
};
const parts = Object.fromEntries(chunks.filter((c) => c.isEntry).map((c) => [c.name, [...closure(c.fileName)]]));
for (const c of chunks) console.log(`  dist/chunks/${c.fileName}${c.isEntry ? ` (part "${c.name}")` : c.isDynamicEntry ? ' (loaded on first use)' : ''}`);
await bundle(loaderConfig(parts));
console.log('  dist/chat-room.js (loader)');
done(t);

// 3. custom-elements.json ---------------------------------------------------
t = step('cem analyze');
run('cem analyze', [
  join(root, 'node_modules/@custom-elements-manifest/analyzer/cem.js'),
  'analyze',
  '--config',
  'custom-elements-manifest.config.mjs',
  '--quiet',
]);
checkManifest(JSON.parse(readFileSync(join(root, 'custom-elements.json'), 'utf8')));
done(t);

// 4. precompress + size summary ---------------------------------------------
// The server's own settings (lib/, compiled in step 1), so build and server compress alike.
const { GZIP_OPTIONS, brotliOptions } = await import(pathToFileURL(join(root, 'lib/server/http/content-coding.js')).href);
const sizes = new Map();
for (const file of ['chat-room.js', ...chunks.map((c) => `chunks/${c.fileName}`)]) {
  const body = readFileSync(join(root, 'dist', file));
  const gzipped = gzipSync(body, GZIP_OPTIONS);
  const brotli = brotliCompressSync(body, brotliOptions(body.length));
  writeFileSync(join(root, 'dist', `${file}.gz`), gzipped);
  writeFileSync(join(root, 'dist', `${file}.br`), brotli);
  sizes.set(file, { raw: body.length, gzip: gzipped.length, br: brotli.length });
}
checkBundle(readFileSync(join(root, 'dist/chat-room.js'), 'utf8'));
const gzipOf = (files) => files.reduce((sum, f) => sum + sizes.get(f).gzip, 0);
const loaderGzip = sizes.get('chat-room.js').gzip;
const inlineGzip = loaderGzip + gzipOf(parts.ui.map((f) => `chunks/${f}`));
// A closed launcher: the loader, its own part at once, the badge's once the page is idle.
const launcherGzip = loaderGzip + gzipOf([...new Set([...parts.launcher, ...parts.badge])].map((f) => `chunks/${f}`));

console.log('\nsize (.gz and .br written next to each file; the server sends the best one a browser accepts)');
for (const [file, { raw, gzip, br }] of sizes) {
  console.log(`  dist/${file.padEnd(28)} ${String(raw).padStart(7)} B raw  ${String(gzip).padStart(6)} B gzip  ${String(br).padStart(6)} B brotli`);
}
const line = (label, gzip, budget) =>
  console.log(`  ${label.padEnd(34)} ${kb(gzip).padStart(8)} gzip (budget ${kb(budget)}, ${kb(budget - gzip)} left)`);
line('loader (every page)', loaderGzip, BUDGETS.loader);
line('inline room before connected', inlineGzip, BUDGETS.inline);
line('launcher before its first open', launcherGzip, BUDGETS.launcher);
console.log(`\nbuilt in ${((performance.now() - started) / 1000).toFixed(1)} s`);
if (loaderGzip > BUDGETS.loader) fail(`dist/chat-room.js (the loader) is ${loaderGzip} B gzip, over its ${BUDGETS.loader} B budget`);
if (inlineGzip > BUDGETS.inline) fail(`an inline room loads ${inlineGzip} B gzip before it connects, over the ${BUDGETS.inline} B budget`);
if (launcherGzip > BUDGETS.launcher) fail(`a closed launcher loads ${launcherGzip} B gzip, over the ${BUDGETS.launcher} B budget`);
// What a closed launcher loads must not pull in the chat's UI.
for (const part of ['launcher', 'badge', 'notify']) {
  if (parts[part].some((f) => f.startsWith('ui-'))) fail(`the ${part} part imports the UI chunk (${parts[part].join(', ')})`);
}
// Before the page is idle a launcher page loads the loader and the launcher part: nothing it imports.
if (parts.launcher.length !== 1) fail(`the launcher part imports other chunks at once (${parts.launcher.join(', ')}): keep it to type imports and dynamic imports`);

/** The manifest must describe <chat-room>: attributes, events, CSS properties and parts. */
function checkManifest(manifest) {
  const declarations = manifest.modules.flatMap((m) => m.declarations ?? []);
  const element =
    declarations.find((d) => d.tagName === 'chat-room') ??
    declarations.find((d) => d.customElement && d.name === 'ChatRoom');
  if (!element) fail('custom-elements.json has no <chat-room> / ChatRoom custom element');
  const counts = {
    attributes: element.attributes?.length ?? 0,
    events: element.events?.length ?? 0,
    cssProperties: element.cssProperties?.length ?? 0,
    cssParts: element.cssParts?.length ?? 0,
  };
  console.log(
    `  custom-elements.json: <${element.tagName ?? '?'}> ${element.name}: ` +
      Object.entries(counts).map(([k, v]) => `${v} ${k}`).join(', '),
  );
  const missing = Object.entries(counts).filter(([, v]) => v === 0).map(([k]) => k);
  if (missing.length) {
    fail(`custom-elements.json lists no ${missing.join(', ')} for ${element.name} ` +
      '(document them with @attr/@property, @fires, @cssprop, @csspart in the class JSDoc)');
  }
  if (element.tagName !== 'chat-room') {
    fail(`custom-elements.json gives ${element.name} the tag ${JSON.stringify(element.tagName)}, not "chat-room" ` +
      '(add `@tag chat-room` to its JSDoc)');
  }
}

/** Guards for what must never reach the script-tag bundle. */
function checkBundle(code) {
  const forbidden = [
    ['process.env', 'a Node `process.env` reference'],
    ['xmlhttprequest-ssl', "socket.io-client's Node transport"],
    ['Lit is in dev mode', "lit's development build"],
  ];
  for (const [needle, what] of forbidden) {
    if (code.includes(needle)) fail(`dist/chat-room.js contains ${what} (${JSON.stringify(needle)})`);
  }
}
