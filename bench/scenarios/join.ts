/**
 * Join cost: what one `room:join` costs in a small room and in a big one
 * (`JOIN.roomSizes`, seeded into the project's store before it starts, see
 * bench/seed-rooms.ts), for a returning user whose cursor is at seq 1 (one
 * `room:ack`), so the unread count has the whole room after it. Measured one
 * request at a time: a first join on a fresh connection of that user, and a
 * re-join of a room the socket is already in, with the server's CPU per
 * re-join. The bare server's join only adds the socket to the room: the
 * floor of a join round trip, whatever the room.
 */
import type { Socket } from 'socket.io-client';
import { closeAll, connect, guestKey, join, openSocket, request } from '../clients.js';
import { JOIN } from '../config.js';
import type { Pair, Target } from '../target.js';
import { cpuMs } from '../proc.js';
import { Samples, nowMs, type Percentiles } from '../stats.js';

export interface JoinRoomResult {
  /** Messages in the room. */
  size: number;
  firstJoinMs: Percentiles;
  rejoinMs: Percentiles;
  serverCpuUsPerRejoin: number;
  /** The join's `unread` ("99+" when capped); null from the bare server. */
  unread: string | null;
}

export interface JoinCostResult {
  rooms: JoinRoomResult[];
}

interface JoinData {
  unread?: number;
  unreadCapped?: boolean;
}

/** The size of the room each seeded room name stands for. */
export function joinRoomName(size: number): string {
  return `join-${size}`;
}

async function timedJoin(socket: Socket, room: string, into: Samples): Promise<JoinData | undefined> {
  const t0 = nowMs();
  const data = await join<JoinData>(socket, room);
  into.add(nowMs() - t0);
  return data;
}

async function measureRoom(target: Target, key: string, size: number): Promise<JoinRoomResult> {
  const room = joinRoomName(size);
  const first = new Samples();
  let data: JoinData | undefined;
  for (let i = 0; i < JOIN.firstJoins; i++) {
    const socket = openSocket(target.url, { key });
    try {
      await connect(socket);
      data = await timedJoin(socket, room, first);
    } finally {
      socket.disconnect();
    }
  }
  const socket = openSocket(target.url, { key });
  try {
    await connect(socket);
    await join(socket, room);
    const again = new Samples();
    const cpu0 = cpuMs(target.pid);
    for (let i = 0; i < JOIN.rejoins; i++) await timedJoin(socket, room, again);
    const cpu = cpuMs(target.pid) - cpu0;
    return {
      size,
      firstJoinMs: first.percentiles(),
      rejoinMs: again.percentiles(),
      serverCpuUsPerRejoin: (cpu * 1000) / JOIN.rejoins,
      unread: data?.unread === undefined ? null : `${data.unread}${data.unreadCapped ? '+' : ''}`,
    };
  } finally {
    socket.disconnect();
  }
}

/** One user acknowledges seq 1 in every room (the project keeps the cursor; the bare server has none). */
async function ackFirst(target: Target, key: string): Promise<void> {
  if (target.kind === 'bare') return;
  const socket = openSocket(target.url, { key });
  try {
    await connect(socket);
    for (const size of JOIN.roomSizes) {
      await join(socket, joinRoomName(size));
      const ack = await request<{ cursor: number }>(socket, 'room:ack', { room: joinRoomName(size), seq: 1 });
      if (!ack.ok || ack.data?.cursor !== 1) throw new Error(`room:ack in ${joinRoomName(size)}: ${JSON.stringify(ack)}`);
    }
  } finally {
    closeAll([socket]);
  }
}

export async function joinCost(targets: Target[]): Promise<Pair<JoinCostResult>> {
  const out: Partial<Pair<JoinCostResult>> = {};
  for (const target of targets) {
    const key = guestKey();
    await ackFirst(target, key);
    const rooms: JoinRoomResult[] = [];
    for (const size of JOIN.roomSizes) rooms.push(await measureRoom(target, key, size));
    out[target.kind] = { rooms };
  }
  return out as Pair<JoinCostResult>;
}
