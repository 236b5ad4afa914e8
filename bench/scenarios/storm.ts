/**
 * Reconnect storm: `clients` sockets in `rooms` rooms with some history; one
 * sender per room keeps a burst of sends in flight while the runner SIGKILLs
 * the server and starts it again on the same port (and, for the project, the
 * same SQLite file). The clients reconnect by themselves with the widget's
 * backoff, rejoin, and replay what they missed with `message:history
 * { afterSeq }` page by page (docs/PROTOCOL.md, "Delivery guarantees"). The
 * bare server comes back empty: its clients rejoin and have nothing to replay
 * from, so what they missed stays missed.
 */
import type { Socket } from 'socket.io-client';
import { clientId, closeAll, connectAll, join, request, type Ack } from '../clients.js';
import { STORM } from '../config.js';
import { nowMs, until } from '../stats.js';

export interface StormControl {
  /** Asks the runner to SIGKILL the server; resolves with the time of the kill (epoch ms). */
  kill(): Promise<number>;
  /** Resolves with the time the restarted server printed its listening line. */
  restarted(): Promise<number>;
}

export interface StormResult {
  clients: number;
  rooms: number;
  /** Messages the rooms held when the server was killed (acked to their senders). */
  ackedBeforeKill: number;
  /** Sum over clients of the messages they had not received when the connection dropped. */
  missedAtKill: number;
  /** Messages fetched with message:history after rejoining (all clients). */
  replayedMessages: number;
  /** Sum over clients of acked messages still missing at the end: lost for good. */
  unrecovered: number;
  serverBackMs: number;
  allReconnectedMs: number | null;
  allRejoinedMs: number | null;
  /** Every client rejoined and, where the server can, replayed up to the room's last seq. */
  allRecoveredMs: number | null;
  p50RecoveredMs: number | null;
  recovered: number;
  /** presence:update and room:notice frames the clients received while coming back. */
  presenceFrames: number;
  errors: string[];
}

interface Client {
  room: number;
  lastSeen: number;
  seenAtKill: number | undefined;
  back: number | undefined;
  rejoined: number | undefined;
  recovered: number | undefined;
}

interface SeqMessage {
  room: string;
  seq: number;
}

