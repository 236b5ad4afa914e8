import type { ChatMessage, EraseResult, MessageDeleted, Privacy, UserId, UserInfo } from '../protocol/index.js';
import type { ConnectionState } from './client/connection.js';
import type { ClientError } from './client/errors.js';
import type { RichConversation } from './client/rich-conversation.js';
import { sheet } from './css.js';
import { defaultServer } from './defaults.js';
import type { ChatRoomEventMap } from './events.js';
import { resolveLang, uiLanguage } from './lang.js';
import type { Notifier } from './notify/index.js';
import { loadBadge, loadClient, loadLauncher, loadNotify, loadOutdated, loadUi } from './parts.js';
import { frameCss } from './shell/frame.js';
import { whenIdle } from './shell/idle.js';
import type { LauncherMode } from './launcher/index.js';
import type { ChatView } from './ui/chat-view.js';

let frameSheet: CSSStyleSheet | undefined;
/** The elements on the page: a reload for an outdated widget waits until none of them has anything to lose. */
const live = new Set<ChatRoom>();
/**
 * A live chat room. One script tag and `<chat-room room="lobby"></chat-room>`.
 *
 * The element is defined by the small loader `chat-room.js`, which draws the
 * frame at once and loads the chat itself from content-hashed chunks. Until
 * they are in, the API already works: properties read as empty, `send()` and
 * the other requests wait for the chat, events fire once there is something
 * to say; `updateComplete` settles when the chat is rendered.
 *
 * @summary Embeddable real-time chat room talking to a chat-room server over Socket.IO.
 * @tag chat-room
 *
 * @attr server - Origin of the chat server (default: where `chat-room.js` came from).
 * @attr site - Site id registered on the server (default `demo`).
 * @attr room - Room name (default `lobby`); `auto` gives every page its own room.
 * @attr nickname - Preferred nickname.
 * @attr user-token - Identity token signed by the site's backend.
 * @attr theme - `light`, `dark` or `auto` (default).
 * @attr lang - UI language (else the nearest `lang` up the page, else the browser's).
 * @attr mode - `inline` (default) or `launcher` (a floating button that opens the chat in a panel).
 * @attr open - Launcher mode: the panel is open (remembered per site across page loads).
 * @attr title-badge - The unread count in the page title while the page is hidden.
 * @attr sound - A chime for new messages while the page is hidden.
 * @attr notify - Desktop notifications (permission asked on a click in the widget).
 * @attr connect - Launcher mode: `load` (default; once the page is idle, for the badge) or `open` (not before the first open).
 *
 * @fires chat-room-message - A new message arrived in the room (not history). `detail: { message, own, replayed }` (`replayed`: missed while disconnected, filled in after the reconnect).
 * @fires chat-room-connection - The connection state changed. `detail: { state, error }`.
 * @fires chat-room-presence - The room's members changed (at most 4 times a second). `detail: { room, count, members }`; `members` is empty in a big room (over 100).
 * @fires chat-room-user - Your own identity is known or changed (session start, rename). `detail: { user }`.
 * @fires chat-room-dm - A private message to this user arrived. `detail: { message }`.
 * @fires chat-room-mention - A message of someone else that mentions you arrived in the room (also a `chat-room-message`). `detail: { message, replayed }`.
 * @fires chat-room-error - A request failed (send, join, rename, connect). `detail: { code, message }`.
 * @fires chat-room-unread - The number of unread messages in the room changed. `detail: { room, count, capped }` (`capped`: show "99+").
 * @fires chat-room-open - Launcher mode: the panel opened. `detail: { restored }` (true: it was open on the last page load).
 * @fires chat-room-close - Launcher mode: the panel closed. `detail: { restored }` (always false).
 * @fires chat-room-outdated - The server refused this page's widget as too old (`client_outdated`): dispatched (cancelable) just before the widget reloads the page, the next time the page is hidden with nothing typed or waiting to be sent. `preventDefault()` to reload yourself.
 * @fires chat-room-token-expiring - The identity token ends the session soon (2 minutes before, or halfway for a shorter token): answer with `identify(newToken)`. `detail: { expiresAt }`.
 *
 * @csspart base - The outer frame (drawn by the loader at once, then the chat's).
 * @csspart header - The header bar.
 * @csspart title - The room name (or private chat title).
 * @csspart back - The "back to room" button of the private chat view.
 * @csspart online - The online-count button that toggles the member list.
 * @csspart status - The connection state (dot and text).
 * @csspart rtt - The round-trip time of the heartbeat, in the connection state: hidden unless the page shows it (`chat-room::part(rtt) { display: inline; }`).
 * @csspart user - Your name in the header (click to rename).
 * @csspart rename - The inline rename form.
 * @csspart members - The member list panel.
 * @csspart member-search - A big room's member list: the search box (finds members by the beginning of their name).
 * @csspart member-list - The list of members in the panel.
 * @csspart member - One member button in the member list.
 * @csspart members-status - A big room's member list: "Loading…", "Nobody by that name is here.", or why the list failed.
 * @csspart load-more - A big room's member list: "Show more people" (the next page; scrolling to the end loads it too).
 * @csspart mute - Moderators only: mutes a member for 15 minutes.
 * @csspart ban - Moderators only: bans a member for a day.
 * @csspart messages - The scrolling message list (`role="log"`).
 * @csspart load-older - The "load earlier messages" button.
 * @csspart day - A day separator.
 * @csspart notice - A system notice: "Alice joined", "Alice left", "Bob is now Alice"; in a big room (or when many come at once) one line for all of a moment's joins and leaves, "12 people joined, 3 people left".
 * @csspart message - A message (own messages also have `message-own`; pending/failed ones `message-sending`/`message-failed`; one that mentions you `mentioned`; the original of a quote just jumped to `highlight`, for 2 s).
 * @csspart mentioned - A message that mentions you (with `message`): a background of its own (`--chat-room-mentioned-background`).
 * @csspart highlight - The message a reply's quote jumped to, for 2 s (a fading background; an outline under reduced motion).
 * @csspart author - A message's author name: a button opening the author card.
 * @csspart avatar - An author's avatar on the first message of a group (others' messages) and in the author card: their `avatar` image, else initials on a colour from their id.
 * @csspart author-card - The small card an author's name or avatar opens: name, signed in or guest, "Private message", "Block".
 * @csspart card-dm - The author card's "Private message" button.
 * @csspart card-block - The author card's "Block" button.
 * @csspart card-close - The author card's close button.
 * @csspart quote - A reply's quote of the message it answers (author and first line; `quote-deleted` once that is deleted): a button that jumps to it.
 * @csspart mention - A mention in a text, `@Name` (`mention-me` when it names you).
 * @csspart code - Inline code in a text.
 * @csspart code-block - A fenced code block in a text.
 * @csspart image - An image message's thumbnail (its size reserved before it loads); a click opens the viewer.
 * @csspart image-viewer - The full-size image viewer (a modal dialog: Escape, its close button or a click beside the image closes it).
 * @csspart image-viewer-close - The image viewer's close button.
 * @csspart attach - The composer's button to choose an image (an image can also be pasted or dropped on the chat).
 * @csspart upload - The row above the input while an image uploads: preview, progress, Cancel.
 * @csspart upload-progress - The upload's progress bar (`role="progressbar"`).
 * @csspart upload-cancel - The upload's Cancel button.
 * @csspart edited - The "edited" marker of an edited message (its title gives the time).
 * @csspart reactions - The row of reactions under a message.
 * @csspart reaction - One reaction: emoji and count (`reaction-mine` when you reacted with it); its title names who reacted.
 * @csspart actions - A message's toolbar, shown on hover and focus: Reply, React, Edit (your own, within the edit window), Delete (your own; moderators: any).
 * @csspart actions-menu - The ⋯ button that shows a message's toolbar on touch screens.
 * @csspart reply - The Reply action.
 * @csspart react - The React action: opens the quick reactions.
 * @csspart edit - The Edit action.
 * @csspart quick-reactions - The row of six quick reactions the React action opens.
 * @csspart more-emoji - The quick reactions' "More emoji" button (the full picker).
 * @csspart signed-in - The ✓ badge after the name of a signed-in user (not a guest), in messages and the member list.
 * @csspart time - A message's time.
 * @csspart text - A message's text bubble (a deleted message's also has `deleted`).
 * @csspart more - The "Show more" / "Show less" button under a long message, folded to its first lines.
 * @csspart delete - The Delete action of a message: your own, or (moderators) anyone's.
 * @csspart unread-divider - "New messages": where the unread ones start.
 * @csspart delivery - The sending / failed line of an own message.
 * @csspart retry - Retry button of a failed message.
 * @csspart discard - Discard button of a failed message.
 * @csspart jump - The "new messages" button shown when scrolled up.
 * @csspart typing - The "Alice is typing…" line ("Alice and Bob are typing…", beyond two "Several people are typing…").
 * @csspart composer - The composer area.
 * @csspart input - The message textarea.
 * @csspart send - The send button.
 * @csspart composer-status - Why the composer cannot send, or the last error.
 * @csspart emoji-button - The composer's emoji button: opens the emoji picker.
 * @csspart reply-bar - Above the input while replying ("Replying to Ann" and the first line) or editing ("Editing message"); `data-mode` is `reply` or `edit`.
 * @csspart reply-bar-excerpt - The first line of the message replied to, in the reply bar.
 * @csspart reply-bar-cancel - The reply bar's cancel button (Escape in the input does the same).
 * @csspart mention-list - The people an `@` being typed can mention (a listbox the input controls).
 * @csspart mention-option - One person in the mention list; the highlighted one is also `mention-option-active`.
 * @csspart emoji-picker - The emoji picker (a popover; a bottom sheet on a narrow window).
 * @csspart emoji-picker-search - The emoji picker's search box.
 * @csspart emoji-picker-tab - One group tab of the emoji picker (recent, smileys, people…).
 * @csspart emoji-picker-grid - The emoji picker's grid of emoji.
 * @csspart emoji-picker-option - One emoji in the picker.
 * @csspart launcher - Launcher mode: the floating button.
 * @csspart badge - Launcher mode: the unread count on the button.
 * @csspart panel - Launcher mode: the dialog the chat opens in.
 * @csspart close - Launcher mode: the panel's close button (phones).
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
 * @cssprop [--chat-room-avatar-size=28px] - Avatar diameter in messages.
 * @cssprop [--chat-room-avatar-saturation=60%] - Saturation of the initials' background (its hue comes from the user id).
 * @cssprop [--chat-room-avatar-lightness=82%] - Lightness of the initials' background.
 * @cssprop [--chat-room-avatar-text=#1f2328] - Colour of the initials (4.5:1 or more on every hue at the defaults).
 * @cssprop [--chat-room-mention-background=currentColor at 14%] - A mention in a text.
 * @cssprop [--chat-room-mention-me-background=warning at 30%] - A mention of you in a text.
 * @cssprop [--chat-room-mentioned-background=warning at 12%] - A message that mentions you.
 * @cssprop [--chat-room-mentioned-border=var(--chat-room-warning)] - The bar at the start of a message that mentions you.
 * @cssprop [--chat-room-highlight-background=accent at 28%] - The flash on a message a quote jumped to.
 * @cssprop [--chat-room-quote-border=var(--chat-room-accent)] - The bar at the start of a reply's quote.
 * @cssprop [--chat-room-code-background=currentColor at 12%] - Inline code and code blocks.
 * @cssprop [--chat-room-code-font=ui-monospace, …] - Font family of code.
 * @cssprop [--chat-room-reaction-background=var(--chat-room-surface)] - A reaction chip.
 * @cssprop [--chat-room-reaction-mine-background=accent at 18%] - A reaction chip you reacted with.
 * @cssprop [--chat-room-reaction-mine-border=var(--chat-room-accent)] - Its border.
 * @cssprop [--chat-room-focus-ring=0 0 0 3px (accent at 40%)] - Focus indicator (a box-shadow).
 * @cssprop [--chat-room-shadow=0 1px 3px #0001, 0 8px 24px #0001] - Outer shadow.
 * @cssprop [--chat-room-radius=12px] - Corner radius of the frame and bubbles.
 * @cssprop [--chat-room-spacing=8px] - Base spacing unit.
 * @cssprop [--chat-room-font=system-ui, …] - Font family.
 * @cssprop [--chat-room-font-size=15px] - Base font size (inputs never go below 16px, so iOS does not zoom).
 * @cssprop [--chat-room-width=auto] - Width of the element.
 * @cssprop [--chat-room-height=480px] - Height of the element (or set `height` on the element).
 * @cssprop [--chat-room-min-height=240px] - Minimum height.
 * @cssprop [--chat-room-reply-bar-background=var(--chat-room-surface)] - The reply / edit bar above the input.
 * @cssprop [--chat-room-reply-bar-accent=var(--chat-room-accent)] - The reply / edit bar's leading stripe.
 * @cssprop [--chat-room-mention-list-background=var(--chat-room-background)] - The mention list.
 * @cssprop [--chat-room-mention-list-active-background=var(--chat-room-surface)] - The highlighted person in the mention list.
 * @cssprop [--chat-room-emoji-picker-background=var(--chat-room-background)] - The emoji picker.
 * @cssprop [--chat-room-emoji-picker-width=22rem] - The emoji picker's width on a wide window (a phone's is the window's).
 * @cssprop [--chat-room-viewer-backdrop=#000c] - Behind the image viewer.
 * @cssprop [--chat-room-emoji-size=1.5rem] - The size of the emoji in the picker.
 * @cssprop [--chat-room-launcher-right=20px] - Launcher mode: distance of the button and panel from the right edge.
 * @cssprop [--chat-room-launcher-left=auto] - Launcher mode: distance from the left edge (set `--chat-room-launcher-right: auto` with it).
 * @cssprop [--chat-room-launcher-bottom=20px] - Launcher mode: distance of the button from the bottom edge.
 * @cssprop [--chat-room-launcher-size=56px] - Launcher mode: diameter of the button.
 * @cssprop [--chat-room-launcher-z-index=2147483000] - Launcher mode: stacking order of the button and panel.
 * @cssprop [--chat-room-panel-width=370px] - Launcher mode: width of the panel.
 * @cssprop [--chat-room-panel-height=600px] - Launcher mode: height of the panel.
 */
