import assert from 'node:assert/strict';
import { test } from 'node:test';
import { clientId, connect, emitRaw, guestKey, startServer } from './helpers.js';
import type { Client } from './helpers.js';

async function send(socket: Client, room: string, count: number): Promise<void> {
  for (let i = 1; i <= count; i++) {
    const ack = await socket.emitWithAck('message:send', { room, text: `m${i}`, clientId: clientId() });
    assert.ok(ack.ok);
  }
}

test('a delivery ack moves the cursor forward only, and the next join answers it with the unread count', async (t) => {
  const { url } = await startServer(t);
  const key = guestKey();
  const alice = await connect(t, url, { guestKey: key });
  const bob = await connect(t, url);
  await alice.socket.emitWithAck('room:join', { room: 'lobby' });
  await bob.socket.emitWithAck('room:join', { room: 'lobby' });
  await send(bob.socket, 'lobby', 5);
  await send(alice.socket, 'lobby', 2);

  const first = await alice.socket.emitWithAck('room:ack', { room: 'lobby', seq: 5 });
  assert.deepEqual(first, { ok: true, data: { room: 'lobby', cursor: 5 } });
  const back = await alice.socket.emitWithAck('room:ack', { room: 'lobby', seq: 3 });
  assert.deepEqual(back, { ok: true, data: { room: 'lobby', cursor: 5 } }, 'a stale ack does not move it back');
  const beyond = await alice.socket.emitWithAck('room:ack', { room: 'lobby', seq: 999 });
  assert.deepEqual(beyond, { ok: true, data: { room: 'lobby', cursor: 7 } }, 'capped at the last seq');
  await alice.socket.emitWithAck('room:ack', { room: 'lobby', seq: 5 });

  alice.socket.disconnect();
  await send(bob.socket, 'lobby', 4);
  // A "reload": a new connection of the same guest.
  const again = await connect(t, url, { guestKey: key });
  const join = await again.socket.emitWithAck('room:join', { room: 'lobby' });
  assert.ok(join.ok);
  assert.equal(join.data.cursor, 7);
  assert.equal(join.data.unread, 4, "bob's four messages after the cursor; alice's own are not unread");
  assert.equal(join.data.lastSeq, 11);
});

test('a first visit has no cursor and nothing unread; cursors are per user and per room', async (t) => {
  const { url } = await startServer(t);
  const alice = await connect(t, url);
  const bob = await connect(t, url);
  await alice.socket.emitWithAck('room:join', { room: 'a' });
  await alice.socket.emitWithAck('room:join', { room: 'b' });
  await send(alice.socket, 'a', 3);
  await alice.socket.emitWithAck('room:ack', { room: 'a', seq: 3 });

  const bobJoin = await bob.socket.emitWithAck('room:join', { room: 'a' });
  assert.ok(bobJoin.ok);
  assert.deepEqual([bobJoin.data.cursor, bobJoin.data.unread, bobJoin.data.lastSeq], [0, 0, 3]);
  const otherRoom = await alice.socket.emitWithAck('room:join', { room: 'b' });
  assert.ok(otherRoom.ok);
  assert.equal(otherRoom.data.cursor, 0);
});

test('bad delivery acks answer their codes and change nothing', async (t) => {
  const { url, server } = await startServer(t);
  const { socket, session } = await connect(t, url);
  await socket.emitWithAck('room:join', { room: 'lobby' });
  await send(socket, 'lobby', 2);
  const cases: Array<[unknown, string]> = [
    [{ room: 'elsewhere', seq: 1 }, 'not_in_room'],
    [{ room: 'lobby', seq: -1 }, 'invalid_payload'],
    [{ room: 'lobby', seq: 1.5 }, 'invalid_payload'],
    [{ room: 'lobby', seq: '2' }, 'invalid_payload'],
    [{ room: 'lobby' }, 'invalid_payload'],
    [{ room: '<script>', seq: 1 }, 'invalid_room'],
    ['lobby', 'invalid_payload'],
  ];
  for (const [payload, code] of cases) {
    const ack = (await emitRaw(socket, 'room:ack', payload)) as { ok: boolean; error?: { code: string } };
    assert.equal(ack.ok, false, JSON.stringify(payload));
    assert.equal(ack.error?.code, code, JSON.stringify(payload));
  }
  assert.equal(await server.store.getCursor('demo', session.user.id, 'lobby'), 0);
});

test('session:ping answers at once with the server time', async (t) => {
  const { url } = await startServer(t);
  const { socket } = await connect(t, url);
  const before = Date.now();
  const ack = await socket.timeout(1000).emitWithAck('session:ping', {});
  assert.ok(ack.ok);
  assert.ok(ack.data.serverTime >= before - 1000 && ack.data.serverTime <= Date.now() + 1000);
  const bad = (await emitRaw(socket, 'session:ping', 'x')) as { ok: boolean; error?: { code: string } };
  assert.equal(bad.error?.code, 'invalid_payload');
});
