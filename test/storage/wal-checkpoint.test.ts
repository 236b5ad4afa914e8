/**
 * The SQLite store checkpoints its WAL from a worker thread: the event loop's
 * connection only does so past a far larger WAL than SQLite's default, and
 * closing the store closes the worker's connection too.
 */
import assert from 'node:assert/strict';
import { existsSync, statSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import test from 'node:test';
import { SQLITE_FILE_NAME, SqliteStore } from '../../server/storage/sqlite-store.js';
import { CHECKPOINT_INTERVAL_MS } from '../../server/storage/wal-checkpointer.js';

const FROM = { id: 'g_checkpoint', name: 'Checkpoint', kind: 'guest' as const };

async function appendBatch(store: SqliteStore, count: number): Promise<void> {
  // Appended in one turn: one group commit, a few dozen WAL pages, far below any autocheckpoint threshold.
  await Promise.all(
    Array.from({ length: count }, (_, i) =>
      store.appendMessage('demo', { room: 'lobby', clientId: `checkpoint-${i}`, from: FROM, text: `message ${i} `.repeat(8), at: Date.now() }),
    ),
  );
}

test('the WAL is copied into the database file by the worker, not by the connection that commits', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'chat-room-checkpoint-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const store = SqliteStore.open(dir);
  t.after(() => store.close());
  const file = join(dir, SQLITE_FILE_NAME);
  const before = statSync(file).size;

  await appendBatch(store, 300);
  const deadline = Date.now() + 20 * CHECKPOINT_INTERVAL_MS;
  while (statSync(file).size <= before + 50_000 && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, CHECKPOINT_INTERVAL_MS / 2));
  }
  assert.ok(statSync(file).size > before + 50_000, `the database file grew from ${before} to ${statSync(file).size} bytes`);
  assert.equal(await store.lastSeq('demo', 'lobby'), 300);
});

test('closing the store closes the worker connection, so the WAL is folded in and removed', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'chat-room-checkpoint-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const store = SqliteStore.open(dir);
  await appendBatch(store, 50);
  assert.ok(existsSync(join(dir, `${SQLITE_FILE_NAME}-wal`)));
  await store.close();
  // SQLite removes the WAL when its last connection closes.
  assert.equal(existsSync(join(dir, `${SQLITE_FILE_NAME}-wal`)), false);

  const reopened = SqliteStore.open(dir);
  t.after(() => reopened.close());
  assert.equal(await reopened.lastSeq('demo', 'lobby'), 50);
});
