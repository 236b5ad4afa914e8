/**
 * Presence across the nodes of a cluster: sockets on two nodes join one room
 * at once, every client ends at the cluster-wide count, updates stay at most
 * one per window cluster-wide (each node's changes go out in the same
 * update, whichever node sends it), `presence:list` on either node pages the
 * members of both, and typing is summarised cluster-wide. Two in-process
 * nodes share one store, the Redis adapter and a Redis key prefix of this
 * test's own (removed after). Runs when REDIS_URL is set.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { test } from 'node:test';
import type { TestContext } from 'node:test';
import { Redis } from 'ioredis';
import { PRESENCE_PAGE_MAX, PRESENCE_WINDOW_MS, TYPING_SUMMARY_MS } from '../../protocol/index.js';
import type { PresenceUpdate, UserInfo } from '../../protocol/index.js';
import { SqliteStore } from '../../server/storage/sqlite-store.js';
import { listOrder } from '../support/member-order.js';
import type { Client, Running } from '../server/helpers.js';
import { TEST_GRACE_MS, connect, guestKey, record, sleep, startServer, tempDir, waitFor } from '../server/helpers.js';
import { applied } from '../server/presence-view.js';

const { REDIS_URL } = process.env;
const PER_NODE = 80;
const BIG_ROOM_SIZE = 20;
const LATE = 40;

/** The joins announced by all the distinct updates the clients received. */
function joinsAnnounced(clients: Array<{ updates: PresenceUpdate[] }>): number {
  const byVersion = new Map<number, PresenceUpdate>();
  for (const c of clients) for (const u of c.updates) byVersion.set(u.version, u);
  return [...byVersion.values()].reduce((n, u) => n + u.joined!.count, 0);
}

/** Two nodes of one cluster, torn down with their Redis keys. */
async function twoNodes(t: TestContext): Promise<[Running, Running]> {
  const prefix = `chat-big-room-${randomBytes(4).toString('hex')}:`;
  const store = SqliteStore.open(await tempDir(t));
  const connections = [new Redis(REDIS_URL!), new Redis(REDIS_URL!)] as const;
  const nodes = [
    await startServer(t, { store, bigRoomSize: BIG_ROOM_SIZE, cluster: { redis: connections[0], prefix } }),
    await startServer(t, { store, bigRoomSize: BIG_ROOM_SIZE, cluster: { redis: connections[1], prefix } }),
  ] as [Running, Running];
  t.after(async () => {
    // A node's close leaves its namespaces' adapters (and the Redis connections they duplicated) to the process's exit.
    for (const node of nodes) for (const nsp of node.server.io._nsps.values()) void nsp.adapter.close();
    const keys = await connections[0].keys(`${prefix}*`);
    if (keys.length) await connections[0].del(...keys);
    for (const connection of connections) connection.disconnect();
    await store.close();
  });
  return nodes;
}

