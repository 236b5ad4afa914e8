import assert from 'node:assert/strict';
import { test } from 'node:test';
import { HISTORY_PAGE_SIZE, MESSAGE_MAX_LENGTH } from '../../protocol/index.js';
import type { Ack, ChatMessage, HistoryPage } from '../../protocol/index.js';
import type { ChatServer } from '../../server/index.js';
import { clientId, connect, emitRaw, guestKey, record, sentinel, startServer, waitFor } from './helpers.js';
import type { Client } from './helpers.js';

async function sendMany(socket: Client, room: string, count: number): Promise<void> {
  for (let i = 1; i <= count; i++) {
    const ack = await socket.emitWithAck('message:send', { room, text: `message ${i}`, clientId: clientId() });
    assert.ok(ack.ok);
  }
}

async function storedCount(server: ChatServer, room: string): Promise<number> {
  return server.store.lastSeq('demo', room);
}

test('a message sent to a room reaches every member, the sender included', async (t) => {
  const { url } = await startServer(t);
  const alice = await connect(t, url);
  const bob = await connect(t, url);
  const carol = await connect(t, url);
  await alice.socket.emitWithAck('room:join', { room: 'lobby' });
  await bob.socket.emitWithAck('room:join', { room: 'lobby' });
  await carol.socket.emitWithAck('room:join', { room: 'elsewhere' });
  const carolSaw = record(carol.socket, 'message:new');

  const id = clientId();
  const [ack, atBob, atAlice] = await Promise.all([
    alice.socket.emitWithAck('message:send', { room: 'lobby', text: '  hello <b>bob</b>  ', clientId: id }),
    waitFor(bob.socket, 'message:new'),
    waitFor(alice.socket, 'message:new'),
  ]);
  assert.ok(ack.ok);
  assert.equal(ack.data.duplicate, false);
  const message = ack.data.message;
  assert.equal(message.text, 'hello <b>bob</b>', 'stored trimmed, as plain text');
  assert.equal(message.room, 'lobby');
  assert.equal(message.seq, 1);
  assert.equal(message.clientId, id);
  assert.deepEqual(message.from, alice.session.user);
  assert.equal(typeof message.id, 'string');
  assert.ok(Math.abs(message.at - Date.now()) < 5000);
  assert.deepEqual(atBob, message);
  assert.deepEqual(atAlice, message);
  // Sentinel: a later private message from the same socket to Carol.
  const toCarol = waitFor(carol.socket, 'dm:new');
  assert.ok((await alice.socket.emitWithAck('dm:send', { to: carol.session.user.id, text: 'sentinel', clientId: clientId() })).ok);
  await toCarol;
  assert.deepEqual(carolSaw, [], 'other rooms hear nothing');
});

test('seq numbers are per room and gapless, also under concurrent sends', async (t) => {
  const { url } = await startServer(t);
  const alice = await connect(t, url);
  const bob = await connect(t, url);
  for (const s of [alice.socket, bob.socket]) {
    await s.emitWithAck('room:join', { room: 'one' });
    await s.emitWithAck('room:join', { room: 'two' });
  }
  const acks = await Promise.all(
    Array.from({ length: 40 }, (_, i) =>
      (i % 2 ? alice : bob).socket.emitWithAck('message:send', {
        room: i % 4 < 2 ? 'one' : 'two',
        text: `m${i}`,
        clientId: clientId(),
      }),
    ),
  );
  for (const room of ['one', 'two']) {
    const seqs = acks
      .map((a) => (a.ok ? a.data.message : undefined))
      .filter((m): m is ChatMessage => m?.room === room)
      .map((m) => m.seq)
      .sort((a, b) => a - b);
    assert.deepEqual(seqs, Array.from({ length: 20 }, (_, i) => i + 1), room);
  }
});

