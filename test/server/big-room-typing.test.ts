/**
 * Typing in a big room is summarised: a flood of `typing:set` from many
 * members reaches the room as at most about one `typing:summary` a second,
 * with the right count, never as one `typing:update` per typist; the last
 * typist stopping (or their typing expiring) ends it with `count: 0`.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { TYPING_NAMED_MAX, TYPING_SUMMARY_MS, TYPING_TIMEOUT_MS } from '../../protocol/index.js';
import { connect, guestKey, record, sentinel, sleep, startServer, waitFor } from './helpers.js';
import type { Client } from './helpers.js';

const BIG_ROOM_SIZE = 4;
const TYPISTS = 8;
/** Between the first keystrokes of two typists. */
const STAGGER_MS = 250;

async function bigRoom(t: Parameters<typeof startServer>[0]) {
  const { url } = await startServer(t, { bigRoomSize: BIG_ROOM_SIZE });
  const watcher = await connect(t, url);
  const typists = await Promise.all(Array.from({ length: TYPISTS }, () => connect(t, url, { guestKey: guestKey() })));
  for (const { socket } of [watcher, ...typists]) assert.ok((await socket.emitWithAck('room:join', { room: 'big' })).ok);
  return { watcher, typists };
}

test('a typing flood in a big room comes out as about one summary a second, with the right count', { timeout: 30_000 }, async (t) => {
  const { watcher, typists } = await bigRoom(t);
  const summaries = record(watcher.socket, 'typing:summary');
  const updates = record(watcher.socket, 'typing:update');

  const started = Date.now();
  const floodMs = 2500;
  while (Date.now() - started < floodMs) {
    // Typists start one after another, so the set of typists keeps changing through the flood.
    const typing = typists.slice(0, Math.floor((Date.now() - started) / STAGGER_MS) + 1);
    for (const { socket } of typing) socket.emit('typing:set', { room: 'big', typing: true });
    await sleep(20);
  }
  // The summary that counts everyone may still be waiting for its slot.
  for (const deadline = Date.now() + 3000; summaries.at(-1)?.count !== TYPISTS && Date.now() < deadline; ) await sleep(50);
  const last = summaries.at(-1)!;
  const elapsedS = (Date.now() - started) / 1000;
  assert.equal(last.count, TYPISTS);
  assert.equal(last.users.length, TYPISTS > TYPING_NAMED_MAX ? TYPING_NAMED_MAX : TYPISTS);
  const bound = Math.ceil((elapsedS * 1000) / TYPING_SUMMARY_MS) + 1;
  t.diagnostic(`${summaries.length} summaries in ${elapsedS.toFixed(1)} s for ${TYPISTS} typists flooding (bound ${bound})`);
  assert.ok(summaries.length <= bound, `${summaries.length} summaries in ${elapsedS.toFixed(1)} s`);
  assert.ok(summaries.length >= 2, 'a changing set of typists is summarised more than once');
  assert.ok(summaries.every((s, i) => i === 0 || s.count >= summaries[i - 1]!.count), 'counts only grow while typists join in');
  assert.deepEqual(updates, [], 'no per-user typing in a big room');

  const ended = waitFor(watcher.socket, 'typing:summary', (s) => s.count === 0, 3000);
  for (const { socket } of typists) socket.emit('typing:set', { room: 'big', typing: false });
  assert.deepEqual(await ended, { room: 'big', count: 0, users: [] });
});

test('typing that is never stopped expires from the summary', { timeout: 30_000 }, async (t) => {
  const { watcher, typists } = await bigRoom(t);
  const typist: Client = typists[0]!.socket;
  const started = waitFor(watcher.socket, 'typing:summary', (s) => s.count === 1);
  typist.emit('typing:set', { room: 'big', typing: true });
  const summary = await started;
  assert.deepEqual(summary.users.map((u) => u.id), [typists[0]!.session.user.id]);
  const since = Date.now();
  const expired = await waitFor(watcher.socket, 'typing:summary', (s) => s.count === 0, TYPING_TIMEOUT_MS + 3000);
  assert.deepEqual(expired.users, []);
  assert.ok(Date.now() - since >= TYPING_TIMEOUT_MS - 500, 'after the typing timeout');
});

test('a small room still relays each typist', async (t) => {
  const { url } = await startServer(t, { bigRoomSize: BIG_ROOM_SIZE });
  const alice = await connect(t, url);
  const bob = await connect(t, url);
  for (const { socket } of [alice, bob]) assert.ok((await socket.emitWithAck('room:join', { room: 'small' })).ok);
  const summaries = record(bob.socket, 'typing:summary');
  const typing = waitFor(bob.socket, 'typing:update', (u) => u.typing);
  alice.socket.emit('typing:set', { room: 'small', typing: true });
  assert.deepEqual(await typing, { room: 'small', user: alice.session.user, typing: true });
  await sentinel(alice.socket, bob.socket, 'small');
  assert.deepEqual(summaries, []);
});
