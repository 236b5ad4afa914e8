import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Ack, SendResult } from '../../protocol/index.js';
import { client, clientId, connect, connectError, createSite, pollingHandshake, record, sleep, startServer, waitFor } from './helpers.js';

test('a flooding client is limited and told when to retry, while another user in the room is not slowed', async (t) => {
  const { url, server } = await startServer(t, {
    rateLimits: {
      messagesPerSocket: { points: 5, durationMs: 1500 },
      messagesPerUser: { points: 5, durationMs: 1500 },
    },
  });
  const flooder = await connect(t, url);
  const bob = await connect(t, url);
  for (const { socket } of [flooder, bob]) await socket.emitWithAck('room:join', { room: 'lobby' });
  const bobSaw = record(bob.socket, 'message:new');

  const flood = Promise.all(
    Array.from({ length: 40 }, (_, i) =>
      flooder.socket.emitWithAck('message:send', { room: 'lobby', text: `spam ${i}`, clientId: clientId() }),
    ),
  );
  const bobLatencies: number[] = [];
  for (let i = 0; i < 4; i++) {
    const started = performance.now();
    const ack = await bob.socket.emitWithAck('message:send', { room: 'lobby', text: `calm ${i}`, clientId: clientId() });
    bobLatencies.push(performance.now() - started);
    assert.ok(ack.ok, 'bob has a budget of his own');
  }
  const acks: Array<Ack<SendResult>> = await flood;
  const limited = acks.filter((a) => !a.ok);
  assert.equal(acks.filter((a) => a.ok).length, 5);
  assert.equal(limited.length, 35);
  for (const a of limited) {
    assert.ok(!a.ok);
    assert.equal(a.error.code, 'rate_limited');
    assert.ok(a.error.retryAfterMs! > 0 && a.error.retryAfterMs! <= 1500, String(a.error.retryAfterMs));
  }
  assert.ok(Math.max(...bobLatencies) < 250, `bob waited ${Math.max(...bobLatencies)} ms`);
  // Nothing of the refused sends was stored or broadcast. Sentinel: Bob's own next message, broadcast after all of them.
  const sentinel = waitFor(bob.socket, 'message:new', (m) => m.text === 'sentinel');
  assert.ok((await bob.socket.emitWithAck('message:send', { room: 'lobby', text: 'sentinel', clientId: clientId() })).ok);
  await sentinel;
  assert.equal(await server.store.lastSeq('demo', 'lobby'), 10);
  assert.equal(bobSaw.filter((m) => m.text.startsWith('spam')).length, 5);
  assert.ok(server.metrics.rateLimited >= 35);

  // After the window, the flooder may speak again.
  const wait = Math.max(...limited.map((a) => (a.ok ? 0 : a.error.retryAfterMs!)));
  await sleep(wait + 50);
  assert.ok((await flooder.socket.emitWithAck('message:send', { room: 'lobby', text: 'sorry', clientId: clientId() })).ok);
});

test('a socket sending too many events of any kind is answered rate_limited', async (t) => {
  const { url } = await startServer(t, { rateLimits: { eventsPerSocket: { points: 20, durationMs: 1000 } } });
  const { socket } = await connect(t, url);
  await socket.emitWithAck('room:join', { room: 'lobby' });
  const acks = await Promise.all(Array.from({ length: 50 }, () => socket.emitWithAck('message:history', { room: 'lobby' })));
  const codes = acks.map((a) => (a.ok ? 'ok' : a.error.code));
  assert.ok(codes.filter((c) => c === 'rate_limited').length >= 29, codes.join());
});

test('joins are limited per socket', async (t) => {
  const { url } = await startServer(t, { rateLimits: { joinsPerSocket: { points: 3, durationMs: 5000 } } });
  const { socket } = await connect(t, url);
  const codes = [];
  for (const room of ['a', 'b', 'c', 'd', 'e']) {
    const ack = await socket.emitWithAck('room:join', { room });
    codes.push(ack.ok ? 'ok' : ack.error.code);
  }
  assert.deepEqual(codes, ['ok', 'ok', 'ok', 'rate_limited', 'rate_limited']);
});

test('a connection flood from one IP is capped at the handshake', async (t) => {
  const { url, server } = await startServer(t, { rateLimits: { connectionsPerIp: { points: 5, durationMs: 60_000 } } });
  for (let i = 0; i < 5; i++) await connect(t, url);
  await connectError(client(t, url));
  const refused = await pollingHandshake(url, { origin: 'http://localhost:1234', site: 'demo' });
  assert.equal(refused.status, 403);
  assert.deepEqual(JSON.parse(refused.body), { code: 4, message: 'rate_limited' });
  assert.equal(server.io.engine.clientsCount, 5);
});

test("a site's rate-limit scale from the registry multiplies its visitors' budgets", async (t) => {
  const { url } = await startServer(t, {
    rateLimits: { messagesPerSocket: { points: 4, durationMs: 60_000 }, messagesPerUser: { points: 4, durationMs: 60_000 } },
  });
  await createSite(url, { id: 'roomy', name: 'Roomy', origins: ['http://localhost:1234'], rateLimitScale: 3 });
  const sent = async (site: string): Promise<number> => {
    const { socket } = await connect(t, url, { site });
    await socket.emitWithAck('room:join', { room: 'lobby' });
    let ok = 0;
    for (let i = 0; i < 20; i++) {
      const ack = await socket.emitWithAck('message:send', { room: 'lobby', text: `m${i}`, clientId: clientId() });
      if (!ack.ok) {
        assert.equal(ack.error.code, 'rate_limited');
        break;
      }
      ok++;
    }
    return ok;
  };
  assert.equal(await sent('demo'), 4);
  assert.equal(await sent('roomy'), 12);
});
