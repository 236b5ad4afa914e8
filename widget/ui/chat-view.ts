import { html, nothing } from 'lit/html.js';
import type { ChatMessage, EraseResult, UserId, UserInfo } from '../../protocol/index.js';
import type { ConnectionState } from '../client/link.js';
import type { RichConversation } from '../client/rich-conversation.js';
import { ChatRoomError, type ClientError } from '../client/errors.js';
import { ComposerController } from '../controllers/composer.js';
import { ConnectionController } from '../controllers/connection.js';
import { FoldController } from '../controllers/folds.js';
import { emit } from '../controllers/host.js';
import type { LiveRegionController } from '../controllers/live-region.js';
import { PanelController } from '../controllers/panels.js';
import { ScrollAnchorController } from '../controllers/scroll-anchor.js';
import { errorText, hasLanguage, loadErrors, loadLanguage, t } from '../i18n.js';
import { resolveRoom } from '../room-name.js';
import type { LangOf, ViewSettings } from './view-settings.js';
import { LazyPart } from './lazy-part.js';
import type { ViewMessageHooks } from './message-hooks.js';
import { ViewHost } from './view-host.js';
import { renderComposer, renderTyping, type Reason } from '../views/composer.js';
import { renderHeader } from '../views/header.js';
import { buildTimeline, renderMessageList } from '../views/message-list.js';


/**
 * The chat UI of one `<chat-room>`: rendered into the element's shadow root,
 * reading its settings from the element and dispatching the element's events
 * on it. The loader loads it when the chat is first shown (widget/ui/index.ts).
 */
export class ChatView extends ViewHost<ViewSettings> {
  readonly #langOf: LangOf;

