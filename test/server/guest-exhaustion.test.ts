/**
 * Finding 1 of issue 9: namespace CONNECTs on one WebSocket must not fill the
 * store with guests. Guests are stored when they first post; CONNECTs are
 * limited per Engine.IO connection and per address.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import type { TestContext } from 'node:test';
import Database from 'better-sqlite3';
import { Manager } from 'socket.io-client';
import type { Socket } from 'socket.io-client';
import type { ClientToServerEvents, ServerToClientEvents, Session } from '../../protocol/index.js';
import { DEFAULT_RATE_LIMITS } from '../../server/index.js';
import { SQLITE_FILE_NAME } from '../../server/storage/sqlite-store.js';
import {
  ALLOWED_ORIGIN,
  clientId,
  connect,
  createSite,
  demoSecret,
  guestKey,
  nowSeconds,
  signToken,
  startServer,
  waitFor,
} from './helpers.js';
import type { Client } from './helpers.js';

type NsSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

/** One Engine.IO connection (one WebSocket) that namespace sockets are multiplexed over. */
function manager(t: TestContext, url: string): Manager<ServerToClientEvents, ClientToServerEvents> {
  const m = new Manager<ServerToClientEvents, ClientToServerEvents>(url, {
    transports: ['websocket'],
    reconnection: false,
    autoConnect: false,
    // No site in the URL: the socket serves two sites' namespaces.
    extraHeaders: { origin: ALLOWED_ORIGIN },
  });
  t.after(() => m.engine?.close());
  return m;
}

/** Connects (again) and answers the session, or the refusal's data. */
function open(socket: NsSocket): Promise<{ session: Session } | { refused: { code: string; retryAfterMs?: number } }> {
  return new Promise((resolve) => {
    const done = () => {
      socket.off('session:ready', ready);
      socket.off('connect_error', refused);
    };
    const ready = (session: Session) => (done(), resolve({ session }));
    const refused = (err: Error & { data?: { code: string; retryAfterMs?: number } }) => (done(), resolve({ refused: err.data ?? { code: err.message } }));
    socket.on('session:ready', ready);
    socket.on('connect_error', refused);
    socket.connect();
  });
}

function storedUsers(dataDir: string, site = 'demo'): number {
  const db = new Database(join(dataDir, SQLITE_FILE_NAME), { readonly: true });
  try {
    return db.prepare<[string], { n: number }>('SELECT count(*) AS n FROM users WHERE site = ?').get(site)!.n;
  } finally {
    db.close();
  }
}

function userRow(dataDir: string, id: string): { name: string } | undefined {
  const db = new Database(join(dataDir, SQLITE_FILE_NAME), { readonly: true });
  try {
    return db.prepare<[string], { name: string }>("SELECT name FROM users WHERE site = 'demo' AND id = ?").get(id);
  } finally {
    db.close();
  }
}

test('2,000 namespace connect-and-join cycles on one WebSocket store no guest', { timeout: 120_000 }, async (t) => {
  const { url, dataDir } = await startServer(t);
  await createSite(url, { id: 'anchor', name: 'Anchor', origins: ['http://localhost:*'] });
  const m = manager(t, url);
  // Holds the WebSocket open while the demo socket connects and disconnects.
  const anchor = m.socket('/s/anchor');
  assert.ok('session' in (await open(anchor)));
  const cycler = m.socket('/s/demo');
  const before = storedUsers(dataDir);
  const transports = new Set<unknown>();
  for (let i = 0; i < 2000; i++) {
    const opened = await open(cycler);
    assert.ok('session' in opened, `cycle ${i} refused: ${JSON.stringify(opened)}`);
    const joined = await cycler.emitWithAck('room:join', { room: 'lobby' });
    assert.equal(joined.ok, true);
    transports.add(m.engine);
    cycler.disconnect();
    // A CONNECT right behind a DISCONNECT of the same namespace makes Socket.IO drop the connection; the anchor's answer says the server got past it.
    await anchor.emitWithAck('session:ping', {});
  }
  assert.equal(transports.size, 1, 'every cycle ran on the same Engine.IO connection');
  const stored = storedUsers(dataDir) - before;
  assert.ok(stored <= 3, `${stored} guests stored by 2,000 connect-and-join cycles`);
});

