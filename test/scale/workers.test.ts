/**
 * `--workers`: SIGTERM to the primary stops every worker gracefully and in
 * time, and a worker that dies is replaced while the service goes on. Needs
 * REDIS_URL and DATABASE_URL (workers share rooms through them).
 */
import assert from 'node:assert/strict';
import { test, type TestContext } from 'node:test';
import { assertComplete, roomClient, sendPaced, uniqueRoom, until } from '../delivery/clients.js';
import { isolatedClusterArgs } from '../support/isolated-cluster.js';
import { ServerProcess, stopAtEnd } from '../../bench/support/server-process.js';

const { DATABASE_URL, REDIS_URL } = process.env;
const WORKERS = 2;

function isolated(t: TestContext): string[] {
  return ['--workers', String(WORKERS), ...isolatedClusterArgs(t, DATABASE_URL!, REDIS_URL!)];
}

/** How many lines with this `msg` the server printed so far. */
function count(server: ServerProcess, msg: string): number {
  return server.output().split(`"msg":"${msg}"`).length - 1;
}

/** Pids of the workers the primary logged as started. */
function workerPids(server: ServerProcess): number[] {
  return [...server.output().matchAll(/"msg":"worker started","pid":(\d+)/g)].map((m) => Number(m[1]));
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function startWorkers(t: TestContext): Promise<ServerProcess> {
  const server = await ServerProcess.start({ args: isolated(t) });
  stopAtEnd(t, server);
  await until('every worker listening', () => count(server, 'listening') === WORKERS, 20_000, () => server.output());
  return server;
}

if (!DATABASE_URL || !REDIS_URL) {
  test('--workers suite', { skip: 'not run: set REDIS_URL and DATABASE_URL' }, () => {});
} else {
  test('--workers: SIGTERM to the primary stops every worker gracefully, exit 0 in time', { timeout: 60_000 }, async (t) => {
    const server = await startWorkers(t);
    const pids = workerPids(server);
    assert.equal(pids.length, WORKERS, server.output());
    const room = uniqueRoom('workers-stop');
    const clients = Array.from({ length: 4 }, () => roomClient(t, server.url, room));
    await until('all joined', () => clients.every((c) => c.conversation.status === 'ready'), 15_000);

    // Exit code 0 within 5 s, or this rejects with the output.
    await server.terminate();
    const output = server.output();
    assert.equal(count(server, 'shutting down'), WORKERS, output);
    // Each worker's, then the primary's.
    assert.equal(count(server, 'stopped'), WORKERS + 1, output);
    assert.doesNotMatch(output, /"level":"error"/);
    for (const pid of pids) assert.equal(alive(pid), false, `worker ${pid} outlived the primary`);
    await until('clients reconnecting', () => clients.every((c) => c.conn.state === 'connecting'), 5_000);
  });

  test('--workers: a SIGKILLed worker is replaced and the service goes on', { timeout: 90_000 }, async (t) => {
    const server = await startWorkers(t);
    const [doomed, survivor] = workerPids(server);
    const room = uniqueRoom('workers-replace');
    // The primary hands connections to the workers in turn: these land on both.
    const clients = Array.from({ length: 4 }, () => roomClient(t, server.url, room));
    await until('presence of four', () => clients.every((c) => c.conversation.presence?.count === 4), 15_000);

    process.kill(doomed!, 'SIGKILL');
    await until('a worker started in its place', () => workerPids(server).length === WORKERS + 1, 10_000, () => server.output());
    await until('the new worker listening', () => count(server, 'listening') === WORKERS + 1, 20_000, () => server.output());
    assert.match(server.output(), new RegExp(`"msg":"worker exited; starting another","pid":${doomed},"code":null,"signal":"SIGKILL"`));
    const replacement = workerPids(server).at(-1)!;
    assert.ok(alive(replacement) && alive(survivor!));

    await Promise.all(clients.map(async (c, i) => Promise.all(await sendPaced(c, `w${i}`, 10, 5))));
    await until('every message at every client', () => clients.every((c) => c.conversation.messages.length === 40), 15_000);
    for (const c of clients) assert.equal(assertComplete(c.conversation.messages, 40), null);
    // t.after stops it: gracefully, the replacement included, or the test fails.
  });
}
