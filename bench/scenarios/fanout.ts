/**
 * Fan-out: on each server, `clients` sockets in `rooms` rooms, `senders` of
 * them posting at a fixed total rate, the servers taking turns (see
 * bench/broadcast.ts for how it is loaded and measured).
 */
import { alternate, BroadcastSide, type BroadcastResult } from '../broadcast.js';
import { closeAll, connectAll } from '../clients.js';
import { FANOUT } from '../config.js';
import type { Pair, Target } from '../target.js';

export interface FanoutParams {
  deliveryRate: number;
}

const roomOf = (i: number): string => `fan-${i % FANOUT.rooms}`;

export async function fanout(targets: Target[], { deliveryRate }: FanoutParams): Promise<Pair<BroadcastResult>> {
  const roomSize = FANOUT.clients / FANOUT.rooms;
  const sendsPerSec = deliveryRate / roomSize;
  const rooms = Array.from({ length: FANOUT.clients }, (_, i) => roomOf(i));
  const sides: BroadcastSide[] = [];
  try {
    for (const target of targets) {
      const side = new BroadcastSide(target, FANOUT, roomOf);
      sides.push(side);
      side.sockets = await connectAll(target.url, rooms, { setup: (socket) => side.listen(socket) });
    }
    await alternate(sides, FANOUT, sendsPerSec, roomSize);
    const of = (kind: Target['kind']): BroadcastResult =>
      sides.find((s) => s.target.kind === kind)!.result(FANOUT.clients, FANOUT.rooms, roomSize, sendsPerSec);
    return { bare: of('bare'), project: of('project') };
  } finally {
    for (const side of sides) closeAll(side.sockets);
  }
}