test('namespace CONNECTs per Engine.IO connection are limited with the default limits', async (t) => {
  const { url } = await startServer(t, { rateLimits: DEFAULT_RATE_LIMITS });
  await createSite(url, { id: 'anchor', name: 'Anchor', origins: ['http://localhost:*'] });
  const m = manager(t, url);
  const anchor = m.socket('/s/anchor');
  assert.ok('session' in (await open(anchor)));
  const socket = m.socket('/s/demo');
  // The anchor's CONNECT counted too.
  const allowed = DEFAULT_RATE_LIMITS.namespaceConnectsPerConnection.points - 1;
  let refusal: { code: string; retryAfterMs?: number } | undefined;
  let accepted = 0;
  for (let i = 0; i < allowed + 5 && !refusal; i++) {
    const opened = await open(socket);
    if ('refused' in opened) refusal = opened.refused;
    else {
      accepted++;
      socket.disconnect();
      await anchor.emitWithAck('session:ping', {});
    }
  }
  assert.equal(accepted, allowed, 'exactly the budget is accepted');
  assert.equal(refusal?.code, 'rate_limited');
  assert.ok((refusal?.retryAfterMs ?? 0) > 0, 'the refusal says when to retry');
});

test('a guest is stored when it first posts and keeps its name across reconnects', async (t) => {
  const { url, dataDir } = await startServer(t);
  const key = guestKey();
  const first = await connect(t, url, { guestKey: key });
  const { id, name } = first.session.user;
  assert.match(name, /^Guest /);
  await first.socket.emitWithAck('room:join', { room: 'lobby' });
  assert.equal(userRow(dataDir, id), undefined, 'joining stores nothing');
  first.socket.disconnect();

  const again = await connect(t, url, { guestKey: key });
  assert.deepEqual(again.session.user, first.session.user, 'the provisional name is stable for the key');
  await again.socket.emitWithAck('room:join', { room: 'lobby' });
  const sent = await again.socket.emitWithAck('message:send', { room: 'lobby', text: 'hello', clientId: clientId() });
  assert.equal(sent.ok, true);
  assert.deepEqual(userRow(dataDir, id), { name }, 'stored on the first post, with the name shown so far');
  again.socket.disconnect();

  const third = await connect(t, url, { guestKey: key });
  assert.deepEqual(third.session.user, first.session.user);
});

test('a rename (event or handshake nickname) stores the guest; others see unstored guests in presence', async (t) => {
  const { url, dataDir } = await startServer(t);
  const watcher = await connect(t, url, { guestKey: guestKey() });
  await watcher.socket.emitWithAck('room:join', { room: 'lobby' });
  const reader = await connect(t, url, { guestKey: guestKey() });
  const joined = waitFor(watcher.socket, 'presence:update', (p) => p.joined?.users.some((u) => u.id === reader.session.user.id) ?? false);
  await reader.socket.emitWithAck('room:join', { room: 'lobby' });
  assert.equal((await joined).joined!.users[0]!.name, reader.session.user.name);
  assert.equal(userRow(dataDir, reader.session.user.id), undefined);

  const renamed = await reader.socket.emitWithAck('user:rename', { name: 'Quiet Reader' });
  assert.equal(renamed.ok, true);
  assert.deepEqual(userRow(dataDir, reader.session.user.id), { name: 'Quiet Reader' });

  const nick = await connect(t, url, { guestKey: guestKey(), nickname: 'Handshake Nick' });
  assert.equal(nick.session.user.name, 'Handshake Nick');
  assert.deepEqual(userRow(dataDir, nick.session.user.id), { name: 'Handshake Nick' });
});

