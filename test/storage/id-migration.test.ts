/**
 * The id migration of issue 9 (SQLite v5, PostgreSQL v3), on data written by
 * the schema before it: sites get an id key equal to their secret (so guest
 * ids do not change), and identified users' `u_<sub>` ids become opaque
 * everywhere they are stored, private conversation names re-sorted.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { test } from 'node:test';
import type { TestContext } from 'node:test';
import Database from 'better-sqlite3';
import pg from 'pg';
import { directConversation } from '../../protocol/index.js';
import { identifiedUserId } from '../../server/identity.js';
import { SQLITE_MIGRATIONS } from '../../server/storage/migrations.js';
import { POSTGRES_MIGRATIONS } from '../../server/storage/postgres-migrations.js';
import { PostgresStore } from '../../server/storage/postgres-store.js';
import { SQLITE_FILE_NAME, SqliteStore } from '../../server/storage/sqlite-store.js';
import type { ChatStore } from '../../server/storage/store.js';

/** Raw access to a database still on the old schema. */
interface OldDatabase {
  run(sql: string, ...params: unknown[]): Promise<void>;
  /** Every table's rows, as text, to look for a leftover `sub`. */
  dump(): Promise<string>;
}

const SECRET = 'old-site-secret';
const ALICE = 'u_alice@example.com';
const BOB = 'u_bob';
const GUEST = 'g_guestGuestGuest1';
const OLD_DM = directConversation(ALICE, BOB);
const OLD_GUEST_DM = directConversation(GUEST, ALICE);

async function writeOldData(db: OldDatabase, postgres: boolean): Promise<void> {
  const bool = (value: boolean) => (postgres ? value : value ? 1 : 0);
  await db.run(
    `INSERT INTO sites (id, name, origins, allow_no_origin, secret, room_policy, rooms, read_only_rooms, created)
     VALUES ('s', 'S', '[]', ?, ?, 'open', '[]', '[]', 1)`,
    bool(false),
    SECRET,
  );
  for (const [id, name, kind] of [[ALICE, 'Alice', 'user'], [BOB, 'Bob', 'user'], [GUEST, 'Guest 1234', 'guest']] as const) {
    // SQLite held NUL + id; PostgreSQL text cannot hold NUL (that insert failed there), so any key stands in.
    const nameKey = kind === 'user' ? `${postgres ? '\u0001' : '\0'}${id}` : name.toLowerCase();
    await db.run(`INSERT INTO users (site, id, name, name_key, kind, skeleton, created) VALUES ('s', ?, ?, ?, ?, ?, 1)`, id, name, nameKey, kind, name.toLowerCase());
  }
  const message = (id: string, room: string, seq: number, sender: string, senderName: string, senderKind: string, recipient: string | null) =>
    db.run(
      `INSERT INTO messages (id, site, room, seq, client_id, sender_id, sender_name, sender_kind, recipient, text, at, deleted)
       VALUES (?, 's', ?, ?, ?, ?, ?, ?, ?, 'text', 1, ?)`,
      id, room, seq, `c-${id}`, sender, senderName, senderKind, recipient, bool(false),
    );
  await message('m1', 'lobby', 1, ALICE, 'Alice', 'user', null);
  await message('m2', OLD_DM, 1, ALICE, 'Alice', 'user', BOB);
  await message('m3', OLD_DM, 2, BOB, 'Bob', 'user', ALICE);
  await message('m4', OLD_GUEST_DM, 1, GUEST, 'Guest 1234', 'guest', ALICE);
  // Erased users keep their id on their tombstones: those are rewritten too.
  await message('m5', 'lobby', 2, 'u_erased@example.com', '', 'user', null);
  if (postgres) {
    for (const [room, seq] of [['lobby', 2], [OLD_DM, 2], [OLD_GUEST_DM, 1]] as const) {
      await db.run(`INSERT INTO room_seqs (site, room, seq) VALUES ('s', ?, ?)`, room, seq);
    }
  }
  await db.run(`INSERT INTO cursors (site, user_id, room, seq, updated) VALUES ('s', ?, 'lobby', 2, 1)`, ALICE);
  await db.run(`INSERT INTO cursors (site, user_id, room, seq, updated) VALUES ('s', ?, ?, 1, 1)`, BOB, OLD_DM);
  await db.run(
    `INSERT INTO bans (id, site, kind, user_id, until, reason, created) VALUES ('b1', 's', 'ban', ?, ?, 'spam', 1)`,
    BOB,
    Date.now() + 3_600_000,
  );
}

