/**
 * Rate limits kept in Redis hold across nodes, and fall back to each node's
 * memory while Redis is unreachable instead of failing or hanging. This test
 * runs a Redis server of its own (the `redis-server` that REDIS_URL's points
 * to is shared), so it can kill it.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { test } from 'node:test';
import { Redis } from 'ioredis';
import { RateLimits } from '../../server/security/rate-limits.js';

const rule = { points: 3, durationMs: 60_000 };
const limits = { messagesPerSocket: rule, messagesPerUser: rule, messagesPerIp: { points: 100, durationMs: 60_000 } };

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

if (!process.env.REDIS_URL) {
  test('Redis rate limits', { skip: 'not run: set REDIS_URL (.ci/run does)' }, () => {});
} else {
  test('limits in Redis are shared by nodes, and fall back to memory while Redis is down', { timeout: 30_000 }, async (t) => {
    const port = await freePort();
    const redisServer = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
    t.after(() => redisServer.kill('SIGKILL'));
    const clients = [0, 1].map(() => new Redis(port, '127.0.0.1', { enableOfflineQueue: false, maxRetriesPerRequest: 1 }));
    t.after(() => clients.forEach((c) => c.disconnect()));
    await Promise.all(clients.map((c) => new Promise((resolve) => c.once('ready', resolve))));

    // Two nodes, one user: the budget is the user's, wherever they send from.
    const [nodeA, nodeB] = clients.map((redis) => new RateLimits(limits, { redis, prefix: 'rl-test:' })) as [RateLimits, RateLimits];
    const actor = (socket: string) => ({ socket, user: 'u_alice', ip: '10.0.0.1' });
    for (let i = 0; i < 3; i++) assert.deepEqual(await nodeA.action('message', actor(`a${i}`)), { ok: true });
    const refused = await nodeB.action('message', actor('b0'));
    assert.equal(refused.ok, false, 'the user is over the limit on the other node too');

    redisServer.kill('SIGKILL');
    await new Promise((resolve) => redisServer.once('exit', resolve));
    const started = Date.now();
    // Memory stands in: answers come at once, and a fresh user still has a budget.
    const fresh = (socket: string) => ({ socket, user: 'u_bob', ip: '10.0.0.2' });
    for (let i = 0; i < 3; i++) assert.deepEqual(await nodeA.action('message', fresh(`c${i}`)), { ok: true });
    assert.equal((await nodeA.action('message', fresh('c3'))).ok, false, 'and it still limits');
    assert.ok(Date.now() - started < 2000, `fallback answered in ${Date.now() - started} ms`);
  });
}
