import { LitElement, html, nothing, type PropertyValues } from 'lit';
import {
  UNREAD_CAP,
  type ChatMessage,
  type EraseResult,
  type UserId,
  type UserInfo,
} from '../protocol/index.js';
import type { Channel } from './client/channel.js';
import { normalizeServer, type Connection } from './client/connection.js';
import type { ConnectionState, RequestEvent, RequestOf, ResultOf } from './client/link.js';
import { acquireChannel, releaseChannel } from './client/registry.js';
import type { Conversation } from './client/conversation.js';
import { DirectSession } from './client/direct-session.js';
import { ChatRoomError, checkMessageText, type ClientError } from './client/errors.js';
import { RoomSession } from './client/room-session.js';
import { safeStorage } from './client/storage.js';
import styles from './chat-room.styles.js';
import { defaultServer } from './defaults.js';
import type { ChatRoomEventMap } from './events.js';
import { hasMessage, resolveLang, t, type MessageKey } from './i18n.js';
import { renderComposer, renderTyping, type Reason } from './views/composer.js';
import { renderHeader, renderRename } from './views/header.js';
import { renderMembers } from './views/members-panel.js';
import { buildTimeline, renderMessageList } from './views/message-list.js';
import { resolveRoom } from './room-name.js';

const storage = safeStorage(() => globalThis.localStorage);
const darkQuery = globalThis.matchMedia?.('(prefers-color-scheme: dark)');

/** How long the member list's Mute and Ban buttons silence or shut out a user. */
const MOD_DURATION_MS = { mute: 15 * 60_000, ban: 24 * 3600_000 };

/** Distance from the bottom (px) within which the list counts as "at the bottom". */
const BOTTOM_SLACK = 32;
/** Distance from the top (px) at which older history is fetched. */
const TOP_SLACK = 48;

/** "12"; "99+" (or "40+") when the count is a lower bound, the server having stopped counting. */
function unreadLabel({ unread, unreadCapped }: Conversation): string {
  return unreadCapped ? `${Math.min(unread, UNREAD_CAP)}+` : String(unread);
}

