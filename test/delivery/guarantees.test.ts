/**
 * Delivery guarantees under real faults: server processes killed with SIGKILL
 * and restarted, and a TCP proxy that cuts, pauses and blackholes the clients'
 * connections. The clients are the widget's connection layer itself.
 */
import assert from 'node:assert/strict';
import { test, type TestContext } from 'node:test';
import { io } from 'socket.io-client';
import type { ChatMessage, ClientToServerEvents, ServerToClientEvents } from '../../protocol/index.js';
import type { Socket } from 'socket.io-client';
import { PING_INTERVAL_MS, PING_MAX_MISSES, PING_TIMEOUT_MS, PRESENCE_GRACE_MS, UNREAD_CAP } from '../../protocol/index.js';
import { ServerProcess, stopAtEnd } from '../../bench/support/server-process.js';
import { TcpProxy } from '../support/tcp-proxy.js';
import {
  PAGE_ORIGIN,
  assertComplete,
  roomClient,
  sendPaced,
  sleep,
  uniqueRoom,
  until,
  type TestClient,
} from './clients.js';

const PER_CLIENT = 200;

async function startServer(t: TestContext): Promise<ServerProcess> {
  const server = await ServerProcess.start();
  stopAtEnd(t, server);
  return server;
}

async function startProxy(t: TestContext, server: ServerProcess): Promise<TcpProxy> {
  const proxy = await TcpProxy.start({ port: server.port });
  t.after(() => proxy.close());
  return proxy;
}

/** Every message of the room as the server stored it, read page by page with a plain socket. */
async function storedRoom(t: TestContext, url: string, room: string): Promise<ChatMessage[]> {
  const socket: Socket<ServerToClientEvents, ClientToServerEvents> = io(`${url}/s/demo`, {
    transports: ['websocket'],
    forceNew: true,
    reconnection: false,
    extraHeaders: { origin: PAGE_ORIGIN },
  });
  t.after(() => socket.disconnect());
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('connect_error', reject);
  });
  const join = await socket.emitWithAck('room:join', { room });
  assert.ok(join.ok);
  const all: ChatMessage[] = [];
  for (let after = 0; ; ) {
    const page = await socket.emitWithAck('message:history', { room, afterSeq: after, limit: 100 });
    assert.ok(page.ok);
    all.push(...page.data.messages);
    if (!page.data.hasMore) break;
    after = all.at(-1)!.seq;
  }
  socket.disconnect();
  return all;
}

/** Three clients each send PER_CLIENT messages while `fault` runs; then every client and the store hold the same complete room. */
async function sendThroughFault(
  t: TestContext,
  url: (i: number) => string,
  directUrl: string,
  fault: (sending: Promise<unknown>) => Promise<void>,
  clientOptions: Parameters<typeof roomClient>[3] = {},
): Promise<TestClient[]> {
  const room = uniqueRoom();
  const clients = [0, 1, 2].map((i) => roomClient(t, url(i), room, clientOptions));
  await until('all joined', () => clients.every((c) => c.conversation.status === 'ready'), 10_000);
  const sending = Promise.all(
    clients.map(async (c, i) => Promise.all(await sendPaced(c, `c${i}`, PER_CLIENT, 8))),
  );
  await fault(sending);
  const acked = await sending;
  const total = clients.length * PER_CLIENT;
  await until(
    'every client to hold the whole room',
    () => clients.every((c) => c.conversation.messages.length >= total && c.conversation.log.gapAfter(0) === null),
    60_000,
    () => clients.map((c) => `${c.conversation.messages.length}/${total} (${c.conn.state})`).join(', '),
  );

  const reference = clients[0]!.conversation.messages.map((m) => m.id);
  for (const [i, c] of clients.entries()) {
    const problem = assertComplete(c.conversation.messages, total);
    assert.equal(problem, null, `client ${i}: ${problem}`);
    assert.deepEqual(c.conversation.messages.map((m) => m.id), reference, `client ${i} holds another order`);
    const own = c.conversation.messages.filter((m) => m.text.startsWith(`c${i}-`)).map((m) => m.text);
    assert.deepEqual(own, Array.from({ length: PER_CLIENT }, (_, n) => `c${i}-${n + 1}`), `client ${i}'s messages out of order`);
    assert.equal(c.conversation.pending.length, 0, `client ${i} still has pending sends`);
  }
  // Each acknowledged send is the stored message, and the store holds each once.
  assert.deepEqual(new Set(acked.flat().map((m) => m.id)), new Set(reference));
  const stored = await storedRoom(t, directUrl, clients[0]!.conversation.room);
  assert.equal(assertComplete(stored, total), null);
  assert.deepEqual(stored.map((m) => m.id), reference);
  return clients;
}

