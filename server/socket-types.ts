/** The Socket.IO types of this server, bound to the shared protocol. */
import type { Namespace, Server, Socket } from 'socket.io';
import type { ClientToServerEvents, ServerToClientEvents, SiteInfo, UserInfo } from '../protocol/index.js';

/** What the handshake middleware attaches to every accepted socket. */
export interface SocketData {
  site: SiteInfo;
  user: UserInfo;
  /** Chat rooms this socket has joined. */
  rooms: Set<string>;
}

type InterServerEvents = Record<string, never>;

export type ChatIo = Server<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketData>;
export type ChatNamespace = Namespace<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketData>;
export type ChatSocket = Socket<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketData>;
