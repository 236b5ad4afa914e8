/**
 * `/chunks/<name>-<hash>.js`: the loader's content-hashed modules, compressed
 * by `Accept-Encoding`, cached for a year, importable from any origin; any
 * other name under `/chunks/` is a 404 nobody caches. And the loader
 * `/chat-room.js` itself: short-lived, revalidated by an ETag that follows
 * the file.
 */
import assert from 'node:assert/strict';
import { mkdir, readFile, stat, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { SqliteStore } from '../../server/storage/sqlite-store.js';
import type { ChatStore } from '../../server/storage/store.js';
import { chunkSource, decoded, rawGet, writeDist } from '../support/widget-dist.js';
import type { RawResponse } from '../support/widget-dist.js';
import { startServer, tempDir } from './helpers.js';

const IMMUTABLE = 'public, max-age=31536000, immutable';

function assertChunkHeaders(res: RawResponse, what: string): void {
  assert.equal(res.headers['content-type'], 'text/javascript; charset=utf-8', what);
  assert.equal(res.headers['cache-control'], IMMUTABLE, what);
  assert.equal(res.headers['access-control-allow-origin'], '*', what);
  assert.equal(res.headers['cross-origin-resource-policy'], 'cross-origin', what);
  assert.equal(res.headers['x-content-type-options'], 'nosniff', what);
  assert.match(String(res.headers.vary), /\baccept-encoding\b/i, what);
  assert.ok(res.headers.etag, what);
}

test('/chunks/: a chunk of the current build in each coding, immutable, with CORS, ETag, 304 and HEAD', async (t) => {
  const dir = await tempDir(t);
  const text = chunkSource('ui');
  const widgetBundle = await writeDist(dir, { 'ui-3f9a1c2b.js': text, 'plain-0123abcd_-.js': chunkSource('plain') }, ['plain-0123abcd_-.js']);
  const { url } = await startServer(t, { widgetBundle });
  const chunk = `${url}/chunks/ui-3f9a1c2b.js`;
  const etags = new Set<string>();
  for (const [accept, coding] of [['gzip, deflate, br', 'br'], ['gzip', 'gzip'], ['identity', undefined]] as const) {
    const what = `Accept-Encoding: ${accept}`;
    const res = await rawGet(chunk, { 'accept-encoding': accept, origin: 'https://any.example' });
    assert.equal(res.status, 200, what);
    assert.equal(res.headers['content-encoding'], coding, what);
    assertChunkHeaders(res, what);
    assert.equal(decoded(res).toString(), text, what);
    etags.add(res.headers.etag!);
    const again = await rawGet(chunk, { 'accept-encoding': accept, 'if-none-match': res.headers.etag! });
    assert.equal(again.status, 304, what);
    assert.equal(again.body.length, 0, what);
  }
  assert.equal(etags.size, 3, 'one ETag per coding');

  const head = await rawGet(chunk, { 'accept-encoding': 'br' }, 'HEAD');
  assert.equal(head.status, 200);
  assert.equal(Number(head.headers['content-length']), (await stat(join(dir, 'chunks/ui-3f9a1c2b.js.br'))).size);
  assert.equal(head.body.length, 0);

  const plain = await rawGet(`${url}/chunks/plain-0123abcd_-.js`, { 'accept-encoding': 'br, gzip' });
  assert.equal(plain.status, 200, 'a chunk without compressed copies goes out as it is');
  assert.equal(plain.headers['content-encoding'], undefined);
  assert.equal(plain.body.toString(), chunkSource('plain'));
});

test('/chunks/: anything but a chunk name is a 404 that is never cached, traversal included', async (t) => {
  const dir = await tempDir(t);
  const widgetBundle = await writeDist(dir, { 'ui-3f9a1c2b.js': chunkSource('ui') });
  // Files a traversal or a loose pattern would reach.
  await writeFile(join(dir, 'package.json'), '{"secret":true}');
  await writeFile(join(dir, 'chunks', 'ui-3f9a1c2b.js.map'), '{"map":true}');
  await writeFile(join(dir, 'chunks', 'notes.txt'), 'private');
  await mkdir(join(dir, 'chunks', 'sub'));
  await writeFile(join(dir, 'chunks', 'sub', 'ui-3f9a1c2b.js'), 'nested');
  const { url } = await startServer(t, { widgetBundle });
  const paths = [
    '/chunks/..%2fpackage.json',
    '/chunks/..%2fchat-room.js',
    '/chunks/%2e%2e/package.json',
    '/chunks/x.js.map',
    '/chunks/ui-3f9a1c2b.js.map',
    '/chunks/ui-3f9a1c2b.js.br',
    '/chunks/ui-3f9a1c2b.js.gz',
    '/chunks/notes.txt',
    '/chunks/sub/ui-3f9a1c2b.js',
    '/chunks/sub%2fui-3f9a1c2b.js',
    '/chunks/UI-3f9a1c2b.js',
    '/chunks/ui-3f9a1c2.js',
    '/chunks/ui-3f9a1c2b.js%00',
    '/chunks/%75i-3f9a1c2b.js',
    '/chunks/',
    '/chunks',
    // Well-formed, but in no build.
    '/chunks/ui-00000000.js',
  ];
  for (const path of paths) {
    const res = await rawGet(`${url}${path}`, { 'accept-encoding': 'br, gzip' });
    assert.equal(res.status, 404, path);
    assert.equal(res.headers['cache-control'], 'no-store', path);
    assert.doesNotMatch(res.body.toString(), /secret|map|private|nested|import/, path);
  }
  assert.equal((await rawGet(`${url}/chunks/ui-3f9a1c2b.js`)).status, 200, 'the real one is served');
});

test('/chat-room.js: 5 minutes, and an ETag that changes with the file and answers 304 until then', async (t) => {
  const dir = await tempDir(t);
  const widgetBundle = join(dir, 'chat-room.js');
  await writeFile(widgetBundle, 'console.log("build 1");\n');
  const { url } = await startServer(t, { widgetBundle });
  const loader = `${url}/chat-room.js`;

  const first = await rawGet(loader);
  assert.equal(first.status, 200);
  assert.equal(first.headers['cache-control'], 'public, max-age=300');
  const etag = first.headers.etag!;
  assert.ok(etag);
  assert.equal((await rawGet(loader, { 'if-none-match': etag })).status, 304);

  // A deploy: same length, other bytes, a later time (as a copy or a rebuild gives it).
  await writeFile(widgetBundle, 'console.log("build 2");\n');
  const later = new Date(Date.now() + 5000);
  await utimes(widgetBundle, later, later);
  const revalidated = await rawGet(loader, { 'if-none-match': etag });
  assert.equal(revalidated.status, 200, 'the old ETag no longer matches');
  assert.equal(revalidated.body.toString(), await readFile(widgetBundle, 'utf8'));
  assert.notEqual(revalidated.headers.etag, etag);
  assert.equal((await rawGet(loader, { 'if-none-match': revalidated.headers.etag! })).status, 304);
});

test('/chunks/: unknown names cost no query each: the archived names are in memory, reloaded at most every 2 s', async (t) => {
  const dataDir = await tempDir(t);
  const real = SqliteStore.open(dataDir);
  await real.recordWidgetBuild('earlier', [{ name: 'ui-0ld0ld00.js', body: Buffer.from(chunkSource('old')) }], Date.now());
  // The real store, with its archive reads counted.
  const calls = { widgetChunkNames: 0, getWidgetChunk: 0 };
  const store = new Proxy(real, {
    get(target, key, receiver) {
      const value: unknown = Reflect.get(target, key, receiver);
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        if (key === 'widgetChunkNames' || key === 'getWidgetChunk') calls[key]++;
        return (value as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  }) as ChatStore;
  const dir = await tempDir(t);
  const { url, close } = await startServer(t, { store, widgetBundle: await writeDist(dir, { 'ui-3f9a1c2b.js': chunkSource('ui') }) });
  // The caller's store outlives the server: close the server first.
  t.after(async () => {
    await close();
    await real.close();
  });
  const namesAtStart = calls.widgetChunkNames;

  const misses = await Promise.all(Array.from({ length: 200 }, (_, i) => rawGet(`${url}/chunks/ui-${String(i).padStart(8, '0')}.js`)));
  assert.ok(misses.every((res) => res.status === 404));
  assert.ok(calls.widgetChunkNames - namesAtStart <= 1, `names reloaded ${calls.widgetChunkNames - namesAtStart} times for 200 misses`);
  assert.equal(calls.getWidgetChunk, 0, 'no body read for a name the archive does not hold');

  // An archived chunk: read once, then from memory.
  for (let i = 0; i < 5; i++) assert.equal(decoded(await rawGet(`${url}/chunks/ui-0ld0ld00.js`)).toString(), chunkSource('old'));
  assert.equal(calls.getWidgetChunk, 1);
});
