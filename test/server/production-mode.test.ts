/** `--production` / NODE_ENV=production: no demo site and no demo host unless `--demo`; admin tokens of 32+ characters. */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { test } from 'node:test';
import type { TestContext } from 'node:test';
import { fileURLToPath } from 'node:url';
import { createChatServer } from '../../server/index.js';
import { tempDir } from './helpers.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const CLI = ['--import', 'tsx', 'server/cli.ts'];
const ADMIN_TOKEN = 'production-test-admin-token-0123456789abcdef';

interface Started {
  child: ChildProcessWithoutNullStreams;
  url: string;
  demoUrl: string | null;
  /** Every log line up to `listening`. */
  log: { msg: string; level: string }[];
}

/** Runs the CLI with a fresh (or given) data dir until its `listening` line; stopped with SIGTERM when the test ends. */
async function start(t: TestContext, args: string[], env: Record<string, string> = {}, dataDir?: string): Promise<Started> {
  const dir = dataDir ?? (await tempDir(t));
  const child = spawn(process.execPath, [...CLI, '--port', '0', '--data-dir', dir, '--admin-token', ADMIN_TOKEN, ...args], {
    cwd: ROOT,
    env: { ...process.env, LOG_LEVEL: 'info', NODE_ENV: '', ...env },
  });
  const exited = once(child, 'exit');
  // Graceful shutdown has its own tests (cli.test.ts); here the server only has to be gone.
  t.after(async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    await exited;
  });
  const log: Started['log'] = [];
  for await (const line of createInterface({ input: child.stdout })) {
    const entry = JSON.parse(line) as { msg: string; level: string; url: string; demoUrl: string | null };
    log.push(entry);
    if (entry.msg === 'listening') return { child, url: entry.url, demoUrl: entry.demoUrl, log };
  }
  throw new Error('the server exited before listening');
}

async function siteIds(url: string): Promise<string[]> {
  const res = await fetch(`${url}/api/sites`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } });
  assert.equal(res.status, 200);
  return ((await res.json()) as { sites: { id: string }[] }).sites.map((s) => s.id);
}

/** Exit code and stderr of a run that is expected to stop by itself. */
async function refusedRun(args: string[], env: Record<string, string> = {}): Promise<{ code: number; stderr: string }> {
  const child = spawn(process.execPath, [...CLI, '--port', '0', '--no-demo', ...args], { cwd: ROOT, env: { ...process.env, ...env } });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
  const [code] = (await once(child, 'exit')) as [number];
  clearTimeout(timer);
  return { code, stderr };
}

test('the quick start keeps the demo site and the demo host', async (t) => {
  const { url, demoUrl } = await start(t, ['--demo-port', '0']);
  assert.match(demoUrl ?? '', /^http:\/\/127\.0\.0\.1:\d+$/);
  assert.deepEqual(await siteIds(url), ['demo']);
});

test('--production and NODE_ENV=production start without the demo site and the demo host', async (t) => {
  for (const [args, env] of [[['--production'], {}], [[], { NODE_ENV: 'production' }]] as const) {
    const { url, demoUrl } = await start(t, [...args], env);
    assert.equal(demoUrl, null, JSON.stringify(args));
    assert.deepEqual(await siteIds(url), [], JSON.stringify(args));
    const health = await fetch(`${url}/healthz`);
    assert.equal(health.status, 200);
  }
});

test('--demo brings both back in production', async (t) => {
  const { url, demoUrl } = await start(t, ['--demo', '--demo-port', '0'], { NODE_ENV: 'production' });
  assert.match(demoUrl ?? '', /^http:\/\/127\.0\.0\.1:\d+$/);
  assert.deepEqual(await siteIds(url), ['demo']);
});

test('a demo site made earlier is left in place in production, with a warning', async (t) => {
  const dataDir = await tempDir(t);
  const first = await start(t, ['--no-demo'], {}, dataDir);
  const exited = once(first.child, 'exit');
  first.child.kill('SIGTERM');
  await exited;
  const { url, log } = await start(t, ['--production'], {}, dataDir);
  assert.deepEqual(await siteIds(url), ['demo']);
  assert.ok(log.some((entry) => entry.level === 'warn' && /demo site/.test(entry.msg)), JSON.stringify(log));
});

test('an admin token shorter than 32 characters is refused at start, by the CLI and by the API', async () => {
  for (const [args, env] of [
    [['--admin-token', 'too-short-0123456789'], {}],
    [[], { CHAT_ROOM_ADMIN_TOKEN: 'x'.repeat(31) }],
    [['--admin-token', `${'x'.repeat(20)} ${'y'.repeat(20)}`], {}],
  ] as const) {
    const { code, stderr } = await refusedRun([...args], env);
    assert.equal(code, 2, stderr);
    assert.match(stderr, /admin token must be at least 32 characters/, stderr);
  }
  assert.throws(() => createChatServer({ adminToken: 'short' }), /admin token must be at least 32 characters/);
});
