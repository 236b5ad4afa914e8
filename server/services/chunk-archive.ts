/**
 * Keeps the widget chunks of recent builds available after a deploy: a page
 * loaded before it still imports its lazy parts (`ui-<old hash>.js`) after the
 * loader it ran is gone. At start, and every hour while it runs, a server
 * records the chunks in its dist/chunks (each coding's bytes) in the store as
 * its current build, and prunes builds past the bound. Every node of a
 * cluster can then serve any kept build's chunks, whichever node had them.
 *
 * Kept: builds current within the last `ARCHIVE_KEEP_DAYS` days, and of those
 * at most the `ARCHIVE_KEEP_BUILDS` most recent (the stricter bound wins).
 * "Current" means a running server had it: the hourly record moves its time,
 * so the days count from the last node that served a build, not from its
 * first start.
 *
 * Serving costs no query for a name the archive does not hold: the names are
 * kept in memory (reloaded with every record, and at most every
 * `MISS_RELOAD_MS` when a request asks for one not known yet, which is how a
 * node learns of a build another node just recorded). Bodies are read from the
 * store on first use and kept in memory up to `CACHE_BYTES`, least recently
 * used going first.
 */
import { createHash } from 'node:crypto';
import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Logger } from '../logger.js';
import type { ChatStore, WidgetChunk } from '../storage/store.js';

/** `<name>-<hash>.js` as the build writes it; nothing else is a chunk. */
const CHUNK_FILE = /^[a-z0-9-]{1,64}-[A-Za-z0-9_-]{8,64}\.js$/;

export const ARCHIVE_KEEP_BUILDS = 10;
export const ARCHIVE_KEEP_DAYS = 30;
export const ARCHIVE_INTERVAL_MS = 3600 * 1000;
const DAY_MS = 24 * 3600 * 1000;
/** A request for an unknown name reloads the names at most this often, whatever the request rate. */
const MISS_RELOAD_MS = 2_000;
/** Bodies kept in memory, all codings counted: a few builds' lazy parts. */
const CACHE_BYTES = 8 * 1024 * 1024;

export function isChunkFile(name: string): boolean {
  return CHUNK_FILE.test(name);
}

export class ChunkArchive {
  private names = new Set<string>();
  private loadedAt = Number.NEGATIVE_INFINITY;
  private reloading: Promise<void> | undefined;
  private readonly bodies = new Map<string, WidgetChunk>();
  private bytes = 0;
  private readonly reading = new Map<string, Promise<WidgetChunk | undefined>>();

  constructor(
    private readonly store: ChatStore,
    /** The current build's chunks: `dist/chunks`. */
    private readonly dir: string,
    private readonly logger: Logger,
  ) {}

  /** Records the chunks of `dir` as the current build (none: nothing recorded), prunes, reloads the names. */
  async record(now = Date.now()): Promise<void> {
    const chunks = await readChunks(this.dir);
    if (chunks.length > 0) {
      const build = buildId(chunks);
      await this.store.recordWidgetBuild(build, chunks, now);
      this.logger.debug('widget build recorded', { build, chunks: chunks.length });
    }
    const pruned = await this.store.pruneWidgetBuilds(ARCHIVE_KEEP_BUILDS, now - ARCHIVE_KEEP_DAYS * DAY_MS);
    if (pruned > 0) this.logger.info('widget builds pruned', { pruned });
    await this.reload();
  }

  /** Runs `record` now (the promise) and every `intervalMs`; `stop` ends the repeats. */
  start(intervalMs = ARCHIVE_INTERVAL_MS): { recorded: Promise<void>; stop(): void } {
    const run = (): Promise<void> => this.record().catch((err: unknown) => this.logger.error('widget chunk archive failed', { err }));
    const timer = setInterval(() => void run(), intervalMs);
    timer.unref();
    return { recorded: run(), stop: () => clearInterval(timer) };
  }

  /** The archived chunk of this name; undefined when no kept build has it. */
  async find(name: string): Promise<WidgetChunk | undefined> {
    if (!this.names.has(name)) {
      if (Date.now() - this.loadedAt < MISS_RELOAD_MS) return undefined;
      // The store down answers "not here" (the next try waits as long), not an error per request.
      await this.reload().catch((err: unknown) => this.logger.warn('widget chunk names not reloaded', { err }));
      if (!this.names.has(name)) return undefined;
    }
    const cached = this.bodies.get(name);
    if (cached) {
      // Map order is insertion order: re-inserting keeps the least recently used first to go.
      this.bodies.delete(name);
      this.bodies.set(name, cached);
      return cached;
    }
    let pending = this.reading.get(name);
    if (!pending) {
      pending = this.store.getWidgetChunk(name).then((chunk) => {
        if (chunk) this.keep(chunk);
        return chunk;
      });
      this.reading.set(name, pending);
      void pending.finally(() => this.reading.delete(name)).catch(() => {});
    }
    return pending;
  }

  /** One reload at a time; concurrent callers share it. */
  private reload(): Promise<void> {
    // Counted from the attempt, so a failing store is asked no more often than a working one.
    if (!this.reloading) this.loadedAt = Date.now();
    this.reloading ??= this.store
      .widgetChunkNames()
      .then((names) => {
        this.names = new Set(names);
        for (const name of this.bodies.keys()) if (!this.names.has(name)) this.drop(name);
      })
      .finally(() => (this.reloading = undefined));
    return this.reloading;
  }

  private keep(chunk: WidgetChunk): void {
    const size = chunkBytes(chunk);
    if (size > CACHE_BYTES || this.bodies.has(chunk.name)) return;
    this.bodies.set(chunk.name, chunk);
    this.bytes += size;
    while (this.bytes > CACHE_BYTES) this.drop(this.bodies.keys().next().value!);
  }

  private drop(name: string): void {
    const chunk = this.bodies.get(name);
    if (!chunk) return;
    this.bodies.delete(name);
    this.bytes -= chunkBytes(chunk);
  }
}

function chunkBytes(chunk: WidgetChunk): number {
  return chunk.body.length + (chunk.gzip?.length ?? 0) + (chunk.br?.length ?? 0);
}

/** The chunk files of `dir` with their `.gz` / `.br` siblings; none when `dir` is missing (a build without chunks). */
async function readChunks(dir: string): Promise<WidgetChunk[]> {
  const files = await readdir(dir).catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'ENOENT') return [];
    throw err;
  });
  const chunks: WidgetChunk[] = [];
  for (const name of files.filter(isChunkFile).sort()) {
    const [body, gzip, br] = await Promise.all(['', '.gz', '.br'].map((suffix) => readOptional(join(dir, name + suffix))));
    if (!body) continue;
    chunks.push({ name, body, ...(gzip ? { gzip } : {}), ...(br ? { br } : {}) });
  }
  return chunks;
}

async function readOptional(file: string): Promise<Buffer | undefined> {
  return readFile(file).catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'ENOENT' || err.code === 'EISDIR') return undefined;
    throw err;
  });
}

/** Names are content-hashed, so the set of them names the build. */
function buildId(chunks: readonly WidgetChunk[]): string {
  const names = chunks.map((chunk) => chunk.name).join('\n');
  return createHash('sha256').update(names).digest('base64url').slice(0, 22);
}
