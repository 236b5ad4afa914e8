/**
 * Where the memory of an idle connection goes: heap snapshots of a fresh
 * server (bare or project) before and after N idle joined connections, the
 * way the idle scenario opens and settles them, compared by constructor.
 * Writing a snapshot forces a full GC, so this is live heap only (RSS also
 * holds garbage, socket buffers and allocator slack). Not part of
 * `npm run bench`: a snapshot inflates the RSS that scenario reads.
 *
 *   node --import tsx bench/heap-per-connection.ts <bare|project> [connections=1000] [top=15]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { closeAll, connectAll } from './clients.js';
import { IDLE } from './config.js';
import { growth, heapCensus } from './heap.js';
import { startBenchServer } from './server-process.js';
import { sleep } from './stats.js';
import { table } from './table.js';

const [kind, countArg, topArg] = process.argv.slice(2);
if (kind !== 'bare' && kind !== 'project') {
  console.error('usage: node --import tsx bench/heap-per-connection.ts <bare|project> [connections] [top]');
  process.exit(2);
}
const connections = Number(countArg ?? 1_000);
// Rooms as big as the idle scenario's, filled the same way (round robin).
const roomCount = Math.ceil(connections / (IDLE.connections / IDLE.rooms));
const dir = mkdtempSync(join(tmpdir(), 'chat-room-heap-'));
const server = await startBenchServer(kind, { nodeArgs: ['--heapsnapshot-signal=SIGUSR2', `--diagnostic-dir=${dir}`] });
try {
  await sleep(IDLE.settleBeforeMs);
  const before = await heapCensus(server.pid, dir);
  const rooms = Array.from({ length: connections }, (_, i) => `idle-${i % roomCount}`);
  const sockets = await connectAll(server.url, rooms, { batch: IDLE.batch });
  await sleep(IDLE.settleAfterMs);
  const after = await heapCensus(server.pid, dir);
  closeAll(sockets);
  const perConnection = (after.totalBytes - before.totalBytes) / connections / 1024;
  console.log(
    `${kind}: live heap ${(before.totalBytes / 1e6).toFixed(1)} MB → ${(after.totalBytes / 1e6).toFixed(1)} MB ` +
      `with ${connections} idle connections: ${perConnection.toFixed(1)} KB per connection\n`,
  );
  const rows = growth(before, after, connections, Number(topArg ?? 15));
  console.log(
    table(
      ['what grew (constructor or node type)', 'bytes per connection', 'objects per connection'],
      rows.map((r) => [r.what.slice(0, 60), r.bytesPerConnection, r.objectsPerConnection.toFixed(2)]),
    ),
  );
} finally {
  await server.stop();
  rmSync(dir, { recursive: true, force: true });
}
process.exit(0);
