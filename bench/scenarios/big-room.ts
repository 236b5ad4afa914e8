/**
 * Big room (issue 12): `clients` sockets arrive over `fillMs` into ONE room,
 * each connecting and joining at once (at most `maxPending` still on their
 * way), first on the bare server, then on the project's, each warmed up
 * first with `warmupClients` connections that come and go. During the fill
 * every presence-like frame a client receives is counted by event name,
 * undecoded (bench/presence-frames.ts), so it works with any presence
 * protocol; the newest `presence:update` is parsed only to see when every
 * client's count shows the whole room (polled every `COUNT_POLL_MS`). The
 * server's CPU over the fill, divided by the clients joined, is its cost per
 * accepted connection: connect, join, and the presence they cause. Then
 * `sendsPerSec` messages a second go into the room (20,000 deliveries/s), the
 * servers taking turns as in fan-out (bench/broadcast.ts). A server that has
 * not had every client join within `fillTimeoutMs` is reported as far as it
 * got, and then no messages are sent: its backlog would weigh on the other's
 * turns too.
 */
import type { Socket } from 'socket.io-client';
import { PRESENCE_GRACE_MS, PRESENCE_WINDOW_MS } from '../../protocol/index.js';
import { alternate, BroadcastSide, type BroadcastResult } from '../broadcast.js';
import { closeAll, connect, connectAll, join, openSocket } from '../clients.js';
import { BIG_ROOM } from '../config.js';
import { countingParser, PRESENCE_EVENTS, readPresence, type PresenceEvent } from '../presence-frames.js';
import { nowMs, sleep, until } from '../stats.js';
import type { Pair, Target } from '../target.js';
import { emptyTotals, openWindow, shares } from '../window.js';

/** How often the clients' presence counts are read while waiting for them to show the whole room. */
const COUNT_POLL_MS = 100;
/** Timestamps of a client's latest frames kept, to find the most it received within one second (capped at this). */
export const PEAK_RING = 64;
const MAX_ERRORS = 5;

export interface BigRoomFill {
  clients: number;
  joined: number;
  failed: number;
  /** From the first arrival until the last join ack; null when not every client joined in time. */
  allJoinedMs: number | null;
  /** From the first arrival until every client's presence count showed `clients` (± `COUNT_POLL_MS`); null when never (bare: no presence). */
  allCountedMs: number | null;
  /** Clients whose count showed `clients` by the end of the fill. */
  counted: number;
  /** The fill measured: first arrival to all joined (and counted), plus `settleMs`; or to the timeouts. */
  windowMs: number;
  serverCpuMs: number;
  /** Server CPU over the fill per client joined: connect, join and the presence they cause. */
  serverCpuMsPerConnection: number;
  driverCpuShare: number;
  otherCpuShare: number;
  /** Presence-like frames (PRESENCE_EVENTS) the clients received during the fill. */
  frames: number;
  framesByEvent: Record<PresenceEvent, number>;
  framesPerClientMean: number;
  framesPerClientMax: number;
  /** Each client's frames ÷ the seconds from its arrival to the end of the fill: mean and max over clients. */
  framesPerClientPerSecMean: number;
  framesPerClientPerSecMax: number;
  /** The most frames one client received within any one second (at most `PEAK_RING`). */
  framesInOneSecondMax: number;
  /** Frames received after the fill, while messages were sent. */
  framesAfterFill: number;
  errors: string[];
}

export interface BigRoomResult {
  fill: BigRoomFill;
  /** The message phase; null unless both servers' fills completed. */
  messages: BroadcastResult | null;
}

interface PresenceState {
  count: number;
  version: number;
}

/** One client: its frames, and its presence count as of the newest update it was sent. */
class Member {
  frames = 0;
  peak = 0;
  joinedAt: number | undefined;
  private readonly recent = new Float64Array(PEAK_RING);
  private latest: PresenceState = { count: 0, version: -Infinity };
  private raw: string | undefined;

  constructor(readonly arrivedAt: number) {}

  frame(at: number): void {
    this.recent[this.frames % PEAK_RING] = at;
    this.frames++;
    let inSecond = 0;
    while (inSecond < Math.min(this.frames, PEAK_RING) && this.recent[(this.frames - 1 - inSecond) % PEAK_RING]! > at - 1000) inSecond++;
    this.peak = Math.max(this.peak, inSecond);
  }

  /** Kept raw: parsed only when the count is asked for. */
  update(raw: string): void {
    this.raw = raw;
  }

  /** Updates from before the join's answer are older than it (protocol: keep the highest version). */
  seen(state: PresenceState): void {
    if (state.version >= this.latest.version) this.latest = state;
  }

  count(): number {
    if (this.raw !== undefined) {
      this.seen(readPresence(this.raw));
      this.raw = undefined;
    }
    return this.latest.count;
  }
}

class Side {
  readonly members: Member[] = [];
  readonly sockets: Socket[] = [];
  readonly broadcast: BroadcastSide;
  readonly framesByEvent = Object.fromEntries(PRESENCE_EVENTS.map((e) => [e, 0])) as Record<PresenceEvent, number>;
  filling = true;
  framesAfterFill = 0;
  joined = 0;
  failed = 0;
  readonly errors: string[] = [];

  constructor(readonly target: Target) {
    this.broadcast = new BroadcastSide(target, BIG_ROOM, () => BIG_ROOM.room);
  }

  private onFrame(member: Member, event: PresenceEvent, raw: string): void {
    if (event === 'presence:update') member.update(raw);
    if (!this.filling) {
      this.framesAfterFill++;
      return;
    }
    this.framesByEvent[event]++;
    member.frame(nowMs());
  }

