/**
 * Joins and leaves arrive in coalesced presence updates: named, with the
 * member list, in a room of at most the big-room size; counted only, with no
 * list, in a bigger one. `presence:list` works in rooms of any size and is
 * bounded like every request.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { NICKNAME_MAX_LENGTH, PRESENCE_PAGE_MAX, PRESENCE_PAGE_SIZE } from '../../protocol/index.js';
import type { PresenceUpdate } from '../../protocol/index.js';
import { TEST_GRACE_MS, connect, emitRaw, guestKey, record, startServer, waitFor } from './helpers.js';
import { applied } from './presence-view.js';

const BIG_ROOM_SIZE = 5;

test('a small room names who joined and left, with the member list', async (t) => {
  const { url } = await startServer(t, { bigRoomSize: BIG_ROOM_SIZE });
  const alice = await connect(t, url, { nickname: 'Alice' });
  const bob = await connect(t, url, { nickname: 'Bob' });
  const first = await alice.socket.emitWithAck('room:join', { room: 'small' });
  assert.ok(first.ok);

  const joined = waitFor(alice.socket, 'presence:update', (p) => p.count === 2);
  assert.ok((await bob.socket.emitWithAck('room:join', { room: 'small' })).ok);
  const update = await joined;
  assert.deepEqual(update.joined, { count: 1, users: [bob.session.user] });
  assert.deepEqual(update.left, { count: 0, users: [] });
  assert.equal(update.members, undefined, 'a delta from the list Alice has');
  const listed = applied(first.data.presence.members, update);
  assert.deepEqual(listed.map((m) => m.name), ['Alice', 'Bob']);

  const left = waitFor(alice.socket, 'presence:update', (p) => p.count === 1, TEST_GRACE_MS * 10);
  bob.socket.disconnect();
  const after = await left;
  assert.deepEqual(after.left, { count: 1, users: [bob.session.user] });
  assert.deepEqual(after.joined, { count: 0, users: [] });
  assert.equal(after.base, update.version);
  assert.deepEqual(applied(listed, after), [alice.session.user]);
});

test('a big room counts who joined and left, names nobody and lists nobody', async (t) => {
  const { url } = await startServer(t, { bigRoomSize: BIG_ROOM_SIZE });
  const watcher = await connect(t, url);
  assert.ok((await watcher.socket.emitWithAck('room:join', { room: 'big' })).ok);
  const first = await Promise.all(Array.from({ length: BIG_ROOM_SIZE + 2 }, () => connect(t, url, { guestKey: guestKey() })));
  const full = waitFor(watcher.socket, 'presence:update', (p) => p.count === BIG_ROOM_SIZE + 3, 5000);
  for (const { socket } of first) assert.ok((await socket.emitWithAck('room:join', { room: 'big' })).ok);
  const big = await full;
  assert.deepEqual(big.members, [], 'no member list above the big-room size');

  const updates = record(watcher.socket, 'presence:update');
  const more = await Promise.all(Array.from({ length: 4 }, () => connect(t, url, { guestKey: guestKey() })));
  const all = waitFor(watcher.socket, 'presence:update', (p) => p.count === BIG_ROOM_SIZE + 7, 5000);
  const answers = await Promise.all(more.map(({ socket }) => socket.emitWithAck('room:join', { room: 'big' })));
  for (const answer of answers) {
    assert.ok(answer.ok);
    assert.deepEqual(answer.data.presence.members, []);
  }
  await all;
  const sum = (pick: (u: PresenceUpdate) => number): number => updates.reduce((n, u) => n + pick(u), 0);
  assert.equal(sum((u) => u.joined!.count), 4, 'every join counted once');
  assert.deepEqual(updates.flatMap((u) => [...u.joined!.users, ...u.left!.users, ...u.members!]), [], 'nobody named');

  updates.length = 0;
  const gone = waitFor(watcher.socket, 'presence:update', (p) => p.count === BIG_ROOM_SIZE + 5, TEST_GRACE_MS * 10);
  for (const { socket } of more.slice(0, 2)) socket.disconnect();
  await gone;
  assert.equal(sum((u) => u.left!.count), 2, 'every leave counted once');
  assert.deepEqual(updates.flatMap((u) => [...u.joined!.users, ...u.left!.users, ...u.members!]), [], 'nobody named');
});

test('renames are noticed in small rooms only', async (t) => {
  const { url } = await startServer(t, { bigRoomSize: BIG_ROOM_SIZE });
  const renamer = await connect(t, url, { nickname: 'Before' });
  const smallPeer = await connect(t, url);
  const bigPeer = await connect(t, url);
  for (const { socket } of [renamer, smallPeer]) assert.ok((await socket.emitWithAck('room:join', { room: 'small' })).ok);
  for (const { socket } of [renamer, bigPeer]) assert.ok((await socket.emitWithAck('room:join', { room: 'big' })).ok);
  const crowd = await Promise.all(Array.from({ length: BIG_ROOM_SIZE }, () => connect(t, url, { guestKey: guestKey() })));
  for (const { socket } of crowd) assert.ok((await socket.emitWithAck('room:join', { room: 'big' })).ok);

  const bigNotices = record(bigPeer.socket, 'room:notice');
  const notice = waitFor(smallPeer.socket, 'room:notice');
  const listed = waitFor(smallPeer.socket, 'presence:update', (p) => p.updated?.some((m) => m.name === 'After') ?? false);
  assert.ok((await renamer.socket.emitWithAck('user:rename', { name: 'After' })).ok);
  assert.deepEqual(await notice, { room: 'small', kind: 'rename', user: { ...renamer.session.user, name: 'After' }, previousName: 'Before', at: (await notice).at });
  await listed;
  // The big room's sentinel: a rename notice would have come before the list shows the new name.
  const page = await bigPeer.socket.emitWithAck('presence:list', { room: 'big', query: 'after' });
  assert.ok(page.ok);
  assert.deepEqual(page.data.members.map((m) => m.id), [renamer.session.user.id], 'the big room lists the new name');
  assert.deepEqual(bigNotices, []);
});

test('presence:list pages a small room too, needs the room joined, and checks its request', async (t) => {
  const { url } = await startServer(t, { rateLimits: { presenceListsPerSocket: { points: 12, durationMs: 60_000 } } });
  const names = ['bea', 'Ada', 'ábel', 'Zoe', 'adam', 'Ben'];
  const members = await Promise.all(names.map((nickname) => connect(t, url, { nickname, guestKey: guestKey() })));
  for (const { socket } of members) assert.ok((await socket.emitWithAck('room:join', { room: 'lobby' })).ok);
  const { socket } = members[0]!;

  const first = await socket.emitWithAck('presence:list', { room: 'lobby', limit: 4 });
  assert.ok(first.ok);
  assert.equal(first.data.count, names.length);
  assert.deepEqual(first.data.members.map((m) => m.name), ['Ada', 'adam', 'bea', 'Ben']);
  assert.ok(first.data.next);
  const second = await socket.emitWithAck('presence:list', { room: 'lobby', limit: 4, after: first.data.next });
  assert.ok(second.ok);
  // Code point order of the folded names: 'á' comes after 'z'.
  assert.deepEqual(second.data.members.map((m) => m.name), ['Zoe', 'ábel']);
  assert.equal(second.data.next, undefined);
  const ad = await socket.emitWithAck('presence:list', { room: 'lobby', query: 'AD' });
  assert.ok(ad.ok);
  assert.deepEqual(ad.data.members.map((m) => m.name), ['Ada', 'adam']);

  const outsider = await connect(t, url);
  const refused = await outsider.socket.emitWithAck('presence:list', { room: 'lobby' });
  assert.equal(refused.ok ? 'ok' : refused.error.code, 'not_in_room');

  for (const bad of [
    { room: 'lobby', limit: 0 },
    { room: 'lobby', limit: PRESENCE_PAGE_MAX + 1 },
    { room: 'lobby', query: 'x'.repeat(NICKNAME_MAX_LENGTH + 1) },
    { room: 'lobby', after: 'not a cursor!' },
    { room: 'lobby', after: 'a'.repeat(10_000) },
    { room: 42 },
  ]) {
    const ack = (await emitRaw(socket, 'presence:list', bad)) as { ok: boolean; error?: { code: string } };
    assert.equal(ack.error?.code, 'invalid_payload', JSON.stringify(bad).slice(0, 80));
  }
  const defaults = await socket.emitWithAck('presence:list', { room: 'lobby' });
  assert.ok(defaults.ok);
  assert.ok(defaults.data.members.length <= PRESENCE_PAGE_SIZE);
  // 12 a minute for this socket: 4 spent above (invalid requests are refused before the limit counts them).
  const statuses: string[] = [];
  for (let i = 0; i < 10; i++) {
    const ack = await socket.emitWithAck('presence:list', { room: 'lobby' });
    statuses.push(ack.ok ? 'ok' : ack.error.code);
  }
  assert.deepEqual(statuses, [...Array<string>(8).fill('ok'), 'rate_limited', 'rate_limited']);
});
