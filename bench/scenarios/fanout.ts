/**
 * Fan-out: on each server, `clients` sockets in `rooms` rooms, `senders` of
 * them posting at a fixed total rate (open loop: sends do not wait for acks).
 * Every message is broadcast to its whole room, sender included, so
 * deliveries/s = sends/s × room size. Each text starts with its send time, so
 * receivers measure end-to-end latency. The servers take turns (`rounds`
 * measured windows each, alternating), so background load hits both alike;
 * server CPU is read from /proc at the edges of each window.
 */
import type { Socket } from 'socket.io-client';
import { clientId, closeAll, connectAll, type Ack } from '../clients.js';
import { FANOUT } from '../config.js';
import type { Pair, Target } from '../target.js';
import { Samples, nowMs, sleep, until, type Percentiles } from '../stats.js';
import { emptyTotals, openWindow, shares, type WindowTotals } from '../window.js';

export interface FanoutParams {
  deliveryRate: number;
}

export interface FanoutResult {
  clients: number;
  rooms: number;
  senders: number;
  roomSize: number;
  offeredDeliveriesPerSec: number;
  sendsPerSec: number;
  rounds: number;
  windowMs: number;
  deliveredInWindow: number;
  deliveredPerSec: number;
  /** End-to-end: send call in the driver → `message:new` handled in the driver, for messages sent in a window. */
  latencyMs: Percentiles;
  serverCpuMs: number;
  serverCpuUsPerDelivery: number;
  /** Share of one core the server used in its windows. */
  serverCpuShare: number;
  /** Share of one core the driver used (near 1: the driver is the bottleneck). */
  driverCpuShare: number;
  /** Share of one core used by everything else on the machine (other work skews the figures). */
  otherCpuShare: number;
  /** Share of the time during which some task on the machine waited for I/O (PSI). */
  ioStallShare: number;
  sent: number;
  acked: number;
  refused: number;
  /** Deliveries owed for acked messages (acked × room size) that never arrived, after each round's drain. */
  missing: number;
}

interface Message {
  text: string;
}

interface Side {
  target: Target;
  sockets: Socket[];
  latency: Samples;
  totals: WindowTotals;
  measuring: boolean;
  sent: number;
  acked: number;
  refused: number;
  received: number;
  deliveredInWindow: number;
  perSender: number[];
}

const roomOf = (i: number): string => `fan-${i % FANOUT.rooms}`;

async function openSide(target: Target): Promise<Side> {
  const side: Side = {
    target,
    sockets: [],
    latency: new Samples(),
    totals: emptyTotals(),
    measuring: false,
    sent: 0,
    acked: 0,
    refused: 0,
    received: 0,
    deliveredInWindow: 0,
    perSender: new Array<number>(FANOUT.senders).fill(0),
  };
  const onMessage = (message: Message): void => {
    const now = nowMs();
    side.received++;
    if (side.measuring) side.deliveredInWindow++;
    // "t=<ms> m=1 …": sent at <ms>, inside a measured window.
    const space = message.text.indexOf(' ');
    if (message.text.charCodeAt(space + 3) === 49) side.latency.add(now - Number(message.text.slice(2, space)));
  };
  const rooms = Array.from({ length: FANOUT.clients }, (_, i) => roomOf(i));
  side.sockets = await connectAll(target.url, rooms, { setup: (socket) => socket.on('message:new', onMessage) });
  return side;
}

/** Sends at `sendsPerSec` on `side` until the returned function is called (credit-based: what is due since the start). */
function startSending(side: Side, sendsPerSec: number): () => void {
  const onAck = (ack: Ack<unknown>): void => {
    if (ack.ok) side.acked++;
    else side.refused++;
  };
  const start = nowMs();
  let sent = 0;
  const tick = setInterval(() => {
    const due = Math.min(Math.floor(((nowMs() - start) * sendsPerSec) / 1000) - sent, sendsPerSec);
    for (let i = 0; i < due; i++, sent++, side.sent++) {
      const k = side.sent % FANOUT.senders;
      const n = side.perSender[k]!++;
      const text = `t=${nowMs().toFixed(3)} m=${side.measuring ? 1 : 0} fan-out message ${n} from sender ${k}`;
      side.sockets[k]!.emit('message:send', { room: roomOf(k), text, clientId: clientId(k, n) }, onAck);
    }
  }, 5);
  return () => clearInterval(tick);
}

/** One turn of one server: ramp up, a measured window, stop, and wait until everything sent has arrived. */
async function turn(side: Side, sendsPerSec: number, rampMs: number, roomSize: number): Promise<void> {
  const stop = startSending(side, sendsPerSec);
  await sleep(rampMs);
  const close = openWindow(side.target.pid, side.totals);
  side.measuring = true;
  await sleep(FANOUT.roundMs);
  side.measuring = false;
  close();
  stop();
  await until(() => side.acked + side.refused === side.sent && side.received >= side.acked * roomSize, FANOUT.drainMs);
}

function result(side: Side, deliveryRate: number, roomSize: number): FanoutResult {
  const { clients, rooms, senders, rounds } = FANOUT;
  const t = side.totals;
  return {
    clients,
    rooms,
    senders,
    roomSize,
    offeredDeliveriesPerSec: deliveryRate,
    sendsPerSec: deliveryRate / roomSize,
    rounds,
    windowMs: t.ms,
    deliveredInWindow: side.deliveredInWindow,
    deliveredPerSec: (side.deliveredInWindow * 1000) / t.ms,
    latencyMs: side.latency.percentiles(),
    serverCpuMs: t.serverCpuMs,
    serverCpuUsPerDelivery: (t.serverCpuMs * 1000) / side.deliveredInWindow,
    ...shares(t),
    sent: side.sent,
    acked: side.acked,
    refused: side.refused,
    missing: Math.max(0, side.acked * roomSize - side.received),
  };
}

export async function fanout(targets: Target[], { deliveryRate }: FanoutParams): Promise<Pair<FanoutResult>> {
  const roomSize = FANOUT.clients / FANOUT.rooms;
  const sendsPerSec = deliveryRate / roomSize;
  const sides: Side[] = [];
  try {
    for (const target of targets) sides.push(await openSide(target));
    for (let round = 0; round < FANOUT.rounds; round++) {
      // Alternate who goes first, so neither always follows the other's backlog.
      const order = round % 2 === 0 ? sides : [...sides].reverse();
      for (const side of order) await turn(side, sendsPerSec, round === 0 ? FANOUT.warmupMs : FANOUT.rampMs, roomSize);
    }
    const of = (kind: Target['kind']): FanoutResult => result(sides.find((s) => s.target.kind === kind)!, deliveryRate, roomSize);
    return { bare: of('bare'), project: of('project') };
  } finally {
    for (const side of sides) closeAll(side.sockets);
  }
}
