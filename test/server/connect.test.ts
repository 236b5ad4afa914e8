import assert from 'node:assert/strict';
import { test } from 'node:test';
import { io } from 'socket.io-client';
import { isOriginAllowed } from '../../server/security/origin.js';
import { DEMO_SITE_ORIGINS } from '../../server/services/sites.js';
import { client, connect, connectError, startServer } from './helpers.js';

test('connecting to an unknown site is refused with "Invalid namespace"', async (t) => {
  const { url } = await startServer(t);
  for (const site of ['nope', 'Demo', 'demo-x', '../demo']) {
    const err = await connectError(client(t, url, { site }));
    assert.equal(err.message, 'Invalid namespace', site);
  }
});

test('the default namespace serves nothing', async (t) => {
  const { url } = await startServer(t);
  const socket = io(url, { transports: ['websocket'], reconnection: false, extraHeaders: { origin: 'http://localhost:1' } });
  t.after(() => {
    socket.disconnect();
  });
  const err = await new Promise<Error & { data?: { code: string } }>((resolve) => socket.once('connect_error', resolve));
  assert.equal(err.data?.code, 'unknown_site');
});

test('a page from an origin the site does not allow is refused with origin_not_allowed', async (t) => {
  const { url } = await startServer(t);
  for (const origin of ['https://evil.example', 'http://localhost.evil.example:80', 'https://localhost:1234', 'null', null]) {
    const err = await connectError(client(t, url, { origin }));
    assert.equal(err.message, 'origin_not_allowed', String(origin));
    assert.equal(err.data?.code, 'origin_not_allowed');
  }
});

test('pages on any local port are allowed for the demo site', async (t) => {
  const { url } = await startServer(t);
  for (const origin of ['http://localhost:5173', 'http://127.0.0.1:8081', 'http://[::1]:3000', 'http://localhost']) {
    const { session } = await connect(t, url, { origin });
    assert.equal(session.site.id, 'demo', origin);
  }
});

test('origin matching is exact, with * allowed only as the whole port', () => {
  const allowed = ['https://shop.example', ...DEMO_SITE_ORIGINS, 'https://*.wild.example', 'https://x.example:*/path'];
  assert.equal(isOriginAllowed('https://shop.example', allowed), true);
  assert.equal(isOriginAllowed('http://localhost:9', allowed), true);
  assert.equal(isOriginAllowed('https://shop.example:8443', allowed), false);
  assert.equal(isOriginAllowed('http://shop.example', allowed), false);
  assert.equal(isOriginAllowed('https://shop.example.evil', allowed), false);
  assert.equal(isOriginAllowed('https://a.wild.example', allowed), false, 'no host wildcards');
  assert.equal(isOriginAllowed('https://x.example:1', allowed), false, 'a pattern with a path matches nothing');
  assert.equal(isOriginAllowed('http://localhost:9/', allowed), false, 'not an origin');
  assert.equal(isOriginAllowed('https://localhost:9', allowed), false, 'scheme must match');
  assert.equal(isOriginAllowed(undefined, allowed), false);
  assert.equal(isOriginAllowed('', allowed), false);
});
