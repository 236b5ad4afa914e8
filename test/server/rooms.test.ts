import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MAX_ROOMS_PER_SOCKET } from '../../protocol/index.js';
import type { PresenceUpdate } from '../../protocol/index.js';
import { TEST_GRACE_MS, connect, emitRaw, guestKey, record, sentinel, sleep, startServer, waitFor } from './helpers.js';
import { applied } from './presence-view.js';

test('joining a room answers presence with every member, and members see the count change', async (t) => {
  const { url } = await startServer(t);
  const alice = await connect(t, url);
  const bob = await connect(t, url);

  const first = await alice.socket.emitWithAck('room:join', { room: 'lobby' });
  assert.ok(first.ok);
  assert.equal(first.data.presence.count, 1);

  const update = waitFor(alice.socket, 'presence:update', (p) => p.count === 2);
  const second = await bob.socket.emitWithAck('room:join', { room: 'lobby' });
  assert.ok(second.ok);
  assert.equal(second.data.room, 'lobby');
  assert.equal(second.data.presence.count, 2);
  assert.deepEqual(
    second.data.presence.members.map((m) => m.id).sort(),
    [alice.session.user.id, bob.session.user.id].sort(),
  );
  const seen = await update;
  assert.equal(seen.room, 'lobby');
  assert.equal(applied(first.data.presence.members, seen).length, 2);
});

/** A live update naming `id` among those who joined (or left) in its window. */
const names = (changes: 'joined' | 'left', id: string) => (p: PresenceUpdate): boolean => p[changes]?.users.some((u) => u.id === id) ?? false;

test('a join is announced to the room once per user, not per tab', async (t) => {
  const { url } = await startServer(t);
  const alice = await connect(t, url);
  await alice.socket.emitWithAck('room:join', { room: 'lobby' });
  const updates = record(alice.socket, 'presence:update');

  const key = guestKey();
  const bobTab1 = await connect(t, url, { guestKey: key });
  const joined = waitFor(alice.socket, 'presence:update', names('joined', bobTab1.session.user.id));
  await bobTab1.socket.emitWithAck('room:join', { room: 'lobby' });
  const update = await joined;
  assert.deepEqual(update.joined, { count: 1, users: [bobTab1.session.user] });

  const bobTab2 = await connect(t, url, { guestKey: key });
  const again = await bobTab2.socket.emitWithAck('room:join', { room: 'lobby' });
  assert.ok(again.ok);
  assert.equal(again.data.presence.count, 2, 'two tabs of one user count once');
  await sentinel(bobTab2.socket, alice.socket, 'lobby');
  assert.equal(updates.filter((u) => u.joined!.count > 0).length, 1);
});

test('joining a room twice is idempotent: same answer, no second announcement', async (t) => {
  const { url } = await startServer(t);
  const alice = await connect(t, url);
  const bob = await connect(t, url);
  await bob.socket.emitWithAck('room:join', { room: 'lobby' });
  const both = waitFor(bob.socket, 'presence:update', (p) => p.count === 2);
  await alice.socket.emitWithAck('room:join', { room: 'lobby' });
  await both;
  const updates = record(bob.socket, 'presence:update');
  const again = await alice.socket.emitWithAck('room:join', { room: 'lobby' });
  assert.ok(again.ok);
  assert.equal(again.data.presence.count, 2);
  await sentinel(alice.socket, bob.socket, 'lobby');
  assert.deepEqual(updates, []);
});

test('a leave is announced only after the grace period, in the presence update', async (t) => {
  const { url } = await startServer(t);
  const alice = await connect(t, url);
  const bob = await connect(t, url);
  await alice.socket.emitWithAck('room:join', { room: 'lobby' });
  await bob.socket.emitWithAck('room:join', { room: 'lobby' });

  const started = Date.now();
  const left = waitFor(alice.socket, 'presence:update', names('left', bob.session.user.id));
  const ack = await bob.socket.emitWithAck('room:leave', { room: 'lobby' });
  assert.deepEqual(ack, { ok: true, data: { room: 'lobby' } });
  const update = await left;
  assert.ok(Date.now() - started >= TEST_GRACE_MS - 20, 'announced after the grace period');
  assert.deepEqual(update.left, { count: 1, users: [bob.session.user] });
  assert.equal(update.count, 1);
  assert.deepEqual(applied([alice.session.user, bob.session.user], update).map((m) => m.id), [alice.session.user.id]);
});