test('joining answers the last 50 messages, and history pages back to the start', async (t) => {
  const { url } = await startServer(t);
  const alice = await connect(t, url);
  await alice.socket.emitWithAck('room:join', { room: 'lobby' });
  await sendMany(alice.socket, 'lobby', 120);

  const bob = await connect(t, url);
  const join = await bob.socket.emitWithAck('room:join', { room: 'lobby' });
  assert.ok(join.ok);
  assert.equal(join.data.messages.length, HISTORY_PAGE_SIZE);
  assert.deepEqual(join.data.messages.map((m) => m.seq), range(71, 120));
  assert.equal(join.data.messages[0]!.text, 'message 71');
  assert.equal(join.data.hasMore, true);
  assert.equal(join.data.lastSeq, 120);

  const seen = join.data.messages.map((m) => m.seq);
  let before = join.data.messages[0]!.seq;
  let hasMore: boolean = join.data.hasMore;
  while (hasMore) {
    const page = await bob.socket.emitWithAck('message:history', { room: 'lobby', beforeSeq: before });
    assert.ok(page.ok);
    seen.unshift(...page.data.messages.map((m) => m.seq));
    before = page.data.messages[0]!.seq;
    hasMore = page.data.hasMore;
  }
  assert.deepEqual(seen, range(1, 120));

  const small = await bob.socket.emitWithAck('message:history', { room: 'lobby', beforeSeq: 11, limit: 5 });
  assert.ok(small.ok);
  assert.deepEqual(small.data.messages.map((m) => m.seq), [6, 7, 8, 9, 10]);
  assert.equal(small.data.hasMore, true);
});

test('history afterSeq answers the oldest messages above it, for catching up', async (t) => {
  const { url } = await startServer(t);
  const { socket } = await connect(t, url);
  await socket.emitWithAck('room:join', { room: 'lobby' });
  await sendMany(socket, 'lobby', 30);
  const page = await socket.emitWithAck('message:history', { room: 'lobby', afterSeq: 5, limit: 10 });
  assert.ok(page.ok);
  assert.deepEqual(page.data.messages.map((m) => m.seq), range(6, 15));
  assert.equal(page.data.hasMore, true);
  const rest = await socket.emitWithAck('message:history', { room: 'lobby', afterSeq: 15 });
  assert.ok(rest.ok);
  assert.deepEqual(rest.data.messages.map((m) => m.seq), range(16, 30));
  assert.equal(rest.data.hasMore, false);
  const none = await socket.emitWithAck('message:history', { room: 'lobby', afterSeq: 30 });
  assert.deepEqual(none, { ok: true, data: { messages: [], hasMore: false } });
});

test('an empty room joins with no history and lastSeq 0', async (t) => {
  const { url } = await startServer(t);
  const { socket } = await connect(t, url);
  const join = await socket.emitWithAck('room:join', { room: 'quiet' });
  assert.ok(join.ok);
  assert.deepEqual([join.data.messages, join.data.hasMore, join.data.lastSeq], [[], false, 0]);
});

test('a retried send with the same clientId returns the original and stores and broadcasts nothing', async (t) => {
  const { url, server } = await startServer(t);
  const alice = await connect(t, url);
  const bob = await connect(t, url);
  await alice.socket.emitWithAck('room:join', { room: 'lobby' });
  await bob.socket.emitWithAck('room:join', { room: 'lobby' });
  const id = clientId();
  const firstAtBob = waitFor(bob.socket, 'message:new', (m) => m.clientId === id);
  const first = await alice.socket.emitWithAck('message:send', { room: 'lobby', text: 'once', clientId: id });
  assert.ok(first.ok);
  await firstAtBob;
  const bobSaw = record(bob.socket, 'message:new');
  const retry = await alice.socket.emitWithAck('message:send', { room: 'lobby', text: 'once', clientId: id });
  assert.ok(retry.ok);
  assert.equal(retry.data.duplicate, true);
  assert.deepEqual(retry.data.message, first.data.message);
  assert.equal(await storedCount(server, 'lobby'), 1);
  await sentinel(alice.socket, bob.socket, 'lobby');
  assert.deepEqual(bobSaw.map((m) => m.text), ['sentinel']);
});

