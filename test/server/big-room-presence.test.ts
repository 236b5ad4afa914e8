/**
 * Presence that scales with the room: 300 real sockets join one room at once
 * and each receives a number of presence frames bounded by the time the room
 * took to fill (at most one update per window), not by the number of members;
 * every client ends at the true count, and the member list pages.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { PRESENCE_LIST_MAX, PRESENCE_PAGE_MAX, PRESENCE_WINDOW_MS } from '../../protocol/index.js';
import type { PresenceUpdate, UserInfo } from '../../protocol/index.js';
import type { Client } from './helpers.js';
import { api, connect, guestKey, startServer } from './helpers.js';
import { listOrder } from '../support/member-order.js';

const MEMBERS = 300;
const ROOM = 'launch';

/** Resolves once `done()` holds, polling; rejects after `timeoutMs` with what `describe()` says. */
async function until(what: string, done: () => boolean, describe: () => string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!done()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}: ${describe()}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

interface Watched {
  socket: Client;
  user: UserInfo;
  /** Presence frames (updates and notices) received since the joins began. */
  frames: number;
  /** The newest presence seen: the join's answer or a later update. */
  latest?: PresenceUpdate;
  updates: PresenceUpdate[];
}

async function pageAll(socket: Client, query?: string): Promise<{ members: UserInfo[]; pages: number; count: number }> {
  const members: UserInfo[] = [];
  let after: string | undefined;
  let pages = 0;
  let count = 0;
  do {
    const ack = await socket.emitWithAck('presence:list', { room: ROOM, limit: PRESENCE_PAGE_MAX, ...(query ? { query } : {}), ...(after ? { after } : {}) });
    assert.ok(ack.ok, JSON.stringify(ack));
    members.push(...ack.data.members);
    count = ack.data.count;
    after = ack.data.next;
    pages++;
    assert.ok(pages <= MEMBERS, 'paging ends');
  } while (after);
  return { members, pages, count };
}

test(`${MEMBERS} sockets joining one room at once: bounded presence frames per socket, every count converges, members page`, { timeout: 180_000 }, async (t) => {
  const { url } = await startServer(t);
  const watched: Watched[] = [];
  for (let i = 0; i < MEMBERS; i += 50) {
    const batch = await Promise.all(Array.from({ length: Math.min(50, MEMBERS - i) }, () => connect(t, url, { guestKey: guestKey() })));
    for (const { socket, session } of batch) {
      const w: Watched = { socket, user: session.user, frames: 0, updates: [] };
      const keep = (p: PresenceUpdate): void => {
        if (!w.latest || p.version >= w.latest.version) w.latest = p;
      };
      socket.on('presence:update', (p) => {
        w.frames++;
        w.updates.push(p);
        keep(p);
      });
      socket.on('room:notice', () => w.frames++);
      watched.push(w);
    }
  }

  const started = Date.now();
  const answers = await Promise.all(watched.map((w) => w.socket.emitWithAck('room:join', { room: ROOM })));
  for (const [i, answer] of answers.entries()) {
    assert.ok(answer.ok, JSON.stringify(answer));
    const presence = answer.data.presence;
    // The join's answer is bounded too: no member list above the big-room size.
    assert.equal(presence.members.length, presence.count <= PRESENCE_LIST_MAX ? presence.count : 0);
    const w = watched[i]!;
    if (!w.latest || presence.version >= w.latest.version) w.latest = presence;
  }
  await until(
    `a count of ${MEMBERS} at every client`,
    () => watched.every((w) => w.latest?.count === MEMBERS),
    () => `counts ${[...new Set(watched.map((w) => w.latest?.count))].join(',')}`,
    60_000,
  );
  // Let any update still on its way arrive before counting.
  await new Promise((resolve) => setTimeout(resolve, PRESENCE_WINDOW_MS * 4));
  const elapsedS = (Date.now() - started) / 1000;

  const frames = watched.map((w) => w.frames);
  const most = Math.max(...frames);
  const bound = Math.ceil(elapsedS * (1000 / PRESENCE_WINDOW_MS)) + 2;
  t.diagnostic(`filled in ${elapsedS.toFixed(1)} s; presence frames per socket: max ${most}, total ${frames.reduce((a, b) => a + b, 0)}, bound ${bound}`);
  assert.ok(most <= bound, `a socket received ${most} presence frames in ${elapsedS.toFixed(1)} s (bound ${bound})`);
  assert.ok(most < MEMBERS / 10, `far fewer frames than members: ${most}`);
  for (const w of watched) {
    for (const update of w.updates) {
      assert.equal(update.room, ROOM);
      if (update.members) assert.equal(update.members.length, update.count <= PRESENCE_LIST_MAX ? update.count : 0, 'members listed only in a small room');
      else assert.ok(update.count <= PRESENCE_LIST_MAX && update.base, 'a delta only in a small room');
      assert.ok(update.joined && update.left, 'live updates carry the window\'s changes');
    }
  }
  // Every join was announced once, cluster-wide: the joins counted by the updates a socket saw since its own join add up.
  const first = watched[0]!;
  const joinsSeen = first.updates.reduce((sum, u) => sum + u.joined!.count - u.left!.count, 0);
  assert.ok(joinsSeen <= MEMBERS, `${joinsSeen} joins announced`);

  // The member list pages: everyone exactly once, in order.
  const everyone = await pageAll(first.socket);
  assert.equal(everyone.count, MEMBERS);
  assert.equal(everyone.pages, Math.ceil(MEMBERS / PRESENCE_PAGE_MAX));
  assert.deepEqual(
    everyone.members.map((m) => m.id).sort(),
    watched.map((w) => w.user.id).sort(),
    'every member exactly once',
  );
  assert.deepEqual(everyone.members, [...everyone.members].sort(listOrder), 'in list order');

  // Prefix search, case-insensitive: the members whose name starts with a prefix of someone's name.
  const target = watched[MEMBERS - 1]!.user;
  const prefix = target.name.slice(0, 3);
  const expected = watched.map((w) => w.user).filter((u) => u.name.toLowerCase().startsWith(prefix.toLowerCase()));
  for (const query of [prefix, prefix.toUpperCase(), ` ${prefix.toLowerCase()} `]) {
    const found = await pageAll(first.socket, query);
    assert.equal(found.count, MEMBERS, 'count is the room\'s');
    assert.deepEqual(found.members.map((m) => m.id).sort(), expected.map((u) => u.id).sort(), `query ${JSON.stringify(query)}`);
    assert.ok(found.members.some((m) => m.id === target.id));
  }
  const none = await first.socket.emitWithAck('presence:list', { room: ROOM, query: 'zzzz-nobody' });
  assert.ok(none.ok);
  assert.deepEqual(none.data.members, []);
  assert.equal(none.data.next, undefined);

  // The operator's view of the room stays a bounded first page, whatever the room's size.
  const admin = await api(url, 'GET', `/sites/demo/rooms/${ROOM}/members`);
  assert.equal(admin.status, 200);
  assert.equal(admin.body.count, MEMBERS);
  assert.deepEqual(admin.body.members, everyone.members.slice(0, PRESENCE_LIST_MAX));
});
