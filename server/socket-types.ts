/** The Socket.IO types of this server, bound to the shared protocol. */
import type { Namespace, Server, Socket } from 'socket.io';
import type { ClientToServerEvents, ServerToClientEvents, SiteInfo, UserInfo, UserRole } from '../protocol/index.js';
import type { GuestLanguage } from './identity.js';
import type { Credentials } from './security/credentials.js';

/** What the handshake middleware attaches to every accepted socket. */
export interface SocketData {
  site: SiteInfo;
  user: UserInfo;
  /** False for a guest that has not posted yet: it exists only on its sockets (see `UserService.guest`). */
  stored: boolean;
  /** The language of the names generated for this guest (from `auth.lang`). */
  lang: GuestLanguage;
  /** `moderator` only from a verified token. */
  role: UserRole;
  /** The token's `rooms` claim, when it has one. */
  allowedRooms?: string[];
  /** Identified users only: what ends the session (expiry, a rotated secret). */
  credentials?: Credentials;
  /** The client's address (see `clientIp`), for per-IP limits and IP bans. */
  ip: string;
  /** Chat rooms this socket has joined. */
  rooms: Set<string>;
  /** Those of `rooms` joined with `quiet` only: followed, but the user is not in their presence. */
  quietRooms: Set<string>;
  /** The site's rate-limit scale when the socket connected (1 unless the site sets it). */
  rateLimitScale: number;
}

/** Between the nodes of a cluster (through the Redis adapter). */
export interface InterServerEvents {
  /** A ban or mute of the site was added or lifted: drop cached ones. */
  'bans:changed': (site: string) => void;
  /** A site's secret was rotated or the site removed: read it again and end the sessions it no longer backs. */
  'sites:changed': (site: string) => void;
}

export type ChatIo = Server<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketData>;
export type ChatNamespace = Namespace<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketData>;
export type ChatSocket = Socket<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketData>;

/**
 * The namespace of a known site on this node: the live one, or a new one made
 * from the same parent (its middleware and handlers), so this node can emit to
 * — and, in a cluster, through the adapter reach — sockets it does not hold.
 */
export type NamespaceOf = (site: string) => ChatNamespace;
