/**
 * `room:join { quiet: true }` (a launcher before its first opening): the
 * socket follows the room — live messages, deletions, the join's answer —
 * but its user is not in the room's presence, no notice names them, and
 * nothing of theirs is stored. A later plain join enters presence as usual.
 * Run against the in-memory presence and, with REDIS_URL, the Redis one.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { test } from 'node:test';
import type { TestContext } from 'node:test';
import Database from 'better-sqlite3';
import { Redis } from 'ioredis';
import type { PresenceUpdate } from '../../protocol/index.js';
import { SQLITE_FILE_NAME } from '../../server/storage/sqlite-store.js';
import {
  TEST_GRACE_MS,
  api,
  clientId,
  connect,
  emitRaw,
  guestKey,
  record,
  sentinel,
  sleep,
  startServer,
  waitFor,
} from './helpers.js';
import type { Client } from './helpers.js';

const ROOM = 'lobby';
const { REDIS_URL } = process.env;

type Mode = 'memory' | 'redis';

/** A server with the presence of `mode`; with Redis, its keys under a prefix of this test's own, removed at the end. */
async function scene(t: TestContext, mode: Mode) {
  const prefix = `quiet-join-${randomUUID()}:`;
  const redis = mode === 'redis' ? new Redis(REDIS_URL!) : undefined;
  const running = await startServer(t, redis ? { cluster: { redis, prefix } } : {});
  // After the server's own teardown (hooks run in the order they were added): it still needs Redis to close.
  if (redis) {
    t.after(async () => {
      const keys = await redis.keys(`${prefix}*`);
      if (keys.length) await redis.del(...keys);
      redis.disconnect();
    });
  }
  const member = await connect(t, running.url, { guestKey: guestKey(), nickname: 'Member Mia' });
  // The member's own join is announced too: let it arrive before the test watches the room.
  const announced = waitFor(member.socket, 'presence:update', (p) => p.joined?.count === 1);
  assert.ok((await member.socket.emitWithAck('room:join', { room: ROOM })).ok);
  await announced;
  /** Every Redis key naming `id` (presence keeps a user's rooms, sockets and profile under keys and values). */
  const redisMentions = async (id: string): Promise<string[]> => {
    if (!redis) return [];
    const found: string[] = [];
    for (const key of await redis.keys(`${prefix}*`)) {
      const type = await redis.type(key);
      const values =
        type === 'hash' ? Object.entries(await redis.hgetall(key)).flat()
        : type === 'set' ? await redis.smembers(key)
        : type === 'string' ? [(await redis.get(key)) ?? '']
        : [];
      if (key.includes(id) || values.some((v) => v.includes(id))) found.push(key);
    }
    return found;
  };
  return { ...running, member, redisMentions };
}

/** Every row of every table of the server's SQLite file, as JSON lines by table. */
function tableRows(dataDir: string): Record<string, Set<string>> {
  const db = new Database(join(dataDir, SQLITE_FILE_NAME), { readonly: true });
  try {
    const tables = db.prepare<[], { name: string }>("SELECT name FROM sqlite_master WHERE type = 'table'").all();
    return Object.fromEntries(
      tables.map(({ name }) => [name, new Set(db.prepare<[], unknown>(`SELECT * FROM "${name}"`).all().map((row) => JSON.stringify(row)))]),
    );
  } finally {
    db.close();
  }
}

/** The rows of `after` that `before` did not have, by table (tables without any left out). */
function newRows(before: Record<string, Set<string>>, after: Record<string, Set<string>>): Record<string, string[]> {
  const added: Record<string, string[]> = {};
  for (const [table, rows] of Object.entries(after)) {
    const fresh = [...rows].filter((row) => !before[table]?.has(row));
    if (fresh.length) added[table] = fresh;
  }
  return added;
}

async function send(socket: Client, text: string) {
  const ack = await socket.emitWithAck('message:send', { room: ROOM, text, clientId: clientId() });
  assert.ok(ack.ok, JSON.stringify(ack));
  return ack.data.message;
}

