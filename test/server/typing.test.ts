import assert from 'node:assert/strict';
import { test } from 'node:test';
import { connect, record, sentinel, startServer, waitFor } from './helpers.js';

test('typing reaches the other members of the room, not the sender', async (t) => {
  const { url } = await startServer(t);
  const alice = await connect(t, url);
  const bob = await connect(t, url);
  const outsider = await connect(t, url);
  await alice.socket.emitWithAck('room:join', { room: 'lobby' });
  await alice.socket.emitWithAck('room:join', { room: 'other' });
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
  await sentinel(alice.socket, alice.socket, 'lobby');
  await sentinel(alice.socket, outsider.socket, 'other');
  assert.deepEqual(aliceSaw, []);
  assert.deepEqual(outsiderSaw, []);
});

test('a flood of typing events is throttled', async (t) => {
  const { url } = await startServer(t);
  const alice = await connect(t, url);
  const bob = await connect(t, url);
  await alice.socket.emitWithAck('room:join', { room: 'lobby' });
  await bob.socket.emitWithAck('room:join', { room: 'lobby' });
  const bobSaw = record(bob.socket, 'typing:update');
  for (let i = 0; i < 200; i++) alice.socket.emit('typing:set', { room: 'lobby', typing: i % 2 === 0 });
  await sentinel(alice.socket, bob.socket, 'lobby');
  assert.ok(bobSaw.length >= 1 && bobSaw.length <= 2, `relayed ${bobSaw.length} of 200`);
  assert.ok(bobSaw.every((u) => u.room === 'lobby'));
});

test('typing in a room the sender has not joined reaches nobody, though others are in it', async (t) => {
  const { url } = await startServer(t);
  const alice = await connect(t, url);
  const bob = await connect(t, url);
  await alice.socket.emitWithAck('room:join', { room: 'lobby' });
  await bob.socket.emitWithAck('room:join', { room: 'lobby' });
  await bob.socket.emitWithAck('room:join', { room: 'watched' });
  const bobSaw = record(bob.socket, 'typing:update');
  alice.socket.emit('typing:set', { room: 'watched', typing: true });
  await sentinel(alice.socket, bob.socket, 'lobby');
  assert.deepEqual(bobSaw, []);
});
