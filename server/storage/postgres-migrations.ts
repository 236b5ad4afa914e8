/**
 * Versioned schema changes for the PostgreSQL store, applied in order at start
 * (see `migratePostgres`). Append new entries; never edit one that has shipped.
 * Times are ms since the epoch and seqs grow without bound: both BIGINT.
 */
import { uploadsMigration } from './upload-statements.js';
import type pg from 'pg';
import type { Migration } from './migrations.js';
import { ID_REWRITE_READS, idRewriteStatements } from './opaque-ids.js';

export interface PostgresMigration extends Migration {
  /** Data changes SQL alone cannot make, run after `sql` in the same transaction. */
  data?: (client: pg.ClientBase) => Promise<void>;
}

export const POSTGRES_MIGRATIONS: readonly PostgresMigration[] = [
  {
    version: 1,
    name: 'sites, users, messages, room seqs, bans, cursors',
    sql: `
      CREATE TABLE sites (
        id              TEXT PRIMARY KEY,
        name            TEXT NOT NULL,
        origins         JSONB NOT NULL,
        allow_no_origin BOOLEAN NOT NULL,
        secret          TEXT NOT NULL,
        room_policy     TEXT NOT NULL,
        rooms           JSONB NOT NULL,
        read_only_rooms JSONB NOT NULL,
        retention_days  INTEGER,
        created         BIGINT NOT NULL
      );

      CREATE TABLE users (
        site     TEXT NOT NULL REFERENCES sites(id),
        id       TEXT NOT NULL,
        name     TEXT NOT NULL,
        name_key TEXT NOT NULL,
        kind     TEXT NOT NULL,
        avatar   TEXT,
        skeleton TEXT,
        created  BIGINT NOT NULL,
        PRIMARY KEY (site, id),
        CONSTRAINT users_site_name_key UNIQUE (site, name_key)
      );
      CREATE INDEX users_site_skeleton ON users (site, skeleton) WHERE kind = 'user';

      CREATE TABLE messages (
        id          TEXT PRIMARY KEY,
        site        TEXT NOT NULL,
        room        TEXT NOT NULL,
        seq         BIGINT NOT NULL,
        client_id   TEXT NOT NULL,
        sender_id   TEXT NOT NULL,
        sender_name TEXT NOT NULL, -- the name at the time of sending
        sender_kind TEXT NOT NULL,
        recipient   TEXT,          -- private messages only
        text        TEXT NOT NULL,
        at          BIGINT NOT NULL,
        deleted     BOOLEAN NOT NULL DEFAULT false,
        CONSTRAINT messages_room_seq UNIQUE (site, room, seq),
        CONSTRAINT messages_dedupe UNIQUE (site, sender_id, client_id)
      );
      CREATE INDEX messages_sender ON messages (site, sender_id, at);

      -- The last seq handed out per room: its row lock serialises the writers
      -- of one room across every node.
      CREATE TABLE room_seqs (
        site TEXT NOT NULL,
        room TEXT NOT NULL,
        seq  BIGINT NOT NULL,
        PRIMARY KEY (site, room)
      );

      CREATE TABLE bans (
        id      TEXT PRIMARY KEY,
        site    TEXT NOT NULL REFERENCES sites(id),
        kind    TEXT NOT NULL, -- 'ban' | 'mute'
        user_id TEXT,
        ip      TEXT,
        until   BIGINT NOT NULL,
        reason  TEXT,
        created BIGINT NOT NULL
      );
      CREATE INDEX bans_site_until ON bans (site, until);

      CREATE TABLE cursors (
        site    TEXT NOT NULL,
        user_id TEXT NOT NULL,
        room    TEXT NOT NULL,
        seq     BIGINT NOT NULL,
        updated BIGINT NOT NULL,
        PRIMARY KEY (site, user_id, room)
      );
    `,
  },
  {
    version: 2,
    name: 'per-site rate limit scale',
    sql: `ALTER TABLE sites ADD COLUMN rate_limit_scale DOUBLE PRECISION;`,
  },
  {
    version: 3,
    name: 'per-site id key; opaque ids for identified users',
    // The id key starts as the current secret, so every guest id stays what it was.
    sql: `
      ALTER TABLE sites ADD COLUMN id_key TEXT NOT NULL DEFAULT '';
      UPDATE sites SET id_key = secret;
    `,
    data: rewriteIdentifiedIds,
  },
  {
    version: 4,
    name: 'private messages by recipient, for erasing a user',
    sql: `CREATE INDEX messages_recipient ON messages (site, recipient) WHERE recipient IS NOT NULL;`,
  },
  {
    version: 5,
    name: 'widget chunks of recent builds',
    sql: `
      CREATE TABLE widget_builds (
        id   TEXT PRIMARY KEY,
        seen BIGINT NOT NULL -- last time a server had this build current
      );
      CREATE TABLE widget_chunks (
        name TEXT PRIMARY KEY, -- content-hashed file name, e.g. ui-3f9a1c2b.js
        body BYTEA NOT NULL,
        gzip BYTEA,
        br   BYTEA
      );
      CREATE TABLE widget_build_chunks (
        build TEXT NOT NULL,
        chunk TEXT NOT NULL,
        PRIMARY KEY (build, chunk)
      );
      CREATE INDEX widget_build_chunks_chunk ON widget_build_chunks (chunk);
    `,
  },
  {
    version: 6,
    name: 'no index of messages by sender and time',
    // Every append paid for it; the lookups by sender (export, erase) use the dedupe constraint's (site, sender_id) prefix.
    sql: `DROP INDEX IF EXISTS messages_sender;`,
  },
  {
    version: 7,
    name: 'rich messages: sender avatars, replies, edits, change numbers, reactions, mentions, blocks, edit window',
    sql: `
      ALTER TABLE sites ADD COLUMN edit_window_minutes INTEGER;

      ALTER TABLE messages ADD COLUMN sender_avatar TEXT;
      ALTER TABLE messages ADD COLUMN reply_to TEXT;      -- the id of the message it answers
      ALTER TABLE messages ADD COLUMN edited_at BIGINT;
      ALTER TABLE messages ADD COLUMN rev BIGINT;         -- the room's change number of its last change
      CREATE INDEX messages_room_rev ON messages (site, room, rev) WHERE rev IS NOT NULL;

      -- The last change number handed out per room (never a seq): its row lock serialises the room's changes.
      CREATE TABLE room_revs (
        site TEXT NOT NULL,
        room TEXT NOT NULL,
        rev  BIGINT NOT NULL,
        PRIMARY KEY (site, room)
      );

      CREATE TABLE reactions (
        id         BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY, -- the order reactions came in
        site       TEXT NOT NULL,
        message_id TEXT NOT NULL,
        emoji      TEXT NOT NULL,
        user_id    TEXT NOT NULL,
        at         BIGINT NOT NULL,
        CONSTRAINT reactions_one UNIQUE (site, message_id, emoji, user_id)
      );
      CREATE INDEX reactions_user ON reactions (site, user_id, message_id);

      CREATE TABLE mentions (
        site       TEXT NOT NULL,
        message_id TEXT NOT NULL,
        user_id    TEXT NOT NULL,
        ord        INTEGER NOT NULL, -- the order of the tokens in the text
        PRIMARY KEY (site, message_id, user_id)
      );
      CREATE INDEX mentions_user ON mentions (site, user_id);

      CREATE TABLE blocks (
        site    TEXT NOT NULL,
        user_id TEXT NOT NULL,
        target  TEXT NOT NULL,
        at      BIGINT NOT NULL,
        PRIMARY KEY (site, user_id, target)
      );
      CREATE INDEX blocks_target ON blocks (site, target);

      CREATE TABLE privacy (
        site             TEXT NOT NULL,
        user_id          TEXT NOT NULL,
        refuse_guest_dms BOOLEAN NOT NULL,
        PRIMARY KEY (site, user_id)
      );
    `,
  },
  {
    version: 8,
    name: 'images: uploads, the image of a message, per-site upload limits, media files of a cluster',
    sql: `${uploadsMigration('BIGINT', 'postgres')}
      CREATE TABLE media_files (
        site TEXT NOT NULL,
        name TEXT NOT NULL,
        body BYTEA NOT NULL,
        PRIMARY KEY (site, name)
      );`,
  },
];

