/** The run's figures as terminal tables, and the targets with PASS/MISS. */
import type { BroadcastResult } from './broadcast.js';
import { broadcastRows, compare, type Row } from './compare.js';
import { FANOUT, IDLE, INGEST, JOIN, TARGETS } from './config.js';
import type { LoadResult } from './load/scenario.js';
import type { Pair, TargetOutcome } from './target.js';
import type { Machine } from './proc.js';
import { bigRoomSection, bigRoomTargets } from './report-big-room.js';
import type { BigRoomResult } from './scenarios/big-room.js';
import type { IdleResult } from './scenarios/idle.js';
import type { IngestResult } from './scenarios/ingest.js';
import type { JoinCostResult } from './scenarios/join.js';
import type { StormResult } from './scenarios/storm.js';
import { num, table, times } from './table.js';

export interface FanoutAtRate extends Pair<BroadcastResult> {
  deliveryRate: number;
  /** Both servers delivered it in full without a growing backlog (see `sustained`). */
  stable: boolean;
}

export interface BenchResults {
  fanout?: FanoutAtRate[];
  bigRoom?: Pair<BigRoomResult>;
  ingest?: Pair<IngestResult>;
  idle?: Pair<IdleResult>;
  storm?: Pair<StormResult>;
  join?: Pair<JoinCostResult>;
  load?: LoadResult;
}

/** A rate counts as sustained when it is delivered in full, on time, with nothing refused or missing. */
export function sustained(r: BroadcastResult): boolean {
  return (
    r.deliveredPerSec >= FANOUT.minDeliveredShare * r.offeredDeliveriesPerSec &&
    r.latencyMs.p99 <= FANOUT.maxStableP99Ms &&
    r.missing === 0 &&
    r.refused === 0
  );
}

function fanoutSection(f: FanoutAtRate): string {
  const { bare, project } = f;
  return [
    `Fan-out at ${num(f.deliveryRate)} deliveries/s: ${project.clients} clients in ${project.rooms} rooms (${project.roomSize} per room), ` +
      `${project.senders} senders, ${num(project.sendsPerSec)} sends/s offered; ` +
      `${project.rounds} alternating turns per server, ${num(project.windowMs / 1000, 1)} s measured each` +
      (f.stable ? '' : ' (NOT sustained: see delivered and missing)'),
    compare(broadcastRows(bare, project)),
  ].join('\n');
}

function ingestSection({ bare, project }: Pair<IngestResult>): string {
  return [
    `Ingest: ${INGEST.sockets} sockets, each alone in its room with ${INGEST.window} sends in flight; ` +
      `${project.rounds} alternating turns per server, ${num(project.windowMs / 1000, 1)} s measured each ` +
      `(project: stored in SQLite before the ack; bare: acked from memory)`,
    compare([
      ['acked messages/s', bare.storedPerSec, project.storedPerSec, 0],
      ['ack latency p50 (ms)', bare.ackLatencyMs.p50, project.ackLatencyMs.p50, 2],
      ['ack latency p95 (ms)', bare.ackLatencyMs.p95, project.ackLatencyMs.p95, 2],
      ['ack latency p99 (ms)', bare.ackLatencyMs.p99, project.ackLatencyMs.p99, 2],
      ['server CPU per message (µs)', bare.serverCpuUsPerMessage, project.serverCpuUsPerMessage, 2],
      ['server storage writes per message (KB)', bare.storageKbPerMessage, project.storageKbPerMessage, 2, false],
      ['server CPU (share of a core)', bare.serverCpuShare, project.serverCpuShare, 2],
      ['driver CPU (share of a core)', bare.driverCpuShare, project.driverCpuShare, 2, false],
      ['other processes\' CPU (share of a core)', bare.otherCpuShare, project.otherCpuShare, 2, false],
      ['I/O stall on the machine (share of time)', bare.ioStallShare, project.ioStallShare, 2, false],
      ['acked in total', bare.acked, project.acked, 0],
      ['stored (sum of rooms\' lastSeq)', bare.storedCount, project.storedCount, 0],
    ]),
  ].join('\n');
}

