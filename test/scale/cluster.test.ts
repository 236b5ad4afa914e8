/**
 * Scale-out: three real server processes sharing Redis and PostgreSQL behind
 * a TCP load balancer owned by the test. Runs when REDIS_URL and DATABASE_URL
 * are set (.ci/run sets them); each test has its own PostgreSQL schema and
 * Redis key prefix, removed afterwards.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { test, type TestContext } from 'node:test';
import { io } from 'socket.io-client';
import type { ClientToServerEvents, ServerToClientEvents } from '../../protocol/index.js';
import type { Socket } from 'socket.io-client';
import { PAGE_ORIGIN, assertComplete, roomClient, sendPaced, sleep, uniqueRoom, until } from '../delivery/clients.js';
import { ServerProcess, stopAtEnd } from '../../bench/support/server-process.js';
import { isolatedClusterArgs } from '../support/isolated-cluster.js';
import { TcpBalancer } from '../support/tcp-balancer.js';

const { DATABASE_URL, REDIS_URL } = process.env;
const ADMIN_TOKEN = 'scale-admin-token-0123456789abcdefghijklmnop';
/** NODE_TTL_MS in server/presence/redis-presence.ts plus the 2 s reaping interval, and slack. */
const DEAD_NODE_LEAVE_BOUND_MS = 10_000;

type RawSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

interface Cluster {
  nodes: ServerProcess[];
  balancer: TcpBalancer;
}

/** Server flags for a fresh PostgreSQL schema and Redis key prefix of this test's own, both removed when it ends. */
const isolatedCluster = (t: TestContext): string[] => isolatedClusterArgs(t, DATABASE_URL!, REDIS_URL!);

/** Three nodes sharing one isolated schema and key prefix, behind a balancer. */
async function startCluster(t: TestContext, extraArgs: string[] = []): Promise<Cluster> {
  const args = [...isolatedCluster(t), '--admin-token', ADMIN_TOKEN, ...extraArgs];
  const nodes: ServerProcess[] = [];
  // One after the other: the first creates the schema, the others find it migrated.
  for (let i = 0; i < 3; i++) {
    const node = await ServerProcess.start({ args });
    stopAtEnd(t, node);
    nodes.push(node);
  }
  const balancer = await TcpBalancer.start(nodes.map((n) => n.port));
  t.after(() => balancer.close());
  return { nodes, balancer };
}

const userIds = new WeakMap<RawSocket, string>();

