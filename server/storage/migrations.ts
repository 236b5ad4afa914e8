/**
 * Versioned schema changes for the SQLite store, applied in order at start.
 * Append new entries; never edit one that has shipped.
 */
export interface Migration {
  version: number;
  name: string;
  sql: string;
}

export const SQLITE_MIGRATIONS: readonly Migration[] = [
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
];