export class ChatRoom extends HTMLElement {
  static get observedAttributes(): string[] {
    return ['server', 'site', 'room', 'nickname', 'user-token', 'theme', 'lang', 'open', 'title-badge', 'sound', 'notify'];
  }

  /** Not reflected: a token set as a property stays out of the DOM. */
  #userToken: string | undefined;
  #view: ChatView | null = null;
  /** Settles once the chat view is mounted (null until it is asked for). */
  #viewReady: Promise<ChatView> | null = null;
  /** Launcher mode: settles once the launcher part is in (null inline). */
  #launcher: Promise<LauncherMode> | null = null;
  /** `mode="launcher"` when the element was first drawn. */
  #launcherMode = false;
  #mode: LauncherMode | null = null;
  /** Notifications, once an attribute asks for one (their part loads then). */
  #notifier: Promise<Notifier> | null = null;
  /** Armed once the server found this page too old (`client_outdated`): disarms the reload. */
  #disarmReload: (() => void) | null = null;

  /**
   * `inline` (default): the chat in the page, where the element is. `launcher`: a floating button with an unread
   * badge that opens the chat in a panel (full-screen on phones). Read when the element is first connected.
   */
  get mode(): 'inline' | 'launcher' {
    return this.getAttribute('mode') === 'launcher' ? 'launcher' : 'inline';
  }
  set mode(value: 'inline' | 'launcher') {
    this.setAttribute('mode', value);
  }

