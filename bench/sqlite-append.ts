/**
 * What storing a message costs the project's SQLite store on its own, without
 * sockets: `appendMessage` one transaction per message (what the server
 * does), then the same appends grouped `batch` to a transaction. Storage
 * writes are the kernel's count for this process (/proc/self/io). Not part of
 * `npm run bench`.
 *
 *   node --import tsx bench/sqlite-append.ts [messages=20000] [batch=20]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type Database from 'better-sqlite3';
import { SqliteStore } from '../server/storage/sqlite-store.js';
import { storageWriteBytes } from './proc.js';
import { table } from './table.js';

const messages = Number(process.argv[2] ?? 20_000);
const batch = Number(process.argv[3] ?? 20);
const from = { id: 'g_benchbenchbenchbench', name: 'Guest 1', kind: 'guest' as const };

interface Outcome {
  perSec: number;
  usPerMessage: number;
  cpuUsPerMessage: number;
  storageKbPerMessage: number;
}

async function measure(group: number): Promise<Outcome> {
  const dir = mkdtempSync(join(tmpdir(), 'chat-room-sqlite-'));
  const store = SqliteStore.open(dir);
  // Grouping needs the connection, which the store keeps private: this is a what-if, not the server's path.
  const db = (store as unknown as { db: Database.Database }).db;
  const append = (i: number): Promise<unknown> =>
    store.appendMessage('demo', {
      room: `ingest-${i % 20}`,
      clientId: `c-${i.toString(36).padStart(8, '0')}`,
      from,
      text: `t=${Date.now()} ingest message ${i} from sender ${i % 20}`,
      at: Date.now(),
    });
  // appendMessage runs its transaction synchronously, so inside db.transaction it nests (a savepoint).
  const appendGroup = db.transaction((start: number) => {
    for (let i = start; i < start + group; i++) void append(i);
  });
  const io0 = storageWriteBytes(process.pid);
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  for (let i = 0; i < messages; i += group) {
    if (group === 1) await append(i);
    else appendGroup(i);
  }
  const ms = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  const io = storageWriteBytes(process.pid) - io0;
  await store.close();
  rmSync(dir, { recursive: true, force: true });
  return {
    perSec: (messages * 1000) / ms,
    usPerMessage: (ms * 1000) / messages,
    cpuUsPerMessage: (cpu.user + cpu.system) / messages,
    storageKbPerMessage: io / 1024 / messages,
  };
}

const single = await measure(1);
const grouped = await measure(batch);
console.log(`${messages} messages into a fresh SQLite store, 20 rooms\n`);
const row = (label: string, o: Outcome): (string | number)[] => [
  label,
  Math.round(o.perSec),
  o.usPerMessage.toFixed(1),
  o.cpuUsPerMessage.toFixed(1),
  o.storageKbPerMessage.toFixed(2),
];
console.log(
  table(
    ['', 'messages/s', 'µs per message', 'CPU µs per message', 'storage KB per message'],
    [row('one transaction per message (the server)', single), row(`${batch} messages per transaction`, grouped)],
  ),
);