test('1. three clients keep a complete, ordered room while the server is SIGKILLed and restarted twice', async (t) => {
  const server = await startServer(t);
  await sendThroughFault(t, () => server.url, server.url, async () => {
    for (const at of [400, 700]) {
      await sleep(at);
      await server.kill('SIGKILL');
      await sleep(300);
      await server.restart();
    }
  });
});

test('2. the proxy cuts every connection at random moments: still complete, ordered, once each', async (t) => {
  const server = await startServer(t);
  const proxy = await startProxy(t, server);
  let cuts = 0;
  await sendThroughFault(t, () => proxy.url, server.url, async (sending) => {
    let done = false;
    void sending.then(() => (done = true));
    while (!done && cuts < 8) {
      await sleep(150 + Math.random() * 350);
      proxy.cut();
      cuts++;
    }
  });
  assert.ok(cuts >= 3, `only ${cuts} cuts happened while sending`);
});

test('3. acks delayed past the client timeout make clients retry, and nothing is stored twice', async (t) => {
  const server = await startServer(t);
  const proxy = await startProxy(t, server);
  let holds = 0;
  const clients = await sendThroughFault(
    t,
    () => proxy.url,
    server.url,
    async (sending) => {
      let done = false;
      void sending.then(() => (done = true));
      while (!done && holds < 4) {
        await sleep(100 + Math.random() * 300);
        // Requests reach the server, their acks are held back beyond the 800 ms timeout.
        proxy.pauseDirection('toClient');
        await sleep(1500);
        proxy.resume();
        holds++;
      }
    },
    { requestTimeoutMs: 800 },
  );
  const retries = clients.reduce((n, c) => n + c.outbox.retries, 0);
  assert.ok(retries > 0, 'no send was retried: the fault did not bite');
});

test('4. a blackholed (half-open) connection is reported lost and re-established within the documented bound', async (t) => {
  const bound = PING_INTERVAL_MS + PING_MAX_MISSES * PING_TIMEOUT_MS;
  assert.ok(bound <= 7000, `heartbeat detection bound is ${bound} ms`);
  const server = await startServer(t);
  const proxy = await startProxy(t, server);
  const client = roomClient(t, proxy.url, uniqueRoom());
  await until('joined', () => client.conversation.status === 'ready', 10_000);
  await sleep(500);
  const states: Array<[string, number]> = [];
  client.conn.on('state', (state) => states.push([state, Date.now()]));
  const start = Date.now();
  proxy.blackhole();
  await until('reported lost', () => client.conn.state !== 'connected', 10_000);
  const lostAfter = Date.now() - start;
  await until('connected again', () => client.conn.state === 'connected' && client.conversation.status === 'ready', 10_000);
  const backAfter = Date.now() - start;
  assert.ok(lostAfter <= bound + 500, `lost reported after ${lostAfter} ms (bound ${bound} ms)`);
  assert.ok(backAfter <= 10_000, `reconnected after ${backAfter} ms`);
  assert.equal(client.conn.error, null);
  // And it works: a message goes through the new connection.
  const message = await client.conversation.send('after the blackhole');
  assert.equal(message.text, 'after the blackhole');
  t.diagnostic(`lost after ${lostAfter} ms, back after ${backAfter} ms; states ${states.map(([s, at]) => `${s}@${at - start}`).join(' ')}`);
});