/**
 * A live chat room. One script tag and `<chat-room room="lobby"></chat-room>`.
 *
 * @summary Embeddable real-time chat room talking to a chat-room server over Socket.IO.
 *
 * @fires chat-room-message - A new live message arrived in the room (not history). `detail: { message, own }`.
 * @fires chat-room-connection - The connection state changed. `detail: { state, error }`.
 * @fires chat-room-presence - The room's members changed. `detail: { room, count, members }`.
 * @fires chat-room-user - Your own identity is known or changed (session start, rename). `detail: { user }`.
 * @fires chat-room-dm - A private message to this user arrived. `detail: { message }`.
 * @fires chat-room-error - A request failed (send, join, rename, connect). `detail: { code, message }`.
 * @fires chat-room-unread - The number of unread messages in the room changed. `detail: { room, count, capped }` (`capped`: show "99+").
 * @fires chat-room-token-expiring - The identity token ends the session soon (2 minutes before, or halfway for a shorter token): answer with `identify(newToken)`. `detail: { expiresAt }`.
 *
 * @csspart base - The outer frame.
 * @csspart header - The header bar.
 * @csspart title - The room name (or private chat title).
 * @csspart back - The "back to room" button of the private chat view.
 * @csspart online - The online-count button that toggles the member list.
 * @csspart status - The connection state (dot and text).
 * @csspart rtt - The round-trip time of the heartbeat, in the connection state: hidden unless the page shows it (`chat-room::part(rtt) { display: inline; }`).
 * @csspart user - Your name in the header (click to rename).
 * @csspart rename - The inline rename form.
 * @csspart members - The member list panel.
 * @csspart member - One member button in the member list.
 * @csspart mute - Moderators only: mutes a member for 15 minutes.
 * @csspart ban - Moderators only: bans a member for a day.
 * @csspart messages - The scrolling message list (`role="log"`).
 * @csspart load-older - The "load earlier messages" button.
 * @csspart day - A day separator.
 * @csspart notice - A system notice ("Alice joined").
 * @csspart message - A message (own messages also have `message-own`; pending/failed ones `message-sending`/`message-failed`).
 * @csspart author - A message's author name.
 * @csspart signed-in - The ✓ badge after the name of a signed-in user (not a guest), in messages and the member list.
 * @csspart time - A message's time.
 * @csspart text - A message's text bubble (a deleted message's also has `deleted`).
 * @csspart more - The "Show more" / "Show less" button under a long message, folded to its first lines.
 * @csspart delete - Moderators only: deletes a message.
 * @csspart unread-divider - "New messages": where the unread ones start.
 * @csspart delivery - The sending / failed line of an own message.
 * @csspart retry - Retry button of a failed message.
 * @csspart discard - Discard button of a failed message.
 * @csspart jump - The "new messages" button shown when scrolled up.
 * @csspart typing - The "Alice is typing…" line.
 * @csspart composer - The composer area.
 * @csspart input - The message textarea.
 * @csspart send - The send button.
 * @csspart composer-status - Why the composer cannot send, or the last error.
 *
 * @cssprop [--chat-room-accent=#2563eb] - Accent: buttons, own bubbles, links, focus ring.
 * @cssprop [--chat-room-accent-text=#ffffff] - Text on the accent color (`#16181c` in the dark theme).
 * @cssprop [--chat-room-background=#ffffff] - Background of the widget.
 * @cssprop [--chat-room-surface=#f1f3f5] - Raised surfaces: other people's bubbles, day separators, hover.
 * @cssprop [--chat-room-text=#1f2328] - Main text color.
 * @cssprop [--chat-room-muted=#5f6b76] - Secondary text: times, notices, typing line.
 * @cssprop [--chat-room-border=#dde1e6] - Borders and dividers.
 * @cssprop [--chat-room-own-background=var(--chat-room-accent)] - Your bubbles.
 * @cssprop [--chat-room-own-text=var(--chat-room-accent-text)] - Text in your bubbles.
 * @cssprop [--chat-room-other-background=var(--chat-room-surface)] - Other people's bubbles.
 * @cssprop [--chat-room-other-text=var(--chat-room-text)] - Text in other people's bubbles.
 * @cssprop [--chat-room-header-background=var(--chat-room-background)] - Header bar.
 * @cssprop [--chat-room-input-background=var(--chat-room-background)] - Text inputs.
 * @cssprop [--chat-room-success=#1a7f37] - "Connected" dot.
 * @cssprop [--chat-room-warning=#b35900] - "Connecting" dot.
 * @cssprop [--chat-room-danger=#cf222e] - Errors, failed messages, unread badges.
 * @cssprop [--chat-room-signed-in=var(--chat-room-success)] - The ✓ badge of signed-in users (guests have none).
 * @cssprop [--chat-room-focus-ring=0 0 0 3px (accent at 40%)] - Focus indicator (a box-shadow).
 * @cssprop [--chat-room-shadow=0 1px 3px #0001, 0 8px 24px #0001] - Outer shadow.
 * @cssprop [--chat-room-radius=12px] - Corner radius of the frame and bubbles.
 * @cssprop [--chat-room-spacing=8px] - Base spacing unit.
 * @cssprop [--chat-room-font=system-ui, …] - Font family.
 * @cssprop [--chat-room-font-size=15px] - Base font size (inputs never go below 16px, so iOS does not zoom).
 * @cssprop [--chat-room-width=auto] - Width of the element.
 * @cssprop [--chat-room-height=480px] - Height of the element (or set `height` on the element).
 * @cssprop [--chat-room-min-height=240px] - Minimum height.
 */
export class ChatRoom extends LitElement {
  static override styles = styles;

  // Declared without decorators: lit/decorators.js would cost ~0.6 KB gzip of the budget.
  static override properties = {
    server: { reflect: true },
    site: { reflect: true },
    room: { reflect: true },
    nickname: { reflect: true },
    // Not reflected: a token set as a property stays out of the DOM.
    userToken: { attribute: 'user-token' },
    theme: { reflect: true },
    dmPeer: { state: true },
    membersOpen: { state: true },
    renaming: { state: true },
    renameError: { state: true },
    draft: { state: true },
    composerError: { state: true },
    dmUnread: { state: true },
    jumpVisible: { state: true },
    liveRegion: { state: true },
    online: { state: true },
    prefersDark: { state: true },
  };

  /** Origin of the chat server. Defaults to the origin `chat-room.js` was loaded from, else the page's. */
  server: string = defaultServer();

  /** Site id registered on the server. */
  site = 'demo';

  /** Room name; `auto` gives every page its own room from its path (`page:/blog/post-1`). */
  room = 'lobby';

  /** Preferred nickname, sent when connecting; changing it renames you. */
  nickname: string | undefined;

  /**
   * Identity token signed by the site's backend (see docs/SECURITY.md): you are
   * then that user, with their name and role, instead of a guest. Changing it
   * (or calling `identify()` / `logout()`) reconnects as the new user.
   */
  userToken: string | undefined;

  /** Color theme: `light`, `dark` or `auto` (follows `prefers-color-scheme`). */
  theme: 'light' | 'dark' | 'auto' = 'auto';