  /** Launcher mode: the chat panel is open. Remembered per server and site across page loads. */
  get open(): boolean {
    return this.hasAttribute('open');
  }
  set open(value: boolean) {
    this.toggleAttribute('open', !!value);
  }

  /**
   * When a launcher connects: `load` (default; once the page is idle, to count unread messages for the badge,
   * without appearing in the room) or `open` (not before the visitor first opens it: for sites that ask consent first).
   */
  get connectOn(): 'load' | 'open' {
    return this.getAttribute('connect') === 'open' ? 'open' : 'load';
  }
  set connectOn(value: 'load' | 'open') {
    this.setAttribute('connect', value);
  }

  /** Origin of the chat server. Defaults to the origin `chat-room.js` was loaded from, else the page's. */
  get server(): string {
    return this.getAttribute('server') || defaultServer();
  }
  set server(value: string) {
    this.setAttribute('server', value);
  }

  /** Site id registered on the server. */
  get site(): string {
    return this.getAttribute('site') || 'demo';
  }
  set site(value: string) {
    this.setAttribute('site', value);
  }

  /** Room name; `auto` gives every page its own room from its path (`page:/blog/post-1`). */
  get room(): string {
    return this.getAttribute('room') || 'lobby';
  }
  set room(value: string) {
    this.setAttribute('room', value);
  }

