/**
 * A burst of renames cannot flood a room: renames have a rate limit of their
 * own, and the notices of a burst reach other members coalesced.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DEFAULT_RATE_LIMITS } from '../../server/index.js';
import { clientId, connect, guestKey, record, startServer, waitFor } from './helpers.js';

const BURST = 100;

test('a burst of 100 renames reaches another member as a handful of notices, ending with the latest name', async (t) => {
  // Relaxed limits (the helpers' default): what keeps the room quiet here is the coalescing.
  const { url } = await startServer(t);
  const renamer = await connect(t, url, { guestKey: guestKey() });
  const member = await connect(t, url, { guestKey: guestKey() });
  const both = waitFor(member.socket, 'presence:update', (p) => p.count === 2);
  for (const { socket } of [renamer, member]) await socket.emitWithAck('room:join', { room: 'lobby' });
  await both;
  const firstName = renamer.session.user.name;
  const notices = record(member.socket, 'room:notice');
  const presence = record(member.socket, 'presence:update');
  const lastName = `Flood ${BURST - 1}`;
  const listedLast = waitFor(member.socket, 'presence:update', (p) => [...(p.members ?? []), ...(p.updated ?? [])].some((m) => m.name === lastName), 5000);

  const acks = await Promise.all(
    Array.from({ length: BURST }, (_, i) => renamer.socket.emitWithAck('user:rename', { name: `Flood ${i}` })),
  );
  assert.equal(acks.filter((a) => a.ok).length, BURST, 'every rename is applied');

  // The latest name reaches the member (its notice, then the coalesced update); then a message from the renamer is the sentinel.
  await listedLast;
  const sentinel = clientId();
  await renamer.socket.emitWithAck('message:send', { room: 'lobby', text: 'done', clientId: sentinel });
  await waitFor(member.socket, 'message:new', (m) => m.clientId === sentinel);

  const renames = notices.filter((n) => n.kind === 'rename');
  assert.ok(renames.length >= 1 && renames.length <= 3, `${renames.length} rename notices`);
  assert.ok(presence.length <= 3, `${presence.length} presence updates`);
  assert.equal(renames[0]!.previousName, firstName, 'the first notice names the name before the burst');
  assert.equal(renames.at(-1)!.user.name, lastName);
  // Each notice continues from the one before: a member can follow the chain of names.
  for (let i = 1; i < renames.length; i++) assert.equal(renames[i]!.previousName, renames[i - 1]!.user.name);
  const last = presence.at(-1)!;
  const listed = [...(last.members ?? []), ...(last.updated ?? [])].find((m) => m.id === renamer.session.user.id);
  assert.equal(listed?.name, lastName, 'presence lists the latest name');
});

test('renames have a rate limit of their own, refused with rate_limited and when to retry', async (t) => {
  const { url } = await startServer(t, {
    rateLimits: { renamesPerUser: DEFAULT_RATE_LIMITS.renamesPerUser, renamesPerIp: DEFAULT_RATE_LIMITS.renamesPerIp },
  });
  const { socket } = await connect(t, url, { guestKey: guestKey() });
  const acks = await Promise.all(Array.from({ length: BURST }, (_, i) => socket.emitWithAck('user:rename', { name: `Burst ${i}` })));
  const accepted = acks.filter((a) => a.ok).length;
  assert.equal(accepted, DEFAULT_RATE_LIMITS.renamesPerUser.points);
  for (const ack of acks.slice(accepted)) {
    assert.ok(!ack.ok);
    assert.equal(ack.error.code, 'rate_limited');
    assert.ok(ack.error.retryAfterMs! > 0 && ack.error.retryAfterMs! <= DEFAULT_RATE_LIMITS.renamesPerUser.durationMs);
  }
  // Other events are not held back by the rename budget.
  assert.ok((await socket.emitWithAck('room:join', { room: 'lobby' })).ok);
});
