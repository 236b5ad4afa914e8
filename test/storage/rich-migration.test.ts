/**
 * The rich-message migration (SQLite v9, PostgreSQL v7) on data written by the
 * schema before it: sites, users and messages stay as they were (no change
 * numbers, no avatars they never had), and the new features work on them.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import type { TestContext } from 'node:test';
import Database from 'better-sqlite3';
import pg from 'pg';
import type { ChatMessage } from '../../protocol/index.js';
import { SQLITE_MIGRATIONS } from '../../server/storage/migrations.js';
import { POSTGRES_MIGRATIONS } from '../../server/storage/postgres-migrations.js';
import { PostgresStore } from '../../server/storage/postgres-store.js';
import { SQLITE_FILE_NAME, SqliteStore } from '../../server/storage/sqlite-store.js';
import type { ChatStore } from '../../server/storage/store.js';

type Run = (sql: string, ...params: unknown[]) => Promise<void>;

const ANN = { id: 'u_annOpaque1234567890', name: 'Ann', kind: 'user' } as const;
const BEA = { id: 'g_beaGuest', name: 'Bea', kind: 'guest' } as const;

async function writeOldData(run: Run, postgres: boolean): Promise<void> {
  const bool = (value: boolean) => (postgres ? value : value ? 1 : 0);
  await run(
    `INSERT INTO sites (id, name, origins, allow_no_origin, secret, room_policy, rooms, read_only_rooms, retention_days, created, rate_limit_scale, id_key)
     VALUES ('s', 'S', '["https://a.example"]', ?, 'sec', 'open', '[]', '[]', 30, 5, 2, 'key')`,
    bool(false),
  );
  for (const user of [ANN, BEA]) {
    await run(
      `INSERT INTO users (site, id, name, name_key, kind, avatar, skeleton, created) VALUES ('s', ?, ?, ?, ?, ?, ?, 1)`,
      user.id,
      user.name,
      user.name.toLowerCase(),
      user.kind,
      user.kind === 'user' ? 'https://img.example/ann.png' : null,
      user.name.toLowerCase(),
    );
  }
  const message = (id: string, seq: number, from: typeof ANN | typeof BEA, text: string, deleted: boolean) =>
    run(
      `INSERT INTO messages (id, site, room, seq, client_id, sender_id, sender_name, sender_kind, recipient, text, at, deleted)
       VALUES (?, 's', 'lobby', ?, ?, ?, ?, ?, NULL, ?, 10, ?)`,
      id,
      seq,
      `c-${id}`,
      from.id,
      from.name,
      from.kind,
      text,
      bool(deleted),
    );
  await message('m1', 1, ANN, 'hello', false);
  await message('m2', 2, BEA, '', true);
  await message('m3', 3, BEA, `hi <@${ANN.id}>`, false);
  if (postgres) await run(`INSERT INTO room_seqs (site, room, seq) VALUES ('s', 'lobby', 3)`);
}

async function checkMigrated(store: ChatStore): Promise<void> {
  assert.deepEqual(await store.getSite('s'), {
    id: 's',
    name: 'S',
    origins: ['https://a.example'],
    allowNoOrigin: false,
    secret: 'sec',
    idKey: 'key',
    roomPolicy: 'open',
    rooms: [],
    readOnlyRooms: [],
    retentionDays: 30,
    rateLimitScale: 2,
    created: 5,
  });
  const old = (id: string, seq: number, from: typeof ANN | typeof BEA, text: string): ChatMessage => ({
    id,
    room: 'lobby',
    seq,
    clientId: `c-${id}`,
    from: { ...from },
    text,
    at: 10,
  });
  assert.deepEqual((await store.history('s', 'lobby', { limit: 10, reader: BEA.id })).messages, [
    old('m1', 1, ANN, 'hello'),
    { ...old('m2', 2, BEA, ''), deleted: true },
    old('m3', 3, BEA, `hi <@${ANN.id}>`),
  ]);
  assert.equal(await store.lastRev('s', 'lobby'), 0);

  const reacted = await store.react('s', 'm1', BEA.id, '👍', true, 20);
  assert.ok(typeof reacted === 'object' && reacted.changed);
  assert.deepEqual(reacted.message.reactions, [{ emoji: '👍', count: 1, users: [BEA] }]);
  assert.equal(reacted.message.rev, 1);
  const reply = await store.appendMessage('s', { room: 'lobby', clientId: 'new', from: BEA, text: 're', at: 11, replyTo: 'm1' });
  assert.equal(reply.message.seq, 4, 'seqs continue');
  assert.deepEqual(reply.message.replyTo, { id: 'm1', seq: 1, from: ANN, excerpt: 'hello' });
  const page = await store.changes('s', 'lobby', 0, 10, BEA.id);
  assert.deepEqual(
    page.messages.map((m) => [m.id, m.rev, m.myReactions]),
    [['m1', 1, ['👍']]],
  );
}

test('sqlite: v9 keeps the data of a v8 database and rich messages work on it', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'chat-room-richmig-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const raw = new Database(join(dir, SQLITE_FILE_NAME));
  raw.exec('CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied INTEGER NOT NULL)');
  for (const m of SQLITE_MIGRATIONS.filter((m) => m.version <= 8)) {
    raw.exec(m.sql);
    m.data?.(raw);
    raw.prepare('INSERT INTO schema_migrations VALUES (?, ?, 0)').run(m.version, m.name);
  }
  await writeOldData(async (sql, ...params) => void raw.prepare(sql).run(...params), false);
  raw.close();
  const store = SqliteStore.open(dir);
  t.after(() => store.close());
  await checkMigrated(store);
});

const url = process.env.DATABASE_URL || undefined;

test('postgres: v7 keeps the data of a v6 schema and rich messages work on it', { skip: url === undefined ? 'set DATABASE_URL' : false }, async (t: TestContext) => {
  const schema = `chat_test_${randomBytes(6).toString('hex')}`;
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  t.after(async () => {
    await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await client.end();
  });
  await client.query(`CREATE SCHEMA ${schema}; SET search_path TO ${schema}`);
  await client.query('CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied BIGINT NOT NULL)');
  for (const m of POSTGRES_MIGRATIONS.filter((m) => m.version <= 6)) {
    await client.query(m.sql);
    await m.data?.(client);
    await client.query('INSERT INTO schema_migrations VALUES ($1, $2, 0)', [m.version, m.name]);
  }
  await writeOldData(async (sql, ...params) => {
    let n = 0;
    await client.query(
      sql.replace(/\?/g, () => `$${++n}`),
      params,
    );
  }, true);
  const store = await PostgresStore.open({ connectionString: url!, schema, max: 2 });
  t.after(() => store.close());
  await checkMigrated(store);
});
