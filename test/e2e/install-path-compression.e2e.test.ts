/**
 * The built package installed under a dot-directory (as npx and `~/.local`
 * put it) still sends the precompressed bundle: Express refuses dot-segments
 * in file paths unless the directory is given as `root`, and a refusal here
 * would quietly cost every visitor the uncompressed bundle (or the widget).
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { installBuiltPackage, startServer, type RunningServer } from './harness.js';

function get(url: string, acceptEncoding: string): Promise<{ status: number; coding?: string; vary?: string; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { headers: { 'accept-encoding': acceptEncoding } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () =>
        resolve({
          status: res.statusCode ?? 0,
          coding: res.headers['content-encoding'],
          vary: res.headers.vary,
          body: Buffer.concat(chunks),
        }),
      );
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

describe('chat-room-server installed under a dot-directory sends compressed files', () => {
  let remove: (() => void) | undefined;
  let installed: string;
  let server: RunningServer;

  before(async () => {
    ({ installed, remove } = installBuiltPackage('.local', 'lib', 'node_modules', 'chat-room'));
    server = await startServer([], installed);
  });

  after(async () => {
    await server?.stop();
    remove?.();
  });

  it('serves /chat-room.js as brotli and as gzip, each decoding to the installed bundle', async () => {
    const bundle = readFileSync(join(installed, 'dist/chat-room.js'));
    const br = await get(`${server.url}/chat-room.js`, 'gzip, deflate, br');
    assert.equal(br.status, 200, server.output());
    assert.equal(br.coding, 'br');
    assert.match(String(br.vary), /accept-encoding/i);
    assert.ok(brotliDecompressSync(br.body).equals(bundle));
    const gz = await get(`${server.url}/chat-room.js`, 'gzip');
    assert.equal(gz.status, 200, server.output());
    assert.equal(gz.coding, 'gzip');
    assert.ok(gunzipSync(gz.body).equals(bundle));
  });

  it('serves the demo page and its styles compressed', async () => {
    const page = await get(server.demoUrl, 'br');
    assert.equal(page.status, 200);
    assert.equal(page.coding, 'br');
    assert.match(brotliDecompressSync(page.body).toString('utf8'), /<chat-room\b/);
    const css = await get(String(new URL('demo.css', server.demoUrl)), 'gzip');
    assert.equal(css.status, 200);
    assert.equal(css.coding, 'gzip');
    assert.ok(gunzipSync(css.body).equals(readFileSync(join(installed, 'demo/demo.css'))));
  });
});
