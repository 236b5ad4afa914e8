/**
 * Connection wiring: makes the shared connection and the room's conversation
 * match the element's settings before every render, opens and closes the
 * private chat, and turns what they report into the element's events.
 */
import type { ReactiveController } from 'lit';
import type { ChatMessage, UserInfo } from '../../protocol/index.js';
import type { Channel } from '../client/channel.js';
import { normalizeServer, type Connection } from '../client/connection.js';
import type { Conversation } from '../client/conversation.js';
import type { DirectConversation } from '../client/direct-conversation.js';
import { ChatRoomError, type ClientError } from '../client/errors.js';
import type { RequestEvent, RequestOf, ResultOf } from '../client/link.js';
import { acquireChannel, releaseChannel } from '../client/registry.js';
import { RoomConversation } from '../client/room-conversation.js';
import { safeStorage } from '../client/storage.js';
import { defaultServer } from '../defaults.js';
import { t } from '../i18n.js';
import { emit, type ChatHost } from './host.js';

const storage = safeStorage(() => globalThis.localStorage);

/** The element's settings the connection follows. */
export interface ConnectionSettings {
  readonly server: string;
  readonly site: string;
  readonly nickname: string | undefined;
  readonly userToken: string | undefined;
  /** The room to join (`auto` resolved). */
  readonly roomName: string;
}

/** What the rest of the element does when the room or the connection goes. */
export interface ConnectionHooks {
  /** The UI language, for guest names and error texts. */
  lang(): string;
  /** The room's conversation stopped (room changed or connection let go). */
  roomStopped(): void;
  /** Another room's conversation started. */
  roomStarted(): void;
  /** The connection was let go. */
  detached(): void;
  /** Changing `nickname` renames you once connected. */
  rename(name: string): Promise<unknown>;
}

export class ConnectionController implements ReactiveController {
  /** The peer of the private chat on screen, or null. */
  dmPeer: UserInfo | null = null;
  /** Unread private messages by sender, for the chats not on screen. */
  dmUnread: ReadonlyMap<string, number> = new Map();
  /** The browser's idea of being online (`navigator.onLine`). */
  online = navigator.onLine;
  /** Left by `disconnect()`: stays away until `connect()`. */
  manualOffline = false;

  readonly #host: ChatHost & { track(loading: Promise<unknown>): void };
  readonly #settings: ConnectionSettings;
  readonly #hooks: ConnectionHooks;
  #channel: Channel | null = null;
  #room: RoomConversation | null = null;
  #dm: DirectConversation | null = null;
  /** A token of the signed-in user that `session:renew` is swapping in. */
  #renewing: string | undefined;
  #nickname: string | undefined;
  #connOffs: (() => void)[] = [];
  #roomOffs: (() => void)[] = [];
  #dmOffs: (() => void)[] = [];
  #lastUnread = 0;
  #lastCapped = false;

  constructor(host: ChatHost & { track(loading: Promise<unknown>): void }, settings: ConnectionSettings, hooks: ConnectionHooks) {
    this.#host = host;
    this.#settings = settings;
    this.#hooks = hooks;
    host.addController(this);
  }

  get conn(): Connection | null {
    return this.#channel?.conn ?? null;
  }

  /** The room's conversation. */
  get room(): RoomConversation | null {
    return this.#room;
  }

  /** The private conversation on screen, or null. */
  get dm(): DirectConversation | null {
    return this.#dm;
  }

  /** The conversation on screen: the private chat if one is open (null while its module loads), else the room. */
  get current(): Conversation | null {
    return this.dmPeer ? this.#dm : this.#room;
  }

  /** Moderators (by their token's role) see delete, mute and ban. */
  get moderator(): boolean {
    return this.conn?.session?.role === 'moderator';
  }