test('a disconnect leaves every room after the grace period', async (t) => {
  const { url } = await startServer(t);
  const alice = await connect(t, url);
  const bob = await connect(t, url);
  for (const room of ['a', 'b']) {
    await alice.socket.emitWithAck('room:join', { room });
    await bob.socket.emitWithAck('room:join', { room });
  }
  const leaves = Promise.all(
    ['a', 'b'].map((room) => waitFor(alice.socket, 'presence:update', (p) => p.room === room && names('left', bob.session.user.id)(p))),
  );
  bob.socket.disconnect();
  const updates = await leaves;
  assert.deepEqual(updates.map((u) => u.count), [1, 1]);
});

test('a reconnect within the grace period shows neither leave nor join', async (t) => {
  const { url } = await startServer(t);
  const alice = await connect(t, url);
  await alice.socket.emitWithAck('room:join', { room: 'lobby' });
  const key = guestKey();
  const bob = await connect(t, url, { guestKey: key });
  await bob.socket.emitWithAck('room:join', { room: 'lobby' });
  const carol = await connect(t, url);
  const three = waitFor(alice.socket, 'presence:update', (p) => p.count === 3);
  await carol.socket.emitWithAck('room:join', { room: 'lobby' });
  await three;

  const updates = record(alice.socket, 'presence:update');
  bob.socket.disconnect();
  // Carol leaves for good just after Bob: her leave, a grace period later, is the sentinel for his.
  const carolLeft = waitFor(alice.socket, 'presence:update', names('left', carol.session.user.id), TEST_GRACE_MS * 10);
  carol.socket.disconnect();
  await sleep(TEST_GRACE_MS / 3);
  const bobAgain = await connect(t, url, { guestKey: key });
  const rejoined = await bobAgain.socket.emitWithAck('room:join', { room: 'lobby' });
  assert.ok(rejoined.ok);
  assert.equal(rejoined.data.presence.count, 3);
  await carolLeft;
  const aboutBob = (user: { id: string }): boolean => user.id === bob.session.user.id;
  assert.deepEqual(updates.filter((u) => u.joined!.users.some(aboutBob) || u.left!.users.some(aboutBob)), []);
  assert.deepEqual(updates.filter((u) => u.count !== 2 || !applied([bob.session.user], u).some(aboutBob)), []);
});

test('several rooms per socket, up to the limit', async (t) => {
  const { url } = await startServer(t);
  const { socket } = await connect(t, url);
  for (let i = 0; i < MAX_ROOMS_PER_SOCKET; i++) {
    const ack = await socket.emitWithAck('room:join', { room: `room-${i}` });
    assert.ok(ack.ok, `room-${i}`);
  }
  const over = await socket.emitWithAck('room:join', { room: 'one-too-many' });
  assert.equal(over.ok ? 'ok' : over.error.code, 'too_many_rooms');
  await socket.emitWithAck('room:leave', { room: 'room-0' });
  const after = await socket.emitWithAck('room:join', { room: 'one-too-many' });
  assert.ok(after.ok, 'a left room frees a slot');
});

test('invalid room names are refused with invalid_room and nothing is joined', async (t) => {
  const { url } = await startServer(t);
  const { socket } = await connect(t, url);
  const observer = await connect(t, url);
  const bad = ['', ' lobby', '-lobby', 'lob by', 'a'.repeat(65), 'x<script>', 'a\u202Eb', '🎉', 'dm:g_a:g_b', 'DM:anything', 'a\nb'];
  for (const room of bad) {
    const ack = await socket.emitWithAck('room:join', { room });
    assert.equal(ack.ok ? 'ok' : ack.error.code, 'invalid_room', JSON.stringify(room));
  }
  // Nothing was joined: sending to any of them is refused, and presence of a real room is untouched.
  const send = await socket.emitWithAck('message:send', { room: 'lobby', text: 'hi', clientId: crypto.randomUUID() });
  assert.equal(send.ok ? 'ok' : send.error.code, 'not_in_room');
  const join = await observer.socket.emitWithAck('room:join', { room: 'lobby' });
  assert.ok(join.ok);
  assert.equal(join.data.presence.count, 1);
});

test('room:join payloads of the wrong shape answer invalid_payload', async (t) => {
  const { url } = await startServer(t);
  const { socket } = await connect(t, url);
  for (const payload of [undefined, null, 'lobby', 42, [], { room: 42 }, { name: 'lobby' }]) {
    const ack = (await emitRaw(socket, 'room:join', payload)) as { ok: boolean; error?: { code: string } };
    assert.equal(ack.error?.code, 'invalid_payload', JSON.stringify(payload));
  }
  const noPayload = (await emitRaw(socket, 'room:join')) as { ok: boolean; error?: { code: string } };
  assert.equal(noPayload.error?.code, 'invalid_payload');
});