  /** Preferred nickname, sent when connecting; changing it renames you. */
  get nickname(): string | undefined {
    return this.getAttribute('nickname') ?? undefined;
  }
  set nickname(value: string | undefined) {
    if (value == null) this.removeAttribute('nickname');
    else this.setAttribute('nickname', value);
  }

  /**
   * Identity token signed by the site's backend (see docs/SECURITY.md): you are
   * then that user, with their name and role, instead of a guest. Changing it
   * (or calling `identify()` / `logout()`) reconnects as the new user.
   */
  get userToken(): string | undefined {
    return this.#userToken;
  }
  set userToken(value: string | undefined) {
    this.#userToken = value || undefined;
    this.#changed();
  }

  /** Color theme: `light`, `dark` or `auto` (follows `prefers-color-scheme`). */
  get theme(): 'light' | 'dark' | 'auto' {
    const value = this.getAttribute('theme');
    return value === 'light' || value === 'dark' ? value : 'auto';
  }
  set theme(value: 'light' | 'dark' | 'auto') {
    this.setAttribute('theme', value);
  }

  /** The unread count in the page title while the page is hidden (`(3) Page title`). */
  get titleBadge(): boolean {
    return this.hasAttribute('title-badge');
  }
  set titleBadge(value: boolean) {
    this.toggleAttribute('title-badge', !!value);
  }

