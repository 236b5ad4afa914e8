import assert from 'node:assert/strict';
import { test } from 'node:test';
import { connect, guestKey } from './helpers.js';
import { ROOM, codeOf, richRoom, say } from './rich-helpers.js';

const WINDOW = { durationMs: 60_000 };

test('reactions are limited per socket and per user: a second tab does not get a fresh budget', async (t) => {
  const { url, user, guest } = await richRoom(t, { rateLimits: { reactionsPerSocket: { points: 4, ...WINDOW }, reactionsPerUser: { points: 6, ...WINDOW } } });
  const alice = await user('alice');
  const message = await say(alice.socket, 'react');
  const key = guestKey();
  const bob = await guest({ guestKey: key });
  const bobTab2 = await connect(t, url, { guestKey: key });
  assert.ok((await bobTab2.socket.emitWithAck('room:join', { room: ROOM })).ok);
  const react = (socket = bob.socket, on = true) => socket.emitWithAck('message:react', { room: ROOM, messageId: message.id, emoji: '👍', on });
  for (let i = 0; i < 4; i++) assert.ok((await react(bob.socket, i % 2 === 0)).ok);
  const limited = await react();
  assert.equal(codeOf(limited), 'rate_limited');
  assert.ok(!limited.ok && limited.error.retryAfterMs! > 0);
  assert.ok((await react(bobTab2.socket)).ok);
  assert.ok((await react(bobTab2.socket, false)).ok);
  assert.equal(codeOf(await react(bobTab2.socket)), 'rate_limited');
});

test('edits and own deletions share a budget per socket and per user', async (t) => {
  const { user } = await richRoom(t, { rateLimits: { editsPerSocket: { points: 3, ...WINDOW } } });
  const alice = await user('alice');
  const message = await say(alice.socket, 'v0');
  for (let i = 1; i <= 2; i++) assert.ok((await alice.socket.emitWithAck('message:edit', { room: ROOM, messageId: message.id, text: `v${i}` })).ok);
  assert.ok((await alice.socket.emitWithAck('message:delete', { room: ROOM, messageId: message.id })).ok);
  assert.equal(codeOf(await alice.socket.emitWithAck('message:delete', { room: ROOM, messageId: message.id })), 'rate_limited');
  const perUser = await richRoom(t, { rateLimits: { editsPerUser: { points: 2, ...WINDOW } } });
  const bob = await perUser.user('bob');
  const bobTab2 = await perUser.user('bob');
  const mine = await say(bob.socket, 'v0');
  assert.ok((await bob.socket.emitWithAck('message:edit', { room: ROOM, messageId: mine.id, text: 'v1' })).ok);
  assert.ok((await bobTab2.socket.emitWithAck('message:edit', { room: ROOM, messageId: mine.id, text: 'v2' })).ok);
  assert.equal(codeOf(await bobTab2.socket.emitWithAck('message:edit', { room: ROOM, messageId: mine.id, text: 'v3' })), 'rate_limited');
});

test('message:changes pages and user:privacy changes are limited', async (t) => {
  const { user } = await richRoom(t, { rateLimits: { changePagesPerSocket: { points: 2, ...WINDOW }, privacyPerUser: { points: 2, ...WINDOW } } });
  const alice = await user('alice');
  const changes = () => alice.socket.emitWithAck('message:changes', { room: ROOM, after: 0 });
  assert.ok((await changes()).ok);
  assert.ok((await changes()).ok);
  assert.equal(codeOf(await changes()), 'rate_limited');
  const privacy = (refuseGuestDms: boolean) => alice.socket.emitWithAck('user:privacy', { refuseGuestDms });
  assert.ok((await privacy(true)).ok);
  assert.ok((await privacy(false)).ok);
  assert.equal(codeOf(await privacy(true)), 'rate_limited');
});