  constructor(element: ViewSettings, container: HTMLElement | DocumentFragment, lang: LangOf) {
    super(element, container);
    this.#langOf = lang;
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
  /** Announces arriving messages: with the message hooks' part, for nothing arrives before the room is connected. */
  #live: LiveRegionController | undefined;
  readonly #panels = new PanelController(this, () => {
    if (!this.#connection.dmPeer) return false;
    this.closeDirect(false);
    return true;
  });
  readonly #composer = new ComposerController(this, {
    target: () => this.#connection.current,
    reason: () => this.#reason(),
    typing: (active) => {
      if (!this.#connection.dmPeer) this.#connection.room?.setTyping(active);
    },
    sending: () => this.#scroll.stick(),
    resized: () => this.#scroll.keepEnd(),
    errorText: (e) => this.#errorText(e),
    reportError: (e) => this.#connection.reportError(e),
  });
  readonly #memberList = new LazyPart(this, () => import('../views/members-panel.js'));
  readonly #renameForm = new LazyPart(this, () => import('../views/rename-form.js'));
  /** The words of notices and the typing line, loaded once the room has one. */
  readonly #activity = new LazyPart(this, () => import('../views/activity.js'));
  /** Formatting, avatars, quotes, reactions and message actions, loaded once connected (plain text until then). */
  readonly #rich = new LazyPart(this, () => import('../views/rich.js'), true);
  /** What messages' controls do (reply, react, edit, delete, block…), loaded with the rich renderers. */
  readonly #actions = new LazyPart(this, () => import('./message-hooks.js'), true);
  #hooks: ViewMessageHooks | undefined;


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

  // ---- the element's settings the connection follows ----

  get server(): string {
    return this.element.server;
  }

  get site(): string {
    return this.element.site;
  }

  get nickname(): string | undefined {
    return this.element.nickname;
  }

  get userToken(): string | undefined {
    return this.element.userToken;
  }

  /** The room joined: `room` with `auto` resolved from the page's path. */
  get roomName(): string {
    return resolveRoom(this.element.room, location.pathname);
  }

  /** People in the room right now. */
  get onlineCount(): number {
    return this.#connection.room?.presence?.count ?? 0;
  }

  /** Members of the room, sorted by name; empty in a big room (over 100, `members.length < onlineCount`), whose member panel pages them from the server. */
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

  /** Nothing of the visitor's would be lost by a reload: no draft, nothing waiting to be sent. */
  get idle(): boolean {
    return !this.#composer.draft.trim() && !this.#connection.current?.pending.length;
  }

  /** Messages of the room loaded so far, oldest first. */
  get messages(): ChatMessage[] {
    return this.#connection.room?.messages ?? [];
  }

  // ---- public methods ----

  /** Sends a message to the room (a reply to the message `replyTo`, if given). Rejects with an `Error` whose `code` is a protocol error code. */
  send(text: string, replyTo?: string): Promise<ChatMessage> {
    const room = this.#connection.room;
    if (!room) return Promise.reject(this.#connection.notConnected());
    this.#scroll.stick();
    return room.send(text, replyTo);
  }

  /** The room's reactions, edits, deletions and blocks (loaded on first use). */
  rich(): Promise<RichConversation> {
    return this.#connection.room?.loadRich() ?? Promise.reject(this.#connection.notConnected());
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
    this.element.userToken = token;
  }

  /** Back to being a guest: the signed-in user's messages and pending sends leave the view and are forgotten here. */
  logout(): void {
    this.element.userToken = undefined;
    this.element.removeAttribute('user-token');
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

  protected override updated(): void {
    this.#connection.announceUnread();
    // Connected, the texts of rare errors come too: a failed rename or send then reads in the page's language.
    if (this.connectionState === 'connected') loadErrors()?.catch(() => undefined);
  }

  // ---- helpers ----

  /** The UI language; one whose catalogue is not in yet renders again once it is. */
  get #lang(): string {
    const lang = this.#langOf();
    if (!hasLanguage(lang)) this.track(loadLanguage(lang));
    return lang;
  }

  /** The localised text of an error code; a rare one's, once their texts are in (the server's words until then). */
  #errorText(error: ClientError): string {
    const text = errorText(this.#lang, error.code, { site: this.site, room: this.roomName });
    const loading = text === undefined && loadErrors();
    if (loading) this.track(loading);
    return text ?? error.message;
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

  /** The hooks of messages' controls, once their part is in. */
  #messageHooks(): ViewMessageHooks | undefined {
    const part = this.#actions.loaded;
    if (part) this.#live ??= new part.LiveRegionController(this, () => this.#connection.current, () => this.#scroll.renderedKey);
    return (this.#hooks ??= part?.messageHooks({
      conversation: () => this.#connection.current,
      startReply: (m) => this.#composer.startReply(m),
      startEdit: (m) => this.#composer.startEdit(m),
      lang: () => this.#lang,
      failed: this.#composer.showError,
      leaveEnd: () => this.#scroll.hold(),
      moderatorDelete: (messageId) => this.#connection.call('mod:delete', { room: this.roomName, messageId }),
      view: this,
    }));
  }

  // ---- handlers ----

  #handleModeration(user: UserInfo, kind: 'mute' | 'ban', durationMs: number): void {
    this.#connection.call('mod:ban', { userId: user.id, kind, durationMs }).catch((e: ChatRoomError) => this.#connection.reportError(e));
  }

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

  protected render() {
    const lang = this.#lang;
    const { conn, room, current: conv, dmPeer } = this.#connection;
    const panels = this.#panels;
    const composer = this.#composer;
    const state = this.connectionState;
    const user = this.user;
    const stale = this.#presenceStale;
    const typing = dmPeer ? null : room?.typing;
    const activity = typing?.count || room?.notices.length ? this.#activity.get() : undefined;
    const late = state === 'connected' || !!conv?.messages.length;
    const actions = late ? this.#actions.get() : undefined;
    const hooks = this.#messageHooks();
    return html`<div part="base" class="base" lang=${lang} @keydown=${(e: KeyboardEvent) => panels.handleEscape(e)}>
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
        ? (this.#renameForm.get()?.renderRename({
            lang,
            name: user?.name ?? '',
            error: panels.renameError,
            submit: (e) => void this.#handleRenameSubmit(e),
            cancel: () => panels.closeRename(),
          }) ?? nothing)
        : nothing}
      <div class="body">
        ${renderMessageList({
          lang,
          conv,
          items: conv
            ? buildTimeline(conv.messages, dmPeer ? [] : (room?.notices ?? []), conv.pending, user?.id, conv.unread ? conv.readSeq : null)
            : [],
          label: dmPeer ? t(lang, 'dmTitle', { name: dmPeer.name }) : t(lang, 'messagesLabel', { room: this.roomName }),
          live: !!this.#live?.live,
          inert: panels.membersOpen,
          scroll: () => this.#scroll.handleScroll(),
          timeline: {
            lang,
            me: user?.id,
            ...hooks,
            rich: late ? this.#rich.get() : undefined,
            host: this,
            openDirect: (peer) => this.openDirect(peer),
            online: state === 'connected',
            remove: (this.#connection.moderator && !dmPeer && hooks?.remove) || null,
            retry: this.#handleRetry,
            discard: this.#handleDiscard,
            overflows: this.#folds.overflows,
            unfolded: this.#folds.unfolded,
            toggleFold: this.#handleFold,
            noticeText: activity?.noticeText,
          },
        })}
        ${this.#scroll.jumpVisible && !panels.membersOpen ? (actions?.renderJump(lang, conv, () => this.#handleJump()) ?? nothing) : nothing}
        ${panels.membersOpen
          ? (this.#memberList.get()?.renderMembers({
              lang,
              roomName: this.roomName,
              room,
              opened: panels.membersOpened,
              stale,
              me: user?.id,
              dmUnread: this.#connection.dmUnread,
              moderator: this.#connection.moderator,
              update: () => this.requestUpdate(),
              openRename: () => panels.openRename(),
              openDirect: (peer) => this.openDirect(peer),
              ban: (u, kind, durationMs) => this.#handleModeration(u, kind, durationMs),
            }) ?? nothing)
          : nothing}
      </div>
      ${renderTyping((typing && activity?.typingText(typing, lang, user?.id)) || '')}
      ${renderComposer({
        lang,
        reason: this.#reason(),
        draft: composer.draft,
        error: composer.error,
        dmPeer,
        above: composer.renderAbove(lang),
        attach: hooks?.attach(lang),
        input: composer.handleInput,
        keydown: composer.handleKeydown,
        emoji: composer.openEmoji,
        send: composer.send,
        connect: () => this.connect(),
        retry: () => conn?.wake(),
      })}
    </div>`;
  }
}