  private dmPeer: UserInfo | null = null;
  private membersOpen = false;
  private renaming = false;
  private renameError = '';
  private draft = '';
  private composerError = '';
  private dmUnread: ReadonlyMap<string, number> = new Map();
  private jumpVisible = false;
  private liveRegion = false;
  private online = navigator.onLine;
  private prefersDark = darkQuery?.matches ?? false;

  #channel: Channel | null = null;
  #session: RoomSession | null = null;
  /** A token of the signed-in user that `session:renew` is swapping in. */
  #renewing: string | undefined;
  #dm: DirectSession | null = null;
  #connOffs: (() => void)[] = [];
  #sessionOffs: (() => void)[] = [];
  #dmOffs: (() => void)[] = [];
  #manualOffline = false;
  #atBottom = true;
  #stickToBottom = false;
  #renderedKey = '';
  #snapshot = { top: 0, height: 0, firstSeq: 0, lastKey: '' };
  #liveFrame = 0;
  /** A selector or an element to focus once rendered; '' for none, null for an unknown opener (the composer). */
  #focusAfterUpdate: string | HTMLElement | null = '';
  /** The control that opened the member list, rename form or private chat: Escape returns focus there. */
  #opener: HTMLElement | null = null;
  /** The conversation whose first full load was scrolled into place. */
  #positionedKey = '';
  #lastUnread = 0;
  #lastCapped = false;
  /** Long texts: measured (overflowing or not) and unfolded by the reader; see `TimelineContext`. */
  #overflows = new Map<string, boolean>();
  #unfolded = new Set<string>();
  #foldWidth = 0;
  /** A new width changes what fits: texts are measured again (a widget hidden at first measures once shown). */
  #resize = new ResizeObserver(([entry]) => {
    const width = entry!.contentRect.width;
    if (width === this.#foldWidth) return;
    this.#foldWidth = width;
    this.#overflows.clear();
    this.requestUpdate();
  });

  static override get observedAttributes(): string[] {
    return [...super.observedAttributes, 'lang'];
  }

  get #conn(): Connection | null {
    return this.#channel?.conn ?? null;
  }

  get #base(): HTMLElement | null {
    return this.renderRoot.querySelector('.base');
  }

  get #list(): HTMLElement | null {
    return this.renderRoot.querySelector('.messages');
  }

  get #input(): HTMLTextAreaElement | null {
    return this.renderRoot.querySelector('.input');
  }

  // ---- public read-only state ----

  /** `connecting`, `connected`, `disconnected` or `error`. */
  get connectionState(): ConnectionState {
    return this.#conn?.state ?? 'disconnected';
  }

  /** Why the connection is in `error` (e.g. `{ code: 'unknown_site' }`), else null. */
  get connectionError(): ClientError | null {
    return this.#conn?.error ?? null;
  }

  /** You, once the server has said who you are. */
  get user(): UserInfo | null {
    return this.#conn?.user ?? null;
  }

  /** The room actually joined (resolves `auto`). */
  get roomName(): string {
    return resolveRoom(this.room, location.pathname);
  }

  /** People in the room right now. */
  get onlineCount(): number {
    return this.#session?.presence?.count ?? 0;
  }

  /** Members of the room (up to `PRESENCE_LIST_MAX`, sorted by name). */
  get members(): UserInfo[] {
    return this.#session?.presence?.members ?? [];
  }

  /**
   * Messages of others in the room you have not seen: missed while no tab of
   * yours was connected, or arrived while the page was hidden or the list was
   * scrolled up. Back to 0 once the end of the list is on screen.
   */
  get unread(): number {
    return this.#session?.unread ?? 0;
  }

  /** True when more than `UNREAD_CAP` (99) were missed: `unread` is then a lower bound, shown as "99+". */
  get unreadCapped(): boolean {
    return this.#session?.unreadCapped ?? false;
  }

  /** Round-trip time of the last heartbeat in ms (null while not connected). */
  get rtt(): number | null {
    return this.#conn?.state === 'connected' ? this.#conn.rtt : null;
  }

  /** Messages of the room loaded so far, oldest first. */
  get messages(): ChatMessage[] {
    return this.#session?.messages ?? [];
  }

  // ---- public methods ----

  /** Sends a message to the room. Rejects with an `Error` whose `code` is a protocol error code. */
  send(text: string): Promise<ChatMessage> {
    if (!this.#session) return Promise.reject(this.#clientError('not_connected'));
    this.#stickToBottom = true;
    return this.#session.send(text);
  }

  /** (Re)connects after `disconnect()`. */
  connect(): void {
    this.#manualOffline = false;
    this.requestUpdate();
  }

  /** Leaves the room and lets go of the connection (closed when no other element uses it). */
  disconnect(): void {
    this.#manualOffline = true;
    this.#detach();
    this.#emitEvent('chat-room-connection', { state: 'disconnected', error: null });
    this.requestUpdate();
  }

  /**
   * Moderators: erases a user for a privacy request (their messages become nameless tombstones, their private
   * conversations and profile are removed, their sessions end). Rejects with `forbidden` for others. Exporting
   * a user's data is the site owner's, through the admin API.
   */
  async eraseUser(userId: UserId): Promise<EraseResult> {
    return (await this.#call('mod:erase', { userId })).erased;
  }

  /**
   * Signs in as the user of `token` without a reload. A newer token of the
   * signed-in user is swapped in on the live connection (nothing is reloaded);
   * another user's replaces the connection, and the previous user's messages
   * and pending sends leave the view.
   */
  identify(token: string): void {
    const conn = this.#conn;
    if (conn?.token && conn.connected && conn.token !== token) {
      // Kept on this connection while the server checks it; refused (another user), it reconnects.
      this.#renewing = token;
      void conn.renew(token).then(() => {
        this.#renewing = undefined;
        this.requestUpdate();
      });
    }
    this.userToken = token;
  }

  /** Back to being a guest: the signed-in user's messages and pending sends leave the view and are forgotten here. */
  logout(): void {
    this.userToken = undefined;
    this.removeAttribute('user-token');
  }

  async rename(name: string): Promise<UserInfo> {
    if (!this.#conn) throw this.#clientError('not_connected');
    const ack = await this.#conn.rename(name.trim());
    if (!ack.ok) throw new ChatRoomError(ack.error);
    return ack.data.user;
  }

  /** Opens the private conversation with a user of the site. */
  openDirect(peer: UserInfo): void {
    const channel = this.#channel;
    if (!channel || peer.id === channel.conn.user?.id) return;
    this.closeDirect(false);
    const dm = (this.#dm = new DirectSession(channel, peer));
    this.#dmOffs = [dm.on('change', () => this.requestUpdate()), dm.on('error', (e) => this.#reportError(e))];
    dm.start();
    this.#setOpener();
    this.dmPeer = peer;
    this.membersOpen = false;
    this.renaming = false;
    const dmUnread = new Map(this.dmUnread);
    dmUnread.delete(peer.id);
    this.dmUnread = dmUnread;
    this.#focusAfterUpdate = '.input';
  }

  /** Goes back from a private conversation to the room. */
  closeDirect(focus = true): void {
    for (const off of this.#dmOffs.splice(0)) off();
    this.#dm?.stop();
    this.#dm = null;
    this.dmPeer = null;
    if (focus) this.#focusAfterUpdate = '.input';
  }

  // ---- lifecycle ----

  override connectedCallback(): void {
    super.connectedCallback();
    addEventListener('online', this.#handleOnline);
    addEventListener('offline', this.#handleOnline);
    document.addEventListener('visibilitychange', this.#handleVisibility);
    globalThis.visualViewport?.addEventListener('resize', this.#handleViewport);
    darkQuery?.addEventListener('change', this.#handleScheme);
    this.requestUpdate();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    removeEventListener('online', this.#handleOnline);
    removeEventListener('offline', this.#handleOnline);
    document.removeEventListener('visibilitychange', this.#handleVisibility);
    globalThis.visualViewport?.removeEventListener('resize', this.#handleViewport);
    darkQuery?.removeEventListener('change', this.#handleScheme);
    cancelAnimationFrame(this.#liveFrame);
    this.#liveFrame = 0;
    this.#resize.disconnect();
    this.#foldWidth = 0;
    this.#detach();
  }

  override attributeChangedCallback(name: string, old: string | null, value: string | null): void {
    super.attributeChangedCallback(name, old, value);
    if (name === 'lang') this.requestUpdate();
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    this.#sync(changed);
    const conv = this.#current;
    if (!conv?.loaded || conv.loadingOlder || conv.key !== this.#renderedKey) this.liveRegion = false;
    const list = this.#list;
    if (list) {
      this.#snapshot.top = list.scrollTop;
      this.#snapshot.height = list.scrollHeight;
    }
  }

  protected override updated(): void {
    const list = this.#list;
    const conv = this.#current;
    if (list && conv) {
      this.#resize.observe(list);
      const snap = this.#snapshot;
      if (conv.key !== this.#renderedKey) {
        this.#renderedKey = conv.key;
        this.#unfolded.clear();
        this.#overflows.clear();
        list.scrollTop = list.scrollHeight;
        this.#atBottom = true;
        this.jumpVisible = false;
      } else if (snap.firstSeq && conv.log.firstSeq < snap.firstSeq) {
        // Older history was prepended: keep what the reader was looking at in place.
        list.scrollTop = list.scrollHeight - (snap.height - snap.top);
      } else if (this.#atBottom || this.#stickToBottom) {
        list.scrollTop = list.scrollHeight;
        this.#atBottom = true;
        this.jumpVisible = false;
      } else if (this.#lastItemKey(conv) !== snap.lastKey) {
        this.jumpVisible = true;
      }
      this.#stickToBottom = false;
      this.#measureFolds(list);
      if (conv.loaded && this.#positionedKey !== conv.key) {
        this.#positionedKey = conv.key;
        this.#showFirstUnread(list);
      }
      if (this.#atBottom && document.visibilityState === 'visible') conv.markRead();
      snap.firstSeq = conv.log.firstSeq;
      snap.lastKey = this.#lastItemKey(conv);
      if (!this.liveRegion && conv.loaded && !conv.loadingOlder && !this.#liveFrame) {
        // Turn the live region on only after the history is in the DOM, so it is not announced.
        this.#liveFrame = requestAnimationFrame(() => {
          this.#liveFrame = 0;
          const c = this.#current;
          if (c?.loaded && !c.loadingOlder) this.liveRegion = true;
        });
      }
    }
    const focus = this.#focusAfterUpdate;
    if (focus !== '') {
      // An opener gone meanwhile (or none: opened from code) hands focus to the composer.
      (typeof focus === 'string' ? this.renderRoot.querySelector<HTMLElement>(focus) : focus?.isConnected ? focus : this.#input)?.focus();
      this.#focusAfterUpdate = '';
    }
    const unread = this.unread;
    const capped = this.unreadCapped;
    if ((unread !== this.#lastUnread || capped !== this.#lastCapped) && this.#session) {
      this.#lastUnread = unread;
      this.#lastCapped = capped;
      this.#emitEvent('chat-room-unread', { room: this.#session.room, count: unread, capped });
    }
  }

  /** Texts rendered folded before anyone knew their height: the button shows on those that overflow. */
  #measureFolds(list: HTMLElement): void {
    const texts = list.clientHeight ? list.querySelectorAll<HTMLElement>('[data-fold]') : [];
    for (const text of texts) this.#overflows.set(text.dataset.fold!, text.scrollHeight > text.clientHeight);
    if (texts.length) this.requestUpdate();
  }

  /** On arrival with unread messages, the first of them goes to the top instead of scrolling past them. */
  #showFirstUnread(list: HTMLElement): void {
    const divider = list.querySelector('.unread-divider');
    if (!divider) return;
    list.scrollTop += divider.getBoundingClientRect().top - list.getBoundingClientRect().top - 4;
    this.#atBottom = list.scrollHeight - list.scrollTop - list.clientHeight < BOTTOM_SLACK;
    this.jumpVisible = !this.#atBottom;
  }

  // ---- connection wiring ----

  get #current(): Conversation | null {
    return this.#dm ?? this.#session;
  }

  get #lang_(): string {
    return resolveLang(this);
  }

  /** Makes the connection and room session match the attributes. */
  #sync(changed: PropertyValues<this>): void {
    if (!this.isConnected || this.#manualOffline) return this.#detach();
    const server = normalizeServer(this.server || defaultServer());
    const token = this.userToken || undefined;
    if (this.#conn && (this.#conn.server !== server || this.#conn.site !== this.site || (this.#conn.token !== token && (!token || token !== this.#renewing)))) {
      this.#detach();
    }
    if (!this.#channel) {
      const { conn } = (this.#channel = acquireChannel({ server, site: this.site, storage, nickname: this.nickname, lang: this.#lang_, token }));
      this.#connOffs = [
        conn.on('state', (state, error) => {
          this.#emitEvent('chat-room-connection', { state, error });
          if (state === 'error' && error) this.#emitEvent('chat-room-error', { code: error.code, message: error.message });
          this.requestUpdate();
        }),
        conn.on('user', (user) => {
          this.#emitEvent('chat-room-user', { user });
          this.requestUpdate();
        }),
        conn.on('dm', (m) => this.#handleDirect(m)),
        conn.on('rtt', () => this.requestUpdate()),
        conn.on('expiring', (expiresAt) => this.#emitEvent('chat-room-token-expiring', { expiresAt })),
      ];
      queueMicrotask(() => {
        if (this.#conn !== conn) return;
        this.#emitEvent('chat-room-connection', { state: conn.state, error: conn.error });
        if (conn.user) this.#emitEvent('chat-room-user', { user: conn.user });
      });
    } else if (changed.has('nickname') && this.nickname) {
      const conn = this.#channel.conn;
      if (conn.connected && this.nickname !== conn.user?.name) {
        this.rename(this.nickname).catch((e: ChatRoomError) => this.#reportError(e));
      } else conn.nickname = this.nickname;
    }
    const room = this.roomName;
    if (this.#session?.room !== room) {
      this.#stopSession();
      const s = (this.#session = new RoomSession(this.#channel, room));
      this.#sessionOffs = [
        s.on('change', () => this.requestUpdate()),
        s.on('message', (message) =>
          this.#emitEvent('chat-room-message', { message, own: message.from.id === this.#conn?.user?.id }),
        ),
        s.on('presence', (p) => this.#emitEvent('chat-room-presence', { room: p.room, count: p.count, members: p.members })),
        s.on('error', (e) => this.#reportError(e)),
      ];
      s.start();
      this.jumpVisible = false;
    }
  }

  #stopSession(): void {
    this.#positionedKey = '';
    for (const off of this.#sessionOffs.splice(0)) off();
    this.#session?.stop();
    this.#session = null;
  }

  #detach(): void {
    this.closeDirect(false);
    this.#stopSession();
    for (const off of this.#connOffs.splice(0)) off();
    if (this.#channel) releaseChannel(this.#channel);
    this.#channel = null;
    this.#renderedKey = '';
  }

  #emitEvent<K extends keyof ChatRoomEventMap>(type: K, detail: ChatRoomEventMap[K]['detail']): void {
    this.dispatchEvent(new CustomEvent(type, { detail, bubbles: true, composed: true }));
  }

  #clientError(code: 'not_connected'): ChatRoomError {
    return new ChatRoomError({ code, message: t(this.#lang_, code) });
  }

  #reportError(error: ClientError): void {
    this.#emitEvent('chat-room-error', { code: error.code, message: error.message });
  }

  /** The localised text of an error code. */
  #errorText(error: ClientError): string {
    return hasMessage(error.code)
      ? t(this.#lang_, error.code as MessageKey, { site: this.site, room: this.roomName })
      : error.message;
  }

  #lastItemKey(conv: Conversation | null): string {
    if (!conv) return '';
    const pending = conv.pending;
    return pending.length ? pending[pending.length - 1]!.clientId : (conv.messages[conv.messages.length - 1]?.id ?? '');
  }

  // ---- handlers ----

  #handleOnline = (): void => {
    this.online = navigator.onLine;
    if (this.online) this.#conn?.wake();
  };

  /** A tab coming back to the foreground checks its connection at once (it may have slept on a dead one). */
  #handleVisibility = (): void => {
    if (document.visibilityState !== 'visible') return;
    this.#conn?.wake();
    this.requestUpdate();
  };

  #handleScheme = (): void => {
    this.prefersDark = !!darkQuery?.matches;
  };

  /** Keeps the composer above the on-screen keyboard when the visual viewport shrinks. */
  #handleViewport = (): void => {
    const vv = globalThis.visualViewport;
    const base = this.#base;
    if (!vv || !base) return;
    const typing = this.shadowRoot?.activeElement === this.#input;
    if (typing && vv.height < innerHeight - 80) {
      const available = vv.offsetTop + vv.height - this.getBoundingClientRect().top;
      base.style.maxHeight = `${Math.max(160, Math.round(available))}px`;
    } else base.style.removeProperty('max-height');
    if (this.#atBottom && this.#list) this.#list.scrollTop = this.#list.scrollHeight;
  };

  #handleDirect(m: ChatMessage): void {
    const me = this.#conn?.user?.id;
    if (m.from.id === me) return;
    this.#emitEvent('chat-room-dm', { message: m });
    if (this.dmPeer?.id === m.from.id) return;
    this.dmUnread = new Map(this.dmUnread).set(m.from.id, (this.dmUnread.get(m.from.id) ?? 0) + 1);
  }

  #handleScroll(): void {
    const list = this.#list;
    if (!list) return;
    this.#atBottom = list.scrollHeight - list.scrollTop - list.clientHeight < BOTTOM_SLACK;
    if (this.#atBottom) {
      this.jumpVisible = false;
      if (document.visibilityState === 'visible') this.#current?.markRead();
    }
    if (list.scrollTop < TOP_SLACK) void this.#current?.loadOlder();
  }

  #handleJump(): void {
    this.#stickToBottom = true;
    this.jumpVisible = false;
    this.#focusAfterUpdate = '.input';
    this.requestUpdate();
  }

  #handleInput(e: InputEvent): void {
    const input = e.target as HTMLTextAreaElement;
    this.draft = input.value;
    this.composerError = '';
    if (!this.#dm) this.#session?.setTyping(input.value.trim() !== '');
    if (!CSS.supports('field-sizing', 'content')) {
      input.style.height = 'auto';
      input.style.height = `${input.scrollHeight + 2}px`;
    }
  }

  #handleKeydown(e: KeyboardEvent): void {
    if (e.key !== 'Enter' || e.shiftKey || e.isComposing || e.keyCode === 229) return;
    e.preventDefault();
    this.#handleSend();
  }

  #handleSend(): void {
    const conv = this.#current;
    const reason = this.#reason();
    if (!conv || (reason && !reason.queue)) return;
    const invalid = checkMessageText(this.draft);
    if (invalid) {
      if (invalid.code !== 'message_empty') this.composerError = this.#errorText(invalid);
      return;
    }
    const text = this.draft;
    this.draft = '';
    if (this.#input) {
      this.#input.value = '';
      this.#input.style.removeProperty('height');
    }
    this.#stickToBottom = true;
    conv.send(text).catch((e: ChatRoomError) => {
      this.composerError = this.#errorText(e);
      this.#reportError(e);
    });
  }

  #handleRetry = (clientId: string): void => {
    this.#stickToBottom = true;
    this.#current?.retry(clientId).catch((e: ChatRoomError) => this.#reportError(e));
  };

  #toggleFold = (key: string, button: HTMLElement): void => {
    const folding = this.#unfolded.delete(key);
    if (!folding) {
      this.#unfolded.add(key);
      // Stay where the reader is: the text grows downwards.
      this.#atBottom = false;
    }
    this.requestUpdate();
    // Folding pulls the button up, maybe out of view.
    if (folding) void this.updateComplete.then(() => button.scrollIntoView({ block: 'nearest' }));
  };

  #handleDiscard = (clientId: string): void => {
    this.#current?.discard(clientId);
    this.#focusAfterUpdate = '.input';
  };

  /** Remembers the focused control as the opener; a member button leaves with its list, whose opener stays. */
  #setOpener(): void {
    const at = this.shadowRoot!.activeElement as HTMLElement | null;
    if (!at?.closest('.panel')) this.#opener = at;
  }

  #toggleMembers(): void {
    this.#setOpener();
    this.membersOpen = !this.membersOpen;
    this.renaming = false;
    this.#focusAfterUpdate = this.membersOpen ? '[part="member"]' : '';
  }

  #openRename(): void {
    this.#setOpener();
    this.renaming = true;
    this.renameError = '';
    this.membersOpen = false;
    this.#focusAfterUpdate = '.rename input';
  }

  #closeRename(): void {
    this.renaming = false;
    this.#focusAfterUpdate = this.#opener;
  }

  async #handleRenameSubmit(e: SubmitEvent): Promise<void> {
    e.preventDefault();
    const input = (e.target as HTMLFormElement).querySelector('input')!;
    try {
      await this.rename(input.value);
      this.#closeRename();
    } catch (err) {
      this.renameError = this.#errorText(err as ChatRoomError);
    }
  }

  /** Escape, anywhere in the widget, closes the top layer (rename form or member list, then a private chat). */
  #handleEscape(e: KeyboardEvent): void {
    if (e.key !== 'Escape' || e.isComposing) return;
    if (this.renaming) this.renaming = false;
    else if (this.membersOpen) this.membersOpen = false;
    else if (this.dmPeer) this.closeDirect(false);
    else return;
    // Handled: a dialog around the widget stays open.
    e.preventDefault();
    e.stopPropagation();
    this.#focusAfterUpdate = this.#opener;
  }

  // ---- rendering ----

  /** Why the composer cannot send right now, or null. */
  #reason(): Reason | null {
    const lang = this.#lang_;
    const conn = this.#conn;
    if (!conn) return { text: t(lang, 'disconnected'), connect: true };
    if (conn.state === 'error' && conn.error) return { text: this.#errorText(conn.error), error: true, fatal: true };
    const hint = ` ${t(lang, 'queueHint')}`;
    if (conn.state !== 'connected' && !this.online) return { text: t(lang, 'reasonOffline') + hint, queue: true };
    if (conn.state === 'connecting') {
      if (conn.unreachable) return { text: t(lang, 'unreachable') + hint, queue: true, retry: true };
      return conn.wasConnected ? { text: t(lang, 'reconnecting') + hint, queue: true } : { text: t(lang, 'connecting'), queue: true };
    }
    if (conn.state === 'disconnected') return { text: t(lang, 'disconnected'), connect: true };
    const conv = this.#current;
    if (conv?.status === 'error' && conv.error) return { text: this.#errorText(conv.error), error: true, fatal: !!this.#session && conv === this.#session };
    if (conv?.status !== 'ready') return { text: t(lang, 'connecting'), queue: true };
    return null;
  }

  /** The count and members shown are the last ones seen before the connection dropped, not current. */
  get #presenceStale(): boolean {
    return !!this.#session?.presence && !this.#session.presenceLive;
  }

  /** Moderators (by their token's role) see delete, mute and ban. */
  get #moderator(): boolean {
    return this.#conn?.session?.role === 'moderator';
  }

  /** A request that answers its data, or throws a `ChatRoomError`. */
  async #call<K extends RequestEvent>(event: K, payload: RequestOf<K>): Promise<ResultOf<K>> {
    const ack = this.#conn ? await this.#conn.request(event, payload) : null;
    if (!ack) throw this.#clientError('not_connected');
    if (!ack.ok) throw new ChatRoomError(ack.error);
    return ack.data;
  }

  #ban(user: UserInfo, kind: 'mute' | 'ban'): void {
    this.#call('mod:ban', { userId: user.id, kind, durationMs: MOD_DURATION_MS[kind] }).catch((e: ChatRoomError) => this.#reportError(e));
  }

  #remove = (messageId: string): void => {
    this.#call('mod:delete', { room: this.roomName, messageId }).catch((e: ChatRoomError) => this.#reportError(e));
  };

  protected override render() {
    const lang = this.#lang_;
    const dark = this.theme === 'dark' || (this.theme !== 'light' && this.prefersDark);
    const conn = this.#conn;
    const session = this.#session;
    const conv = this.#current;
    const state = this.connectionState;
    const user = this.user;
    const stale = this.#presenceStale;
    const dmPeer = this.dmPeer;
    return html`<div part="base" class="base ${dark ? 'dark' : ''}" lang=${lang} @keydown=${this.#handleEscape}>
      ${renderHeader({
        lang,
        roomName: this.roomName,
        dmPeer,
        state,
        // A refused join is not "online": the header says why instead.
        refused: state === 'connected' && session?.status === 'error' && session.error ? this.#errorText(session.error) : null,
        unreachable: state === 'connecting' && !!conn?.unreachable,
        wasConnected: !!conn?.wasConnected,
        rtt: this.rtt,
        onlineCount: this.onlineCount,
        stale,
        membersOpen: this.membersOpen,
        dmUnread: [...this.dmUnread.values()].reduce((a, b) => a + b, 0),
        user,
        back: () => this.closeDirect(),
        toggleMembers: () => this.#toggleMembers(),
        openRename: () => this.#openRename(),
      })}
      ${this.renaming
        ? renderRename({
            lang,
            name: user?.name ?? '',
            error: this.renameError,
            submit: (e) => void this.#handleRenameSubmit(e),
            cancel: () => this.#closeRename(),
          })
        : nothing}
      <div class="body">
        ${renderMessageList({
          lang,
          conv,
          items: conv
            ? buildTimeline(conv.messages, this.#dm ? [] : (session?.notices ?? []), conv.pending, user?.id, conv.unread ? conv.readSeq : null)
            : [],
          label: dmPeer ? t(lang, 'dmTitle', { name: dmPeer.name }) : t(lang, 'messagesLabel', { room: this.roomName }),
          live: this.liveRegion,
          inert: this.membersOpen,
          scroll: () => this.#handleScroll(),
          timeline: {
            lang,
            online: state === 'connected',
            remove: this.#moderator && !dmPeer ? this.#remove : null,
            retry: this.#handleRetry,
            discard: this.#handleDiscard,
            overflows: this.#overflows,
            unfolded: this.#unfolded,
            toggleFold: this.#toggleFold,
          },
        })}
        ${this.jumpVisible && !this.membersOpen
          ? html`<button part="jump" class="jump" type="button" @click=${this.#handleJump}>
              ${conv?.unread ? t(lang, 'newCount', { count: unreadLabel(conv) }) : t(lang, 'newMessages')} ↓
            </button>`
          : nothing}
        ${this.membersOpen
          ? renderMembers({
              lang,
              roomName: this.roomName,
              members: this.members,
              count: this.onlineCount,
              stale,
              me: user?.id,
              dmUnread: this.dmUnread,
              moderator: this.#moderator,
              openRename: () => this.#openRename(),
              openDirect: (peer) => this.openDirect(peer),
              ban: (u, kind) => this.#ban(u, kind),
            })
          : nothing}
      </div>
      ${renderTyping(lang, this.#dm ? [] : (session?.typing ?? []))}
      ${renderComposer({
        lang,
        reason: this.#reason(),
        draft: this.draft,
        error: this.composerError,
        dmPeer,
        input: (e) => this.#handleInput(e),
        keydown: (e) => this.#handleKeydown(e),
        send: () => this.#handleSend(),
        connect: () => this.connect(),
        retry: () => this.#conn?.wake(),
      })}
    </div>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'chat-room': ChatRoom;
  }
}
