import assert from 'node:assert/strict';
import { test } from 'node:test';
import { client, connect, connectError, createSite, startServer, websocketHandshake } from './helpers.js';

const SHOP = 'https://shop.example';

test('a socket whose Origin a site lists is accepted there and refused at another site', async (t) => {
  const { url } = await startServer(t);
  await createSite(url, { id: 'shop', name: 'Shop', origins: [SHOP] });
  const { session } = await connect(t, url, { site: 'shop', origin: SHOP });
  assert.deepEqual(session.site, { id: 'shop', name: 'Shop' });
  // Allowed by "shop" at the Engine.IO gate, refused by the demo namespace's own check.
  const err = await connectError(client(t, url, { site: 'demo', querySite: null, origin: SHOP }));
  assert.equal(err.data?.code, 'origin_not_allowed');
});

test('the site named in the handshake URL must be the site of the namespace', async (t) => {
  const { url } = await startServer(t);
  await createSite(url, { id: 'shop', name: 'Shop', origins: [SHOP, 'http://localhost:*'] });
  const err = await connectError(client(t, url, { site: 'demo', querySite: 'shop', origin: SHOP }));
  assert.equal(err.message, 'site_mismatch');
  assert.equal(err.data?.code, 'site_mismatch');
  const err2 = await connectError(client(t, url, { site: 'shop', querySite: 'demo', origin: 'http://localhost:1' }));
  assert.equal(err2.data?.code, 'site_mismatch');
});

test('a connection without an Origin is refused unless the site allows it', async (t) => {
  const { url } = await startServer(t);
  await createSite(url, { id: 'app', name: 'Native app', origins: [], allowNoOrigin: true });
  const { session } = await connect(t, url, { site: 'app', origin: null });
  assert.equal(session.site.id, 'app');
  // Naming no site passes the first gate (some site allows no Origin); the demo namespace refuses.
  const err = await connectError(client(t, url, { site: 'demo', querySite: null, origin: null }));
  assert.equal(err.data?.code, 'origin_not_allowed');
  assert.deepEqual(await websocketHandshake(url, { site: 'demo' }), { status: 400, body: 'origin_not_allowed' });
  await connectError(client(t, url, { site: 'demo', origin: null }));
});

test('an allow-list site admits only its rooms; read-only rooms refuse posts from non-moderators', async (t) => {
  const { url } = await startServer(t);
  await createSite(url, {
    id: 'club',
    name: 'Club',
    origins: ['http://localhost:*'],
    roomPolicy: 'allow-list',
    rooms: ['lobby', 'news'],
    readOnlyRooms: ['news'],
  });
  const { socket } = await connect(t, url, { site: 'club' });
  const other = await socket.emitWithAck('room:join', { room: 'elsewhere' });
  assert.equal(other.ok ? 'ok' : other.error.code, 'room_not_allowed');
  assert.ok((await socket.emitWithAck('room:join', { room: 'news' })).ok);
  const post = await socket.emitWithAck('message:send', { room: 'news', text: 'hi', clientId: crypto.randomUUID() });
  assert.equal(post.ok ? 'ok' : post.error.code, 'read_only');
  assert.ok((await socket.emitWithAck('room:join', { room: 'lobby' })).ok);
  assert.ok((await socket.emitWithAck('message:send', { room: 'lobby', text: 'hi', clientId: crypto.randomUUID() })).ok);
});