  /** A short synthesised chime for new messages while the page is hidden (from the visitor's first interaction with the page). */
  get sound(): boolean {
    return this.hasAttribute('sound');
  }
  set sound(value: boolean) {
    this.toggleAttribute('sound', !!value);
  }

  /** Desktop notifications: private messages always, room messages while the page is hidden; permission is asked on a click in the widget. */
  get notify(): boolean {
    return this.hasAttribute('notify');
  }
  set notify(value: boolean) {
    this.toggleAttribute('notify', !!value);
  }

  // ---- public read-only state (empty until the chat is loaded) ----

  /** `connecting`, `connected`, `disconnected` or `error`. */
  get connectionState(): ConnectionState {
    return this.#view?.connectionState ?? this.#mode?.watch?.state ?? 'disconnected';
  }

  /** Why the connection is in `error` (e.g. `{ code: 'unknown_site' }`), else null. */
  get connectionError(): ClientError | null {
    return this.#view?.connectionError ?? null;
  }

  /** You, once the server has said who you are. */
  get user(): UserInfo | null {
    return this.#view?.user ?? null;
  }

  /** The room actually joined (resolves `auto`); empty until the chat (or a launcher's badge) is loaded. */
  get roomName(): string {
    return this.#view?.roomName ?? this.#mode?.roomName ?? '';
  }

  /** People in the room right now. */
  get onlineCount(): number {
    return this.#view?.onlineCount ?? 0;
  }

  /** Members of the room, sorted by name; empty in a big room (over 100, `members.length < onlineCount`), whose member panel pages them from the server. */
  get members(): UserInfo[] {
    return this.#view?.members ?? [];
  }

  /**
   * Messages of others in the room you have not seen: missed while no tab of
   * yours was connected, or arrived while the page was hidden or the list was
   * scrolled up. Back to 0 once the end of the list is on screen.
   */
  get unread(): number {
    return this.#view?.unread ?? this.#mode?.watch?.unread ?? 0;
  }

