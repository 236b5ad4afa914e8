/**
 * One Socket.IO connection to one site of one server (shared by every
 * `<chat-room>` on the page that talks to that server and site: see
 * registry.ts). Plain TypeScript, no DOM.
 */
import { io, type ManagerOptions, type Socket, type SocketOptions } from 'socket.io-client';
import {
  PROTOCOL_VERSION,
  siteNamespace,
  type ErrorCode,
  type MessageChanged,
  type MessageDeleted,
  type ChatMessage,
  type ClientToServerEvents,
  type PresenceUpdate,
  type Privacy,
  type Renewal,
  type RoomNotice,
  type ServerToClientEvents,
  type Session,
  type TypingRequest,
  type TypingSummary,
  type TypingUpdate,
  type UserInfo,
} from '../../protocol/index.js';
import { Emitter } from './emitter.js';
import type { ClientAck, ClientError } from './errors.js';
import type { Heartbeat, HeartbeatOptions } from './heartbeat.js';
import * as jsonParser from './json-parser.js';
import type { ConnectionState, Link, LinkEvents, RequestEvent, RequestOf, ResultOf } from './link.js';

export type { ConnectionState, RequestEvent, RequestOf, ResultOf } from './link.js';

export type ConnectionEvents = LinkEvents & {
  session: (session: Session) => void;
  message: (message: ChatMessage) => void;
  /** `at`: when it arrived, on the server's clock (a live update's joins and leave become notices placed by it). */
  presence: (presence: PresenceUpdate, at: number) => void;
  notice: (notice: RoomNotice) => void;
  typing: (typing: TypingUpdate) => void;
  /** A big room's typists, summarised: replaces the room's previous summary. */
  typingSummary: (summary: TypingSummary) => void;
  dm: (message: ChatMessage) => void;
  /** A moderator deleted a message (or a user's messages were erased): show its tombstone. */
  deleted: (deleted: MessageDeleted) => void;
  /** A message was edited or reacted to: replace it (rich-conversation.ts applies it). */
  changed: (changed: MessageChanged) => void;
  /** The user's blocks or private-message setting changed (`session.privacy` holds them now). */
  privacy: (privacy: Privacy) => void;
  /** A heartbeat came back: the round-trip time in milliseconds. */
  rtt: (ms: number) => void;
  /**
   * The server refused this page's protocol version (`client_outdated`): the
   * connection stays in `error` for good, and only a reload (a newer widget)
   * can connect again.
   */
  outdated: () => void;
  /** The token ends the session at `expiresAt` (this page's clock) unless `renew()` gets a newer one first. */
  expiring: (expiresAt: number) => void;
};

export type ChatSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

/** How long before the session's end `expiring` is emitted (or halfway there, for a shorter token). */
export const RENEW_LEAD_MS = 120_000;

/** How long connecting (or reconnecting) may take before the server counts as unreachable. */
export const UNREACHABLE_AFTER_MS = 8_000;

/** How long a request waits for its ack before it counts as `timeout`. */
export const REQUEST_TIMEOUT_MS = 10_000;

export interface ConnectionOptions {
  /** Server origin, e.g. `https://chat.example.com`. */
  server: string;
  site: string;
  guestKey: string;
  nickname?: string | undefined;
  /** The UI's language (BCP 47), for the names the server makes up for a guest. */
  lang?: string | undefined;
  /** An identity token signed by the site's backend: the connection is then that user, not a guest. */
  token?: string | undefined;
  /** Longest wait between reconnection attempts. Default 10 s. */
  reconnectionDelayMax?: number;
  /** How long a request waits for its ack. Default `REQUEST_TIMEOUT_MS`. */
  requestTimeoutMs?: number;
  /** How long connecting may take before `unreachable` turns true. Default `UNREACHABLE_AFTER_MS`. */
  unreachableAfterMs?: number;
  heartbeat?: HeartbeatOptions;
  /** Passed to socket.io-client as they are (a Node client sets `extraHeaders: { origin }`). */
  socketOptions?: Partial<ManagerOptions & SocketOptions>;
}