test('the same clientId from another tab of the same guest is the same message', async (t) => {
  const { url, server } = await startServer(t);
  const key = guestKey();
  const tab1 = await connect(t, url, { guestKey: key });
  const tab2 = await connect(t, url, { guestKey: key });
  await tab1.socket.emitWithAck('room:join', { room: 'lobby' });
  await tab2.socket.emitWithAck('room:join', { room: 'lobby' });
  const id = clientId();
  await tab1.socket.emitWithAck('message:send', { room: 'lobby', text: 'hi', clientId: id });
  const again = await tab2.socket.emitWithAck('message:send', { room: 'lobby', text: 'hi', clientId: id });
  assert.ok(again.ok && again.data.duplicate);
  // Another guest may use the same clientId: it is scoped to the sender.
  const other = await connect(t, url);
  await other.socket.emitWithAck('room:join', { room: 'lobby' });
  const theirs = await other.socket.emitWithAck('message:send', { room: 'lobby', text: 'hi', clientId: id });
  assert.ok(theirs.ok && !theirs.data.duplicate);
  assert.equal(await storedCount(server, 'lobby'), 2);
});

test('sending to or reading a room that was not joined answers not_in_room', async (t) => {
  const { url, server } = await startServer(t);
  const { socket } = await connect(t, url);
  const send = await socket.emitWithAck('message:send', { room: 'lobby', text: 'hi', clientId: clientId() });
  assert.equal(send.ok ? 'ok' : send.error.code, 'not_in_room');
  const history = await socket.emitWithAck('message:history', { room: 'lobby' });
  assert.equal(history.ok ? 'ok' : history.error.code, 'not_in_room');
  await socket.emitWithAck('room:join', { room: 'lobby' });
  await socket.emitWithAck('room:leave', { room: 'lobby' });
  const afterLeave = await socket.emitWithAck('message:send', { room: 'lobby', text: 'hi', clientId: clientId() });
  assert.equal(afterLeave.ok ? 'ok' : afterLeave.error.code, 'not_in_room');
  assert.equal(await storedCount(server, 'lobby'), 0);
});

test('invalid message payloads answer their error code and store nothing', async (t) => {
  const { url, server } = await startServer(t);
  const alice = await connect(t, url);
  const bob = await connect(t, url);
  await alice.socket.emitWithAck('room:join', { room: 'lobby' });
  await bob.socket.emitWithAck('room:join', { room: 'lobby' });
  const bobSaw = record(bob.socket, 'message:new');
  const id = clientId();
  const cases: [unknown, string][] = [
    [undefined, 'invalid_payload'],
    [null, 'invalid_payload'],
    ['hello', 'invalid_payload'],
    [[{ room: 'lobby', text: 'hi', clientId: id }], 'invalid_payload'],
    [{ room: 'lobby', clientId: id }, 'invalid_payload'],
    [{ room: 'lobby', text: 42, clientId: id }, 'invalid_payload'],
    [{ room: 'lobby', text: { toString: 'x' }, clientId: id }, 'invalid_payload'],
    [{ room: 'lobby', text: 'hi' }, 'invalid_payload'],
    [{ room: 'lobby', text: 'hi', clientId: 'short' }, 'invalid_payload'],
    [{ room: 'lobby', text: 'hi', clientId: 'has spaces in it' }, 'invalid_payload'],
    [{ room: 'lobby', text: 'hi', clientId: 'x'.repeat(65) }, 'invalid_payload'],
    [{ room: 42, text: 'hi', clientId: id }, 'invalid_payload'],
    [{ text: 'hi', clientId: id }, 'invalid_payload'],
    [{ room: '../lobby', text: 'hi', clientId: id }, 'invalid_room'],
    [{ room: 'lobby', text: '', clientId: id }, 'message_empty'],
    [{ room: 'lobby', text: ' \n\t ', clientId: id }, 'message_empty'],
    [{ room: 'lobby', text: 'x'.repeat(MESSAGE_MAX_LENGTH + 1), clientId: id }, 'message_too_long'],
    [{ room: 'lobby', text: '😀'.repeat(MESSAGE_MAX_LENGTH + 1), clientId: id }, 'message_too_long'],
  ];
  for (const [payload, code] of cases) {
    const ack = (await emitRaw(alice.socket, 'message:send', payload)) as Ack<unknown>;
    assert.equal(ack.ok ? 'ok' : ack.error.code, code, JSON.stringify(payload)?.slice(0, 80));
  }
  // Limits count code points: the longest allowed message in emoji is accepted.
  const longest = await alice.socket.emitWithAck('message:send', {
    room: 'lobby',
    text: '😀'.repeat(MESSAGE_MAX_LENGTH),
    clientId: id,
  });
  assert.ok(longest.ok);
  assert.equal(await storedCount(server, 'lobby'), 1);
  await sentinel(alice.socket, bob.socket, 'lobby');
  assert.deepEqual(bobSaw.map((m) => (m.text === 'sentinel' ? 'sentinel' : m.clientId)), [id, 'sentinel']);
});

