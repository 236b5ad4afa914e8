/**
 * The store contract on PostgreSQL, each test in a schema of its own (dropped
 * after), plus what only a shared database has: nodes migrating at once.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { test } from 'node:test';
import type { TestContext } from 'node:test';
import pg from 'pg';
import { POSTGRES_MIGRATIONS } from '../../server/storage/postgres-migrations.js';
import { PostgresStore } from '../../server/storage/postgres-store.js';
import { storeContract } from './contract.js';
import { richContract } from './rich-contract.js';
import { uploadContract } from './upload-contract.js';

// Empty counts as unset, as in a shell `DATABASE_URL= npm test`.
const url = process.env.DATABASE_URL || undefined;

/** Runs `work` on a connection of its own, outside any store. */
async function withClient<T>(databaseUrl: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: databaseUrl, connectionTimeoutMillis: 10_000 });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** A fresh schema name, and a cleanup that closes the stores opened on it and drops it. */
function isolatedSchema(t: TestContext, databaseUrl: string) {
  const schema = `chat_test_${randomBytes(6).toString('hex')}`;
  const stores: PostgresStore[] = [];
  const open = async () => {
    const store = await PostgresStore.open({ connectionString: databaseUrl, schema, max: 4 });
    stores.push(store);
    return store;
  };
  t.after(async () => {
    await Promise.all(stores.map((store) => store.close()));
    await withClient(databaseUrl, (client) => client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`));
  });
  /** Every row of every table of the schema. */
  const tableRows = () =>
    withClient(databaseUrl, async (client) => {
      const { rows: tables } = await client.query<{ name: string }>(
        'SELECT table_name AS name FROM information_schema.tables WHERE table_schema = $1',
        [schema],
      );
      const entries = [];
      for (const { name } of tables) {
        const { rows } = await client.query<Record<string, unknown>>(`SELECT * FROM ${schema}.${client.escapeIdentifier(name)}`);
        entries.push([name, rows] as const);
      }
      return Object.fromEntries(entries);
    });
  return { schema, open, tableRows };
}

if (url === undefined) {
  test('postgres store', { skip: 'PostgreSQL store suite not run: set DATABASE_URL (.ci/run does)' }, () => {});
} else {
  const openPostgres = async (t: TestContext) => {
    const { open, tableRows } = isolatedSchema(t, url);
    return { store: await open(), openAnother: open, tableRows };
  };
  storeContract('postgres', openPostgres);
  richContract('postgres', openPostgres);
  uploadContract('postgres', openPostgres);

  test('postgres: nodes starting together migrate a new schema once', { timeout: 30_000 }, async (t) => {
    const { schema, open } = isolatedSchema(t, url);
    const nodes = await Promise.all([open(), open(), open()]);
    assert.deepEqual(await Promise.all(nodes.map((node) => node.lastSeq('s', 'lobby'))), [0, 0, 0]);
    const { rows } = await withClient(url, (client) =>
      client.query<{ version: number }>(`SELECT version FROM ${schema}.schema_migrations ORDER BY version`),
    );
    assert.deepEqual(
      rows.map((row) => row.version),
      POSTGRES_MIGRATIONS.map((m) => m.version),
    );
  });
}