/** Normalises a server URL to its origin-like form without a trailing slash. */
export function normalizeServer(server: string): string {
  return server.trim().replace(/\/+$/, '');
}

/** Maps a Socket.IO `connect_error` to a protocol error code. */
export function connectErrorToClientError(err: Error & { data?: unknown }): ClientError {
  const data = err.data as { code?: unknown; message?: unknown } | undefined;
  if (typeof data?.code === 'string') return { code: data.code as ErrorCode, message: String(data.message ?? err.message) };
  if (err.message === 'Invalid namespace') return { code: 'unknown_site', message: 'Unknown site.' };
  // Middleware errors without data carry the code as their message (`origin_not_allowed`).
  if (/^[a-z_]+$/.test(err.message)) return { code: err.message as ErrorCode, message: err.message };
  return { code: 'not_connected', message: err.message || 'Cannot reach the chat server.' };
}

export class Connection extends Emitter<ConnectionEvents> implements Link {
  readonly server: string;
  readonly site: string;
  state: ConnectionState = 'disconnected';
  error: ClientError | null = null;
  /** The signed-in user, known after `session:ready`. */
  user: UserInfo | null = null;
  session: Session | null = null;
  /** True once a connection has succeeded (so `connecting` means "reconnecting"). */
  wasConnected = false;
  /** Preferred nickname sent with the next handshake. */
  nickname: string | undefined;
  /** Connecting has taken too long: the server cannot be reached (Socket.IO keeps trying, with backoff). */
  unreachable = false;
  /** Round-trip time of the last heartbeat, in ms; null until one came back on this connection. */
  rtt: number | null = null;
  /** The server refused this page's protocol version (`client_outdated`): `connect()` does nothing from then on. */
  outdated = false;