async function checkMigrated(store: ChatStore, db: OldDatabase): Promise<void> {
  const site = await store.getSite('s');
  assert.equal(site?.idKey, SECRET, 'existing sites keep deriving ids from their current secret');
  const alice = identifiedUserId(SECRET, 'alice@example.com');
  const bob = identifiedUserId(SECRET, 'bob');
  const erased = identifiedUserId(SECRET, 'erased@example.com');
  assert.match(alice, /^u_[A-Za-z0-9_-]{16,}$/);

  assert.equal(await store.getUser('s', ALICE), undefined);
  assert.deepEqual(await store.getUser('s', alice), { id: alice, name: 'Alice', kind: 'user' });
  assert.deepEqual(await store.getUser('s', GUEST), { id: GUEST, name: 'Guest 1234', kind: 'guest' }, 'guests keep their ids');

  const lobby = await store.history('s', 'lobby', { limit: 10 });
  assert.deepEqual(lobby.messages.map((m) => m.from.id), [alice, erased]);
  const dm = await store.history('s', directConversation(alice, bob), { limit: 10 });
  assert.deepEqual(dm.messages.map((m) => [m.id, m.room, m.from.id, m.to]), [
    ['m2', directConversation(alice, bob), alice, bob],
    ['m3', directConversation(alice, bob), bob, alice],
  ]);
  const guestDm = await store.history('s', directConversation(GUEST, alice), { limit: 10 });
  assert.deepEqual(guestDm.messages.map((m) => [m.id, m.from.id, m.to]), [['m4', GUEST, alice]]);
  assert.deepEqual(await store.messagesBy('s', alice).then((ms) => ms.map((m) => m.id).sort()), ['m1', 'm2']);

  assert.equal(await store.getCursor('s', alice, 'lobby'), 2);
  assert.equal(await store.getCursor('s', bob, directConversation(alice, bob)), 1);
  assert.deepEqual((await store.activeBans('s', Date.now())).map((b) => b.userId), [bob]);

  const next = await store.appendMessage('s', {
    room: directConversation(alice, bob),
    clientId: 'after-migration',
    from: { id: alice, name: 'Alice', kind: 'user' },
    to: bob,
    text: 'again',
    at: 2,
  });
  assert.equal(next.message.seq, 3, 'the conversation continues its seqs');
  assert.equal((await db.dump()).includes('alice@'), false, 'no stored row still holds the sub');
}

test('sqlite: v5 gives sites an id key and makes identified ids opaque everywhere', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'chat-room-idmig-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const file = join(dir, SQLITE_FILE_NAME);
  const raw = new Database(file);
  raw.exec('CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied INTEGER NOT NULL)');
  for (const m of SQLITE_MIGRATIONS.filter((m) => m.version <= 4)) {
    raw.exec(m.sql);
    raw.prepare('INSERT INTO schema_migrations VALUES (?, ?, 0)').run(m.version, m.name);
  }
  const db: OldDatabase = {
    run: async (sql, ...params) => void raw.prepare(sql).run(...params),
    dump: async () => {
      const tables = raw.prepare<[], { name: string }>("SELECT name FROM sqlite_master WHERE type = 'table'").all();
      return JSON.stringify(tables.map(({ name }) => raw.prepare(`SELECT * FROM ${name}`).all()));
    },
  };
  await writeOldData(db, false);
  const store = SqliteStore.open(dir);
  t.after(() => store.close());
  await checkMigrated(store, db);
  raw.close();
});

const url = process.env.DATABASE_URL || undefined;

test('postgres: v3 gives sites an id key and makes identified ids opaque everywhere', { skip: url === undefined ? 'set DATABASE_URL' : false }, async (t: TestContext) => {
  const schema = `chat_test_${randomBytes(6).toString('hex')}`;
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  t.after(async () => {
    await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await client.end();
  });
  await client.query(`CREATE SCHEMA ${schema}; SET search_path TO ${schema}`);
  await client.query('CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied BIGINT NOT NULL)');
  for (const m of POSTGRES_MIGRATIONS.filter((m) => m.version <= 2)) {
    await client.query(m.sql);
    await client.query('INSERT INTO schema_migrations VALUES ($1, $2, 0)', [m.version, m.name]);
  }
  const db: OldDatabase = {
    run: async (sql, ...params) => {
      let n = 0;
      await client.query(sql.replace(/\?/g, () => `$${++n}`), params);
    },
    dump: async () => {
      const { rows } = await client.query<{ table_name: string }>('SELECT table_name FROM information_schema.tables WHERE table_schema = $1', [schema]);
      const all = [];
      for (const { table_name } of rows) all.push((await client.query(`SELECT * FROM ${table_name}`)).rows);
      return JSON.stringify(all);
    },
  };
  await writeOldData(db, true);
  const store = await PostgresStore.open({ connectionString: url!, schema, max: 2 });
  t.after(() => store.close());
  await checkMigrated(store, db);
});
