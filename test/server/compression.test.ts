/**
 * What the server sends to browsers goes out compressed: the widget bundle
 * from the `.br` / `.gz` files `npm run build` writes, the demo's pages and
 * styles compressed in memory. Raw HTTP (node:http), not fetch, which would
 * decompress and hide the coding. Needs `npm run build` first.
 */
import assert from 'node:assert/strict';
import { copyFile, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { DEFAULT_DEMO_DIR, DEFAULT_WIDGET_BUNDLE } from '../../server/paths.js';
import { decoded as decode, rawGet as get, type RawResponse } from '../support/widget-dist.js';
import { startServer, tempDir } from './helpers.js';

function assertVaries(res: RawResponse): void {
  assert.match(String(res.headers.vary), /\baccept-encoding\b/i, `Vary: ${res.headers.vary}`);
}

const bundle = await readFile(DEFAULT_WIDGET_BUNDLE);

test('/chat-room.js: each coding when accepted, byte-exact after decoding, with its own length and ETag', async (t) => {
  const { url } = await startServer(t);
  const cases: Array<[string | undefined, string | undefined]> = [
    ['gzip, deflate, br, zstd', 'br'],
    ['br;q=0.1, gzip;q=1', 'br'],
    ['gzip, deflate', 'gzip'],
    ['x-gzip', 'gzip'],
    ['br;q=0, *', 'gzip'],
    ['*', 'br'],
    [undefined, undefined],
    ['identity', undefined],
    ['deflate, zstd', undefined],
    ['br;q=0, gzip;q=0', undefined],
  ];
  const etags = new Map<string | undefined, string>();
  for (const [accept, coding] of cases) {
    const res = await get(`${url}/chat-room.js`, accept === undefined ? {} : { 'accept-encoding': accept });
    const what = `Accept-Encoding: ${accept}`;
    assert.equal(res.status, 200, what);
    assert.equal(res.headers['content-encoding'], coding, what);
    assert.equal(res.headers['content-type'], 'text/javascript; charset=utf-8', what);
    assert.equal(Number(res.headers['content-length']), res.body.length, what);
    assert.equal(res.headers['cache-control'], 'public, max-age=300', what);
    assert.equal(res.headers['access-control-allow-origin'], '*', what);
    assertVaries(res);
    assert.ok(decode(res).equals(bundle), `${what}: decodes to dist/chat-room.js`);
    const etag = res.headers.etag;
    assert.ok(etag, what);
    assert.equal(etags.get(coding) ?? etag, etag, `${what}: one ETag per coding`);
    etags.set(coding, etag);
  }
  assert.equal(new Set(etags.values()).size, 3, `distinct ETags per coding: ${[...etags.values()].join(' ')}`);
  const br = await get(`${url}/chat-room.js`, { 'accept-encoding': 'br' });
  assert.ok(br.body.length < bundle.length / 2, 'brotli is far smaller than the bundle');
});

test('/chat-room.js: If-None-Match answers 304 for the same coding, 200 for another', async (t) => {
  const { url } = await startServer(t);
  const first = await get(`${url}/chat-room.js`, { 'accept-encoding': 'br' });
  const etag = first.headers.etag!;
  const again = await get(`${url}/chat-room.js`, { 'accept-encoding': 'br', 'if-none-match': etag });
  assert.equal(again.status, 304);
  assert.equal(again.body.length, 0);
  assertVaries(again);
  assert.equal(again.headers.etag, etag);
  const other = await get(`${url}/chat-room.js`, { 'accept-encoding': 'gzip', 'if-none-match': etag });
  assert.equal(other.status, 200, 'a brotli ETag does not validate a gzip copy');
  assert.equal(other.headers['content-encoding'], 'gzip');
  assert.ok(decode(other).equals(bundle));
});

test('/chat-room.js: HEAD gives the coded length without a body', async (t) => {
  const { url } = await startServer(t);
  const stored = await readFile(`${DEFAULT_WIDGET_BUNDLE}.br`);
  const res = await get(`${url}/chat-room.js`, { 'accept-encoding': 'br' }, 'HEAD');
  assert.equal(res.status, 200);
  assert.equal(res.headers['content-encoding'], 'br');
  assert.equal(Number(res.headers['content-length']), stored.length);
  assert.equal(res.body.length, 0);
});

test('/chat-room.js: without the precompressed files, the bundle itself goes out', async (t) => {
  const dir = await tempDir(t);
  const only = join(dir, 'chat-room.js');
  await copyFile(DEFAULT_WIDGET_BUNDLE, only);
  const { url } = await startServer(t, { widgetBundle: only });
  const res = await get(`${url}/chat-room.js`, { 'accept-encoding': 'gzip, deflate, br' });
  assert.equal(res.status, 200);
  assert.equal(res.headers['content-encoding'], undefined);
  assert.equal(Number(res.headers['content-length']), bundle.length);
  assertVaries(res);
  assert.ok(res.body.equals(bundle));
});

test('demo host: the page and its styles are compressed, with Vary, ETag and 304', async (t) => {
  const { url, demoUrl } = await startServer(t, { demoPort: 0 });
  assert.ok(demoUrl);
  const html = (await readFile(join(DEFAULT_DEMO_DIR, 'index.html'), 'utf8')).replaceAll('%CHAT_SERVER%', url);
  const files: Array<[string, Buffer, string]> = [
    ['/', Buffer.from(html), 'text/html; charset=utf-8'],
    ['/demo.css', await readFile(join(DEFAULT_DEMO_DIR, 'demo.css')), 'text/css; charset=utf-8'],
    ['/favicon.svg', await readFile(join(DEFAULT_DEMO_DIR, 'favicon.svg')), 'image/svg+xml'],
  ];
  for (const [path, content, type] of files) {
    const etags = new Set<string>();
    for (const [accept, coding] of [['gzip, br', 'br'], ['gzip', 'gzip'], ['identity', undefined]] as const) {
      const what = `${path} with Accept-Encoding: ${accept}`;
      const res = await get(`${demoUrl}${path}`, { 'accept-encoding': accept });
      assert.equal(res.status, 200, what);
      assert.equal(res.headers['content-encoding'], coding, what);
      assert.equal(res.headers['content-type'], type, what);
      assert.equal(Number(res.headers['content-length']), res.body.length, what);
      assert.equal(res.headers['cache-control'], 'no-cache', what);
      assertVaries(res);
      assert.ok(decode(res).equals(content), `${what}: decodes to the file`);
      if (path === '/') assert.match(String(res.headers['content-security-policy']), /script-src 'self' http:/, what);
      const etag = res.headers.etag!;
      assert.match(etag, /^"/, `${what}: strong ETag`);
      etags.add(etag);
      const again = await get(`${demoUrl}${path}`, { 'accept-encoding': accept, 'if-none-match': etag });
      assert.equal(again.status, 304, what);
      assert.equal(again.body.length, 0, what);
    }
    assert.equal(etags.size, 3, `${path}: one ETag per coding`);
  }
});