function idleSection({ bare, project }: Pair<IdleResult>): string {
  return [
    `Idle connections: ${num(project.wanted)} sockets connecting and joining (${project.rooms} rooms of ` +
      `${num(project.wanted / project.rooms)}), ${IDLE.batch} at a time for at most ${IDLE.connectTimeoutMs / 1000} s, then left idle`,
    compare([
      ['connections opened and joined', bare.connections, project.connections, 0, false],
      ['RSS before (MB)', bare.rssBeforeKb / 1024, project.rssBeforeKb / 1024, 1],
      ['RSS with the connections (MB)', bare.rssAfterKb / 1024, project.rssAfterKb / 1024, 1],
      ['RSS per idle connection (KB)', bare.kbPerConnection, project.kbPerConnection, 1],
      ['connect + join per second', bare.connectsPerSec, project.connectsPerSec, 0],
      ['server CPU per connect + join (ms)', bare.serverCpuMsPerConnection, project.serverCpuMsPerConnection, 3],
      ['driver CPU per connect + join (ms)', bare.driverCpuMsPerConnection, project.driverCpuMsPerConnection, 3, false],
      ['driver RSS per connection (KB)', bare.driverKbPerConnection, project.driverKbPerConnection, 1, false],
      ['presence frames received while connecting', bare.presenceFrames, project.presenceFrames, 0, false],
    ]),
  ].join('\n');
}

function stormSection({ bare, project }: Pair<StormResult>): string {
  return [
    `Reconnect storm: ${project.clients} clients in ${project.rooms} rooms, server SIGKILLed during a send burst and restarted on the same port`,
    compare([
      ['server listening again (ms after kill)', bare.serverBackMs, project.serverBackMs, 0],
      ['all reconnected (ms after kill)', bare.allReconnectedMs, project.allReconnectedMs, 0],
      ['all rejoined (ms after kill)', bare.allRejoinedMs, project.allRejoinedMs, 0],
      ['all rejoined + replayed (ms after kill)', bare.allRecoveredMs, project.allRecoveredMs, 0],
      ['median client recovered (ms after kill)', bare.p50RecoveredMs, project.p50RecoveredMs, 0],
      ['clients recovered', bare.recovered, project.recovered, 0, false],
      ['messages in the rooms at the kill (acked)', bare.ackedBeforeKill, project.ackedBeforeKill, 0, false],
      ['deliveries missed at the kill (all clients)', bare.missedAtKill, project.missedAtKill, 0, false],
      ['messages replayed from history', bare.replayedMessages, project.replayedMessages, 0, false],
      ['acked deliveries lost for good', bare.unrecovered, project.unrecovered, 0, false],
      ['presence frames while coming back', bare.presenceFrames, project.presenceFrames, 0, false],
    ]),
    ...[...bare.errors.map((e) => `  bare error: ${e}`), ...project.errors.map((e) => `  project error: ${e}`)],
  ].join('\n');
}

function joinSection({ bare, project }: Pair<JoinCostResult>): string {
  const rows: Row[] = project.rooms.flatMap((p, i) => {
    const b = bare.rooms[i]!;
    const size = num(p.size);
    return [
      [`${size} messages: first join p50 (ms)`, b.firstJoinMs.p50, p.firstJoinMs.p50, 2],
      [`${size} messages: first join p99 (ms)`, b.firstJoinMs.p99, p.firstJoinMs.p99, 2],
      [`${size} messages: re-join p50 (ms)`, b.rejoinMs.p50, p.rejoinMs.p50, 2],
      [`${size} messages: re-join p99 (ms)`, b.rejoinMs.p99, p.rejoinMs.p99, 2],
      [`${size} messages: server CPU per re-join (µs)`, b.serverCpuUsPerRejoin, p.serverCpuUsPerRejoin, 0],
    ] satisfies Row[];
  });
  const unread = project.rooms.map((r) => `${r.unread ?? '—'} in ${num(r.size)}`).join(', ');
  return [
    `Join cost: one user with a cursor at seq 1 (unread answered: ${unread}); ${num(JOIN.firstJoins)} first joins on fresh ` +
      `connections and ${num(JOIN.rejoins)} re-joins of a joined room, one at a time (bare: join only, no history or unread)`,
    compare(rows),
  ].join('\n');
}

export function sections(results: BenchResults): string[] {
  const out: string[] = [];
  for (const f of results.fanout ?? []) out.push(fanoutSection(f));
  if (results.bigRoom) out.push(bigRoomSection(results.bigRoom));
  if (results.ingest) out.push(ingestSection(results.ingest));
  if (results.idle) out.push(idleSection(results.idle));
  if (results.storm) out.push(stormSection(results.storm));
  if (results.join) out.push(joinSection(results.join));
  return out;
}

