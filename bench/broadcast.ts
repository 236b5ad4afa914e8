/**
 * Broadcast load, shared by fan-out (many small rooms) and the big room (one
 * room): on each server a side of joined sockets, the first `senders` of them
 * posting at a fixed total rate (open loop: sends do not wait for acks). Every
 * message is broadcast to its whole room, sender included, so deliveries/s =
 * sends/s × room size. Each text starts with its send time, so receivers
 * measure end-to-end latency. The servers take turns (`rounds` measured
 * windows each, alternating), so background load hits both alike; server CPU
 * is read from /proc at the edges of each window.
 */
import type { Socket } from 'socket.io-client';
import { clientId, type Ack } from './clients.js';
import type { Target } from './target.js';
import { Samples, nowMs, sleep, until, type Percentiles } from './stats.js';
import { emptyTotals, openWindow, shares, type WindowTotals } from './window.js';

export interface BroadcastShape {
  senders: number;
  /** Measured windows per server, the servers taking turns. */
  rounds: number;
  roundMs: number;
  /** Sending before a server's first window (JIT, caches) and before each later one. */
  warmupMs: number;
  rampMs: number;
  /** How long after a turn's last send the driver waits for stragglers. */
  drainMs: number;
}

export interface BroadcastResult {
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

/** One server's sockets under broadcast load, and what they measured. */
export class BroadcastSide {
  sockets: Socket[] = [];
  readonly latency = new Samples();
  readonly totals: WindowTotals = emptyTotals();
  measuring = false;
  sent = 0;
  acked = 0;
  refused = 0;
  received = 0;
  deliveredInWindow = 0;
  private readonly perSender: number[];

  /** `roomOf(i)`: the room socket i joined, and (for a sender) sends to. */
  constructor(
    readonly target: Target,
    private readonly shape: BroadcastShape,
    private readonly roomOf: (socketIndex: number) => string,
  ) {
    this.perSender = new Array<number>(shape.senders).fill(0);
  }

  /** Counts `socket`'s deliveries; attach before it joins. */
  listen(socket: Socket): void {
    socket.on('message:new', this.onMessage);
  }

  private readonly onMessage = (message: Message): void => {
    const now = nowMs();
    this.received++;
    if (this.measuring) this.deliveredInWindow++;
    // "t=<ms> m=1 …": sent at <ms>, inside a measured window.
    const space = message.text.indexOf(' ');
    if (message.text.charCodeAt(space + 3) === 49) this.latency.add(now - Number(message.text.slice(2, space)));
  };

  /** Sends at `sendsPerSec` until the returned function is called (credit-based: what is due since the start). */
  startSending(sendsPerSec: number): () => void {
    const onAck = (ack: Ack<unknown>): void => {
      if (ack.ok) this.acked++;
      else this.refused++;
    };
    const start = nowMs();
    let sent = 0;
    const tick = setInterval(() => {
      const due = Math.min(Math.floor(((nowMs() - start) * sendsPerSec) / 1000) - sent, sendsPerSec);
      for (let i = 0; i < due; i++, sent++, this.sent++) {
        const k = this.sent % this.shape.senders;
        const n = this.perSender[k]!++;
        const text = `t=${nowMs().toFixed(3)} m=${this.measuring ? 1 : 0} fan-out message ${n} from sender ${k}`;
        this.sockets[k]!.emit('message:send', { room: this.roomOf(k), text, clientId: clientId(k, n) }, onAck);
      }
    }, 5);
    return () => clearInterval(tick);
  }

  /** One turn: ramp up, a measured window, stop, and wait until everything sent has arrived. */
  async turn(sendsPerSec: number, rampMs: number, roomSize: number): Promise<void> {
    const stop = this.startSending(sendsPerSec);
    await sleep(rampMs);
    const close = openWindow(this.target.pid, this.totals);
    this.measuring = true;
    await sleep(this.shape.roundMs);
    this.measuring = false;
    close();
    stop();
    await until(() => this.acked + this.refused === this.sent && this.received >= this.acked * roomSize, this.shape.drainMs);
  }

  result(clients: number, rooms: number, roomSize: number, sendsPerSec: number): BroadcastResult {
    const t = this.totals;
    return {
      clients,
      rooms,
      senders: this.shape.senders,
      roomSize,
      offeredDeliveriesPerSec: sendsPerSec * roomSize,
      sendsPerSec,
      rounds: this.shape.rounds,
      windowMs: t.ms,
      deliveredInWindow: this.deliveredInWindow,
      deliveredPerSec: (this.deliveredInWindow * 1000) / t.ms,
      latencyMs: this.latency.percentiles(),
      serverCpuMs: t.serverCpuMs,
      serverCpuUsPerDelivery: (t.serverCpuMs * 1000) / this.deliveredInWindow,
      ...shares(t),
      sent: this.sent,
      acked: this.acked,
      refused: this.refused,
      missing: Math.max(0, this.acked * roomSize - this.received),
    };
  }
}

/** `shape.rounds` turns per side at `sendsPerSec`, alternating who goes first, so neither always follows the other's backlog. */
export async function alternate(sides: readonly BroadcastSide[], shape: BroadcastShape, sendsPerSec: number, roomSize: number): Promise<void> {
  for (let round = 0; round < shape.rounds; round++) {
    const order = round % 2 === 0 ? sides : [...sides].reverse();
    for (const side of order) await side.turn(sendsPerSec, round === 0 ? shape.warmupMs : shape.rampMs, roomSize);
  }
}
