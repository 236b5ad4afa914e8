/** Side-by-side tables of the two servers' figures, with the project/bare ratio. */
import type { BroadcastResult } from './broadcast.js';
import { num, ratio, table, type Cell } from './table.js';

/** [label, bare, project, decimals, whether a ratio means anything (default yes)] */
export type Row = [string, number | null, number | null, number, boolean?];

export function compare(rows: Row[]): string {
  const cells: Cell[][] = rows.map(([label, bare, project, digits, withRatio = true]) => [
    label,
    num(bare, digits),
    num(project, digits),
    withRatio ? ratio(project, bare) : '',
  ]);
  return table(['', 'bare', 'project', 'project/bare'], cells);
}

/** The figures of a broadcast load (fan-out, the big room's messages); a side that did not run shows dashes. */
export function broadcastRows(bare: BroadcastResult | null, project: BroadcastResult | null): Row[] {
  const rows: [string, (r: BroadcastResult) => number, number, boolean?][] = [
    ['delivered messages/s', (r) => r.deliveredPerSec, 0],
    ['latency p50 (ms)', (r) => r.latencyMs.p50, 2],
    ['latency p95 (ms)', (r) => r.latencyMs.p95, 2],
    ['latency p99 (ms)', (r) => r.latencyMs.p99, 2],
    ['latency max (ms)', (r) => r.latencyMs.max, 1],
    ['server CPU per delivery (µs)', (r) => r.serverCpuUsPerDelivery, 2],
    ['server CPU (share of a core)', (r) => r.serverCpuShare, 2],
    ['driver CPU (share of a core)', (r) => r.driverCpuShare, 2, false],
    ['other processes\' CPU (share of a core)', (r) => r.otherCpuShare, 2, false],
    ['I/O stall on the machine (share of time)', (r) => r.ioStallShare, 2, false],
    ['deliveries missing after drain', (r) => r.missing, 0],
    ['sends refused', (r) => r.refused, 0],
  ];
  return rows.map(([label, pick, digits, withRatio]) => [label, bare && pick(bare), project && pick(project), digits, withRatio]);
}
