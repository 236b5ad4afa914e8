/**
 * What a join reads on PostgreSQL (the SQLite side is test/server/join-cost.test.ts):
 * the store's queries for a join (a history page, the unread count) are
 * recorded as the store sends them and replayed with EXPLAIN (ANALYZE), which
 * says how many rows of `messages` each really read. A room of 100,000
 * messages must read as many as a room of 200, and no more than the bounds.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { test } from 'node:test';
import pg from 'pg';
import { HISTORY_PAGE_SIZE, UNREAD_CAP } from '../../protocol/index.js';
import { PostgresStore } from '../../server/storage/postgres-store.js';

const url = process.env.DATABASE_URL || undefined;

interface PlanNode {
  'Relation Name'?: string;
  'Actual Rows'?: number;
  'Actual Loops'?: number;
  'Rows Removed by Filter'?: number;
  Plans?: PlanNode[];
}

/** Rows of `messages` a plan read: the rows its scans of the table returned, and those they filtered out. */
function messageRowsRead(node: PlanNode): number {
  const own =
    node['Relation Name'] === 'messages'
      ? ((node['Actual Rows'] ?? 0) + (node['Rows Removed by Filter'] ?? 0)) * (node['Actual Loops'] ?? 1)
      : 0;
  return own + (node.Plans ?? []).reduce((sum, child) => sum + messageRowsRead(child), 0);
}

if (url === undefined) {
  test('postgres join reads', { skip: 'set DATABASE_URL to run it' }, () => {});
} else {
  test('postgres: a join reads as many message rows in a room of 100,000 as in a room of 200', { timeout: 60_000 }, async (t) => {
    const schema = `chat_test_${randomBytes(6).toString('hex')}`;
    const store = await PostgresStore.open({ connectionString: url, schema, max: 2 });
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    t.after(async () => {
      await store.close();
      await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      await client.end();
    });
    await client.query(`SET search_path TO ${schema}`);
    // Seeded in one statement each: the rows, not the store's append path, are what is measured here.
    for (const [room, size] of [['medium', 200], ['big', 100_000]] as const) {
      await client.query(
        `INSERT INTO messages (id, site, room, seq, client_id, sender_id, sender_name, sender_kind, text, at)
         SELECT $1 || '-' || n, 's', $1, n, $1 || '-c' || n, 'g_other', 'Other', 'guest', 'm' || n, 1700000000000 + n
         FROM generate_series(1, $2::int) AS n`,
        [room, size],
      );
    }
    await client.query('ANALYZE messages');

    const pool = (store as unknown as { pool: pg.Pool }).pool;
    const recorded: [string, unknown[]][] = [];
    const query = pool.query.bind(pool) as (sql: string, params?: unknown[]) => Promise<pg.QueryResult>;
    (pool as unknown as { query: typeof query }).query = (sql, params) => {
      recorded.push([sql, params ?? []]);
      return query(sql, params);
    };
    const reads = async (room: string) => {
      recorded.length = 0;
      await store.history('s', room, { limit: HISTORY_PAGE_SIZE });
      const unread = await store.countUnread('s', room, 1, 'g_reader', UNREAD_CAP);
      let rows = 0;
      for (const [sql, params] of recorded) {
        const { rows: plan } = await client.query<{ 'QUERY PLAN': [{ Plan: PlanNode }] }>(`EXPLAIN (ANALYZE, FORMAT JSON) ${sql}`, params);
        rows += messageRowsRead(plan[0]!['QUERY PLAN'][0].Plan);
      }
      return { rows, unread, queries: recorded.length };
    };
    const medium = await reads('medium');
    const big = await reads('big');
    t.diagnostic(JSON.stringify({ medium, big }));
    assert.ok(big.rows <= HISTORY_PAGE_SIZE + 1 + UNREAD_CAP + 1, `the big room read ${big.rows} message rows`);
    assert.equal(big.rows, medium.rows);
    assert.equal(big.queries, medium.queries);
    assert.deepEqual(big.unread, { count: UNREAD_CAP, capped: true });
  });
}
