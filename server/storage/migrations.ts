/**
 * Versioned schema changes for the SQLite store, applied in order at start.
 * Append new entries; never edit one that has shipped.
 */
import { uploadsMigration } from './upload-statements.js';
import type Database from 'better-sqlite3';
import { ID_REWRITE_READS, idRewriteStatements } from './opaque-ids.js';

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

export interface SqliteMigration extends Migration {
  /** Data changes SQL alone cannot make, run after `sql` in the same transaction. */
  data?: (db: Database.Database) => void;
}

export const SQLITE_MIGRATIONS: readonly SqliteMigration[] = [
  {
    version: 1,
    name: 'sites, users, messages',
    sql: `
      CREATE TABLE sites (
        id      TEXT PRIMARY KEY,
        name    TEXT NOT NULL,
        origins TEXT NOT NULL, -- JSON array of allowed origins
        secret  TEXT NOT NULL,
        created INTEGER NOT NULL
      );

      CREATE TABLE users (
        site     TEXT NOT NULL REFERENCES sites(id),
        id       TEXT NOT NULL,
        name     TEXT NOT NULL,
        name_key TEXT NOT NULL,
        kind     TEXT NOT NULL,
        created  INTEGER NOT NULL,
        PRIMARY KEY (site, id)
      );
      CREATE UNIQUE INDEX users_site_name_key ON users (site, name_key);

      CREATE TABLE messages (
        id          TEXT PRIMARY KEY,
        site        TEXT NOT NULL,
        room        TEXT NOT NULL,
        seq         INTEGER NOT NULL,
        client_id   TEXT NOT NULL,
        sender_id   TEXT NOT NULL,
        sender_name TEXT NOT NULL, -- the name at the time of sending
        sender_kind TEXT NOT NULL,
        recipient   TEXT,          -- private messages only
        text        TEXT NOT NULL,
        at          INTEGER NOT NULL
      );
      CREATE UNIQUE INDEX messages_room_seq ON messages (site, room, seq);
      CREATE UNIQUE INDEX messages_dedupe ON messages (site, sender_id, client_id);
    `,
  },
  {
    version: 2,
    name: 'site policy and retention, identified users, tombstones, bans',
    sql: `
      ALTER TABLE sites ADD COLUMN allow_no_origin INTEGER NOT NULL DEFAULT 0;
      ALTER TABLE sites ADD COLUMN room_policy TEXT NOT NULL DEFAULT 'open';
      ALTER TABLE sites ADD COLUMN rooms TEXT NOT NULL DEFAULT '[]';           -- JSON array (allow-list policy)
      ALTER TABLE sites ADD COLUMN read_only_rooms TEXT NOT NULL DEFAULT '[]'; -- JSON array
      ALTER TABLE sites ADD COLUMN retention_days INTEGER;

      ALTER TABLE users ADD COLUMN avatar TEXT;
      ALTER TABLE users ADD COLUMN skeleton TEXT;
      CREATE INDEX users_site_skeleton ON users (site, skeleton) WHERE kind = 'user';

      ALTER TABLE messages ADD COLUMN deleted INTEGER NOT NULL DEFAULT 0;
      CREATE INDEX messages_sender ON messages (site, sender_id, at);

      CREATE TABLE bans (
        id      TEXT PRIMARY KEY,
        site    TEXT NOT NULL REFERENCES sites(id),
        kind    TEXT NOT NULL,  -- 'ban' | 'mute'
        user_id TEXT,
        ip      TEXT,
        until   INTEGER NOT NULL,
        reason  TEXT,
        created INTEGER NOT NULL
      );
      CREATE INDEX bans_site_until ON bans (site, until);
    `,
  },
  {
    version: 3,
    name: 'delivery cursors',
    sql: `
      CREATE TABLE cursors (
        site    TEXT NOT NULL,
        user_id TEXT NOT NULL,
        room    TEXT NOT NULL,
        seq     INTEGER NOT NULL,
        updated INTEGER NOT NULL,
        PRIMARY KEY (site, user_id, room)
      );
    `,
  },
  {
    version: 4,
    name: 'per-site rate limit scale',
    sql: `ALTER TABLE sites ADD COLUMN rate_limit_scale REAL;`,
  },
  {
    version: 5,
    name: 'per-site id key; opaque ids for identified users',
    // The id key starts as the current secret, so every guest id stays what it was.
    sql: `
      ALTER TABLE sites ADD COLUMN id_key TEXT NOT NULL DEFAULT '';
      UPDATE sites SET id_key = secret;
    `,
    data: rewriteIdentifiedIds,
  },
  {
    version: 6,
    name: 'private messages by recipient, for erasing a user',
    sql: `CREATE INDEX messages_recipient ON messages (site, recipient) WHERE recipient IS NOT NULL;`,
  },
  {
    version: 7,
    name: 'widget chunks of recent builds',
    sql: `
      CREATE TABLE widget_builds (
        id   TEXT PRIMARY KEY,
        seen INTEGER NOT NULL -- last time a server had this build current
      );
      CREATE TABLE widget_chunks (
        name TEXT PRIMARY KEY, -- content-hashed file name, e.g. ui-3f9a1c2b.js
        body BLOB NOT NULL,
        gzip BLOB,
        br   BLOB
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
    version: 8,
    name: 'no index of messages by sender and time',
    // Every append paid for it; the lookups by sender (export, erase) use the dedupe index's (site, sender_id) prefix.
    sql: `DROP INDEX IF EXISTS messages_sender;`,
  },
  {
    version: 9,
    name: 'rich messages: sender avatars, replies, edits, change numbers, reactions, mentions, blocks, edit window',
    sql: `
      ALTER TABLE sites ADD COLUMN edit_window_minutes INTEGER;

      ALTER TABLE messages ADD COLUMN sender_avatar TEXT;
      ALTER TABLE messages ADD COLUMN reply_to TEXT;      -- the id of the message it answers
      ALTER TABLE messages ADD COLUMN edited_at INTEGER;
      ALTER TABLE messages ADD COLUMN rev INTEGER;        -- the room's change number of its last change
      CREATE INDEX messages_room_rev ON messages (site, room, rev) WHERE rev IS NOT NULL;

      -- The last change number handed out per room (never a seq).
      CREATE TABLE room_revs (
        site TEXT NOT NULL,
        room TEXT NOT NULL,
        rev  INTEGER NOT NULL,
        PRIMARY KEY (site, room)
      );

      CREATE TABLE reactions (
        id         INTEGER PRIMARY KEY, -- the order reactions came in
        site       TEXT NOT NULL,
        message_id TEXT NOT NULL,
        emoji      TEXT NOT NULL,
        user_id    TEXT NOT NULL,
        at         INTEGER NOT NULL
      );
      CREATE UNIQUE INDEX reactions_one ON reactions (site, message_id, emoji, user_id);
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
        at      INTEGER NOT NULL,
        PRIMARY KEY (site, user_id, target)
      );
      CREATE INDEX blocks_target ON blocks (site, target);

      CREATE TABLE privacy (
        site              TEXT NOT NULL,
        user_id           TEXT NOT NULL,
        refuse_guest_dms  INTEGER NOT NULL,
        PRIMARY KEY (site, user_id)
      );
    `,
  },
  {
    version: 10,
    name: 'images: uploads, the image of a message, per-site upload limits',
    sql: uploadsMigration('INTEGER', 'sqlite'),
  },
];

function rewriteIdentifiedIds(db: Database.Database): void {
  const values = (sql: string, site: string) =>
    db.prepare<string[], { v: string }>(sql).all(...Array<string>(sql.split('?').length - 1).fill(site)).map((row) => row.v);
  const sites = db.prepare<[], { id: string; id_key: string }>(ID_REWRITE_READS.sites).all();
  for (const { id: site, id_key: idKey } of sites) {
    const input = { site, idKey, userIds: values(ID_REWRITE_READS.userIds, site), directRooms: values(ID_REWRITE_READS.directRooms, site) };
    for (const [sql, params] of idRewriteStatements(input, false)) db.prepare(sql).run(...params);
  }
}

/** Applies the missing migrations in order, all in one immediate transaction. */
export function migrateSqlite(db: Database.Database): void {
  db.exec(
    'CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied INTEGER NOT NULL)',
  );
  const record = db.prepare('INSERT INTO schema_migrations (version, name, applied) VALUES (?, ?, ?)');
  const applied = db.prepare<[], { version: number }>('SELECT version FROM schema_migrations');
  // Immediate: the write lock is taken before reading what is applied, so two processes opening one file do not both migrate.
  db.transaction(() => {
    const done = new Set(applied.all().map((r) => r.version));
    for (const m of SQLITE_MIGRATIONS) {
      if (done.has(m.version)) continue;
      db.exec(m.sql);
      m.data?.(db);
      record.run(m.version, m.name, Date.now());
    }
  }).immediate();
}