test('invalid history requests answer invalid_payload', async (t) => {
  const { url } = await startServer(t);
  const { socket } = await connect(t, url);
  await socket.emitWithAck('room:join', { room: 'lobby' });
  const cases: unknown[] = [
    { room: 'lobby', beforeSeq: 0 },
    { room: 'lobby', beforeSeq: 1.5 },
    { room: 'lobby', beforeSeq: '10' },
    { room: 'lobby', afterSeq: -1 },
    { room: 'lobby', beforeSeq: 10, afterSeq: 2 },
    { room: 'lobby', limit: 0 },
    { room: 'lobby', limit: 101 },
    { room: 'lobby', limit: Number.NaN },
    'lobby',
  ];
  for (const payload of cases) {
    const ack = (await emitRaw(socket, 'message:history', payload)) as Ack<HistoryPage>;
    assert.equal(ack.ok ? 'ok' : ack.error.code, 'invalid_payload', JSON.stringify(payload));
  }
});

test('events without an ack, or with garbage arguments, change nothing and break nothing', async (t) => {
  const { url, server } = await startServer(t);
  const { socket } = await connect(t, url);
  const raw = socket as unknown as { emit(event: string, ...args: unknown[]): void };
  raw.emit('room:join', { room: 'lobby' });
  raw.emit('message:send', { room: 'lobby', text: 'no ack', clientId: clientId() });
  raw.emit('message:send', 1, 2, 3);
  raw.emit('user:rename', { name: 'No Ack Name' });
  raw.emit('dm:send', { to: 'g_x', text: 'hi', clientId: clientId() });
  raw.emit('typing:set', 'nonsense');
  raw.emit('no-such-event', { x: 1 });
  // The ack-less join did not join: sending is refused. Events are handled in order, so this ack comes after all of them.
  const send = await socket.emitWithAck('message:send', { room: 'lobby', text: 'hi', clientId: clientId() });
  assert.equal(send.ok ? 'ok' : send.error.code, 'not_in_room');
  assert.equal(socket.connected, true);
  assert.equal(await storedCount(server, 'lobby'), 0);
});

test('a frame larger than the payload cap drops only that connection and stores nothing', async (t) => {
  const { url, server } = await startServer(t);
  const { socket } = await connect(t, url);
  await socket.emitWithAck('room:join', { room: 'lobby' });
  const disconnected = new Promise<string>((resolve) => socket.once('disconnect', resolve));
  socket.emit('message:send', { room: 'lobby', text: 'x'.repeat(64 * 1024), clientId: clientId() }, () => {});
  assert.equal(await disconnected, 'transport close');
  const other = await connect(t, url);
  assert.ok((await other.socket.emitWithAck('room:join', { room: 'lobby' })).ok);
  assert.equal(await storedCount(server, 'lobby'), 0);
});

test('messages survive a server restart on the same data dir, and seq continues', async (t) => {
  const first = await startServer(t);
  const key = guestKey();
  const alice = await connect(t, first.url, { guestKey: key });
  await alice.socket.emitWithAck('room:join', { room: 'lobby' });
  await sendMany(alice.socket, 'lobby', 3);
  await first.close();

  const second = await startServer(t, { dataDir: first.dataDir });
  const again = await connect(t, second.url, { guestKey: key });
  assert.deepEqual(again.session.user, alice.session.user, 'the guest is the same after a restart');
  const join = await again.socket.emitWithAck('room:join', { room: 'lobby' });
  assert.ok(join.ok);
  assert.deepEqual(join.data.messages.map((m) => m.text), ['message 1', 'message 2', 'message 3']);
  assert.equal(join.data.lastSeq, 3);
  const next = await again.socket.emitWithAck('message:send', { room: 'lobby', text: 'after', clientId: clientId() });
  assert.ok(next.ok);
  assert.equal(next.data.message.seq, 4);
});

function range(from: number, to: number): number[] {
  return Array.from({ length: to - from + 1 }, (_, i) => from + i);
}
