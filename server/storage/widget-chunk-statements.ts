/**
 * The archive of widget chunks, for both drivers: builds (`widget_builds`, when
 * each was last current), the chunks stored once by name (`widget_chunks`), and
 * which build has which chunk (`widget_build_chunks`: one chunk unchanged across
 * builds is stored once).
 */
import { sql } from './sql.js';
import type { WidgetChunk } from './store.js';

export interface WidgetChunkRow {
  name: string;
  body: Buffer;
  gzip: Buffer | null;
  br: Buffer | null;
}

export function widgetChunkRow(chunk: WidgetChunk): WidgetChunkRow {
  return { name: chunk.name, body: chunk.body, gzip: chunk.gzip ?? null, br: chunk.br ?? null };
}

export function toWidgetChunk(row: WidgetChunkRow): WidgetChunk {
  return {
    name: row.name,
    body: row.body,
    ...(row.gzip === null ? {} : { gzip: row.gzip }),
    ...(row.br === null ? {} : { br: row.br }),
  };
}

export const widgetChunkStatements = {
  recordBuild: sql<{ id: string; seen: number }>(
    'INSERT INTO widget_builds (id, seen) VALUES (:id, :seen) ON CONFLICT (id) DO UPDATE SET seen = excluded.seen',
  ),
  // Content-hashed: a name stored once holds the same bytes whoever stores it again.
  storeChunk: sql<WidgetChunkRow>(
    'INSERT INTO widget_chunks (name, body, gzip, br) VALUES (:name, :body, :gzip, :br) ON CONFLICT (name) DO NOTHING',
  ),
  linkChunk: sql<{ build: string; chunk: string }>(
    'INSERT INTO widget_build_chunks (build, chunk) VALUES (:build, :chunk) ON CONFLICT DO NOTHING',
  ),
  names: sql<object, { name: string }>('SELECT name FROM widget_chunks ORDER BY name COLLATE BINARY'),
  get: sql<{ name: string }, WidgetChunkRow>('SELECT name, body, gzip, br FROM widget_chunks WHERE name = :name'),
  pruneBuilds: sql<{ keep: number; since: number }>(
    `DELETE FROM widget_builds WHERE seen < :since
       OR id NOT IN (SELECT id FROM widget_builds ORDER BY seen DESC, id COLLATE BINARY DESC LIMIT :keep)`,
  ),
  pruneLinks: sql('DELETE FROM widget_build_chunks WHERE build NOT IN (SELECT id FROM widget_builds)'),
  pruneChunks: sql('DELETE FROM widget_chunks WHERE name NOT IN (SELECT chunk FROM widget_build_chunks)'),
};
