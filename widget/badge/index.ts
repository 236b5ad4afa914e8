/**
 * The badge part: what a closed launcher needs to count unread messages, and
 * no UI. It follows the room quietly (`room:join { quiet: true }`): the
 * visitor is not in the room's presence and nothing is stored for them until
 * they open the chat. Loaded when the browser is idle after the page loads.
 */
import type { ChatMessage } from '../../protocol/index.js';
import type { ConnectionState } from '../client/connection.js';
import type { ClientError } from '../client/errors.js';
import { acquireChannel, releaseChannel } from '../client/registry.js';
import { RoomConversation } from '../client/room-conversation.js';
import { safeStorage } from '../client/storage.js';
import { resolveRoom } from '../room-name.js';

export interface WatchOptions {
  server: string;
  site: string;
  /** As the element's `room` attribute: `auto` is resolved here. */
  room: string;
  token?: string | undefined;
  lang?: string | undefined;
}

export interface RoomWatch {
  /** The room followed (`auto` resolved). */
  readonly room: string;
  readonly unread: number;
  readonly capped: boolean;
  readonly state: ConnectionState;
  /** Lets go of the room (and of the connection, when nothing else on the page uses it). */
  stop(): void;
}

const storage = safeStorage(() => globalThis.localStorage);

/** What the element turns into its events while only the badge follows the room. */
export interface WatchListener {
  /** The unread count may have changed. */
  changed(): void;
  /** A message in the room after the first load (`replayed`: filled in after a reconnect), or a private one (`direct`). */
  message(message: ChatMessage, own: boolean, direct: boolean, replayed: boolean): void;
  state(state: ConnectionState, error: ClientError | null): void;
}

/** Follows `room` quietly, telling `listener` what happens. */
export function watchRoom(options: WatchOptions, listener: WatchListener): RoomWatch {
  const channel = acquireChannel({ ...options, storage });
  const { conn } = channel;
  const room = new RoomConversation(channel, resolveRoom(options.room, location.pathname), { quiet: true });
  const offs = [
    room.on('change', () => listener.changed()),
    room.on('message', (m, replayed) => listener.message(m, m.from.id === conn.user?.id, false, replayed)),
    conn.on('dm', (m) => {
      if (m.from.id !== conn.user?.id) listener.message(m, false, true, false);
    }),
    conn.on('state', (state) => listener.state(state, conn.error)),
  ];
  room.start();
  return {
    room: room.room,
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