  #socket: ChatSocket | null = null;
  /** This page's clock minus the server's, from `session:ready`. */
  #clockOffset = 0;
  readonly #guestKey: string;
  readonly #rooms = new Map<string, number>();
  /** Loaded on the first connect (a chunk of its own: nothing before that needs it). */
  #heartbeat: Heartbeat | undefined;
  readonly #options: ConnectionOptions;
  /** Why the server ended the session (a ban, an expired token), if it did. */
  #ended: ClientError | null = null;
  #expiring: ReturnType<typeof setTimeout> | undefined;
  #unreachableTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(options: ConnectionOptions) {
    super();
    this.#options = options;
    this.server = options.server;
    this.site = options.site;
    this.#guestKey = options.guestKey;
    this.nickname = options.nickname;
  }

  /** The identity token this connection signs in with, if any. */
  get token(): string | undefined {
    return this.#options.token;
  }

  /** Opens the socket (idempotent); not after the server found this page outdated. */
  connect(): void {
    if (this.outdated) return;
    this.#ended = null;
    if (!this.#socket) this.#socket = this.#createSocket();
    if (!this.#socket.connected && !this.#socket.active) {
      this.#setState('connecting', null);
      this.#socket.connect();
    }
  }

  /** Closes the socket for good (until `connect()`). */
  disconnect(): void {
    this.#heartbeat?.stop();
    this.#socket?.disconnect();
    this.#setState('disconnected', null);
  }

  /**
   * The page woke up or came back online: check a live connection at once,
   * and retry a lost one now instead of after the current backoff.
   */
  wake(): void {
    if (this.state === 'connected') this.#heartbeat?.checkNow();
    else if (this.state === 'connecting' && this.#socket) {
      this.#socket.disconnect();
      this.#socket.connect();
    }
  }

  get connected(): boolean {
    return this.state === 'connected';
  }

  /**
   * Emits a request and waits for its ack. Never rejects: offline answers
   * `not_connected`, a missing ack `timeout`.
   */
  async request<K extends RequestEvent>(
    event: K,
    payload: RequestOf<K>,
    timeoutMs = this.#options.requestTimeoutMs ?? REQUEST_TIMEOUT_MS,
  ): Promise<ClientAck<ResultOf<K>>> {
    const socket = this.#socket;
    if (!socket?.connected) {
      return { ok: false, error: { code: 'not_connected', message: 'Not connected to the chat server.' } };
    }
    try {
      const timed = socket.timeout(timeoutMs) as unknown as {
        emitWithAck(ev: K, p: RequestOf<K>): Promise<ClientAck<ResultOf<K>>>;
      };
      return await timed.emitWithAck(event, payload);
    } catch {
      return socket.connected
        ? { ok: false, error: { code: 'timeout', message: 'The chat server did not answer in time.' } }
        : { ok: false, error: { code: 'not_connected', message: 'Not connected to the chat server.' } };
    }
  }

  /** Volatile typing flag (dropped when offline). */
  setTyping(req: TypingRequest): void {
    if (this.#socket?.connected) this.#socket.volatile.emit('typing:set', req);
  }

  /**
   * Swaps the token for a newer one of the same user without reconnecting
   * (`session:renew`); the role, name and end of the session follow it.
   */
  async renew(token: string): Promise<ClientAck<Renewal>> {
    const ack = await this.request('session:renew', { token });
    if (ack.ok && this.session) {
      this.#options.token = token;
      this.session = { ...this.session, ...ack.data };
      this.#setUser(ack.data.user);
      this.#scheduleExpiry(ack.data.expiresAt);
    }
    return ack;
  }

  /** Renames the user; on success the server also sends `user:updated` to every tab. */
  async rename(name: string): Promise<ClientAck<{ user: UserInfo }>> {
    const ack = await this.request('user:rename', { name });
    if (ack.ok) {
      this.nickname = ack.data.user.name;
      this.#setUser(ack.data.user);
    }
    return ack;
  }

  /** Counts views of a room; true when this is the first (so the caller joins). */
  retainRoom(room: string): boolean {
    const n = this.#rooms.get(room) ?? 0;
    this.#rooms.set(room, n + 1);
    return n === 0;
  }

  /** Releases a view of a room; true when it was the last (so the caller leaves). */
  releaseRoom(room: string): boolean {
    const n = (this.#rooms.get(room) ?? 1) - 1;
    if (n > 0) this.#rooms.set(room, n);
    else this.#rooms.delete(room);
    return n <= 0;
  }

  #startHeartbeat(): void {
    if (this.#heartbeat) return this.#heartbeat.start();
    void import('./heartbeat.js').then(({ Heartbeat, DEFAULT_HEARTBEAT }) => {
      this.#heartbeat ??= new Heartbeat(
        {
          ping: async (timeoutMs) => {
            const ack = await this.request('session:ping', {}, timeoutMs);
            return ack.ok || (ack.error.code !== 'timeout' && ack.error.code !== 'not_connected');
          },
          rtt: (ms) => {
            this.rtt = ms;
            this.emit('rtt', ms);
          },
          dead: () => this.#reconnectNow(),
        },
        this.#options.heartbeat ?? DEFAULT_HEARTBEAT,
      );
      // Connected still (not dropped while it loaded): it beats from now on.
      if (this.state === 'connected') this.#heartbeat.start();
    });
  }

  /** The link is dead though the socket does not know it yet (half-open): drop it and let Socket.IO reconnect. */
  #reconnectNow(): void {
    this.#setState('connecting', { code: 'timeout', message: 'The chat server stopped answering.' });
    // Closing the engine (not the socket) keeps Socket.IO's reconnection going.
    this.#socket?.io.engine?.close();
  }

  /** No retry can succeed until the page reloads: stop for good, and say so. */
  #outdate(socket: ChatSocket, error: ClientError): void {
    this.outdated = true;
    this.#heartbeat?.stop();
    socket.disconnect();
    this.#setState('error', error);
    this.emit('outdated');
  }

  #scheduleExpiry(serverExpiresAt: number | undefined): void {
    clearTimeout(this.#expiring);
    if (serverExpiresAt === undefined) return;
    const expiresAt = serverExpiresAt + this.#clockOffset;
    const left = expiresAt - Date.now();
    const delay = left - Math.min(RENEW_LEAD_MS, left / 2);
    // Beyond setTimeout's range (about 24 days) a timer would fire at once; the next session:ready schedules it.
    if (delay < 2 ** 31) this.#expiring = setTimeout(() => this.emit('expiring', expiresAt), delay);
  }

  #setState(state: ConnectionState, error: ClientError | null): void {
    if (state === this.state && error?.code === this.error?.code) return;
    this.state = state;
    this.error = error;
    if (state === 'connected') this.wasConnected = true;
    if (state !== 'connecting') {
      clearTimeout(this.#unreachableTimer);
      this.#unreachableTimer = undefined;
      this.unreachable = false;
    } else if (!this.#unreachableTimer && !this.unreachable) {
      this.#unreachableTimer = setTimeout(() => {
        this.unreachable = true;
        this.emit('state', this.state, this.error);
      }, this.#options.unreachableAfterMs ?? UNREACHABLE_AFTER_MS);
    }
    this.emit('state', state, error);
  }

  #setUser(user: UserInfo): void {
    const prev = this.user;
    this.user = user;
    if (!prev || prev.id !== user.id || prev.name !== user.name || prev.kind !== user.kind) this.emit('user', user);
  }

  /** The user's blocks changed: from `user:privacy` (any tab), or the answer of this tab's own change. */
  privacyChanged(privacy: Privacy): void {
    if (this.session) this.session = { ...this.session, privacy };
    this.emit('privacy', privacy);
  }

  #createSocket(): ChatSocket {
    const socket: ChatSocket = io(this.server + siteNamespace(this.site), {
      autoConnect: false,
      forceNew: true,
      // WebSocket only: every browser has it, and a cluster then needs no sticky sessions.
      transports: ['websocket'],
      parser: jsonParser,
      reconnectionDelayMax: this.#options.reconnectionDelayMax ?? 10_000,
      ...this.#options.socketOptions,
      auth: (cb) =>
        cb({
          protocol: PROTOCOL_VERSION,
          guestKey: this.#guestKey,
          ...(this.#options.lang ? { lang: this.#options.lang } : {}),
          ...(this.#options.token ? { token: this.#options.token } : this.nickname ? { nickname: this.nickname } : {}),
        }),
    });
    socket.on('connect', () => {
      this.rtt = null;
      this.#startHeartbeat();
      this.#setState('connected', null);
    });
    socket.on('connect_error', (err) => {
      const error = connectErrorToClientError(err);
      if (error.code === 'client_outdated') return this.#outdate(socket, error);
      this.#setState(socket.active ? 'connecting' : 'error', error);
    });
    socket.on('disconnect', () => {
      this.#heartbeat?.stop();
      clearTimeout(this.#expiring);
      // A ban ends the session for good (the server says why first): an error, not a reconnect.
      if (this.#ended) this.#setState('error', this.#ended);
      else this.#setState(socket.active ? 'connecting' : 'disconnected', null);
    });
    socket.on('session:ended', (reason) => (this.#ended = reason));
    socket.on('message:deleted', (d) => this.emit('deleted', d));
    socket.on('message:changed', (c) => this.emit('changed', c));
    socket.on('user:privacy', (p) => this.privacyChanged(p));
    socket.on('session:ready', (session) => {
      this.session = session;
      this.#clockOffset = Date.now() - session.serverTime;
      this.#scheduleExpiry(session.expiresAt);
      this.emit('session', session);
      this.#setUser(session.user);
    });
    socket.on('user:updated', (user) => this.#setUser(user));
    socket.on('message:new', (m) => this.emit('message', m));
    socket.on('presence:update', (p) => this.emit('presence', p, Date.now() - this.#clockOffset));
    socket.on('room:notice', (n) => this.emit('notice', n));
    socket.on('typing:update', (t) => this.emit('typing', t));
    socket.on('typing:summary', (t) => this.emit('typingSummary', t));
    socket.on('dm:new', (m) => this.emit('dm', m));
    return socket;
  }
}