/** `?` placeholders numbered as PostgreSQL wants them. */
function numbered(sql: string): string {
  let n = 0;
  return sql.replace(/\?/g, () => `$${++n}`);
}

async function rewriteIdentifiedIds(client: pg.ClientBase): Promise<void> {
  const values = async (sql: string, site: string) =>
    (await client.query<{ v: string }>(numbered(sql), Array<string>(sql.split('?').length - 1).fill(site))).rows.map((row) => row.v);
  const { rows: sites } = await client.query<{ id: string; id_key: string }>(ID_REWRITE_READS.sites);
  for (const { id: site, id_key: idKey } of sites) {
    const directRooms = [...(await values(ID_REWRITE_READS.directRooms, site)), ...(await values(ID_REWRITE_READS.roomSeqRooms, site))];
    const input = { site, idKey, userIds: await values(ID_REWRITE_READS.userIds, site), directRooms };
    for (const [sql, params] of idRewriteStatements(input, true)) await client.query(numbered(sql), params);
  }
}

/** Any constant will do: it only has to be the same on every node of this app. */
const MIGRATION_LOCK_KEY = 7_220_150_413;

/**
 * Creates `schema` when given, then applies the missing migrations. Runs in the
 * caller's transaction, under an advisory lock held until it commits: nodes
 * starting together wait for the first one instead of racing on CREATE
 * statements, then find nothing left to do.
 */
export async function migratePostgres(client: pg.ClientBase, schema: string | undefined): Promise<void> {
  await client.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK_KEY]);
  if (schema !== undefined) await client.query(`CREATE SCHEMA IF NOT EXISTS ${client.escapeIdentifier(schema)}`);
  await client.query(
    'CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied BIGINT NOT NULL)',
  );
  const { rows } = await client.query<{ version: number }>('SELECT version FROM schema_migrations');
  const applied = new Set(rows.map((row) => row.version));
  for (const m of POSTGRES_MIGRATIONS) {
    if (applied.has(m.version)) continue;
    await client.query(m.sql);
    await m.data?.(client);
    await client.query('INSERT INTO schema_migrations (version, name, applied) VALUES ($1, $2, $3)', [
      m.version,
      m.name,
      Date.now(),
    ]);
  }
}