export async function storm(url: string, control: StormControl): Promise<StormResult> {
  const { clients: count, rooms, seedPerRoom, burstMs, burstWindow, timeoutMs } = STORM;
  const roomName = (r: number): string => `storm-${r}`;
  const clients: Client[] = Array.from({ length: count }, (_, i) => ({
    room: i % rooms,
    lastSeen: 0,
    seenAtKill: undefined,
    back: undefined,
    rejoined: undefined,
    recovered: undefined,
  }));
  const ackedMax = new Array<number>(rooms).fill(0);
  const roomLast = new Array<number>(rooms).fill(0);
  const errors: string[] = [];
  let recovering = false;
  let replayedMessages = 0;
  let presenceFrames = 0;

  const recover = async (c: Client, socket: Socket): Promise<void> => {
    c.back = nowMs();
    try {
      const room = roomName(c.room);
      const data = await join<{ lastSeq: number }>(socket, room);
      c.rejoined = nowMs();
      if (data !== undefined) {
        roomLast[c.room] = Math.max(roomLast[c.room]!, data.lastSeq);
        // Always asked once after a rejoin, then page by page while there is more.
        for (let page = 0; page < 1_000; page++) {
          const ack = await request<{ messages: SeqMessage[]; hasMore: boolean }>(socket, 'message:history', {
            room,
            afterSeq: c.lastSeen,
            limit: 100,
          });
          if (!ack.ok) throw new Error(`message:history refused: ${ack.error.code}`);
          const { messages, hasMore } = ack.data!;
          replayedMessages += messages.length;
          for (const m of messages) c.lastSeen = Math.max(c.lastSeen, m.seq);
          if (!hasMore) break;
        }
      }
      c.recovered = nowMs();
    } catch (err) {
      if (errors.length < 10) errors.push(String(err));
    }
  };

  const sockets = await connectAll(url, clients.map((c) => roomName(c.room)), {
    reconnection: { delay: STORM.reconnectionDelay, delayMax: STORM.reconnectionDelayMax },
    setup: (socket, i) => {
      const c = clients[i]!;
      socket.on('message:new', (m: SeqMessage) => {
        if (m.seq > c.lastSeen) c.lastSeen = m.seq;
      });
      socket.on('disconnect', () => {
        if (recovering) c.seenAtKill ??= c.lastSeen;
      });
      socket.on('connect', () => {
        if (recovering) void recover(c, socket);
      });
      const countPresence = (): void => {
        if (recovering) presenceFrames++;
      };
      socket.on('presence:update', countPresence);
      socket.on('room:notice', countPresence);
    },
    joined: (_socket, i, data) => {
      const c = clients[i]!;
      c.lastSeen = (data as { lastSeq?: number } | undefined)?.lastSeq ?? 0;
    },
  });

  try {
    // The first socket of each room sends for it.
    const senders = Array.from({ length: rooms }, (_, r) => sockets[r]!);
    let sentTotal = 0;
    const pump = (r: number, keepGoing: () => boolean): void => {
      const socket = senders[r]!;
      if (!keepGoing() || !socket.connected) return;
      const n = sentTotal++;
      socket.emit(
        'message:send',
        { room: roomName(r), text: `t=${nowMs().toFixed(3)} storm message ${n}`, clientId: clientId(r, n) },
        (ack: Ack<{ message: SeqMessage }>) => {
          if (ack.ok) ackedMax[r] = Math.max(ackedMax[r]!, ack.data!.message.seq);
          pump(r, keepGoing);
        },
      );
    };

    // History first: every room gets `seedPerRoom` messages and every client sees them all.
    const seeded = new Array<number>(rooms).fill(0);
    for (let r = 0; r < rooms; r++) for (let w = 0; w < burstWindow; w++) pump(r, () => seeded[r]!++ < seedPerRoom);
    const seededOk = await until(
      () => clients.every((c) => c.lastSeen >= seedPerRoom) && ackedMax.every((m) => m >= seedPerRoom),
      15_000,
    );
    if (!seededOk) throw new Error('storm: the rooms were not seeded within 15 s');

    // The burst the kill interrupts.
    let bursting = true;
    for (let r = 0; r < rooms; r++) for (let w = 0; w < burstWindow; w++) pump(r, () => bursting);
    await new Promise((resolve) => setTimeout(resolve, burstMs));
    recovering = true;
    const killedAt = await control.kill();
    bursting = false;
    const restartedAt = await control.restarted();
    const ackedBeforeKill = ackedMax.reduce((a, b) => a + b, 0);

    await until(() => clients.every((c) => c.recovered !== undefined), timeoutMs);

    const since = (pick: (c: Client) => number | undefined): number | null => {
      const times = clients.map(pick);
      if (times.some((t) => t === undefined)) return null;
      return Math.max(...(times as number[])) - killedAt;
    };
    const recoveredTimes = clients
      .map((c) => c.recovered)
      .filter((t): t is number => t !== undefined)
      .sort((a, b) => a - b);
    let missedAtKill = 0;
    let unrecovered = 0;
    for (const c of clients) {
      const last = Math.max(ackedMax[c.room]!, roomLast[c.room]!);
      missedAtKill += Math.max(0, last - (c.seenAtKill ?? c.lastSeen));
      unrecovered += Math.max(0, ackedMax[c.room]! - c.lastSeen);
    }
    return {
      clients: count,
      rooms,
      ackedBeforeKill,
      missedAtKill,
      replayedMessages,
      unrecovered,
      serverBackMs: restartedAt - killedAt,
      allReconnectedMs: since((c) => c.back),
      allRejoinedMs: since((c) => c.rejoined),
      allRecoveredMs: since((c) => c.recovered),
      p50RecoveredMs:
        recoveredTimes.length === 0 ? null : recoveredTimes[Math.ceil(recoveredTimes.length / 2) - 1]! - killedAt,
      recovered: recoveredTimes.length,
      presenceFrames,
      errors,
    };
  } finally {
    closeAll(sockets);
  }
}
