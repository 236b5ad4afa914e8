/**
 * Presence deltas over real sockets: members of a small room follow it by
 * deltas from their join's list and all end with the room's list; a client
 * that loses an update sees the next delta's `base` above its version and
 * fetches the list anew; a delta carries no list.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { connect, startServer, waitFor } from './helpers.js';
import { deltaScenario } from './presence-delta-scenario.js';
import { applied } from './presence-view.js';

test('members of a small room follow it by deltas and converge; one that lost an update refetches', async (t) => {
  const { url } = await startServer(t);
  const result = await deltaScenario(t, [url], 'deltas');
  t.diagnostic(JSON.stringify(result));
  assert.ok(result.deltas > result.lists, `mostly deltas: ${JSON.stringify(result)}`);
});

test('a delta names the change and the version it applies to, and carries no list', async (t) => {
  const { url } = await startServer(t);
  const alice = await connect(t, url, { nickname: 'Alice' });
  const bob = await connect(t, url, { nickname: 'Bob' });
  const carol = await connect(t, url, { nickname: 'Carol' });
  const first = await alice.socket.emitWithAck('room:join', { room: 'lobby' });
  assert.ok(first.ok);
  const bobJoined = waitFor(alice.socket, 'presence:update', (p) => p.count === 2);
  assert.ok((await bob.socket.emitWithAck('room:join', { room: 'lobby' })).ok);
  const one = await bobJoined;
  const carolJoined = waitFor(alice.socket, 'presence:update', (p) => p.count === 3);
  assert.ok((await carol.socket.emitWithAck('room:join', { room: 'lobby' })).ok);
  const two = await carolJoined;
  assert.equal(two.members, undefined);
  assert.equal(two.base, one.version);
  assert.deepEqual(two.joined, { count: 1, users: [carol.session.user] });
  const listed = applied(applied(first.data.presence.members, one), two);
  assert.deepEqual(listed.map((m) => m.name), ['Alice', 'Bob', 'Carol']);
  // Not applied to a list from before `base`: that client missed `one` and must fetch anew.
  assert.ok(two.base! > first.data.presence.version);
});