test('a moderator bans, and a guest DMs, a guest that is online but not stored', async (t) => {
  const { url, server, dataDir } = await startServer(t);
  const secret = await demoSecret(server);
  const token = signToken({ sub: 'mod-1', name: 'Mod One', role: 'moderator', site: 'demo', exp: nowSeconds() + 300 }, secret);
  const mod = await connect(t, url, { token });
  const target = await connect(t, url, { guestKey: guestKey() });
  const sender = await connect(t, url, { guestKey: guestKey() });

  const dm = waitFor(target.socket, 'dm:new');
  const sent = await sender.socket.emitWithAck('dm:send', { to: target.session.user.id, text: 'hi', clientId: clientId() });
  assert.equal(sent.ok, true, JSON.stringify(sent));
  assert.equal((await dm).text, 'hi');
  const history = await target.socket.emitWithAck('dm:history', { with: sender.session.user.id });
  assert.equal(history.ok && history.data.messages.length, 1);
  assert.ok(userRow(dataDir, target.session.user.id), 'a DM recipient is stored, so the conversation outlives the session');

  const bystander = await connect(t, url, { guestKey: guestKey() });
  const ended = waitFor(bystander.socket, 'session:ended');
  const banned = await mod.socket.emitWithAck('mod:ban', { userId: bystander.session.user.id, kind: 'ban', durationMs: 60_000 });
  assert.equal(banned.ok, true, JSON.stringify(banned));
  assert.equal((await ended).code, 'banned');
  const unknown = await mod.socket.emitWithAck('mod:ban', { userId: 'g_nobodyNobody123', kind: 'ban', durationMs: 60_000 });
  assert.equal(!unknown.ok && unknown.error.code, 'unknown_user');
});

test('guest names cannot run out: a crowded site still admits and stores new guests', async (t) => {
  const { url, dataDir, server } = await startServer(t);
  // Every four- and six-digit guest name taken, as after a long flood.
  await server.store.getSite('demo');
  const db = new Database(join(dataDir, SQLITE_FILE_NAME));
  const insert = db.prepare(
    "INSERT INTO users (site, id, name, name_key, kind, skeleton, created) VALUES ('demo', ?, ?, ?, 'guest', ?, 0)",
  );
  db.transaction(() => {
    for (let n = 1000; n < 10_000; n++) insert.run(`g_fill${n}`, `Guest ${n}`, `guest ${n}`, `guest${n}`);
    for (let n = 100_000; n < 1_000_000; n++) insert.run(`g_fill${n}`, `Guest ${n}`, `guest ${n}`, `guest${n}`);
  })();
  db.close();
  const visitor: { socket: Client; session: Session } = await connect(t, url, { guestKey: guestKey() });
  await visitor.socket.emitWithAck('room:join', { room: 'lobby' });
  const sent = await visitor.socket.emitWithAck('message:send', { room: 'lobby', text: 'made it', clientId: clientId() });
  assert.equal(sent.ok, true, JSON.stringify(sent));
  assert.ok(userRow(dataDir, visitor.session.user.id));
});

test('namespace CONNECTs per address are limited across connections', async (t) => {
  const perIp = 4;
  const { url } = await startServer(t, { rateLimits: { namespaceConnectsPerIp: { points: perIp, durationMs: 60_000 } } });
  const outcomes: string[] = [];
  for (let i = 0; i <= perIp; i++) {
    // A connection of its own each time: only the per-address budget is shared.
    const opened = await open(manager(t, url).socket('/s/demo'));
    outcomes.push('session' in opened ? 'ok' : opened.refused.code);
  }
  assert.deepEqual(outcomes, [...Array<string>(perIp).fill('ok'), 'rate_limited']);
});

test('the last-resort guest name (24 hex digits) cannot be taken by a rename', async (t) => {
  const { url } = await startServer(t);
  const guest = await connect(t, url, { guestKey: guestKey() });
  const squat = await guest.socket.emitWithAck('user:rename', { name: 'Guest 0123456789abcdef01234567' });
  assert.equal(!squat.ok && squat.error.code, 'nickname_taken');
  const plain = await guest.socket.emitWithAck('user:rename', { name: 'Guest 0123456789' });
  assert.equal(plain.ok, true, 'other numbered names stay allowed');
});
