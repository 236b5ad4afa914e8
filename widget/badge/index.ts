/**
 * The badge part: what a closed launcher needs to count unread messages, and
 * no UI. It follows the room quietly (`room:join { quiet: true }`): the
 * visitor is not in the room's presence and nothing is stored for them until
 * they open the chat. Loaded when the browser is idle after the page loads.
 */
import type { ConnectionState } from '../client/connection.js';
import { acquireChannel, releaseChannel } from '../client/registry.js';
import { RoomConversation } from '../client/room-conversation.js';
import { safeStorage } from '../client/storage.js';

export interface WatchOptions {
  server: string;
  site: string;
  room: string;
  nickname?: string | undefined;
  token?: string | undefined;
  lang?: string | undefined;
}

export interface RoomWatch {
  readonly unread: number;
  readonly capped: boolean;
  readonly state: ConnectionState;
  /** Lets go of the room (and of the connection, when nothing else on the page uses it). */
  stop(): void;
}

const storage = safeStorage(() => globalThis.localStorage);

/** Follows `room` quietly; `changed` runs whenever the unread count or the connection state may have changed. */
export function watchRoom(options: WatchOptions, changed: () => void): RoomWatch {
  const channel = acquireChannel({ ...options, storage });
  const room = new RoomConversation(channel, options.room, { quiet: true });
  const offs = [room.on('change', changed), channel.conn.on('state', changed)];
  room.start();
  return {
    get unread() {
      return room.unread;
    },
    get capped() {
      return room.unreadCapped;
    },
    get state() {
      return channel.conn.state;
    },
    stop() {
      for (const off of offs) off();
      room.stop();
      releaseChannel(channel);
    },
  };
}
