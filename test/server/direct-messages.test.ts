import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Ack } from '../../protocol/index.js';
import { clientId, connect, emitRaw, guestKey, record, startServer, waitFor } from './helpers.js';

test('a private message reaches every tab of the recipient and of the sender, and no one else', async (t) => {
  const { url } = await startServer(t);
  const aliceKey = guestKey();
  const bobKey = guestKey();
  const alice1 = await connect(t, url, { guestKey: aliceKey });
  const alice2 = await connect(t, url, { guestKey: aliceKey });
  const bob1 = await connect(t, url, { guestKey: bobKey });
  const bob2 = await connect(t, url, { guestKey: bobKey });
  const carol = await connect(t, url);
  const carolSaw = record(carol.socket, 'dm:new');
  const bobId = bob1.session.user.id;

  const [ack, ...received] = await Promise.all([
    alice1.socket.emitWithAck('dm:send', { to: bobId, text: 'psst', clientId: clientId() }),
    waitFor(alice1.socket, 'dm:new'),
    waitFor(alice2.socket, 'dm:new'),
    waitFor(bob1.socket, 'dm:new'),
    waitFor(bob2.socket, 'dm:new'),
  ]);
  assert.ok(ack.ok);
  const message = ack.data.message;
  assert.equal(message.to, bobId);
  assert.equal(message.text, 'psst');
  assert.equal(message.seq, 1);
  assert.deepEqual(message.from, alice1.session.user);
  for (const m of received) assert.deepEqual(m, message);
  // Sentinel: a later private message from the same socket to Carol herself.
  const toCarol = waitFor(carol.socket, 'dm:new');
  assert.ok((await alice1.socket.emitWithAck('dm:send', { to: carol.session.user.id, text: 'sentinel', clientId: clientId() })).ok);
  await toCarol;
  assert.deepEqual(carolSaw.map((m) => m.text), ['sentinel']);
});

test('private messages are stored per conversation, readable by both sides with dm:history', async (t) => {
  const { url } = await startServer(t);
  const alice = await connect(t, url);
  const bob = await connect(t, url);
  const carol = await connect(t, url);
  const a = alice.session.user.id;
  const b = bob.session.user.id;
  for (let i = 1; i <= 5; i++) {
    const from = i % 2 ? alice : bob;
    const to = i % 2 ? b : a;
    assert.ok((await from.socket.emitWithAck('dm:send', { to, text: `dm ${i}`, clientId: clientId() })).ok);
  }
  await carol.socket.emitWithAck('dm:send', { to: a, text: 'other conversation', clientId: clientId() });

  const fromAlice = await alice.socket.emitWithAck('dm:history', { with: b });
  const fromBob = await bob.socket.emitWithAck('dm:history', { with: a });
  assert.ok(fromAlice.ok && fromBob.ok);
  assert.deepEqual(fromAlice.data, fromBob.data);
  assert.deepEqual(fromAlice.data.messages.map((m) => [m.seq, m.text]), [
    [1, 'dm 1'],
    [2, 'dm 2'],
    [3, 'dm 3'],
    [4, 'dm 4'],
    [5, 'dm 5'],
  ]);
  const older = await alice.socket.emitWithAck('dm:history', { with: b, beforeSeq: 4, limit: 2 });
  assert.ok(older.ok);
  assert.deepEqual(older.data.messages.map((m) => m.seq), [2, 3]);
  assert.equal(older.data.hasMore, true);
  const newer = await alice.socket.emitWithAck('dm:history', { with: b, afterSeq: 3 });
  assert.ok(newer.ok);
  assert.deepEqual(newer.data.messages.map((m) => m.seq), [4, 5]);
});

test('a private message to an unknown user or to oneself is refused and not stored', async (t) => {
  const { url, server } = await startServer(t);
  const alice = await connect(t, url);
  const self = alice.session.user.id;
  const unknown = await alice.socket.emitWithAck('dm:send', { to: 'g_nobodyNobody123', text: 'hi', clientId: clientId() });
  assert.equal(unknown.ok ? 'ok' : unknown.error.code, 'unknown_user');
  const toSelf = await alice.socket.emitWithAck('dm:send', { to: self, text: 'hi', clientId: clientId() });
  assert.equal(toSelf.ok ? 'ok' : toSelf.error.code, 'self_message');
  const history = await alice.socket.emitWithAck('dm:history', { with: 'g_nobodyNobody123' });
  assert.equal(history.ok ? 'ok' : history.error.code, 'unknown_user');
  const bob = await connect(t, url);
  for (const [payload, code] of [
    [{ to: bob.session.user.id, text: '   ', clientId: clientId() }, 'message_empty'],
    [{ to: 42, text: 'hi', clientId: clientId() }, 'invalid_payload'],
    [{ to: bob.session.user.id, text: 'hi' }, 'invalid_payload'],
    ['hi', 'invalid_payload'],
  ] as const) {
    const ack = (await emitRaw(alice.socket, 'dm:send', payload)) as Ack<unknown>;
    assert.equal(ack.ok ? 'ok' : ack.error.code, code, JSON.stringify(payload));
  }
  const empty = await alice.socket.emitWithAck('dm:history', { with: bob.session.user.id });
  assert.deepEqual(empty, { ok: true, data: { messages: [], hasMore: false } });
  assert.equal(await server.store.lastSeq('demo', `dm:${[self, 'g_nobodyNobody123'].sort().join(':')}`), 0);
});

test('a retried private message returns the original and is delivered once', async (t) => {
  const { url } = await startServer(t);
  const alice = await connect(t, url);
  const bob = await connect(t, url);
  const bobSaw = record(bob.socket, 'dm:new');
  const id = clientId();
  const first = await alice.socket.emitWithAck('dm:send', { to: bob.session.user.id, text: 'once', clientId: id });
  const retry = await alice.socket.emitWithAck('dm:send', { to: bob.session.user.id, text: 'once', clientId: id });
  assert.ok(first.ok && retry.ok);
  assert.equal(retry.data.duplicate, true);
  assert.deepEqual(retry.data.message, first.data.message);
  const later = waitFor(bob.socket, 'dm:new', (m) => m.text === 'sentinel');
  assert.ok((await alice.socket.emitWithAck('dm:send', { to: bob.session.user.id, text: 'sentinel', clientId: clientId() })).ok);
  await later;
  assert.deepEqual(bobSaw.map((m) => m.text), ['once', 'sentinel']);
});

test('a private conversation cannot be joined as a room', async (t) => {
  const { url } = await startServer(t);
  const alice = await connect(t, url);
  const bob = await connect(t, url);
  const eve = await connect(t, url);
  const conversation = `dm:${[alice.session.user.id, bob.session.user.id].sort().join(':')}`;
  await alice.socket.emitWithAck('dm:send', { to: bob.session.user.id, text: 'secret', clientId: clientId() });
  const join = await eve.socket.emitWithAck('room:join', { room: conversation });
  assert.equal(join.ok ? 'ok' : join.error.code, 'invalid_room');
  const history = await eve.socket.emitWithAck('message:history', { room: conversation });
  assert.equal(history.ok ? 'ok' : history.error.code, 'invalid_room');
});
