/**
 * The built package installed where npx, `~/.local` and many CI checkouts put
 * it: under directories whose names start with a dot. Express refuses to send
 * files from such paths unless told otherwise, which left pages with no chat.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { installBuiltPackage, startServer, type RunningServer } from './harness.js';

describe('chat-room-server installed under a dot-directory', () => {
  let remove: (() => void) | undefined;
  let installed: string;
  let server: RunningServer;

  before(async () => {
    ({ installed, remove } = installBuiltPackage('.npm', '_npx', 'a1b2c3', 'node_modules', 'chat-room'));
    server = await startServer([], installed);
  });

  after(async () => {
    await server?.stop();
    remove?.();
  });

  it('serves /chat-room.js from the installed copy', async () => {
    const response = await fetch(`${server.url}/chat-room.js`);
    assert.equal(response.status, 200, server.output());
    assert.equal(await response.text(), readFileSync(join(installed, 'dist/chat-room.js'), 'utf8'));
  });

  it('serves the demo page and its assets', async () => {
    const page = await fetch(server.demoUrl);
    assert.equal(page.status, 200);
    const css = await fetch(new URL('demo.css', server.demoUrl));
    assert.equal(css.status, 200);
  });
});
