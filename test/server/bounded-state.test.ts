/**
 * State that attacker input can grow is bounded: the site cache, the admin
 * API (rate-limited per address, failed authentication especially), and the
 * presence of rooms that emptied.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Manager } from 'socket.io-client';
import type { UserId, UserInfo } from '../../protocol/index.js';
import { SITE_QUERY_PARAM } from '../../protocol/index.js';
import { DEFAULT_RATE_LIMITS, scaleRateLimits } from '../../server/index.js';
import { MemoryPresence } from '../../server/presence/memory-presence.js';
import { SITE_CACHE_MAX } from '../../server/services/sites.js';
import { ALLOWED_ORIGIN, api, connect, guestKey, startServer } from './helpers.js';

/** Socket.IO packet types (socket.io-parser's `PacketType`, which is not a dependency of ours). */
type PacketType = NonNullable<Parameters<Manager['_packet']>[0]['type']>;
const CONNECT = 0 as PacketType;
const CONNECT_ERROR = 4 as PacketType;

test('50,000 CONNECTs to unknown namespaces on one WebSocket leave the site cache within its bound', { timeout: 120_000 }, async (t) => {
  // Every limit raised (per-connection namespace connects included): what is proven is the cache's bound.
  const { url, server } = await startServer(t, { rateLimits: scaleRateLimits(DEFAULT_RATE_LIMITS, 100_000) });
  const manager = new Manager(url, {
    transports: ['websocket'],
    reconnection: false,
    autoConnect: false,
    query: { [SITE_QUERY_PARAM]: 'demo' },
    extraHeaders: { origin: ALLOWED_ORIGIN },
  });
  t.after(() => manager.engine?.close());
  await new Promise<void>((resolve, reject) => manager.open((err) => (err ? reject(err) : resolve())));

  const total = 50_000;
  let refused = 0;
  const allRefused = new Promise<void>((resolve) => {
    manager.on('packet', (packet) => {
      if (packet.type === CONNECT_ERROR && ++refused === total) resolve();
    });
  });
  for (let i = 0; i < total; i++) {
    manager._packet({ type: CONNECT, nsp: `/s/nowhere-${i}` });
    // Let the socket drain now and then instead of queueing 50,000 frames at once.
    if (i % 1000 === 999) await new Promise((resolve) => setImmediate(resolve));
  }
  await allRefused;

  assert.ok(server.sites.cacheSize <= SITE_CACHE_MAX, `the site cache holds ${server.sites.cacheSize} entries`);
  // The known site still works on the same server.
  await connect(t, url, { guestKey: guestKey() });
});

test('a flood of failed admin authentications is answered 429 with Retry-After, the right token included', async (t) => {
  const { url, server } = await startServer(t, { rateLimits: { adminAuthFailuresPerIp: { points: 10, durationMs: 60_000 } } });
  const before = server.sites.cacheSize;
  const statuses: number[] = [];
  let limited: Response | undefined;
  for (let i = 0; i < 30; i++) {
    // 15 KB ids, as in the report: they must not be looked up or kept.
    const res = await fetch(`${url}/api/sites/${'x'.repeat(15_000)}${i}`, { headers: { authorization: 'Bearer x' } });
    statuses.push(res.status);
    if (res.status === 429) limited ??= res;
    else await res.arrayBuffer();
  }
  assert.deepEqual(statuses.slice(0, 10), Array(10).fill(401), statuses.join());
  assert.deepEqual(statuses.slice(10), Array(20).fill(429), statuses.join());
  const retryAfter = Number(limited!.headers.get('retry-after'));
  assert.ok(retryAfter >= 1 && retryAfter <= 60, `Retry-After: ${retryAfter}`);
  assert.equal(((await limited!.json()) as { error: { code: string } }).error.code, 'rate_limited');
  // Guessing stops for this address, even when a guess is right.
  assert.equal((await api(url, 'GET', '/sites')).status, 429);
  assert.equal(server.sites.cacheSize, before, 'no id of the flood reached the site cache');
});

test('the admin API has a request budget per address', async (t) => {
  const { url } = await startServer(t, { rateLimits: { adminRequestsPerIp: { points: 5, durationMs: 60_000 } } });
  const statuses: number[] = [];
  for (let i = 0; i < 8; i++) statuses.push((await api(url, 'GET', '/sites')).status);
  assert.deepEqual(statuses, [200, 200, 200, 200, 200, 429, 429, 429]);
});

/** The in-memory presence store, telling when a member is removed. */
class WatchedPresence extends MemoryPresence {
  private readonly waiting = new Map<UserId, () => void>();

  removed(userId: UserId): Promise<void> {
    return new Promise((resolve) => this.waiting.set(userId, resolve));
  }

  override async removeIfIdle(site: string, room: string, userId: UserId): Promise<UserInfo | undefined> {
    const user = await super.removeIfIdle(site, room, userId);
    if (user) this.waiting.get(userId)?.();
    return user;
  }
}

test('a room that empties leaves no presence state behind', async (t) => {
  const presence = new WatchedPresence();
  const { url } = await startServer(t, { presence });
  const users = await Promise.all([0, 1].map(() => connect(t, url, { guestKey: guestKey() })));
  for (const { socket } of users) await socket.emitWithAck('room:join', { room: 'room-0' });
  const before = (await presence.snapshot('demo', 'room-0', 10)).version;
  assert.ok(presence.size > 0);

  const gone = users.map(({ session }) => presence.removed(session.user.id));
  for (const { socket } of users) socket.disconnect();
  await Promise.all(gone);
  assert.equal(presence.size, 0, 'no member, socket or version of the empty room is kept');

  // Coming back, a client still sees versions grow (it ignores older ones).
  const again = await connect(t, url, { guestKey: guestKey() });
  const joined = await again.socket.emitWithAck('room:join', { room: 'room-0' });
  assert.ok(joined.ok);
  assert.ok(joined.data.presence.version > before, `${joined.data.presence.version} after ${before}`);
});
