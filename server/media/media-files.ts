/**
 * Where images and thumbnails are kept, by site and content-addressed name
 * (`<sha256>.<ext>`, `<sha256>.thumb.<ext>`): a directory (the data dir's
 * `media/` by default, or a directory every node mounts), or PostgreSQL
 * (`media_files`, a bytea table) so every node of a cluster serves them.
 */
import { createReadStream } from 'node:fs';
import { mkdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import type pg from 'pg';

export interface MediaFiles {
  /** Stores the bytes; storing the same name again is harmless (same content). */
  put(site: string, name: string, body: Buffer): Promise<void>;
  /** A stream of the file and its length, or undefined when there is none. */
  open(site: string, name: string): Promise<{ stream: Readable; length: number } | undefined>;
  remove(site: string, name: string): Promise<void>;
}

/** Names are checked by the routes; this guards the path once more. */
const SAFE_NAME = /^[a-z0-9][a-z0-9._-]{0,127}$/i;

function checked(name: string): string {
  if (!SAFE_NAME.test(name) || name.includes('..')) throw new Error(`unsafe media name ${name}`);
  return name;
}

export class DirectoryMediaFiles implements MediaFiles {
  constructor(private readonly root: string) {}

  private path(site: string, name: string): string {
    return join(this.root, checked(site), checked(name));
  }

  async put(site: string, name: string, body: Buffer): Promise<void> {
    const path = this.path(site, name);
    await mkdir(join(this.root, checked(site)), { recursive: true });
    // Written aside then renamed: a reader never sees half a file.
    const temp = `${path}.${process.pid}.${Date.now()}.tmp`;
    await writeFile(temp, body);
    await rename(temp, path);
  }

  async open(site: string, name: string): Promise<{ stream: Readable; length: number } | undefined> {
    const path = this.path(site, name);
    try {
      const { size } = await stat(path);
      return { stream: createReadStream(path), length: size };
    } catch {
      return undefined;
    }
  }

  async remove(site: string, name: string): Promise<void> {
    await rm(this.path(site, name), { force: true });
  }
}

export class PostgresMediaFiles implements MediaFiles {
  constructor(private readonly pool: pg.Pool) {}

  async put(site: string, name: string, body: Buffer): Promise<void> {
    await this.pool.query('INSERT INTO media_files (site, name, body) VALUES ($1, $2, $3) ON CONFLICT (site, name) DO NOTHING', [site, checked(name), body]);
  }

  async open(site: string, name: string): Promise<{ stream: Readable; length: number } | undefined> {
    const { rows } = await this.pool.query<{ body: Buffer }>('SELECT body FROM media_files WHERE site = $1 AND name = $2', [site, checked(name)]);
    const body = rows[0]?.body;
    return body && { stream: Readable.from([body]), length: body.length };
  }

  async remove(site: string, name: string): Promise<void> {
    await this.pool.query('DELETE FROM media_files WHERE site = $1 AND name = $2', [site, checked(name)]);
  }
}