/** The members of a list, or those a delta names as joined. */
function ids(presence: PresenceUpdate): string[] {
  return (presence.members ?? presence.joined?.users ?? []).map((m) => m.id);
}

for (const mode of ['memory', 'redis'] as const) {
  const skip = mode === 'redis' && !REDIS_URL ? 'not run: set REDIS_URL' : false;

  test(`${mode}: a quiet joiner gets the room's messages and deletions but is in nobody's presence`, { skip }, async (t) => {
    const { url, dataDir, member, redisMentions } = await scene(t, mode);
    const earlier = await send(member.socket, 'before the launcher came');
    const before = tableRows(dataDir);
    const memberNotices = record(member.socket, 'room:notice');
    const memberPresence = record(member.socket, 'presence:update');

    const quiet = await connect(t, url, { guestKey: guestKey() });
    const quietId = quiet.session.user.id;
    const joined = await quiet.socket.emitWithAck('room:join', { room: ROOM, quiet: true });
    assert.ok(joined.ok, JSON.stringify(joined));
    assert.deepEqual(joined.data.messages.map((m) => m.id), [earlier.id]);
    assert.equal(joined.data.lastSeq, earlier.seq);
    assert.equal(joined.data.cursor, 0);
    assert.equal(joined.data.presence.count, 1, 'the picture counts the members, not the quiet joiner');
    assert.deepEqual(ids(joined.data.presence), [member.session.user.id]);

    const live = waitFor(quiet.socket, 'message:new');
    const message = await send(member.socket, 'for the badge');
    assert.equal((await live).id, message.id);
    const deleted = waitFor(quiet.socket, 'message:deleted');
    const erased = await api(url, 'DELETE', `/sites/demo/rooms/${ROOM}/messages/${message.id}`);
    assert.equal(erased.status, 200);
    assert.equal((await deleted).id, message.id);

    await sentinel(member.socket, member.socket, ROOM);
    assert.deepEqual(memberNotices, [], 'no join notice');
    assert.deepEqual(memberPresence, [], 'no presence update');
    const members = await api(url, 'GET', `/sites/demo/rooms/${ROOM}/members`);
    assert.deepEqual((members.body.members as Array<{ id: string }>).map((m) => m.id), [member.session.user.id]);
    const rooms = await api(url, 'GET', '/sites/demo/rooms');
    assert.deepEqual(rooms.body.rooms, [{ room: ROOM, count: 1 }]);
    assert.deepEqual(await redisMentions(quietId), []);
    assert.ok(!JSON.stringify(newRows(before, tableRows(dataDir))).includes(quietId), 'no row names the quiet joiner');
  });

  test(`${mode}: a quiet joiner that only reads leaves no row anywhere`, { skip }, async (t) => {
    const { url, dataDir, member, redisMentions } = await scene(t, mode);
    await send(member.socket, 'warm up');
    const before = tableRows(dataDir);

    const quiet = await connect(t, url, { guestKey: guestKey(), lang: 'zh-CN' });
    const quietId = quiet.session.user.id;
    assert.ok((await quiet.socket.emitWithAck('room:join', { room: ROOM, quiet: true })).ok);
    const arrived = record(quiet.socket, 'message:new');
    const last = waitFor(quiet.socket, 'message:new', (m) => m.text === 'three');
    for (const text of ['one', 'two', 'three']) await send(member.socket, text);
    await last;
    assert.deepEqual(arrived.map((m) => m.text), ['one', 'two', 'three']);
    assert.ok((await quiet.socket.emitWithAck('message:history', { room: ROOM, afterSeq: 0 })).ok);
    // Joining quietly again (a second view, a reconnect) is a read too.
    assert.ok((await quiet.socket.emitWithAck('room:join', { room: ROOM, quiet: true })).ok);
    assert.ok((await quiet.socket.emitWithAck('room:leave', { room: ROOM })).ok);

    const added = newRows(before, tableRows(dataDir));
    assert.deepEqual(Object.keys(added), ['messages'], `only the member's messages are new: ${JSON.stringify(added)}`);
    assert.equal(added.messages!.length, 3);
    assert.ok(!JSON.stringify(added).includes(quietId));
    assert.deepEqual(await redisMentions(quietId), []);
  });

  test(`${mode}: a plain join after a quiet one enters presence; a quiet join after a plain one changes nothing`, { skip }, async (t) => {
    const { url, member } = await scene(t, mode);
    const updates = record(member.socket, 'presence:update');
    const quiet = await connect(t, url, { guestKey: guestKey() });
    const quietId = quiet.session.user.id;
    assert.ok((await quiet.socket.emitWithAck('room:join', { room: ROOM, quiet: true })).ok);
    const changes = () => updates.map((u) => [u.joined!.users.map((j) => j.id), u.left!.users.map((l) => l.id)]);

    const announced = waitFor(member.socket, 'presence:update', (p) => ids(p).includes(quietId));
    const entered = await quiet.socket.emitWithAck('room:join', { room: ROOM });
    assert.ok(entered.ok);
    assert.deepEqual(ids(entered.data.presence).sort(), [member.session.user.id, quietId].sort());
    await announced;
    assert.deepEqual(changes(), [[[quietId], []]]);

    // A second view joining quietly on the same socket must not take the user out.
    const again = await quiet.socket.emitWithAck('room:join', { room: ROOM, quiet: true });
    assert.ok(again.ok);
    assert.ok(ids(again.data.presence).includes(quietId));
    await sleep(TEST_GRACE_MS * 2);
    await sentinel(quiet.socket, member.socket, ROOM);
    assert.deepEqual(changes(), [[[quietId], []]]);
    const members = await api(url, 'GET', `/sites/demo/rooms/${ROOM}/members`);
    assert.ok((members.body.members as Array<{ id: string }>).some((m) => m.id === quietId));

    // Left as a member: the leave is announced after the grace period.
    const left = waitFor(member.socket, 'presence:update', (p) => p.left?.users.some((u) => u.id === quietId) ?? false, TEST_GRACE_MS * 10);
    assert.ok((await quiet.socket.emitWithAck('room:leave', { room: ROOM })).ok);
    await left;
  });

  test(`${mode}: leaving or disconnecting from a quiet join announces nothing`, { skip }, async (t) => {
    const { url, member } = await scene(t, mode);
    const notices = record(member.socket, 'room:notice');
    const updates = record(member.socket, 'presence:update');
    const leaver = await connect(t, url, { guestKey: guestKey() });
    const dropper = await connect(t, url, { guestKey: guestKey() });
    for (const { socket } of [leaver, dropper]) assert.ok((await socket.emitWithAck('room:join', { room: ROOM, quiet: true })).ok);
    assert.ok((await leaver.socket.emitWithAck('room:leave', { room: ROOM })).ok);
    dropper.socket.disconnect();
    await sleep(TEST_GRACE_MS * 2);
    await sentinel(member.socket, member.socket, ROOM);
    assert.deepEqual(notices, []);
    assert.deepEqual(updates, []);
  });

  test(`${mode}: a quiet joiner is not shown typing`, { skip }, async (t) => {
    const { url, member } = await scene(t, mode);
    const typing = record(member.socket, 'typing:update');
    const quiet = await connect(t, url, { guestKey: guestKey() });
    assert.ok((await quiet.socket.emitWithAck('room:join', { room: ROOM, quiet: true })).ok);
    quiet.socket.emit('typing:set', { room: ROOM, typing: true });
    await sentinel(quiet.socket, member.socket, ROOM);
    assert.deepEqual(typing, []);
  });
}

test('quiet must be a boolean', async (t) => {
  const { url } = await startServer(t);
  const { socket } = await connect(t, url, { guestKey: guestKey() });
  for (const quiet of ['yes', 1, null]) {
    const ack = (await emitRaw(socket, 'room:join', { room: ROOM, quiet })) as { ok: boolean; error?: { code: string } };
    assert.equal(ack.error?.code, 'invalid_payload', JSON.stringify(quiet));
  }
});
