import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { tempDir } from './helpers.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const CLI = ['--import', 'tsx', 'server/cli.ts'];

test('chat-room-server --help lists every flag and exits 0', async () => {
  const child = spawn(process.execPath, [...CLI, '--help'], { cwd: ROOT });
  let out = '';
  child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
  const [code] = (await once(child, 'exit')) as [number];
  assert.equal(code, 0);
  for (const flag of ['--port', '--host', '--data-dir', '--demo-port', '--no-demo', '--public-url', '--log-level', 'PORT', 'HOST']) {
    assert.ok(out.includes(flag), flag);
  }
});

test('chat-room-server refuses an unknown flag with exit code 2', async () => {
  const child = spawn(process.execPath, [...CLI, '--bogus'], { cwd: ROOT });
  const [code] = (await once(child, 'exit')) as [number];
  assert.equal(code, 2);
});

// The timeout makes a shutdown that hangs fail the test instead of stalling the run.
test('chat-room-server logs a JSON listening line, serves, and exits 0 on SIGTERM', { timeout: 20_000 }, async (t) => {
  const dataDir = await tempDir(t);
  const child = spawn(process.execPath, [...CLI, '--port', '0', '--demo-port', '0', '--data-dir', dataDir], {
    cwd: ROOT,
    env: { ...process.env, LOG_LEVEL: 'info' },
  });
  t.after(() => {
    if (child.exitCode === null) child.kill('SIGKILL');
  });
  const lines = createInterface({ input: child.stdout });
  let listening: { msg: string; url: string; demoUrl: string } | undefined;
  for await (const line of lines) {
    const entry = JSON.parse(line) as { msg: string; level: string; time: string; url: string; demoUrl: string };
    assert.ok(entry.time && entry.level);
    if (entry.msg === 'listening') {
      listening = entry;
      break;
    }
  }
  assert.ok(listening);
  assert.match(listening.url, /^http:\/\/127\.0\.0\.1:\d+$/);
  assert.match(listening.demoUrl, /^http:\/\/127\.0\.0\.1:\d+$/);
  const health = await fetch(`${listening.url}/healthz`);
  assert.deepEqual(await health.json(), { ok: true });

  const exited = once(child, 'exit');
  child.kill('SIGTERM');
  const [code] = (await exited) as [number];
  assert.equal(code, 0);
});
