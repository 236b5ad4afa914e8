/**
 * `typing:set`. In a room of at most the big-room size it is relayed as a
 * volatile `typing:update` to the rest of the room; in a bigger room it goes
 * to the typing service, which sends summaries. No ack; invalid or
 * rate-limited ones are dropped by the event guard. The server throttles too,
 * so a flooding client costs one relay (or store write) per interval per
 * room, not one per event.
 */
import { MAX_ROOMS_PER_SOCKET, TYPING_THROTTLE_MS } from '../../protocol/index.js';
import { roomChannel } from '../channels.js';
import type { EventRequest } from '../validate.js';
import type { HandlerContext } from './context.js';

/** Half the client's interval, so an honest client's timing jitter is never cut. */
const MIN_RELAY_INTERVAL_MS = TYPING_THROTTLE_MS / 2;

export function setTyping({ socket, services, logger }: HandlerContext) {
  /** Joined room → when `typing: true` was last relayed, and whether the others now see "typing". */
  const state = new Map<string, { lastRelay: number; typing: boolean }>();

  const forgetLeftRooms = (): void => {
    if (state.size < MAX_ROOMS_PER_SOCKET) return;
    for (const room of state.keys()) if (!socket.data.rooms.has(room)) state.delete(room);
  };

  const relay = async (room: string, typing: boolean): Promise<void> => {
    const { site, user } = socket.data;
    if (await services.presence.isBig(site.id, room)) await services.typing.set(site.id, room, user, typing);
    else socket.to(roomChannel(room)).volatile.emit('typing:update', { room, user, typing });
  };

  return ({ room, typing }: EventRequest<'typing:set'>): void => {
    // A quiet member is not in the room's presence: nobody is shown typing there.
    if (!socket.data.rooms.has(room) || socket.data.quietRooms.has(room)) return;
    const now = Date.now();
    const previous = state.get(room) ?? { lastRelay: -Infinity, typing: false };
    // At most one "true" per interval, and "false" only to end a shown "true": two relays per interval at worst.
    if (typing && now - previous.lastRelay < MIN_RELAY_INTERVAL_MS) return;
    if (!typing && !previous.typing) return;
    forgetLeftRooms();
    state.set(room, { lastRelay: typing ? now : previous.lastRelay, typing });
    relay(room, typing).catch((err: unknown) => logger.error('typing failed', { room, err }));
  };
}