async function until(what: string, done: () => boolean, describe: () => string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!done()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}: ${describe()}`);
    await sleep(50);
  }
}

async function listAll(socket: Client, room: string): Promise<UserInfo[]> {
  const members: UserInfo[] = [];
  let after: string | undefined;
  do {
    const ack = await socket.emitWithAck('presence:list', { room, limit: PRESENCE_PAGE_MAX, ...(after ? { after } : {}) });
    assert.ok(ack.ok, JSON.stringify(ack));
    members.push(...ack.data.members);
    after = ack.data.next;
  } while (after);
  return members;
}

if (!REDIS_URL) {
  test('big rooms in a cluster', { skip: 'not run: set REDIS_URL (.ci/run does)' }, () => {});
} else {
  // One pair of nodes for every scenario (each in its own rooms): in-process nodes torn down between tests race their adapters' Redis connections.
  test('big rooms over two nodes', { timeout: 180_000 }, async (top) => {
    const nodes = await twoNodes(top);

    await top.test('sockets on two nodes join one room at once: one count everywhere, bounded updates, members of both listed on either', async (t) => {
      const room = 'launch';
      const clients: Array<{ socket: Client; user: UserInfo; updates: PresenceUpdate[]; latest?: PresenceUpdate }> = [];
      for (const node of nodes) {
        const connected = await Promise.all(Array.from({ length: PER_NODE }, () => connect(t, node.url, { guestKey: guestKey() })));
        for (const { socket, session } of connected) {
          const c: (typeof clients)[number] = { socket, user: session.user, updates: [] };
          socket.on('presence:update', (p) => {
            c.updates.push(p);
            if (!c.latest || p.version >= c.latest.version) c.latest = p;
          });
          clients.push(c);
        }
      }
      const total = PER_NODE * 2;
      const started = Date.now();
      const answers = await Promise.all(clients.map((c) => c.socket.emitWithAck('room:join', { room })));
      for (const [i, answer] of answers.entries()) {
        assert.ok(answer.ok);
        const c = clients[i]!;
        if (!c.latest || answer.data.presence.version >= c.latest.version) c.latest = answer.data.presence;
      }
      await until(
        `a count of ${total} at every client of both nodes`,
        () => clients.every((c) => c.latest?.count === total),
        () => [...new Set(clients.map((c) => c.latest?.count))].join(','),
        30_000,
      );
      await sleep(PRESENCE_WINDOW_MS * 4);
      const elapsedS = (Date.now() - started) / 1000;

      // One update per window for the whole cluster: every client, on either node, gets the same few.
      const bound = Math.ceil(elapsedS * (1000 / PRESENCE_WINDOW_MS)) + 2;
      const most = Math.max(...clients.map((c) => c.updates.length));
      const versions = new Set(clients.flatMap((c) => c.updates.map((u) => u.version)));
      t.diagnostic(`${total} joins over 2 nodes in ${elapsedS.toFixed(1)} s: at most ${most} updates per client, ${versions.size} distinct updates cluster-wide (bound ${bound})`);
      assert.ok(most <= bound, `${most} updates at one client`);
      assert.ok(versions.size <= bound, `${versions.size} distinct updates cluster-wide`);
      for (const c of clients) for (const u of c.updates) if (u.count > BIG_ROOM_SIZE) assert.deepEqual(u.members, []);
      // Every update reaches every member of the moment: together they announce each join once, whichever node took it.
      assert.equal(joinsAnnounced(clients), total);

      // Latecomers one after the other on alternate nodes: their joins spread over many windows, still one update per window.
      const lateStarted = Date.now();
      for (let i = 0; i < LATE; i++) {
        const node = nodes[i % 2]!;
        const { socket, session } = await connect(t, node.url, { guestKey: guestKey() });
        const c: (typeof clients)[number] = { socket, user: session.user, updates: [] };
        socket.on('presence:update', (p) => {
          c.updates.push(p);
          if (!c.latest || p.version >= c.latest.version) c.latest = p;
        });
        clients.push(c);
        assert.ok((await socket.emitWithAck('room:join', { room })).ok);
        await sleep(15);
      }
      await until(
        `a count of ${total + LATE} everywhere`,
        () => clients.every((c) => c.latest?.count === total + LATE),
        () => [...new Set(clients.map((c) => c.latest?.count))].join(','),
        30_000,
      );
      await sleep(PRESENCE_WINDOW_MS * 4);
      const lateS = (Date.now() - lateStarted) / 1000;
      const lateVersions = new Set(clients[0]!.updates.map((u) => u.version)).size - versions.size;
      const lateBound = Math.ceil(lateS * (1000 / PRESENCE_WINDOW_MS)) + 2;
      t.diagnostic(`${LATE} latecomers over ${lateS.toFixed(1)} s: ${lateVersions} updates (bound ${lateBound})`);
      assert.ok(lateVersions > 1, 'spread joins take several windows');
      assert.ok(lateVersions <= lateBound, `${lateVersions} updates for the latecomers`);
      assert.equal(joinsAnnounced(clients), total + LATE);

      const ids = clients.map((c) => c.user.id).sort();
      for (const [i, node] of nodes.entries()) {
        const asker = clients[i * PER_NODE]!.socket;
        const listed = await listAll(asker, room);
        assert.deepEqual(listed.map((m) => m.id).sort(), ids, `presence:list on node ${i} lists the members of both nodes`);
        assert.equal(new Set(listed.map((m) => m.id)).size, total + LATE, `each once (node ${node.url})`);
        assert.deepEqual(listed, [...listed].sort(listOrder), 'in list order');
      }

      // Leaves from both nodes: counted, not named, and the count converges again.
      const leaving = [...clients.slice(0, 5), ...clients.slice(PER_NODE, PER_NODE + 5)];
      const staying = clients.filter((c) => !leaving.includes(c));
      for (const c of leaving) c.socket.disconnect();
      await until(
        'the count after ten leaves',
        () => staying.every((c) => c.latest?.count === total + LATE - leaving.length),
        () => [...new Set(staying.map((c) => c.latest?.count))].join(','),
        TEST_GRACE_MS + 10_000,
      );
      const leftSeen = staying[0]!.updates.reduce((n, u) => n + u.left!.count, 0);
      assert.equal(leftSeen, leaving.length, 'every leave counted once');
    });

    await top.test('a small room across two nodes names joins and leaves and lists both nodes\' members', async (t) => {
      const [a, b] = nodes;
      const alice = await connect(t, a.url, { nickname: 'Alice' });
      const bob = await connect(t, b.url, { nickname: 'Bob' });
      const first = await alice.socket.emitWithAck('room:join', { room: 'small' });
      assert.ok(first.ok);
      const joined = waitFor(alice.socket, 'presence:update', (p) => p.count === 2);
      const answer = await bob.socket.emitWithAck('room:join', { room: 'small' });
      assert.ok(answer.ok);
      assert.deepEqual(answer.data.presence.members.map((m) => m.name), ['Alice', 'Bob']);
      const update = await joined;
      assert.deepEqual(update.joined, { count: 1, users: [bob.session.user] });
      assert.deepEqual(applied(first.data.presence.members, update).map((m) => m.name), ['Alice', 'Bob']);
      const page = await alice.socket.emitWithAck('presence:list', { room: 'small', query: 'b' });
      assert.deepEqual(page.ok && page.data.members, [bob.session.user]);

      const left = waitFor(alice.socket, 'presence:update', (p) => p.count === 1, TEST_GRACE_MS + 5000);
      bob.socket.disconnect();
      assert.deepEqual((await left).left, { count: 1, users: [bob.session.user] });
    });

    await top.test('Redis lists members in the order and with the prefix search of a single server', async (t) => {
      const names = ['bea', 'Ada', 'ábel', 'Zoe', 'adam', 'Ben'];
      const members = await Promise.all(names.map((nickname, i) => connect(t, nodes[i % 2]!.url, { nickname, guestKey: guestKey() })));
      for (const { socket } of members) assert.ok((await socket.emitWithAck('room:join', { room: 'order' })).ok);
      const asker = members[0]!.socket;
      const order = ['Ada', 'adam', 'bea', 'Ben', 'Zoe', 'ábel'];
      const answer = await asker.emitWithAck('room:join', { room: 'order' });
      assert.deepEqual(answer.ok && answer.data.presence.members.map((m) => m.name), order);
      const first = await asker.emitWithAck('presence:list', { room: 'order', limit: 4 });
      assert.ok(first.ok && first.data.next);
      const rest = await asker.emitWithAck('presence:list', { room: 'order', after: first.data.next });
      assert.ok(rest.ok);
      assert.deepEqual([...first.data.members, ...rest.data.members].map((m) => m.name), order);
      for (const [query, found] of [['AD', ['Ada', 'adam']], ['Á', ['ábel']], ['b', ['bea', 'Ben']], ['zz', []]] as const) {
        const page = await asker.emitWithAck('presence:list', { room: 'order', query });
        assert.deepEqual(page.ok && page.data.members.map((m) => m.name), found, query);
      }
    });

    await top.test('typing in a big room across two nodes is summarised cluster-wide', async (t) => {
      const room = 'big';
      // Alternating nodes: typist i is on node i % 2.
      const typists = (
        await Promise.all(Array.from({ length: BIG_ROOM_SIZE + 4 }, (_, i) => connect(t, nodes[i % 2]!.url, { guestKey: guestKey() })))
      ).map((c) => c.socket);
      const watcher = await connect(t, nodes[0].url);
      for (const socket of [watcher.socket, ...typists]) assert.ok((await socket.emitWithAck('room:join', { room })).ok);
      const summaries = record(watcher.socket, 'typing:summary');
      const updates = record(watcher.socket, 'typing:update');

      const started = Date.now();
      while (Date.now() - started < 2500) {
        // Typists start one after another, alternating nodes, so the set of typists keeps changing.
        const typing = typists.slice(0, Math.floor((Date.now() - started) / 80) + 1);
        for (const socket of typing) socket.emit('typing:set', { room, typing: true });
        await sleep(20);
      }
      await until('a summary counting typists of both nodes', () => summaries.at(-1)?.count === typists.length, () => JSON.stringify(summaries.at(-1)), 3000);
      const elapsedS = (Date.now() - started) / 1000;
      const bound = Math.ceil((elapsedS * 1000) / TYPING_SUMMARY_MS) + 1;
      t.diagnostic(`${summaries.length} summaries in ${elapsedS.toFixed(1)} s for ${typists.length} typists on two nodes (bound ${bound})`);
      assert.ok(summaries.length <= bound, `${summaries.length} summaries`);
      assert.ok(summaries.length >= 2, 'a changing set of typists is summarised more than once');
      assert.deepEqual(updates, []);
      const ended = waitFor(watcher.socket, 'typing:summary', (s) => s.count === 0, 3000);
      for (const socket of typists) socket.emit('typing:set', { room, typing: false });
      await ended;
    });
  });
}
