#!/usr/bin/env node
// `npm run build`: everything the package ships, from a clean slate.
//
//   1. tsc -p tsconfig.build.json     protocol/, widget/, server/ -> lib/ (JS + .d.ts)
//   2. rollup -c rollup.config.mjs    lib/widget -> dist/chat-room.js (script tag)
//                                                  dist/chat-room.esm.js (bundlers)
//   3. cem analyze                    widget JSDoc -> custom-elements.json
//   4. dist/chat-room.js.gz and .br, which the server sends to browsers that
//      accept them; size summary; fails above the gzip budget.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { brotliCompressSync, gzipSync } from 'node:zlib';
import { rollup } from 'rollup';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const GZIP_BUDGET = 33 * 1024; // issues #9 and #10 may spend up to 33 KB gzip; the loader issue sets the final budgets
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
t = step('rollup -c rollup.config.mjs');
const { default: configs } = await import(pathToFileURL(join(root, 'rollup.config.mjs')).href);
process.chdir(root);
for (const config of configs) {
  const { output, ...input } = config;
  const bundle = await rollup(input);
  try {
    await bundle.write(output);
  } finally {
    await bundle.close();
  }
  console.log(`  ${config.input} -> ${output.file} (${output.format})`);
}
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
const bundle = readFileSync(join(root, 'dist/chat-room.js'));
checkBundle(bundle.toString('utf8'));
const esm = readFileSync(join(root, 'dist/chat-room.esm.js'));
const gzipped = gzipSync(bundle, GZIP_OPTIONS);
const brotli = brotliCompressSync(bundle, brotliOptions(bundle.length));
writeFileSync(join(root, 'dist/chat-room.js.gz'), gzipped);
writeFileSync(join(root, 'dist/chat-room.js.br'), brotli);
const gzip = gzipped.length;
console.log('\nsize (.gz and .br written next to the file; the server sends the best one a browser accepts)');
console.log(`  dist/chat-room.js      ${String(bundle.length).padStart(7)} B raw  ${String(gzip).padStart(6)} B gzip  ${String(brotli.length).padStart(6)} B brotli (gzip ${kb(gzip)}; budget ${kb(GZIP_BUDGET)}, ${kb(GZIP_BUDGET - gzip)} left)`);
console.log(`  dist/chat-room.esm.js  ${String(esm.length).padStart(7)} B raw  (lit, socket.io-client external)`);
console.log(`\nbuilt in ${((performance.now() - started) / 1000).toFixed(1)} s`);
if (gzip > GZIP_BUDGET) {
  fail(`dist/chat-room.js is ${gzip} B gzip, over the ${GZIP_BUDGET} B budget`);
}

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