  /** One arrival: connect and join, both bounded by the fill's deadline. */
  async arrive(i: number, deadline: number): Promise<void> {
    const member = new Member(nowMs());
    this.members[i] = member;
    const socket = openSocket(this.target.url, { parser: countingParser((event, raw) => this.onFrame(member, event, raw)) });
    this.sockets[i] = socket;
    this.broadcast.listen(socket);
    const left = (): number => Math.max(1, Math.round(deadline - nowMs()));
    try {
      await connect(socket, left());
      const data = await join<{ presence?: PresenceState }>(socket, BIG_ROOM.room, left());
      member.joinedAt = nowMs();
      if (data?.presence) member.seen({ count: data.presence.count, version: data.presence.version });
      this.joined++;
    } catch (err) {
      this.failed++;
      if (this.errors.length < MAX_ERRORS) this.errors.push(err instanceof Error ? err.message : String(err));
    }
  }

  /** Every client's count shows the whole room; reads (parses) only what changed since the last look. */
  allCounted(): boolean {
    return this.members.length === BIG_ROOM.clients && this.members.every((m) => m.count() >= BIG_ROOM.clients);
  }
}

/** Connections in and out of another room; done once their leaves are announced (after the presence grace), so none falls in the fill. */
async function warmUp(side: Side): Promise<void> {
  const rooms = new Array<string>(BIG_ROOM.warmupClients).fill(`${BIG_ROOM.room}-warmup`);
  closeAll(await connectAll(side.target.url, rooms, { parser: countingParser(() => undefined) }));
  await sleep(PRESENCE_GRACE_MS + PRESENCE_WINDOW_MS + 500);
}

async function fill(side: Side): Promise<BigRoomFill> {
  const { clients, fillMs, maxPending, fillTimeoutMs, convergeTimeoutMs, settleMs } = BIG_ROOM;
  await warmUp(side);
  const totals = emptyTotals();
  const close = openWindow(side.target.pid, totals);
  const t0 = nowMs();
  const deadline = t0 + fillTimeoutMs;
  let pending = 0;
  for (let i = 0; i < clients && nowMs() < deadline; i++) {
    const wait = t0 + (i * fillMs) / clients - nowMs();
    if (wait > 0) await sleep(wait);
    if (pending >= maxPending) await until(() => pending < maxPending, deadline - nowMs());
    if (nowMs() >= deadline) break;
    pending++;
    void side.arrive(i, deadline).finally(() => pending--);
  }
  await until(() => side.joined + side.failed === clients, Math.max(0, deadline - nowMs()));
  const everyoneJoined = side.joined === clients;
  const allJoinedAt = everyoneJoined ? Math.max(...side.members.map((m) => m.joinedAt!)) : undefined;

  let allCountedAt: number | undefined;
  if (everyoneJoined && side.target.kind === 'project') {
    const countDeadline = nowMs() + convergeTimeoutMs;
    while (!side.allCounted() && nowMs() < countDeadline) await sleep(COUNT_POLL_MS);
    if (side.allCounted()) allCountedAt = nowMs();
  }
  await sleep(settleMs);
  side.filling = false;
  close();
  const end = nowMs();

  const members = side.members.filter((m) => m !== undefined);
  const rates = members.map((m) => (m.frames * 1000) / (end - m.arrivedAt));
  const frames = members.reduce((sum, m) => sum + m.frames, 0);
  const { driverCpuShare, otherCpuShare } = shares(totals);
  return {
    clients,
    joined: side.joined,
    failed: side.failed,
    allJoinedMs: allJoinedAt === undefined ? null : allJoinedAt - t0,
    allCountedMs: allCountedAt === undefined ? null : allCountedAt - t0,
    counted: side.target.kind === 'project' ? members.filter((m) => m.count() >= clients).length : 0,
    windowMs: totals.ms,
    serverCpuMs: totals.serverCpuMs,
    serverCpuMsPerConnection: totals.serverCpuMs / Math.max(1, side.joined),
    driverCpuShare,
    otherCpuShare,
    frames,
    framesByEvent: side.framesByEvent,
    framesPerClientMean: frames / Math.max(1, members.length),
    framesPerClientMax: Math.max(0, ...members.map((m) => m.frames)),
    framesPerClientPerSecMean: rates.reduce((a, b) => a + b, 0) / Math.max(1, rates.length),
    framesPerClientPerSecMax: Math.max(0, ...rates),
    framesInOneSecondMax: Math.max(0, ...members.map((m) => m.peak)),
    framesAfterFill: 0,
    errors: side.errors,
  };
}

export async function bigRoom(targets: Target[]): Promise<Pair<BigRoomResult>> {
  const sides = targets.map((target) => new Side(target));
  try {
    const fills = new Map<Side, BigRoomFill>();
    for (const side of sides) fills.set(side, await fill(side));
    // A server still busy with its fill would load the machine under the other's turns: both are needed, or neither.
    const ready = sides.every((s) => fills.get(s)!.joined === BIG_ROOM.clients) ? sides : [];
    for (const side of ready) side.broadcast.sockets = side.sockets;
    await alternate(
      ready.map((s) => s.broadcast),
      BIG_ROOM,
      BIG_ROOM.sendsPerSec,
      BIG_ROOM.clients,
    );
    const of = (kind: Target['kind']): BigRoomResult => {
      const side = sides.find((s) => s.target.kind === kind)!;
      return {
        fill: { ...fills.get(side)!, framesAfterFill: side.framesAfterFill },
        messages: ready.includes(side) ? side.broadcast.result(BIG_ROOM.clients, 1, BIG_ROOM.clients, BIG_ROOM.sendsPerSec) : null,
      };
    };
    return { bare: of('bare'), project: of('project') };
  } finally {
    for (const side of sides) closeAll(side.sockets);
  }
}
