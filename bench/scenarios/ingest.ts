/**
 * Ingest: on each server, `sockets` senders, each alone in its own room, each
 * keeping `window` sends in flight (a new one on every ack). The project
 * stores every message in SQLite before it acks; the bare server only counts
 * and acks. Throughput is acked new messages per second in the measured
 * windows (the servers taking turns, as in fan-out); for the project the total
 * is then checked against the rooms' last seq.
 */
import type { Socket } from 'socket.io-client';
import { clientId, closeAll, connectAll, join, type Ack } from '../clients.js';
import { INGEST } from '../config.js';
import type { Pair, Target } from '../target.js';
import { Samples, nowMs, sleep, until, type Percentiles } from '../stats.js';
import { emptyTotals, openWindow, shares, type WindowTotals } from '../window.js';

export interface IngestResult {
  sockets: number;
  window: number;
  rounds: number;
  windowMs: number;
  storedInWindow: number;
  storedPerSec: number;
  /** Send → ack, for acks in a window. */
  ackLatencyMs: Percentiles;
  serverCpuMs: number;
  serverCpuUsPerMessage: number;
  /** Storage writes (page-cache pages dirtied, as the kernel counts them) per acked message, in KB. */
  storageKbPerMessage: number;
  serverCpuShare: number;
  driverCpuShare: number;
  otherCpuShare: number;
  ioStallShare: number;
  acked: number;
  refused: number;
  /** Sum of the rooms' last seq after the run (project), or null (the bare server keeps no history). */
  storedCount: number | null;
}

interface SendAck {
  duplicate?: boolean;
}

interface Side {
  target: Target;
  sockets: Socket[];
  rooms: string[];
  latency: Samples;
  totals: WindowTotals;
  measuring: boolean;
  sending: boolean;
  inFlight: number;
  acked: number;
  refused: number;
  storedInWindow: number;
  next: number[];
}

async function openSide(target: Target): Promise<Side> {
  const rooms = Array.from({ length: INGEST.sockets }, (_, i) => `ingest-${i}`);
  return {
    target,
    sockets: await connectAll(target.url, rooms),
    rooms,
    latency: new Samples(),
    totals: emptyTotals(),
    measuring: false,
    sending: false,
    inFlight: 0,
    acked: 0,
    refused: 0,
    storedInWindow: 0,
    next: new Array<number>(INGEST.sockets).fill(0),
  };
}

/** One send from socket k; its ack sends the next while the side is sending. */
function sendFrom(side: Side, k: number): void {
  const n = side.next[k]!++;
  const sentAt = nowMs();
  side.inFlight++;
  const text = `t=${sentAt.toFixed(3)} ingest message ${n} from sender ${k}`;
  side.sockets[k]!.emit('message:send', { room: side.rooms[k], text, clientId: clientId(k, n) }, (ack: Ack<SendAck>) => {
    side.inFlight--;
    if (ack.ok && !ack.data?.duplicate) {
      side.acked++;
      if (side.measuring) {
        side.storedInWindow++;
        side.latency.add(nowMs() - sentAt);
      }
    } else {
      side.refused++;
    }
    if (side.sending) sendFrom(side, k);
  });
}

async function turn(side: Side, rampMs: number): Promise<void> {
  side.sending = true;
  for (let k = 0; k < INGEST.sockets; k++) for (let w = 0; w < INGEST.window; w++) sendFrom(side, k);
  await sleep(rampMs);
  const close = openWindow(side.target.pid, side.totals);
  side.measuring = true;
  await sleep(INGEST.roundMs);
  side.measuring = false;
  close();
  side.sending = false;
  await until(() => side.inFlight === 0, 10_000);
}

async function result(side: Side): Promise<IngestResult> {
  let storedCount: number | null = null;
  for (let k = 0; k < INGEST.sockets; k++) {
    // Joining a joined room answers its lastSeq again; the bare server answers no data.
    const data = await join<{ lastSeq: number }>(side.sockets[k]!, side.rooms[k]!);
    if (data === undefined) break;
    storedCount = (storedCount ?? 0) + data.lastSeq;
  }
  const t = side.totals;
  return {
    sockets: INGEST.sockets,
    window: INGEST.window,
    rounds: INGEST.rounds,
    windowMs: t.ms,
    storedInWindow: side.storedInWindow,
    storedPerSec: (side.storedInWindow * 1000) / t.ms,
    ackLatencyMs: side.latency.percentiles(),
    serverCpuMs: t.serverCpuMs,
    serverCpuUsPerMessage: (t.serverCpuMs * 1000) / side.storedInWindow,
    storageKbPerMessage: t.storageBytes / 1024 / side.storedInWindow,
    ...shares(t),
    acked: side.acked,
    refused: side.refused,
    storedCount,
  };
}

export async function ingest(targets: Target[]): Promise<Pair<IngestResult>> {
  const sides: Side[] = [];
  try {
    for (const target of targets) sides.push(await openSide(target));
    for (let round = 0; round < INGEST.rounds; round++) {
      const order = round % 2 === 0 ? sides : [...sides].reverse();
      for (const side of order) await turn(side, round === 0 ? INGEST.warmupMs : INGEST.rampMs);
    }
    const of = (kind: Target['kind']): Side => sides.find((s) => s.target.kind === kind)!;
    return { bare: await result(of('bare')), project: await result(of('project')) };
  } finally {
    for (const side of sides) closeAll(side.sockets);
  }
}
