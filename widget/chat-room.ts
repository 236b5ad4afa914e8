import { LitElement, html, nothing } from 'lit';
import type { ChatMessage, EraseResult, UserId, UserInfo } from '../protocol/index.js';
import type { ConnectionState } from './client/link.js';
import { ChatRoomError, type ClientError } from './client/errors.js';
import styles from './chat-room.styles.js';
import { ColorSchemeController } from './controllers/color-scheme.js';
import { ComposerController } from './controllers/composer.js';
import { ConnectionController } from './controllers/connection.js';
import { FoldController } from './controllers/folds.js';
import { emit } from './controllers/host.js';
import { LiveRegionController } from './controllers/live-region.js';
import { PanelController } from './controllers/panels.js';
import { ScrollAnchorController } from './controllers/scroll-anchor.js';
import { defaultServer } from './defaults.js';
import { hasMessage, resolveLang, t, type MessageKey } from './i18n.js';
import { resolveRoom } from './room-name.js';
import { renderComposer, renderTyping, type Reason } from './views/composer.js';
import { renderHeader, renderRename } from './views/header.js';
import { renderMembers } from './views/members-panel.js';
import { buildTimeline, renderJump, renderMessageList } from './views/message-list.js';

/** How long the member list's Mute and Ban buttons silence or shut out a user. */
const MOD_DURATION_MS = { mute: 15 * 60_000, ban: 24 * 3600_000 };

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
  };

  static override get observedAttributes(): string[] {
    return [...super.observedAttributes, 'lang'];
  }

  // Controllers run in this order: the connection first (it settles which conversation is on screen),
  // the scroll position before fold measuring, the live region and focus, after all of them `updated()`.
  readonly #connection = new ConnectionController(this, this, {
    lang: () => this.#lang,
    roomStopped: () => this.#scroll.forgetPosition(),
    roomStarted: () => (this.#scroll.jumpVisible = false),
    detached: () => this.#scroll.forgetRendered(),
    rename: (name) => this.rename(name),
  });
  readonly #scroll: ScrollAnchorController = new ScrollAnchorController(this, () => this.#connection.current, () => this.#folds.reset());
  readonly #folds: FoldController = new FoldController(this, () => this.#scroll.list);
  readonly #live = new LiveRegionController(this, () => this.#connection.current, () => this.#scroll.renderedKey);
  readonly #panels = new PanelController(this, () => {
    if (!this.#connection.dmPeer) return false;
    this.closeDirect(false);
    return true;
  });
  readonly #composer = new ComposerController(this, {
    target: () => this.#connection.current,
    reason: () => this.#reason(),
    typing: (active) => {
      if (!this.#connection.dm) this.#connection.room?.setTyping(active);
    },
    sending: () => this.#scroll.stick(),
    resized: () => this.#scroll.keepEnd(),
    errorText: (e) => this.#errorText(e),
    reportError: (e) => this.#connection.reportError(e),
  });
  readonly #scheme = new ColorSchemeController(this);

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

  // ---- public read-only state ----

  /** `connecting`, `connected`, `disconnected` or `error`. */
  get connectionState(): ConnectionState {
    return this.#connection.conn?.state ?? 'disconnected';
  }

  /** Why the connection is in `error` (e.g. `{ code: 'unknown_site' }`), else null. */
  get connectionError(): ClientError | null {
    return this.#connection.conn?.error ?? null;
  }

  /** You, once the server has said who you are. */
  get user(): UserInfo | null {
    return this.#connection.conn?.user ?? null;
  }

  /** The room actually joined (resolves `auto`). */
  get roomName(): string {
    return resolveRoom(this.room, location.pathname);
  }

  /** People in the room right now. */
  get onlineCount(): number {
    return this.#connection.room?.presence?.count ?? 0;
  }

  /** Members of the room (up to `PRESENCE_LIST_MAX`, sorted by name). */
  get members(): UserInfo[] {
    return this.#connection.room?.presence?.members ?? [];
  }

  /**
   * Messages of others in the room you have not seen: missed while no tab of
   * yours was connected, or arrived while the page was hidden or the list was
   * scrolled up. Back to 0 once the end of the list is on screen.
   */
  get unread(): number {
    return this.#connection.room?.unread ?? 0;
  }

  /** True when more than `UNREAD_CAP` (99) were missed: `unread` is then a lower bound, shown as "99+". */
  get unreadCapped(): boolean {
    return this.#connection.room?.unreadCapped ?? false;
  }

  /** Round-trip time of the last heartbeat in ms (null while not connected). */
  get rtt(): number | null {
    const conn = this.#connection.conn;
    return conn?.state === 'connected' ? conn.rtt : null;
  }

  /** Messages of the room loaded so far, oldest first. */
  get messages(): ChatMessage[] {
    return this.#connection.room?.messages ?? [];
  }

  // ---- public methods ----

  /** Sends a message to the room. Rejects with an `Error` whose `code` is a protocol error code. */
  send(text: string): Promise<ChatMessage> {
    const room = this.#connection.room;
    if (!room) return Promise.reject(this.#connection.notConnected());
    this.#scroll.stick();
    return room.send(text);
  }

  /** (Re)connects after `disconnect()`. */
  connect(): void {
    this.#connection.manualOffline = false;
    this.requestUpdate();
  }

  /** Leaves the room and lets go of the connection (closed when no other element uses it). */
  disconnect(): void {
    this.#connection.manualOffline = true;
    this.#connection.detach();
    emit(this, 'chat-room-connection', { state: 'disconnected', error: null });
    this.requestUpdate();
  }

  /**
   * Moderators: erases a user for a privacy request (their messages become nameless tombstones, their private
   * conversations and profile are removed, their sessions end). Rejects with `forbidden` for others. Exporting
   * a user's data is the site owner's, through the admin API.
   */
  async eraseUser(userId: UserId): Promise<EraseResult> {
    return (await this.#connection.call('mod:erase', { userId })).erased;
  }

  /**
   * Signs in as the user of `token` without a reload. A newer token of the
   * signed-in user is swapped in on the live connection (nothing is reloaded);
   * another user's replaces the connection, and the previous user's messages
   * and pending sends leave the view.
   */
  identify(token: string): void {
    this.#connection.renew(token);
    this.userToken = token;
  }

  /** Back to being a guest: the signed-in user's messages and pending sends leave the view and are forgotten here. */
  logout(): void {
    this.userToken = undefined;
    this.removeAttribute('user-token');
  }

  /**
   * Changes your name for the whole site. Resolves with you as the server now knows you; rejects with an `Error`
   * whose `code` is `invalid_nickname`, `nickname_taken`, `forbidden` (signed-in users), `rate_limited` or `not_connected`.
   */
  async rename(name: string): Promise<UserInfo> {
    const conn = this.#connection.conn;
    if (!conn) throw this.#connection.notConnected();
    const ack = await conn.rename(name.trim());
    if (!ack.ok) throw new ChatRoomError(ack.error);
    return ack.data.user;
  }

  /** Opens the private conversation with a user of the site. */
  openDirect(peer: UserInfo): void {
    if (!this.#connection.openDirect(peer)) return;
    this.#panels.setOpener();
    this.#panels.closeAll();
    this.#panels.focusAfterUpdate('.input');
  }

  /** Goes back from a private conversation to the room. */
  closeDirect(focus = true): void {
    this.#connection.closeDirect();
    if (focus) this.#panels.focusAfterUpdate('.input');
  }

  // ---- lifecycle ----

  override connectedCallback(): void {
    super.connectedCallback();
    this.requestUpdate();
  }

  override attributeChangedCallback(name: string, old: string | null, value: string | null): void {
    super.attributeChangedCallback(name, old, value);
    if (name === 'lang') this.requestUpdate();
  }

  protected override updated(): void {
    this.#connection.announceUnread();
  }

  // ---- helpers ----

  get #lang(): string {
    return resolveLang(this);
  }

  /** The localised text of an error code. */
  #errorText(error: ClientError): string {
    return hasMessage(error.code) ? t(this.#lang, error.code as MessageKey, { site: this.site, room: this.roomName }) : error.message;
  }

  /** The count and members shown are the last ones seen before the connection dropped, not current. */
  get #presenceStale(): boolean {
    const room = this.#connection.room;
    return !!room?.presence && !room.presenceLive;
  }

  /** Why the composer cannot send right now, or null. */
  #reason(): Reason | null {
    const lang = this.#lang;
    const { conn, room, current: conv } = this.#connection;
    if (!conn) return { text: t(lang, 'disconnected'), connect: true };
    if (conn.state === 'error' && conn.error) return { text: this.#errorText(conn.error), error: true, fatal: true };
    const hint = ` ${t(lang, 'queueHint')}`;
    if (conn.state !== 'connected' && !this.#connection.online) return { text: t(lang, 'reasonOffline') + hint, queue: true };
    if (conn.state === 'connecting') {
      if (conn.unreachable) return { text: t(lang, 'unreachable') + hint, queue: true, retry: true };
      return conn.wasConnected ? { text: t(lang, 'reconnecting') + hint, queue: true } : { text: t(lang, 'connecting'), queue: true };
    }
    if (conn.state === 'disconnected') return { text: t(lang, 'disconnected'), connect: true };
    if (conv?.status === 'error' && conv.error) return { text: this.#errorText(conv.error), error: true, fatal: !!room && conv === room };
    if (conv?.status !== 'ready') return { text: t(lang, 'connecting'), queue: true };
    return null;
  }

  // ---- handlers ----

  #handleModeration(user: UserInfo, kind: 'mute' | 'ban'): void {
    this.#connection.call('mod:ban', { userId: user.id, kind, durationMs: MOD_DURATION_MS[kind] }).catch((e: ChatRoomError) => this.#connection.reportError(e));
  }

  #handleDelete = (messageId: string): void => {
    this.#connection.call('mod:delete', { room: this.roomName, messageId }).catch((e: ChatRoomError) => this.#connection.reportError(e));
  };

  #handleRetry = (clientId: string): void => {
    this.#scroll.stick();
    this.#connection.current?.retry(clientId).catch((e: ChatRoomError) => this.#connection.reportError(e));
  };

  #handleDiscard = (clientId: string): void => {
    this.#connection.current?.discard(clientId);
    this.#panels.focusAfterUpdate('.input');
  };

  #handleFold = (key: string, button: HTMLElement): void => {
    if (this.#folds.toggle(key, button)) this.#scroll.hold();
  };

  #handleJump(): void {
    this.#scroll.jump();
    this.#panels.focusAfterUpdate('.input');
  }

  async #handleRenameSubmit(e: SubmitEvent): Promise<void> {
    e.preventDefault();
    const input = (e.target as HTMLFormElement).querySelector('input')!;
    try {
      await this.rename(input.value);
      this.#panels.closeRename();
    } catch (err) {
      this.#panels.renameError = this.#errorText(err as ChatRoomError);
    }
  }

  // ---- rendering ----

  protected override render() {
    const lang = this.#lang;
    const { conn, room, current: conv, dmPeer } = this.#connection;
    const panels = this.#panels;
    const composer = this.#composer;
    const state = this.connectionState;
    const user = this.user;
    const stale = this.#presenceStale;
    return html`<div part="base" class="base ${this.#scheme.dark ? 'dark' : ''}" lang=${lang} @keydown=${(e: KeyboardEvent) => panels.handleEscape(e)}>
      ${renderHeader({
        lang,
        roomName: this.roomName,
        dmPeer,
        state,
        // A refused join is not "online": the header says why instead.
        refused: state === 'connected' && room?.status === 'error' && room.error ? this.#errorText(room.error) : null,
        unreachable: state === 'connecting' && !!conn?.unreachable,
        wasConnected: !!conn?.wasConnected,
        rtt: this.rtt,
        onlineCount: this.onlineCount,
        stale,
        membersOpen: panels.membersOpen,
        dmUnread: [...this.#connection.dmUnread.values()].reduce((a, b) => a + b, 0),
        user,
        back: () => this.closeDirect(),
        toggleMembers: () => panels.toggleMembers(),
        openRename: () => panels.openRename(),
      })}
      ${panels.renaming
        ? renderRename({
            lang,
            name: user?.name ?? '',
            error: panels.renameError,
            submit: (e) => void this.#handleRenameSubmit(e),
            cancel: () => panels.closeRename(),
          })
        : nothing}
      <div class="body">
        ${renderMessageList({
          lang,
          conv,
          items: conv
            ? buildTimeline(conv.messages, this.#connection.dm ? [] : (room?.notices ?? []), conv.pending, user?.id, conv.unread ? conv.readSeq : null)
            : [],
          label: dmPeer ? t(lang, 'dmTitle', { name: dmPeer.name }) : t(lang, 'messagesLabel', { room: this.roomName }),
          live: this.#live.live,
          inert: panels.membersOpen,
          scroll: () => this.#scroll.handleScroll(),
          timeline: {
            lang,
            online: state === 'connected',
            remove: this.#connection.moderator && !dmPeer ? this.#handleDelete : null,
            retry: this.#handleRetry,
            discard: this.#handleDiscard,
            overflows: this.#folds.overflows,
            unfolded: this.#folds.unfolded,
            toggleFold: this.#handleFold,
          },
        })}
        ${this.#scroll.jumpVisible && !panels.membersOpen ? renderJump(lang, conv, () => this.#handleJump()) : nothing}
        ${panels.membersOpen
          ? renderMembers({
              lang,
              roomName: this.roomName,
              members: this.members,
              count: this.onlineCount,
              stale,
              me: user?.id,
              dmUnread: this.#connection.dmUnread,
              moderator: this.#connection.moderator,
              openRename: () => panels.openRename(),
              openDirect: (peer) => this.openDirect(peer),
              ban: (u, kind) => this.#handleModeration(u, kind),
            })
          : nothing}
      </div>
      ${renderTyping(lang, this.#connection.dm ? [] : (room?.typing ?? []))}
      ${renderComposer({
        lang,
        reason: this.#reason(),
        draft: composer.draft,
        error: composer.error,
        dmPeer,
        input: composer.handleInput,
        keydown: composer.handleKeydown,
        send: composer.send,
        connect: () => this.connect(),
        retry: () => conn?.wake(),
      })}
    </div>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'chat-room': ChatRoom;
  }
}
