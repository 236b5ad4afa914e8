/**
 * Live heap of a server process, by constructor: a heap snapshot written on
 * SIGUSR2 (the server runs with `--heapsnapshot-signal=SIGUSR2
 * --diagnostic-dir=<dir>`). Writing one forces a full GC, so it counts live
 * objects only, unlike RSS.
 */
import { readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { sleep } from './stats.js';

interface SnapshotFile {
  snapshot: { meta: { node_fields: string[]; node_types: [string[], ...unknown[]] } };
  nodes: number[];
  strings: string[];
}

export interface Census {
  totalBytes: number;
  /** Self size and count per constructor name (objects, closures) or node type (arrays, strings, code…). */
  by: Map<string, { count: number; bytes: number }>;
}

const SNAPSHOT_TIMEOUT_MS = 60_000;

/** Asks `pid` for a heap snapshot in `dir`, waits until it is written, reads it and deletes it. */
export async function heapCensus(pid: number, dir: string): Promise<Census> {
  const existing = new Set(readdirSync(dir));
  process.kill(pid, 'SIGUSR2');
  const deadline = Date.now() + SNAPSHOT_TIMEOUT_MS;
  let file: string | undefined;
  let size = -1;
  // The file appears when writing starts: wait for it, then for its size to stop changing and parse.
  while (Date.now() < deadline) {
    await sleep(300);
    file ??= readdirSync(dir).find((f) => f.endsWith('.heapsnapshot') && !existing.has(f));
    if (!file) continue;
    const now = statSync(join(dir, file)).size;
    if (now !== size || now === 0) {
      size = now;
      continue;
    }
    try {
      const census = count(JSON.parse(readFileSync(join(dir, file), 'utf8')) as SnapshotFile);
      rmSync(join(dir, file), { force: true });
      return census;
    } catch {
      // not complete yet
    }
  }
  throw new Error(`no complete heap snapshot from pid ${pid} within ${SNAPSHOT_TIMEOUT_MS / 1000} s`);
}

function count(snap: SnapshotFile): Census {
  const fields = snap.snapshot.meta.node_fields;
  const types = snap.snapshot.meta.node_types[0];
  const [type, name, size] = ['type', 'name', 'self_size'].map((f) => fields.indexOf(f)) as [number, number, number];
  const by: Census['by'] = new Map();
  let totalBytes = 0;
  for (let i = 0; i < snap.nodes.length; i += fields.length) {
    const t = types[snap.nodes[i + type]!]!;
    const bytes = snap.nodes[i + size]!;
    const key = t === 'object' || t === 'closure' ? `${t} ${snap.strings[snap.nodes[i + name]!] || '(anonymous)'}` : `(${t})`;
    const entry = by.get(key) ?? { count: 0, bytes: 0 };
    entry.count++;
    entry.bytes += bytes;
    by.set(key, entry);
    totalBytes += bytes;
  }
  return { totalBytes, by };
}

export interface GrowthRow {
  what: string;
  bytesPerConnection: number;
  objectsPerConnection: number;
}

/** What grew from `before` to `after`, per connection, biggest first. */
export function growth(before: Census, after: Census, connections: number, top: number): GrowthRow[] {
  return [...after.by]
    .map(([what, e]) => {
      const base = before.by.get(what) ?? { count: 0, bytes: 0 };
      return {
        what,
        bytesPerConnection: Math.round((e.bytes - base.bytes) / connections),
        objectsPerConnection: Number(((e.count - base.count) / connections).toFixed(2)),
      };
    })
    .sort((a, b) => b.bytesPerConnection - a.bytesPerConnection)
    .slice(0, top);
}
