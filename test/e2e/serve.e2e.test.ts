/**
 * The built server as a site owner runs it: the widget bundle at /chat-room.js
 * for any origin, and the demo site on its own port with the chat server URL
 * filled in.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { root, startServer, type RunningServer } from './harness.js';

describe('chat-room-server (built)', () => {
  let server: RunningServer;

  before(async () => {
    server = await startServer();
  });

  after(async () => {
    await server?.stop();
  });

  it('serves the built widget bundle at /chat-room.js to other origins', async () => {
    const response = await fetch(`${server.url}/chat-room.js`, {
      headers: { Origin: 'https://some-other-site.example' },
    });
    assert.equal(response.status, 200);
    assert.match(response.headers.get('content-type') ?? '', /javascript/);
    const allowOrigin = response.headers.get('access-control-allow-origin');
    assert.ok(
      allowOrigin === '*' || allowOrigin === 'https://some-other-site.example',
      `CORS header allows the page's origin (got ${allowOrigin})`,
    );
    assert.ok(response.headers.get('cache-control'), 'the bundle has cache headers');
    const body = await response.text();
    assert.equal(body, readFileSync(join(root, 'dist/chat-room.js'), 'utf8'), 'the bytes of dist/chat-room.js');
  });

  it('serves the demo on another origin with %CHAT_SERVER% replaced', async () => {
    assert.notEqual(new URL(server.demoUrl).origin, new URL(server.url).origin);
    const response = await fetch(server.demoUrl);
    assert.equal(response.status, 200);
    assert.match(response.headers.get('content-type') ?? '', /text\/html/);
    const html = await response.text();
    assert.ok(!html.includes('%CHAT_SERVER%'), 'no placeholder left');
    assert.ok(html.includes(`src="${new URL(server.url).origin}/chat-room.js"`), 'the script tag points at the chat server');

    const css = await fetch(new URL('demo.css', server.demoUrl));
    assert.equal(css.status, 200);
    assert.match(css.headers.get('content-type') ?? '', /text\/css/);
  });

  it('answers /healthz', async () => {
    const response = await fetch(`${server.url}/healthz`);
    assert.equal(response.status, 200);
  });
});
