/**
 * Retention through the real CLI: `site add … --retention-days N` reaches the
 * pruning the server runs at start and then on a timer. The timer is an hour
 * in production; CHAT_ROOM_RETENTION_INTERVAL_MS (not a flag, a knob for
 * tests) shortens it so the test sees the scheduled run repeat, with the same
 * code path and no fake clock. Old messages are written straight into the
 * SQLite file, as only a clock could otherwise make them.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SqliteStore } from '../../server/storage/sqlite-store.js';
import { until } from '../delivery/clients.js';
import { ServerProcess, stopAtEnd } from '../../bench/support/server-process.js';
import { ALLOWED_ORIGIN, connect, runSiteCli, tempDir } from './helpers.js';

const DAY_MS = 24 * 3600 * 1000;
const AUTHOR = { id: 'g_author', name: 'Author', kind: 'guest' as const };

async function siteCli(dataDir: string, ...args: string[]): Promise<void> {
  const { code, err } = await runSiteCli(dataDir, ...args);
  assert.equal(code, 0, `site ${args.join(' ')}: ${err}`);
}

/** Appends messages dated `ageDays` ago through a second connection to the server's SQLite file. */
async function appendAged(dataDir: string, room: string, count: number, ageDays: number): Promise<void> {
  const store = SqliteStore.open(dataDir);
  try {
    for (let i = 0; i < count; i++) {
      await store.appendMessage('shop', { room, clientId: crypto.randomUUID(), from: AUTHOR, text: `${room} ${i}`, at: Date.now() - ageDays * DAY_MS });
    }
  } finally {
    await store.close();
  }
}

function prunedLines(server: ServerProcess): string[] {
  return [...server.output().matchAll(/"msg":"retention applied","pruned":(\{[^}]*\})/g)].map((m) => m[1]!);
}

test('site add --retention-days reaches the pruning at start and on every scheduled run after it', { timeout: 60_000 }, async (t) => {
  const dataDir = await tempDir(t);
  await siteCli(dataDir, 'add', 'shop', '--name', 'Shop', '--origin', ALLOWED_ORIGIN, '--retention-days', '7');
  await appendAged(dataDir, 'early', 5, 30);
  await appendAged(dataDir, 'early', 2, 1);

  const server = await ServerProcess.start({ dataDir, env: { CHAT_ROOM_RETENTION_INTERVAL_MS: '200' } });
  stopAtEnd(t, server);
  await until('the run at start', () => prunedLines(server).length >= 1, 10_000, () => server.output());
  assert.deepEqual(prunedLines(server), ['{"shop":5}']);

  // Old messages that appear while it runs are gone at a later run: the timer fires, and reads the site's retention.
  await appendAged(dataDir, 'later', 4, 8);
  await until('a scheduled run', () => prunedLines(server).length >= 2, 10_000, () => server.output());
  assert.deepEqual(prunedLines(server), ['{"shop":5}', '{"shop":4}']);

  const { socket } = await connect(t, server.url, { site: 'shop' });
  const early = await socket.emitWithAck('room:join', { room: 'early' });
  assert.ok(early.ok);
  assert.deepEqual(early.data.messages.map((m) => m.text), ['early 0', 'early 1']);
  const later = await socket.emitWithAck('room:join', { room: 'later' });
  assert.ok(later.ok);
  assert.deepEqual(later.data.messages, []);
});
