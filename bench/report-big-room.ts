/** The big room's table and its targets (issue 12). */
import { broadcastRows, compare, type Row } from './compare.js';
import { BIG_ROOM, TARGETS } from './config.js';
import type { TargetOutcome } from './target.js';
import { PEAK_RING, type BigRoomResult } from './scenarios/big-room.js';
import { num, times } from './table.js';
import type { Pair } from './target.js';

export function bigRoomSection({ bare, project }: Pair<BigRoomResult>): string {
  const [b, p] = [bare.fill, project.fill];
  const s = (ms: number | null): number | null => (ms === null ? null : ms / 1000);
  const fillRows: Row[] = [
    ['clients joined', b.joined, p.joined, 0, false],
    ['all joined (s after the first arrival)', s(b.allJoinedMs), s(p.allJoinedMs), 2],
    [`every presence count at ${num(BIG_ROOM.clients)} (s)`, s(b.allCountedMs), s(p.allCountedMs), 2, false],
    ['server CPU per accepted connection (ms)', b.serverCpuMsPerConnection, p.serverCpuMsPerConnection, 3],
    ['presence frames received, total', b.frames, p.frames, 0, false],
    ['  of which presence:update', b.framesByEvent['presence:update'], p.framesByEvent['presence:update'], 0, false],
    ['  of which room:notice', b.framesByEvent['room:notice'], p.framesByEvent['room:notice'], 0, false],
    ['  of which typing', b.framesByEvent['typing:update'] + b.framesByEvent['typing:summary'], p.framesByEvent['typing:update'] + p.framesByEvent['typing:summary'], 0, false],
    ['presence frames per client, mean', b.framesPerClientMean, p.framesPerClientMean, 1, false],
    ['presence frames per client, max', b.framesPerClientMax, p.framesPerClientMax, 0, false],
    ['presence frames per client per second, mean', b.framesPerClientPerSecMean, p.framesPerClientPerSecMean, 2, false],
    ['presence frames per client per second, max', b.framesPerClientPerSecMax, p.framesPerClientPerSecMax, 2, false],
    [`most presence frames to one client in 1 s (up to ${PEAK_RING})`, b.framesInOneSecondMax, p.framesInOneSecondMax, 0, false],
    ['presence frames after the fill', b.framesAfterFill, p.framesAfterFill, 0, false],
    ['fill measured (s)', b.windowMs / 1000, p.windowMs / 1000, 2, false],
    ['driver CPU in the fill (share of a core)', b.driverCpuShare, p.driverCpuShare, 2, false],
    ['other processes\' CPU in the fill (share of a core)', b.otherCpuShare, p.otherCpuShare, 2, false],
  ];
  const m = project.messages ?? bare.messages;
  const messages = m
    ? `then ${num(BIG_ROOM.sendsPerSec)} messages/s into it (${num(m.offeredDeliveriesPerSec)} deliveries/s), ${m.rounds} alternating turns per server, ` +
      `${num(m.windowMs / 1000, 1)} s measured each`
    : 'no messages: a fill did not complete';
  return [
    `Big room: ${num(BIG_ROOM.clients)} clients joining one room over ${BIG_ROOM.fillMs / 1000} s (at most ${BIG_ROOM.maxPending} on their way; ` +
      `bare: no presence, only the broadcast); fill bounded at ${BIG_ROOM.fillTimeoutMs / 1000} s, counts at ` +
      `${BIG_ROOM.convergeTimeoutMs / 1000} s more; ${messages}`,
    compare([...fillRows, ...broadcastRows(bare.messages, project.messages).map(([label, ...rest]): Row => [`messages: ${label}`, ...rest])]),
    ...[...b.errors.map((e) => `  bare error: ${e}`), ...p.errors.map((e) => `  project error: ${e}`)],
  ].join('\n');
}

/** "only 812 of 2,000 joined within 30 s", or nothing when the fill completed. */
function incomplete({ fill }: BigRoomResult): string | undefined {
  return fill.joined === fill.clients ? undefined : `only ${num(fill.joined)} of ${num(fill.clients)} joined within ${BIG_ROOM.fillTimeoutMs / 1000} s`;
}

export function bigRoomTargets({ bare, project }: Pair<BigRoomResult>): TargetOutcome[] {
  const out: TargetOutcome[] = [];
  const p = project.fill;
  const short = incomplete(project);
  const n = num(BIG_ROOM.clients);
  out.push({
    target: `presence frames per client ≤ ${TARGETS.presencePerClientPerSec}/s while ${n} join one room (total O(N))`,
    measured:
      `max ${num(p.framesPerClientPerSecMax, 2)}/s, mean ${num(p.framesPerClientPerSecMean, 2)}/s; ${num(p.frames)} in all, ` +
      `${num(p.framesPerClientMean, 1)} per client${short ? `; ${short}` : ''}`,
    pass: !short && p.framesPerClientPerSecMax <= TARGETS.presencePerClientPerSec,
  });
  const cpu = p.serverCpuMsPerConnection / bare.fill.serverCpuMsPerConnection;
  out.push({
    target: `server CPU per accepted connection ≤ ${TARGETS.cpuPerConnectionRatio}× bare (${n} joining one room)`,
    measured:
      `${times(cpu, TARGETS.cpuPerConnectionRatio)} (${num(p.serverCpuMsPerConnection, 3)} vs ${num(bare.fill.serverCpuMsPerConnection, 3)} ms` +
      `${short ? `; ${short}` : ''})`,
    pass: !short && cpu <= TARGETS.cpuPerConnectionRatio,
  });
  const [pm, bm] = [project.messages, bare.messages];
  const rate = `${num(BIG_ROOM.sendsPerSec * BIG_ROOM.clients)}/s in one room of ${n}`;
  if (!pm || !bm) {
    const why = short ?? incomplete(bare) ?? 'not measured';
    for (const target of [`server CPU per delivery ≤ ${TARGETS.cpuPerDeliveryRatio}× bare`, `p99 latency ≤ ${TARGETS.p99Ratio}× bare`]) {
      out.push({ target: `${target}, ${rate}`, measured: `no messages: ${why}`, pass: false });
    }
    return out;
  }
  const perDelivery = pm.serverCpuUsPerDelivery / bm.serverCpuUsPerDelivery;
  out.push({
    target: `server CPU per delivery ≤ ${TARGETS.cpuPerDeliveryRatio}× bare, ${rate}`,
    measured: `${times(perDelivery, TARGETS.cpuPerDeliveryRatio)} (${num(pm.serverCpuUsPerDelivery, 2)} vs ${num(bm.serverCpuUsPerDelivery, 2)} µs)`,
    pass: perDelivery <= TARGETS.cpuPerDeliveryRatio,
  });
  const p99 = pm.latencyMs.p99 / bm.latencyMs.p99;
  out.push({
    target: `p99 latency ≤ ${TARGETS.p99Ratio}× bare, ${rate}`,
    measured: `${times(p99, TARGETS.p99Ratio)} (${num(pm.latencyMs.p99, 2)} vs ${num(bm.latencyMs.p99, 2)} ms)`,
    pass: p99 <= TARGETS.p99Ratio,
  });
  return out;
}