test('6. a member offline while 100 messages were sent gets all of them in order on return, and the unread count matches (capped at 99 after a reload)', async (t) => {
  const server = await startServer(t);
  const proxy = await startProxy(t, server);
  const room = uniqueRoom();
  const sender = roomClient(t, server.url, room);
  // One member loses the network with the page open; the other closes the page and opens it again later.
  const offline = roomClient(t, proxy.url, room);
  const closer = roomClient(t, server.url, room);
  const members = [offline, closer];
  await until('joined', () => [sender, ...members].every((c) => c.conversation.status === 'ready'), 10_000);
  await Promise.all(await sendPaced(sender, 'before', 5, 0));
  await until('members have the first 5', () => members.every((c) => c.conversation.messages.length === 5), 5000);
  for (const c of members) c.conversation.markRead();
  // Delivery acks are batched: let them reach the server before going away.
  await until('cursors stored', () => false, 1500).catch(() => undefined);

  proxy.offline();
  closer.stop();
  await until('member offline', () => offline.conn.state !== 'connected', 10_000);
  await Promise.all(await sendPaced(sender, 'away', 100, 0));
  const away = Array.from({ length: 100 }, (_, i) => `away-${i + 1}`);

  proxy.online();
  await until('member caught up', () => offline.conversation.messages.length === 105, 15_000, () => `${offline.conversation.messages.length}`);
  assert.equal(assertComplete(offline.conversation.messages, 105), null);
  assert.deepEqual(offline.conversation.messages.slice(5).map((m) => m.text), away);
  assert.equal(offline.conversation.unread, 100);

  // Nothing in memory after a reload: the server's cursor (seq 5) drives the replay, beyond one history page.
  const reopened = roomClient(t, server.url, room, { guestKey: closer.guestKey });
  await until('reopened member loaded', () => reopened.conversation.loaded, 10_000);
  const missed = reopened.conversation.messages.filter((m) => m.seq > 5);
  assert.deepEqual(missed.map((m) => m.text), away);
  assert.deepEqual(missed.map((m) => m.seq), Array.from({ length: 100 }, (_, i) => i + 6));
  // A join counts at most UNREAD_CAP (99) of them: 100 missed is "99+".
  assert.deepEqual([reopened.conversation.unread, reopened.conversation.unreadCapped], [UNREAD_CAP, true]);
  assert.equal(reopened.conversation.log.gapAfter(0), null);
});

test('a client that dies silently leaves presence after the server heartbeat and the grace period', async (t) => {
  // Engine.IO on the server pings every 10 s and waits 5 s (server/attach.ts); then PRESENCE_GRACE_MS.
  const bound = 10_000 + 5_000 + PRESENCE_GRACE_MS;
  const server = await startServer(t);
  const proxy = await startProxy(t, server);
  const room = uniqueRoom();
  const observer = roomClient(t, server.url, room);
  const doomed = roomClient(t, proxy.url, room);
  await until('both present', () => observer.conversation.presence?.count === 2 && doomed.conversation.status === 'ready', 10_000);
  const left: number[] = [];
  observer.conn.on('presence', (p) => {
    if (p.left?.users.some((u) => u.id === doomed.conn.user?.id)) left.push(Date.now());
  });
  const start = Date.now();
  // Its packets vanish and it cannot come back: to the server, a socket that just stopped answering.
  proxy.refuse(true);
  proxy.blackhole();
  await until('the leave notice', () => left.length > 0, bound + 5000);
  const after = left[0]! - start;
  assert.ok(after <= bound + 1000, `left after ${after} ms (bound ${bound} ms)`);
  assert.equal(observer.conversation.presence?.count, 1);
  t.diagnostic(`left presence after ${after} ms`);
});
