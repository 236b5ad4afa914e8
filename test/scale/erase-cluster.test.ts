/**
 * An erase on one node of a cluster: the user, present through another node,
 * leaves the cluster-wide presence (Redis) at once and silently — no leave
 * notice names them on any node. Two in-process nodes share one store, one
 * Redis key prefix of this test's own (removed after) and the Redis adapter.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { test } from 'node:test';
import { Redis } from 'ioredis';
import { SqliteStore } from '../../server/storage/sqlite-store.js';
import { connect, demoSecret, nowSeconds, signToken, startServer, tempDir, waitFor } from '../server/helpers.js';

const { REDIS_URL } = process.env;

if (!REDIS_URL) {
  test('erase in a cluster', { skip: 'not run: set REDIS_URL (.ci/run does)' }, () => {});
} else {
  test('a user erased through one node leaves presence on every node without a notice naming them', { timeout: 30_000 }, async (t) => {
    const prefix = `chat-erase-${randomBytes(4).toString('hex')}:`;
    // Each node its own connection, as separate processes would have. The store and the connections
    // belong to the test; `after` hooks run in the order registered, so these run after the nodes' closes.
    const store = SqliteStore.open(await tempDir(t));
    const connections = [new Redis(REDIS_URL), new Redis(REDIS_URL)] as const;
    const nodeA = await startServer(t, { store, cluster: { redis: connections[0], prefix } });
    const nodeB = await startServer(t, { store, cluster: { redis: connections[1], prefix } });
    t.after(async () => {
      // A node's close leaves its namespaces' adapters (and the Redis connections they duplicated) to the process's exit.
      for (const node of [nodeA, nodeB]) for (const nsp of node.server.io._nsps.values()) void nsp.adapter.close();
      const keys = await connections[0].keys(`${prefix}*`);
      if (keys.length) await connections[0].del(...keys);
      for (const connection of connections) connection.disconnect();
      await store.close();
    });
    const secret = await demoSecret(nodeA.server);
    const email = 'erased.in.cluster@example.com';
    const token = (sub: string, role?: string) =>
      signToken({ sub, name: `Name of ${sub}`, site: 'demo', exp: nowSeconds() + 300, ...(role ? { role } : {}) }, secret);

    const victim = await connect(t, nodeA.url, { token: token(email) });
    const bob = await connect(t, nodeB.url, { nickname: 'Bob' });
    const mod = await connect(t, nodeB.url, { token: token('mod-1', 'moderator') });
    for (const { socket } of [victim, bob]) assert.ok((await socket.emitWithAck('room:join', { room: 'lobby' })).ok);
    const allThree = waitFor(bob.socket, 'presence:update', (p) => p.count === 3);
    assert.ok((await mod.socket.emitWithAck('room:join', { room: 'lobby' })).ok);
    await allThree;
    const victimId = victim.session.user.id;

    const seen: unknown[] = [];
    bob.socket.onAny((event: string, payload: unknown) => seen.push([event, payload]));
    const gone = waitFor(bob.socket, 'presence:update', (p) => p.members !== undefined && !p.members.some((m) => m.id === victimId));
    const erased = await mod.socket.emitWithAck('mod:erase', { userId: victimId });
    assert.ok(erased.ok, JSON.stringify(erased));
    assert.equal((await gone).count, 2, 'Bob and the moderator');

    // Sentinel: someone who leaves through node A after the erase is announced after any leave of the erased user.
    const passer = await connect(t, nodeA.url, { nickname: 'Passer' });
    assert.ok((await passer.socket.emitWithAck('room:join', { room: 'lobby' })).ok);
    const passerLeft = waitFor(bob.socket, 'presence:update', (p) => p.left?.users.some((u) => u.id === passer.session.user.id) ?? false);
    passer.socket.disconnect();
    await passerLeft;

    const json = JSON.stringify(seen);
    for (const secretText of [victimId, email]) assert.ok(!json.includes(secretText), `Bob saw ${secretText}: ${json}`);
    const members = await bob.socket.emitWithAck('room:join', { room: 'lobby' });
    assert.ok(!JSON.stringify(members).includes(email));
  });
}