/** A plain socket to one node, that does not reconnect; resolves once its session has started. */
async function rawSocket(t: TestContext, url: string, auth: Record<string, string> = {}): Promise<RawSocket> {
  const socket: RawSocket = io(`${url}/s/demo`, {
    transports: ['websocket'],
    forceNew: true,
    reconnection: false,
    extraHeaders: { origin: PAGE_ORIGIN },
    auth: { guestKey: randomBytes(16).toString('hex'), ...auth },
  });
  t.after(() => socket.disconnect());
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no session from ${url}`)), 10_000);
    socket.once('session:ready', (session) => {
      clearTimeout(timer);
      userIds.set(socket, session.user.id);
      resolve();
    });
    socket.once('connect_error', reject);
  });
  return socket;
}

function userIdOf(socket: RawSocket): string {
  return userIds.get(socket)!;
}

if (!DATABASE_URL || !REDIS_URL) {
  test('scale-out suite', { skip: 'not run: set REDIS_URL and DATABASE_URL (.ci/run does)' }, () => {});
} else {
  test('three nodes: one room, one presence, and a node killed mid-stream loses nothing', { timeout: 120_000 }, async (t) => {
    const { nodes, balancer } = await startCluster(t);
    const room = uniqueRoom('scale');
    // Round robin: two clients on each node.
    const clients = Array.from({ length: 6 }, () => roomClient(t, balancer.url, room));
    // And one on the doomed node directly, that will not come back.
    const stranded = await rawSocket(t, nodes[1]!.url);
    const strandedId = userIdOf(stranded);
    assert.ok((await stranded.emitWithAck('room:join', { room })).ok);
    await until(
      'one cluster-wide presence of 7 at every client',
      () => clients.every((c) => c.conversation.status === 'ready' && c.conversation.presence?.count === 7),
      15_000,
      () => clients.map((c) => c.conversation.presence?.count).join(','),
    );

    const left: number[] = [];
    clients[0]!.conn.on('presence', (p) => {
      if (p.left?.users.some((u) => u.id === strandedId)) left.push(Date.now());
    });
    const sending = Promise.all(clients.map(async (c, i) => Promise.all(await sendPaced(c, `n${i}`, 50, 10))));
    await sleep(250);
    await nodes[1]!.kill('SIGKILL');
    const killedAt = Date.now();
    await sending;

    const total = 6 * 50;
    await until(
      'every client to hold the whole room',
      () => clients.every((c) => c.conversation.messages.length >= total && c.conversation.log.gapAfter(0) === null),
      30_000,
      () => clients.map((c) => `${c.conversation.messages.length} (${c.conn.state})`).join(', '),
    );
    const order = clients[0]!.conversation.messages.map((m) => m.id);
    for (const [i, c] of clients.entries()) {
      assert.equal(assertComplete(c.conversation.messages, total), null, `client ${i}`);
      assert.deepEqual(c.conversation.messages.map((m) => m.id), order, `client ${i} order`);
    }

    await until('the stranded member to leave presence', () => left.length > 0, DEAD_NODE_LEAVE_BOUND_MS + 5000);
    const after = left[0]! - killedAt;
    assert.ok(after <= DEAD_NODE_LEAVE_BOUND_MS, `left ${after} ms after the kill`);
    await until('presence of the six', () => clients.every((c) => c.conversation.presence?.count === 6), 5000);
    t.diagnostic(`the dead node's member left presence ${after} ms after the kill`);
  });

  test('concurrent sends from three nodes into one room get gapless, unique seq', { timeout: 120_000 }, async (t) => {
    const { nodes } = await startCluster(t);
    const room = uniqueRoom('seq');
    const sockets = await Promise.all(nodes.map((n) => rawSocket(t, n.url)));
    for (const s of sockets) assert.ok((await s.emitWithAck('room:join', { room })).ok);
    const acks = await Promise.all(
      sockets.flatMap((s, i) =>
        Array.from({ length: 60 }, (_, n) => s.emitWithAck('message:send', { room, text: `${i}-${n}`, clientId: `c${i}x${n}xxxxxx` })),
      ),
    );
    const seqs = acks.map((a) => (a.ok ? a.data.message.seq : -1)).sort((a, b) => a - b);
    assert.deepEqual(seqs, Array.from({ length: 180 }, (_, i) => i + 1));
  });

  test('a rate limit and a ban set through one node hold on the others', { timeout: 120_000 }, async (t) => {
    // Default limits: 10 messages per 10 s per user, with a burst of 5.
    const { nodes } = await startCluster(t, ['--rate-limit-scale', '1']);
    const room = uniqueRoom('limits');
    const guestKey = randomBytes(16).toString('hex');
    const onFirst = await rawSocket(t, nodes[0]!.url, { guestKey });
    const onSecond = await rawSocket(t, nodes[1]!.url, { guestKey });
    for (const s of [onFirst, onSecond]) assert.ok((await s.emitWithAck('room:join', { room })).ok);
    const send = (s: RawSocket, n: number) => s.emitWithAck('message:send', { room, text: `m${n}`, clientId: `k${n}-${randomBytes(4).toString('hex')}` });
    for (let n = 0; n < 15; n++) assert.ok((await send(onFirst, n)).ok, `message ${n}`);
    const limitedHere = await send(onFirst, 15);
    assert.equal(limitedHere.ok ? 'ok' : limitedHere.error.code, 'rate_limited');
    const limitedThere = await send(onSecond, 16);
    assert.equal(limitedThere.ok ? 'ok' : limitedThere.error.code, 'rate_limited', 'the same user on another node');

    // A ban through node 1's admin API ends the user's sessions on nodes 2 and 3 within a second.
    const bannedKey = randomBytes(16).toString('hex');
    const targets = [await rawSocket(t, nodes[1]!.url, { guestKey: bannedKey }), await rawSocket(t, nodes[2]!.url, { guestKey: bannedKey })];
    const targetId = userIdOf(targets[0]!);
    const ended = Promise.all(targets.map((s) => new Promise<number>((resolve) => s.once('session:ended', () => resolve(Date.now())))));
    const start = Date.now();
    const res = await fetch(`${nodes[0]!.url}/api/sites/demo/bans`, {
      method: 'POST',
      headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ userId: targetId, kind: 'ban', durationMs: 60_000 }),
    });
    assert.equal(res.status, 201);
    const endedAfter = Math.max(...(await Promise.race([ended, sleep(5000).then(() => [Infinity])]))) - start;
    assert.ok(endedAfter <= 1000, `ended ${endedAfter} ms after the ban`);
    // The ban also holds the banned guest's address (this one) for new guests: lift it for what follows.
    const { ban } = (await res.json()) as { ban: { id: string } };
    const lifted = await fetch(`${nodes[0]!.url}/api/sites/demo/bans/${ban.id}`, {
      method: 'DELETE',
      headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
    });
    assert.equal(lifted.status, 204);

    // A mute through node 1 silences the user on node 3 at once (no cache waits it out).
    const muted = await rawSocket(t, nodes[2]!.url);
    const mutedId = userIdOf(muted);
    assert.ok((await muted.emitWithAck('room:join', { room })).ok);
    assert.ok((await send(muted, 100)).ok, 'allowed before the mute');
    const mute = await fetch(`${nodes[0]!.url}/api/sites/demo/bans`, {
      method: 'POST',
      headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ userId: mutedId, kind: 'mute', durationMs: 60_000 }),
    });
    assert.equal(mute.status, 201);
    const mutedStart = Date.now();
    let answer = 'ok';
    while (answer === 'ok' && Date.now() - mutedStart < 1000) {
      const ack = await send(muted, 101);
      answer = ack.ok ? 'ok' : ack.error.code;
      if (answer === 'ok') await sleep(50);
    }
    assert.equal(answer, 'muted', 'muted on another node within a second');
  });
}

if (DATABASE_URL && REDIS_URL) {
  test('--workers 2: one command, two processes sharing the port, one room across them', { timeout: 120_000 }, async (t) => {
    const server = await ServerProcess.start({ args: ['--workers', '2', ...isolatedCluster(t)] });
    stopAtEnd(t, server);
    await until('both workers listening', () => server.output().split('"msg":"listening"').length - 1 === 2, 20_000);
    const room = uniqueRoom('workers');
    // The primary hands connections to the workers in turn: these four land on both.
    const clients = Array.from({ length: 4 }, () => roomClient(t, server.url, room));
    await until('presence of four everywhere', () => clients.every((c) => c.conversation.presence?.count === 4), 15_000);
    await Promise.all(clients.map(async (c, i) => Promise.all(await sendPaced(c, `w${i}`, 10, 5))));
    await until('every message at every client', () => clients.every((c) => c.conversation.messages.length === 40), 10_000);
    for (const c of clients) assert.equal(assertComplete(c.conversation.messages, 40), null);
  });
}