  hostConnected(): void {
    addEventListener('online', this.#handleOnline);
    addEventListener('offline', this.#handleOnline);
    document.addEventListener('visibilitychange', this.#handleVisibility);
  }

  hostDisconnected(): void {
    removeEventListener('online', this.#handleOnline);
    removeEventListener('offline', this.#handleOnline);
    document.removeEventListener('visibilitychange', this.#handleVisibility);
    this.detach();
  }

  hostUpdate(): void {
    this.#sync();
  }

  /** Once the list has been read (after every controller's `hostUpdated`): `chat-room-unread` when the count changed. */
  announceUnread(): void {
    const room = this.#room;
    const unread = room?.unread ?? 0;
    const capped = room?.unreadCapped ?? false;
    if ((unread !== this.#lastUnread || capped !== this.#lastCapped) && room) {
      this.#lastUnread = unread;
      this.#lastCapped = capped;
      emit(this.#host, 'chat-room-unread', { room: room.room, count: unread, capped });
    }
  }

  /** A signed-in user's new token is tried on the live connection first (the next `userToken` then keeps it). */
  renew(token: string): void {
    const conn = this.conn;
    if (!(conn?.token && conn.connected && conn.token !== token)) return;
    // Kept on this connection while the server checks it; refused (another user), it reconnects.
    this.#renewing = token;
    void conn.renew(token).then(() => {
      this.#renewing = undefined;
      this.#host.requestUpdate();
    });
  }

  /**
   * Opens the private conversation with `peer`; false when there is no connection or it is you. Private chats
   * are a part of their own (not in what a room loads before it connects): until it is in, none is on screen.
   */
  openDirect(peer: UserInfo): boolean {
    const channel = this.#channel;
    if (!channel || peer.id === channel.conn.user?.id) return false;
    this.closeDirect();
    this.dmPeer = peer;
    const dmUnread = new Map(this.dmUnread);
    dmUnread.delete(peer.id);
    this.dmUnread = dmUnread;
    this.#host.requestUpdate();
    this.#host.track(
      import('../client/direct-conversation.js').then(({ DirectConversation }) => {
        if (this.dmPeer !== peer || this.#channel !== channel) return;
        const dm = (this.#dm = new DirectConversation(channel, peer));
        this.#dmOffs = [dm.on('change', () => this.#host.requestUpdate()), dm.on('error', (e) => this.reportError(e))];
        dm.start();
        this.#host.requestUpdate();
      }, (error: unknown) => {
        // A chunk that failed to load (a network blip): back to the room, where the next opening tries again.
        if (this.dmPeer === peer) this.closeDirect();
        throw error;
      }),
    );
    return true;
  }

  closeDirect(): void {
    for (const off of this.#dmOffs.splice(0)) off();
    this.#dm?.stop();
    this.#dm = null;
    if (this.dmPeer) {
      this.dmPeer = null;
      this.#host.requestUpdate();
    }
  }

  /** A request that answers its data, or throws a `ChatRoomError`. */
  async call<K extends RequestEvent>(event: K, payload: RequestOf<K>): Promise<ResultOf<K>> {
    const ack = this.conn ? await this.conn.request(event, payload) : null;
    if (!ack) throw this.notConnected();
    if (!ack.ok) throw new ChatRoomError(ack.error);
    return ack.data;
  }

  notConnected(): ChatRoomError {
    return new ChatRoomError({ code: 'not_connected', message: t(this.#hooks.lang(), 'not_connected') });
  }

  reportError(error: ClientError): void {
    emit(this.#host, 'chat-room-error', { code: error.code, message: error.message });
  }

  /** Leaves the room and lets go of the connection. */
  detach(): void {
    this.closeDirect();
    this.#stopRoom();
    for (const off of this.#connOffs.splice(0)) off();
    if (this.#channel) releaseChannel(this.#channel);
    this.#channel = null;
    this.#hooks.detached();
  }

  /** Makes the connection and the room's conversation match the settings. */
  #sync(): void {
    if (!this.#host.isConnected || this.manualOffline) return this.detach();
    const { site, nickname, userToken, roomName } = this.#settings;
    const server = normalizeServer(this.#settings.server || defaultServer());
    const token = userToken || undefined;
    const current = this.conn;
    if (current && (current.server !== server || current.site !== site || (current.token !== token && (!token || token !== this.#renewing)))) {
      this.detach();
    }
    if (!this.#channel) {
      const { conn } = (this.#channel = acquireChannel({ server, site, storage, nickname, lang: this.#hooks.lang(), token }));
      // A channel another element opened (a launcher's badge, without a nickname) gets ours by a rename below.
      this.#nickname = conn.nickname === nickname ? nickname : undefined;
      this.#connOffs = [
        conn.on('state', (state, error) => {
          emit(this.#host, 'chat-room-connection', { state, error });
          if (state === 'error' && error) this.reportError(error);
          this.#host.requestUpdate();
        }),
        conn.on('user', (user) => {
          emit(this.#host, 'chat-room-user', { user });
          this.#host.requestUpdate();
        }),
        conn.on('dm', (m) => this.#handleDirect(m)),
        conn.on('rtt', () => this.#host.requestUpdate()),
        conn.on('expiring', (expiresAt) => emit(this.#host, 'chat-room-token-expiring', { expiresAt })),
      ];
      queueMicrotask(() => {
        if (this.conn !== conn) return;
        emit(this.#host, 'chat-room-connection', { state: conn.state, error: conn.error });
        if (conn.user) emit(this.#host, 'chat-room-user', { user: conn.user });
      });
    } else if (nickname !== this.#nickname) {
      this.#nickname = nickname;
      const conn = this.#channel.conn;
      if (nickname && conn.connected && nickname !== conn.user?.name) {
        this.#hooks.rename(nickname).catch((e: ChatRoomError) => this.reportError(e));
      } else if (nickname) conn.nickname = nickname;
    }
    if (this.#room?.room !== roomName) {
      this.#stopRoom();
      const room = (this.#room = new RoomConversation(this.#channel, roomName));
      this.#roomOffs = [
        room.on('change', () => this.#host.requestUpdate()),
        room.on('message', (message, replayed) => {
          const me = this.conn?.user?.id;
          const own = message.from.id === me;
          emit(this.#host, 'chat-room-message', { message, own, replayed });
          if (!own && message.mentions?.some((u) => u.id === me)) emit(this.#host, 'chat-room-mention', { message, replayed });
        }),
        room.on('presence', (p) => emit(this.#host, 'chat-room-presence', { room: p.room, count: p.count, members: p.members })),
        room.on('error', (e) => this.reportError(e)),
      ];
      room.start();
      this.#hooks.roomStarted();
    }
  }

  #stopRoom(): void {
    this.#hooks.roomStopped();
    for (const off of this.#roomOffs.splice(0)) off();
    this.#room?.stop();
    this.#room = null;
  }

  #handleDirect(m: ChatMessage): void {
    if (m.from.id === this.conn?.user?.id) return;
    emit(this.#host, 'chat-room-dm', { message: m });
    if (this.dmPeer?.id === m.from.id) return;
    this.dmUnread = new Map(this.dmUnread).set(m.from.id, (this.dmUnread.get(m.from.id) ?? 0) + 1);
    this.#host.requestUpdate();
  }

  #handleOnline = (): void => {
    this.online = navigator.onLine;
    this.#host.requestUpdate();
    if (this.online) this.conn?.wake();
  };

  /** A tab coming back to the foreground checks its connection at once (it may have slept on a dead one). */
  #handleVisibility = (): void => {
    if (document.visibilityState !== 'visible') return;
    this.conn?.wake();
    this.#host.requestUpdate();
  };
}