  /** True when more than `UNREAD_CAP` (99) were missed: `unread` is then a lower bound, shown as "99+". */
  get unreadCapped(): boolean {
    return this.#view?.unreadCapped ?? this.#mode?.watch?.capped ?? false;
  }

  /** Round-trip time of the last heartbeat in ms (null while not connected). */
  get rtt(): number | null {
    return this.#view?.rtt ?? null;
  }

  /**
   * Messages of the room loaded so far, oldest first, with their `replyTo`
   * quote, `reactions` (and your `myReactions`), `editedAt`, `mentions` and `image`.
   * Messages of users you block are left out, and so are their reactions.
   */
  get messages(): ChatMessage[] {
    return this.#view?.messages ?? [];
  }

  /** Settles once the chat is loaded and has rendered what was asked of it so far. */
  get updateComplete(): Promise<boolean> {
    // A launcher asks for the chat once its part is in (when open): wait for that first.
    return Promise.resolve(this.#launcher).then(() => (this.#viewReady ? this.#viewReady.then((view) => view.updateComplete) : true));
  }

  // ---- public methods (they wait for the chat to load) ----

  /** Sends a message to the room. Rejects with an `Error` whose `code` is a protocol error code. */
  async send(text: string): Promise<ChatMessage> {
    return (await this.#ready()).send(text);
  }

  /** Sends a reply to the room message `messageId` (shown with a quote of it). Rejects as `send()` does, and with `unknown_message`. */
  async reply(messageId: string, text: string): Promise<ChatMessage> {
    return (await this.#ready()).send(text, messageId);
  }

  /**
   * Uploads an image (PNG, JPEG, WebP or GIF) to the chat server and sends it to the room with an optional caption;
   * resolves with the stored message (its `image` has the URLs and sizes). Rejects with an `Error` whose `code` is
   * `image_too_large`, `image_invalid`, `image_too_many_pixels`, `upload_quota`, `rate_limited`, `not_connected` …
   */
  async sendImage(file: File | Blob, caption?: string): Promise<ChatMessage> {
    return (await this.#rich()).sendImage(file, caption);
  }

  /**
   * Adds your `emoji` reaction to a message; resolves with the message as it is now (`reactions`, `myReactions`).
   * Rejects with an `Error` whose `code` is `invalid_emoji`, `too_many_reactions`, `unknown_message`, `message_deleted`, `rate_limited` or `not_connected`.
   */
  async react(messageId: string, emoji: string): Promise<ChatMessage> {
    return (await this.#rich()).react(messageId, emoji);
  }

  /** Takes your `emoji` reaction off a message; resolves with the message as it is now. Rejects as `react()`. */
  async unreact(messageId: string, emoji: string): Promise<ChatMessage> {
    return (await this.#rich()).unreact(messageId, emoji);
  }

  /**
   * New text for your own message; resolves with the edited message (`editedAt`). Rejects with an `Error` whose `code` is
   * `forbidden` (another's), `edit_window_closed`, `message_deleted`, `unknown_message`, `message_empty`, `message_too_long` …
   */
  async edit(messageId: string, text: string): Promise<ChatMessage> {
    return (await this.#rich()).edit(messageId, text);
  }

  /** Deletes your own message (moderators: anyone's); resolves with the deletion. Rejects with `forbidden` for another's. */
  async deleteMessage(messageId: string): Promise<MessageDeleted> {
    return (await this.#rich()).deleteMessage(messageId);
  }

  /**
   * Blocks a user: their messages and reactions are hidden from you and they cannot send you private messages
   * (kept by the server, on every tab). Resolves with your blocks; rejects with `unknown_user`, `self_message`, `too_many_blocks` …
   */
  async block(userId: UserId): Promise<Privacy> {
    return (await this.#rich()).block(userId);
  }

  /** Unblocks a user. Resolves with your blocks. */
  async unblock(userId: UserId): Promise<Privacy> {
    return (await this.#rich()).unblock(userId);
  }

  /** Refuses (`true`) or takes again private messages from guests. Resolves with your blocks and this setting. */
  async setRefuseGuestDms(refuse: boolean): Promise<Privacy> {
    return (await this.#rich()).setRefuseGuestDms(refuse);
  }

  /** (Re)connects after `disconnect()`. */
  connect(): void {
    void this.#ready().then((view) => view.connect());
  }

  /** Leaves the room and lets go of the connection (closed when no other element uses it). */
  disconnect(): void {
    this.#view?.disconnect();
  }

  /**
   * Moderators: erases a user for a privacy request (their messages become nameless tombstones, their private
   * conversations and profile are removed, their sessions end). Rejects with `forbidden` for others. Exporting
   * a user's data is the site owner's, through the admin API.
   */
  async eraseUser(userId: UserId): Promise<EraseResult> {
    return (await this.#ready()).eraseUser(userId);
  }

  /**
   * Signs in as the user of `token` without a reload. A newer token of the
   * signed-in user is swapped in on the live connection (nothing is reloaded);
   * another user's replaces the connection, and the previous user's messages
   * and pending sends leave the view.
   */
  identify(token: string): void {
    if (this.#view) this.#view.identify(token);
    else this.userToken = token;
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
    return (await this.#ready()).rename(name);
  }

  /** Opens the private conversation with a user of the site. */
  openDirect(peer: UserInfo): void {
    void this.#ready().then((view) => view.openDirect(peer));
  }

  /** Goes back from a private conversation to the room. */
  closeDirect(): void {
    this.#view?.closeDirect();
  }

  /** Launcher mode: opens the chat panel (as `open = true`; `open` is the property, so opening is `show()`). */
  show(): void {
    this.open = true;
  }

  /** Launcher mode: closes the chat panel. */
  close(): void {
    this.open = false;
  }

  /** Launcher mode: opens the panel if closed, else closes it. */
  toggle(): void {
    this.open = !this.open;
  }

  // ---- lifecycle ----

  constructor() {
    super();
    // A server that refuses this page's protocol version is answered by a reload when nothing would be lost.
    this.addEventListener('chat-room-connection', (e) => {
      if (e.detail.error?.code !== 'client_outdated' || this.#disarmReload) return;
      this.#disarmReload = () => undefined;
      void loadOutdated().then(({ reloadWhenQuiet }) => {
        if (this.#disarmReload) this.#disarmReload = reloadWhenQuiet({ host: this, isQuiet: () => [...live].every((el) => el.#view?.idle ?? true) });
      });
    });
    // Properties set before the element was defined are own properties hiding the accessors: replay them.
    const self = this as unknown as Record<string, unknown>;
    for (const key of ['server', 'site', 'room', 'nickname', 'userToken', 'theme', 'mode', 'open', 'connectOn', 'titleBadge', 'sound', 'notify']) {
      if (Object.hasOwn(self, key)) {
        const value = self[key];
        delete self[key];
        self[key] = value;
      }
    }
  }

  connectedCallback(): void {
    live.add(this);
    if (!this.shadowRoot) this.#draw();
    this.#syncNotifier();
    if (this.#view) this.#view.setConnected(true);
    // A closed launcher loads nothing more before the browser is idle (or the visitor reaches for it); an open one at once.
    const launch = (): void => void this.#launcherPart().then((mode) => this.isConnected && mode.connected());
    if (!this.#launcherMode) void this.#ready();
    else if (this.open) launch();
    else whenIdle(launch);
  }

  disconnectedCallback(): void {
    live.delete(this);
    this.#disarmReload?.();
    this.#disarmReload = null;
    void this.#notifier?.then((notifier) => notifier.destroy());
    this.#notifier = null;
    this.#view?.setConnected(false);
    this.#mode?.disconnected();
  }

  attributeChangedCallback(name: string, old: string | null, value: string | null): void {
    if (old === value) return;
    if (name === 'user-token') this.#userToken = value || undefined;
    if (name === 'open' && this.#launcherMode) void this.#launcherPart().then((mode) => mode.apply());
    else if (name === 'lang') this.#mode?.relabel();
    else if (name === 'title-badge' || name === 'sound' || name === 'notify') this.#syncNotifier();
    this.#changed();
  }

  // ---- internals ----

  /**
   * At once: the frame at the chat's final size (the page does not shift when the chat arrives), or, for a
   * launcher, a stand-in of its button (a real button: clicking it opens the chat) until the launcher part is in.
   */
  #draw(): ShadowRoot {
    const root = this.attachShadow({ mode: 'open' });
    frameSheet ??= sheet(frameCss);
    root.adoptedStyleSheets = [frameSheet];
    const launcher = this.mode === 'launcher';
    const stub = document.createElement(launcher ? 'button' : 'div');
    stub.className = launcher ? 'stub' : 'frame';
    stub.setAttribute('part', launcher ? 'launcher' : 'base');
    if (launcher) {
      this.#launcherMode = true;
      stub.setAttribute('aria-label', uiLanguage(resolveLang(this)) === 'zh' ? '打开聊天' : 'Open chat');
      stub.addEventListener('click', () => this.show());
      // Reaching for it loads the launcher and the chat at once.
      const reach = (): void => {
        void this.#launcherPart();
        void loadUi();
      };
      for (const type of ['pointerenter', 'focus']) stub.addEventListener(type, reach, { once: true });
    } else stub.setAttribute('aria-busy', 'true');
    root.append(stub);
    return root;
  }

  /** The launcher part, loaded on first use: it replaces the stand-in button. */
  #launcherPart(): Promise<LauncherMode> {
    this.#launcher ??= loadLauncher().then(({ LauncherMode }) => {
      const root = this.shadowRoot!;
      const stub = root.querySelector('.stub');
      // A visitor who reached the stand-in already (clicked or tabbed to it) carries on in the real launcher.
      const visited = !!stub && root.activeElement === stub;
      stub?.remove();
      const mode = (this.#mode = new LauncherMode(this, root, {
        view: () => this.#ready(),
        lang: () => resolveLang(this),
        preloadUi: () => void loadUi(),
        loadBadge,
        emit: (type, detail) => this.#emit(type, detail),
      }));
      if (visited) mode.focus();
      return mode;
    });
    return this.#launcher;
  }

  /** The room's rich part (reactions, edits, blocks), once the chat is in. */
  async #rich(): Promise<RichConversation> {
    return (await this.#ready()).rich();
  }

  /** The chat view, loading it on first use: in the page (inline) or in the launcher's panel. */
  #ready(): Promise<ChatView> {
    this.#viewReady ??= (async () => {
      const root = this.shadowRoot ?? this.#draw();
      // Inline, the connection opens as soon as its layer is in, while the view still loads and renders.
      const held = this.#launcherMode
        ? null
        : loadClient().then(({ preconnect }) =>
            preconnect({ server: this.server, site: this.site, nickname: this.nickname, token: this.userToken, lang: resolveLang(this) }),
          );
      const [{ mountView }, mode] = await Promise.all([loadUi(), this.#launcherMode ? this.#launcherPart() : null]);
      const view = await mountView(this, mode?.panel ?? root, () => resolveLang(this));
      root.querySelector('.frame')?.remove();
      this.#view = view;
      mode?.viewMounted(view);
      void view.updateComplete.then(() => held?.then((release) => release()));
      return view;
    })();
    return this.#viewReady;
  }

  /** Notifications follow their attributes; their part loads only for an element that has one. */
  #syncNotifier(): void {
    const options = { titleBadge: this.titleBadge, sound: this.sound, notify: this.notify, lang: () => resolveLang(this) };
    if (this.#notifier) void this.#notifier.then((notifier) => notifier.update(options));
    else if (this.isConnected && (options.titleBadge || options.sound || options.notify)) {
      this.#notifier = loadNotify().then(({ Notifier }) => new Notifier(this, options));
    }
  }

  #emit<K extends keyof ChatRoomEventMap>(type: K, detail: ChatRoomEventMap[K]['detail']): void {
    this.dispatchEvent(new CustomEvent(type, { detail, bubbles: true, composed: true }));
  }

  #changed(): void {
    this.#view?.requestUpdate();
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'chat-room': ChatRoom;
  }
}
