import assert from 'node:assert/strict';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { startServer, tempDir } from './helpers.js';

test('/healthz answers ok', async (t) => {
  const { url } = await startServer(t);
  const res = await fetch(`${url}/healthz`);
  assert.equal(res.status, 200);
  assert.deepEqual(await res.json(), { ok: true });
  assert.equal(res.headers.get('x-content-type-options'), 'nosniff');
});

test('/chat-room.js is served to any origin with cache headers and an ETag', async (t) => {
  const dir = await tempDir(t);
  const bundle = join(dir, 'chat-room.js');
  await writeFile(bundle, 'console.log("widget");\n');
  const { url } = await startServer(t, { widgetBundle: bundle });

  const res = await fetch(`${url}/chat-room.js`, { headers: { origin: 'https://anywhere.example' } });
  assert.equal(res.status, 200);
  assert.equal(await res.text(), 'console.log("widget");\n');
  assert.match(res.headers.get('content-type') ?? '', /^text\/javascript/);
  assert.equal(res.headers.get('cache-control'), 'public, max-age=300');
  assert.equal(res.headers.get('access-control-allow-origin'), '*');
  assert.equal(res.headers.get('cross-origin-resource-policy'), 'cross-origin');
  assert.equal(res.headers.get('x-content-type-options'), 'nosniff');
  const etag = res.headers.get('etag');
  assert.ok(etag);
  // An explicit Cache-Control stops fetch from adding `no-cache`, which would bypass revalidation.
  const again = await fetch(`${url}/chat-room.js`, { headers: { 'if-none-match': etag, 'cache-control': 'max-age=0' } });
  assert.equal(again.status, 304);
});

test('/chat-room.js answers 503 with a clear reason when the bundle is not built', async (t) => {
  const dir = await tempDir(t);
  const { url } = await startServer(t, { widgetBundle: join(dir, 'missing.js') });
  const res = await fetch(`${url}/chat-room.js`);
  assert.equal(res.status, 503);
  assert.match(await res.text(), /not built.*npm run build/);
});

test('the home page links to the demo host, which serves the demo with the server URL filled in', async (t) => {
  const demoDir = await tempDir(t);
  await writeFile(
    join(demoDir, 'index.html'),
    '<script src="%CHAT_SERVER%/chat-room.js"></script><chat-room server="%CHAT_SERVER%"></chat-room>',
  );
  await mkdir(join(demoDir, 'css'));
  await writeFile(join(demoDir, 'css', 'site.css'), 'body { color: %CHAT_SERVER%; }');
  const { url, demoUrl } = await startServer(t, { demoPort: 0, demoDir });
  assert.ok(demoUrl);
  assert.notEqual(new URL(demoUrl).port, new URL(url).port, 'the demo is another origin');

  const home = await fetch(`${url}/`);
  assert.equal(home.status, 200);
  assert.ok((await home.text()).includes(`href="${demoUrl}"`));

  const page = await fetch(`${demoUrl}/`);
  assert.equal(page.status, 200);
  assert.match(page.headers.get('content-type') ?? '', /^text\/html/);
  assert.equal(
    await page.text(),
    `<script src="${url}/chat-room.js"></script><chat-room server="${url}"></chat-room>`,
  );
  const direct = await fetch(`${demoUrl}/index.html`);
  assert.ok((await direct.text()).includes(`${url}/chat-room.js`));

  const css = await fetch(`${demoUrl}/css/site.css`);
  assert.equal(css.status, 200);
  assert.equal(await css.text(), 'body { color: %CHAT_SERVER%; }', 'only html is rewritten');
  assert.equal((await fetch(`${demoUrl}/nope.html`)).status, 404);
  assert.equal((await fetch(`${demoUrl}/..%2f..%2fetc%2fpasswd`)).status, 404);
});

test('the demo host uses the configured public URL', async (t) => {
  const demoDir = await tempDir(t);
  await writeFile(join(demoDir, 'index.html'), '%CHAT_SERVER%');
  const { demoUrl } = await startServer(t, { demoPort: 0, demoDir, publicUrl: 'https://chat.example.com/' });
  assert.equal(await (await fetch(`${demoUrl}/`)).text(), 'https://chat.example.com');
});

test('without a demo port there is no demo host', async (t) => {
  const running = await startServer(t);
  assert.equal(running.demoUrl, undefined);
  assert.match(await (await fetch(`${running.url}/`)).text(), /demo host is off/);
});
