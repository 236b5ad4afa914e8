/** Uploaded images (`ChatStore.addUpload` and the rest), written once for both drivers. */
import { sql } from './sql.js';
import type { UploadRecord } from './store.js';

export interface UploadRow {
  id: string;
  user_id: string;
  /** `ImageInfo` as JSON. */
  image: string;
  bytes: number;
  created: number;
  client_id: string | null;
  message_id: string | null;
}

export interface NewUploadRow extends UploadRow {
  site: string;
  image_id: string;
}

const COLUMNS = 'id, user_id, image, bytes, created, client_id, message_id';
type Id = { site: string; id: string };

export const uploadStatements = {
  insert: sql<NewUploadRow>(
    `INSERT INTO uploads (site, id, user_id, image_id, image, bytes, created, client_id, message_id)
     VALUES (:site, :id, :user_id, :image_id, :image, :bytes, :created, :client_id, :message_id)`,
  ),
  get: sql<Id, UploadRow>(`SELECT ${COLUMNS} FROM uploads WHERE site = :site AND id = :id`),
  claim: sql<Id & { user_id: string; client_id: string }>(
    `UPDATE uploads SET client_id = :client_id
     WHERE site = :site AND id = :id AND user_id = :user_id AND (client_id IS NULL OR client_id = :client_id)`,
  ),
  setMessage: sql<Id & { message_id: string }>('UPDATE uploads SET message_id = :message_id WHERE site = :site AND id = :id'),
  bytes: sql<{ site: string }, { total: number | string | null }>('SELECT SUM(bytes) AS total FROM uploads WHERE site = :site'),
  /** Uploads whose message is gone or a tombstone, and old ones no message carries (never sent, or a send that failed). */
  released: sql<{ site: string; before: number; take: number }, { id: string; image_id: string }>(
    `SELECT u.id, u.image_id FROM uploads u LEFT JOIN messages m ON m.site = u.site AND m.id = u.message_id
     WHERE u.site = :site AND (
       (u.message_id IS NULL AND u.created < :before) OR (u.message_id IS NOT NULL AND (m.id IS NULL OR m.deleted)))
     LIMIT :take`,
  ),
  remove: sql<Id>('DELETE FROM uploads WHERE site = :site AND id = :id'),
  imageHeld: sql<{ site: string; image_id: string }, { one: number }>(
    'SELECT 1 AS one FROM uploads WHERE site = :site AND image_id = :image_id LIMIT 1',
  ),
};

export function newUploadRow(site: string, upload: UploadRecord): NewUploadRow {
  return {
    site,
    id: upload.id,
    user_id: upload.user,
    image_id: upload.image.id,
    image: JSON.stringify(upload.image),
    bytes: upload.bytes,
    created: upload.created,
    client_id: upload.clientId ?? null,
    message_id: upload.messageId ?? null,
  };
}

export function toUpload(row: UploadRow): UploadRecord {
  const upload: UploadRecord = {
    id: row.id,
    user: row.user_id,
    image: JSON.parse(row.image) as UploadRecord['image'],
    bytes: Number(row.bytes),
    created: Number(row.created),
  };
  if (row.client_id !== null) upload.clientId = row.client_id;
  if (row.message_id !== null) upload.messageId = row.message_id;
  return upload;
}

/** The SQL of the images migration (SQLite 10, PostgreSQL 8); `big` is the type of byte counts and times. */
export function uploadsMigration(big: string, bool: string): string {
  return `
    ALTER TABLE sites ADD COLUMN upload_max_bytes ${big};
    ALTER TABLE sites ADD COLUMN upload_max_pixels ${big};
    ALTER TABLE sites ADD COLUMN upload_quota_bytes ${big};
    ALTER TABLE messages ADD COLUMN image TEXT;
    CREATE TABLE uploads (
      site       TEXT NOT NULL,
      id         TEXT NOT NULL,
      user_id    TEXT NOT NULL,
      image_id   TEXT NOT NULL, -- the content address of the re-encoded image
      image      TEXT NOT NULL, -- ImageInfo as JSON
      bytes      ${big} NOT NULL,
      created    ${big} NOT NULL,
      client_id  TEXT,
      message_id TEXT,
      PRIMARY KEY (site, id)
    );
    CREATE INDEX uploads_image ON uploads (site, image_id);
    CREATE INDEX uploads_message ON uploads (site, message_id);
    -- ${bool}
  `;
}