export function targets(results: BenchResults): TargetOutcome[] {
  const out: TargetOutcome[] = [];
  // The target's rate if both servers sustained it, else the highest rate they did.
  const rates = results.fanout ?? [];
  const f = rates.find((r) => r.stable) ?? rates[0];
  if (f) {
    const cpu = f.project.serverCpuUsPerDelivery / f.bare.serverCpuUsPerDelivery;
    const shape = `${FANOUT.rooms} rooms of ${FANOUT.clients / FANOUT.rooms}`;
    out.push({
      target: `server CPU per delivery ≤ ${TARGETS.cpuPerDeliveryRatio}× bare, ${shape}`,
      measured: `${times(cpu, TARGETS.cpuPerDeliveryRatio)} (${num(f.project.serverCpuUsPerDelivery, 2)} vs ${num(f.bare.serverCpuUsPerDelivery, 2)} µs, at ${num(f.deliveryRate)}/s)`,
      pass: cpu <= TARGETS.cpuPerDeliveryRatio,
    });
    const p99 = f.project.latencyMs.p99 / f.bare.latencyMs.p99;
    const at =
      f.deliveryRate === TARGETS.p99AtDeliveriesPerSec
        ? ''
        : `, at ${num(f.deliveryRate)}/s: ${f.stable ? 'the highest rate both sustained' : 'not sustained'}`;
    out.push({
      target: `p99 latency ≤ ${TARGETS.p99Ratio}× bare at ${num(TARGETS.p99AtDeliveriesPerSec)} deliveries/s, ${shape}`,
      measured: `${times(p99, TARGETS.p99Ratio)} (${num(f.project.latencyMs.p99, 2)} vs ${num(f.bare.latencyMs.p99, 2)} ms${at})`,
      pass: p99 <= TARGETS.p99Ratio,
    });
  }
  if (results.bigRoom) out.push(...bigRoomTargets(results.bigRoom));
  if (results.ingest) {
    const stored = results.ingest.project.storedPerSec;
    out.push({
      target: `≥ ${num(TARGETS.storedPerSec)} stored messages/s (SQLite, one node)`,
      measured: `${num(stored)}/s`,
      pass: stored >= TARGETS.storedPerSec,
    });
  }
  if (results.idle) {
    const { project, bare } = results.idle;
    const kb = project.kbPerConnection;
    out.push({
      target: `≤ ${TARGETS.idleKbPerConnection} KB RSS per idle connection at ${num(TARGETS.idleAtConnections)}`,
      measured: `${num(kb, 1)} KB (bare ${num(bare.kbPerConnection, 1)} KB, ${(kb / bare.kbPerConnection).toFixed(2)}×; at ${num(project.connections)} connections)`,
      pass: kb <= TARGETS.idleKbPerConnection && project.connections >= TARGETS.idleAtConnections,
    });
    const cpu = project.serverCpuMsPerConnection / bare.serverCpuMsPerConnection;
    out.push({
      target: `server CPU per accepted connection ≤ ${TARGETS.cpuPerConnectionRatio}× bare (idle, rooms of ${num(project.wanted / project.rooms)})`,
      measured: `${times(cpu, TARGETS.cpuPerConnectionRatio)} (${num(project.serverCpuMsPerConnection, 3)} vs ${num(bare.serverCpuMsPerConnection, 3)} ms)`,
      pass: cpu <= TARGETS.cpuPerConnectionRatio,
    });
  }
  if (results.storm) {
    const s = results.storm.project;
    const ms = s.allRecoveredMs;
    out.push({
      target: `${num(TARGETS.stormClients)} clients back and fully replayed ≤ ${TARGETS.stormReplayedWithinMs / 1000} s after a kill`,
      measured:
        ms === null
          ? `${s.recovered} of ${s.clients} recovered within ${s.clients === 0 ? '—' : 'the timeout'}`
          : `${num(ms / 1000, 2)} s, ${num(s.unrecovered)} acked deliveries lost`,
      pass: ms !== null && ms <= TARGETS.stormReplayedWithinMs && s.unrecovered === 0 && s.clients >= TARGETS.stormClients,
    });
  }
  if (results.join) {
    const [small, big] = [results.join.project.rooms[0]!, results.join.project.rooms.at(-1)!];
    const cost = big.serverCpuUsPerRejoin / small.serverCpuUsPerRejoin;
    out.push({
      target: `a join costs the same in any room (server CPU per re-join, ${num(big.size)} vs ${num(small.size)} messages, ≤ ${TARGETS.joinCostRatio}×)`,
      measured: `${times(cost, TARGETS.joinCostRatio)} (${num(big.serverCpuUsPerRejoin)} vs ${num(small.serverCpuUsPerRejoin)} µs)`,
      pass: cost <= TARGETS.joinCostRatio,
    });
  }
  return out;
}

export function targetTable(outcomes: readonly TargetOutcome[]): string {
  return table(
    ['target', 'measured', ''],
    outcomes.map((o) => [o.target, o.measured, o.pass === null ? 'n/a' : o.pass ? 'PASS' : 'MISS']),
  );
}

export function machineLine(m: Machine): string {
  return `Machine: ${m.cpu}, ${m.cores} cores, ${m.memoryGb} GB RAM, Linux ${m.kernel}, Node ${m.node}`;
}
