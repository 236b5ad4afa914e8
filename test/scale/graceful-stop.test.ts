/**
 * A rolling restart: two nodes behind a balancer, one gets SIGTERM while its
 * clients are connected and sending. It exits 0 in time; its clients are
 * disconnected at once (not left to a ping timeout), reconnect to the other
 * node and lose nothing. Needs REDIS_URL and DATABASE_URL.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { PING_INTERVAL_MS } from '../../protocol/index.js';
import { assertComplete, roomClient, sendPaced, uniqueRoom, until } from '../delivery/clients.js';
import { isolatedClusterArgs } from '../support/isolated-cluster.js';
import { ServerProcess, stopAtEnd } from '../../bench/support/server-process.js';
import { TcpBalancer } from '../support/tcp-balancer.js';

const { DATABASE_URL, REDIS_URL } = process.env;
const CLIENTS = 4;
const PER_CLIENT = 40;

if (!DATABASE_URL || !REDIS_URL) {
  test('graceful stop in a cluster', { skip: 'not run: set REDIS_URL and DATABASE_URL' }, () => {});
} else {
  test('SIGTERM to one of two nodes: its clients move to the other at once and lose nothing', { timeout: 90_000 }, async (t) => {
    const args = isolatedClusterArgs(t, DATABASE_URL, REDIS_URL);
    const nodes: ServerProcess[] = [];
    for (let i = 0; i < 2; i++) {
      const node = await ServerProcess.start({ args });
      stopAtEnd(t, node);
      nodes.push(node);
    }
    const balancer = await TcpBalancer.start(nodes.map((n) => n.port));
    t.after(() => balancer.close());

    const room = uniqueRoom('rolling');
    // Round robin: half of them on each node.
    const clients = Array.from({ length: CLIENTS }, () => roomClient(t, balancer.url, room));
    await until('presence of all everywhere', () => clients.every((c) => c.conversation.presence?.count === CLIENTS), 15_000);
    const reconnects = clients.map(() => 0);
    clients.forEach((c, i) =>
      c.conn.on('state', (state) => {
        if (state === 'connecting') reconnects[i]!++;
      }),
    );

    const sending = Promise.all(clients.map(async (c, i) => Promise.all(await sendPaced(c, `c${i}`, PER_CLIENT, 10))));
    await until('sending under way', () => clients.every((c) => c.conversation.messages.length >= 8), 10_000);
    const stoppedAt = Date.now();
    // Exit code 0 within 5 s, or this rejects with the node's output.
    await nodes[0]!.terminate();
    assert.match(nodes[0]!.output(), /"msg":"stopped"/);

    // The stopped node's clients were told (disconnected), not left to find out by a missed ping.
    await until('the moved clients back', () => clients.every((c) => c.conn.state === 'connected' && c.conversation.status === 'ready'), 10_000);
    assert.ok(Date.now() - stoppedAt < PING_INTERVAL_MS, `clients took ${Date.now() - stoppedAt} ms to come back`);
    assert.equal(reconnects.filter((n) => n > 0).length, CLIENTS / 2, `reconnects per client: ${reconnects.join(',')}`);

    await sending;
    const total = CLIENTS * PER_CLIENT;
    await until(
      'every message at every client',
      () => clients.every((c) => c.conversation.messages.length >= total),
      20_000,
      () => clients.map((c) => c.conversation.messages.length).join(', '),
    );
    for (const c of clients) assert.equal(assertComplete(c.conversation.messages, total), null);
  });
}
