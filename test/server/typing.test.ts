import assert from 'node:assert/strict';
import { test } from 'node:test';
import { connect, record, sleep, startServer, waitFor } from './helpers.js';

test('typing reaches the other members of the room, not the sender', async (t) => {
  const { url } = await startServer(t);
  const alice = await connect(t, url);
  const bob = await connect(t, url);
  const outsider = await connect(t, url);
  await alice.socket.emitWithAck('room:join', { room: 'lobby' });
  await bob.socket.emitWithAck('room:join', { room: 'lobby' });
  await outsider.socket.emitWithAck('room:join', { room: 'other' });
  const aliceSaw = record(alice.socket, 'typing:update');
  const outsiderSaw = record(outsider.socket, 'typing:update');

  const typing = waitFor(bob.socket, 'typing:update', (u) => u.typing);
  alice.socket.emit('typing:set', { room: 'lobby', typing: true });
  assert.deepEqual(await typing, { room: 'lobby', user: alice.session.user, typing: true });
  const stopped = waitFor(bob.socket, 'typing:update', (u) => !u.typing);
  alice.socket.emit('typing:set', { room: 'lobby', typing: false });
  assert.equal((await stopped).user.id, alice.session.user.id);
  await sleep(50);
  assert.deepEqual(aliceSaw, []);
  assert.deepEqual(outsiderSaw, []);
});

test('a flood of typing events is throttled, and typing in a room not joined is ignored', async (t) => {
  const { url } = await startServer(t);
  const alice = await connect(t, url);
  const bob = await connect(t, url);
  await alice.socket.emitWithAck('room:join', { room: 'lobby' });
  await bob.socket.emitWithAck('room:join', { room: 'lobby' });
  const bobSaw = record(bob.socket, 'typing:update');
  for (let i = 0; i < 200; i++) alice.socket.emit('typing:set', { room: 'lobby', typing: i % 2 === 0 });
  alice.socket.emit('typing:set', { room: 'not-joined', typing: true });
  await sleep(150);
  assert.ok(bobSaw.length >= 1 && bobSaw.length <= 2, `relayed ${bobSaw.length} of 200`);
  assert.ok(bobSaw.every((u) => u.room === 'lobby'));
});
