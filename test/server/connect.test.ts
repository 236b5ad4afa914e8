import assert from 'node:assert/strict';
import { test } from 'node:test';
import { io } from 'socket.io-client';
import { isOriginAllowed } from '../../server/security/origin.js';
import { DEMO_SITE_ORIGINS } from '../../server/services/sites.js';
import { client, connect, connectError, pollingHandshake, startServer, websocketHandshake } from './helpers.js';

test('connecting to an unknown site is refused with "Invalid namespace"', async (t) => {
  const { url } = await startServer(t);
  for (const site of ['nope', 'Demo', 'demo-x', '../demo']) {
    const err = await connectError(client(t, url, { site, querySite: null }));
    assert.equal(err.message, 'Invalid namespace', site);
  }
});

test('naming an unknown site in the handshake URL is refused before any socket exists', async (t) => {
  const { url, server } = await startServer(t);
  const refused = await pollingHandshake(url, { origin: 'http://localhost:1234', site: 'nope' });
  assert.equal(refused.status, 403);
  assert.equal((JSON.parse(refused.body) as { message: string }).message, 'unknown_site');
  assert.deepEqual(await websocketHandshake(url, { origin: 'http://localhost:1234', site: 'nope' }), {
    status: 400,
    body: 'unknown_site',
  });
  await connectError(client(t, url, { site: 'nope' }));
  assert.equal(server.io.engine.clientsCount, 0);
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

const FOREIGN_ORIGINS = ['https://evil.example', 'http://localhost.evil.example:80', 'https://localhost:1234', 'null'];

test('a handshake from an origin the site does not allow is refused by Engine.IO with 403 origin_not_allowed', async (t) => {
  const { url, server } = await startServer(t);
  for (const origin of [...FOREIGN_ORIGINS, undefined]) {
    for (const site of ['demo', undefined]) {
      const refused = await pollingHandshake(url, { ...(origin ? { origin } : {}), ...(site ? { site } : {}) });
      assert.equal(refused.status, 403, `${origin} ${site}`);
      assert.deepEqual(JSON.parse(refused.body), { code: 4, message: 'origin_not_allowed' });
    }
  }
  const accepted = await pollingHandshake(url, { origin: 'http://localhost:1234', site: 'demo' });
  assert.equal(accepted.status, 200);
  assert.ok(server.metrics.refusedHandshakes >= 10);
});

test('a WebSocket from a foreign origin gets no socket at all (no cross-site WebSocket hijacking)', async (t) => {
  const { url, server } = await startServer(t);
  for (const origin of [...FOREIGN_ORIGINS, null]) {
    for (const querySite of ['demo', null]) {
      const refused = await websocketHandshake(url, { ...(origin ? { origin } : {}), ...(querySite ? { site: querySite } : {}) });
      assert.deepEqual(refused, { status: 400, body: 'origin_not_allowed' }, `${origin} ${querySite}`);
      await connectError(client(t, url, { origin, querySite }));
      assert.equal(server.io.engine.clientsCount, 0, String(origin));
    }
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
