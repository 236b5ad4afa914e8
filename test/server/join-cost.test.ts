/**
 * A join costs the same whatever the room's size: the same store calls, and
 * no more message rows read in a room of 100,000 messages than in one of 200
 * (both past every bound), counted on the real SQLite store of a real server.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { HISTORY_PAGE_SIZE, UNREAD_CAP } from '../../protocol/index.js';
import type { UserInfo } from '../../protocol/index.js';
import { SqliteStore } from '../../server/storage/sqlite-store.js';
import type { ChatStore } from '../../server/storage/store.js';
import { SqliteRowReads } from '../support/sqlite-row-reads.js';
import { connect, guestKey, startServer, tempDir } from './helpers.js';

/** The store calls made while `recording` is on, by method name. */
function countingStore(store: ChatStore): { store: ChatStore; calls: string[] | null } {
  const state: { store: ChatStore; calls: string[] | null } = { store, calls: null };
  state.store = new Proxy(store, {
    get(target, key) {
      const value: unknown = Reflect.get(target, key, target);
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        state.calls?.push(String(key));
        return value.apply(target, args);
      };
    },
  });
  return state;
}

/** Appends straight through the store, a batch per group commit. */
async function fill(store: ChatStore, room: string, from: UserInfo, count: number): Promise<void> {
  const batch = 5000;
  for (let start = 1; start <= count; start += batch) {
    const appends = [];
    for (let i = start; i < Math.min(start + batch, count + 1); i++) {
      appends.push(store.appendMessage('demo', { room, clientId: `${room}-${i}`, from, text: `m${i}`, at: Date.now() }));
    }
    await Promise.all(appends);
  }
}

test('joining and re-joining read as many rows in a room of 100,000 messages as in one of 200, with the same store calls', { timeout: 120_000 }, async (t) => {
  const dir = await tempDir(t);
  const reads = new SqliteRowReads(join(dir, 'chat.sqlite'));
  const sqlite = new SqliteStore(reads.db);
  t.after(() => sqlite.close());
  const counting = countingStore(sqlite);
  const { url } = await startServer(t, { store: counting.store });

  const key = guestKey();
  const reader = await connect(t, url, { guestKey: key });
  const other: UserInfo = { id: 'g_other', name: 'Other', kind: 'guest' };
  const sizes = { small: 10, medium: 200, big: 100_000 };
  for (const [room, size] of Object.entries(sizes)) {
    await fill(sqlite, room, other, size);
    // As after one `room:ack` with seq 1.
    await sqlite.advanceCursor('demo', reader.session.user.id, room, 1);
  }
  reader.socket.disconnect();

  const measured: Record<string, { calls: string[]; rows: number; rejoinCalls: string[]; rejoinRows: number; unread: [number, boolean] }> = {};
  for (const room of Object.keys(sizes)) {
    const { socket } = await connect(t, url, { guestKey: key });
    const once = async () => {
      counting.calls = [];
      let answer: Awaited<ReturnType<typeof socket.emitWithAck<'room:join'>>> | undefined;
      const rows = await reads.count(async () => {
        answer = await socket.emitWithAck('room:join', { room });
      });
      const calls = counting.calls;
      counting.calls = null;
      assert.ok(answer?.ok, `join ${room}`);
      return { calls, rows, unread: [answer.data.unread, answer.data.unreadCapped] as [number, boolean] };
    };
    const first = await once();
    const again = await once();
    measured[room] = { calls: first.calls, rows: first.rows, rejoinCalls: again.calls, rejoinRows: again.rows, unread: first.unread };
    socket.disconnect();
  }
  t.diagnostic(JSON.stringify(measured));
  const { small, medium, big } = measured as Record<keyof typeof sizes, (typeof measured)[string]>;

  // One page of history (one row more to learn `hasMore`) and at most UNREAD_CAP + 1 rows for the unread count.
  const bound = HISTORY_PAGE_SIZE + 1 + UNREAD_CAP + 1;
  assert.ok(big.rows <= bound, `a join of the big room read ${big.rows} message rows (bound ${bound})`);
  assert.equal(big.rows, medium.rows, 'a room of 100,000 reads no more than a room of 200');
  assert.ok(small.rows <= big.rows);
  assert.equal(big.rejoinRows, big.rows, 're-joining reads no more than joining');
  assert.deepEqual(big.calls, small.calls, 'the same store calls in a room of 10 and of 100,000');
  assert.deepEqual(big.rejoinCalls, small.rejoinCalls);

  // Others' messages after the cursor: exact below the cap, capped above it.
  assert.deepEqual(small.unread, [9, false]);
  assert.deepEqual(medium.unread, [UNREAD_CAP, true]);
  assert.deepEqual(big.unread, [UNREAD_CAP, true]);
});
