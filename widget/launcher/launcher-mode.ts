/**
 * What `<chat-room mode="launcher">` does beyond an inline room, loaded with
 * the launcher part so inline pages never pay for it: the button and panel,
 * the open state (remembered per site, told with `chat-room-open` /
 * `chat-room-close`), focus into the chat on open, and before the first open
 * the badge part following the room quietly once the page is idle.
 */
import type { RoomWatch } from '../badge/index.js';
import type { ChatRoomEventMap } from '../events.js';
import { resolveLang } from '../lang.js';
import { resolveRoom } from '../room-name.js';
import { loadBadge, loadUi } from '../parts.js';
import { launcherLabel } from '../shell/labels.js';
import { sheet } from '../css.js';
import type { ChatView } from '../ui/chat-view.js';
import { Launcher } from './launcher.js';
import { loadOpen, saveOpen } from './launcher-state.js';
import { launcherCss } from './launcher.styles.js';

/** The element's side of it (widget/chat-room.ts). */
export interface LauncherHost extends HTMLElement {
  open: boolean;
  readonly server: string;
  readonly site: string;
  readonly room: string;
  readonly userToken: string | undefined;
  readonly connectOn: 'load' | 'open';
}

/** What only the element can do, handed over when the part is in. */
export interface LauncherHooks {
  /** The chat view, loaded and mounted into the panel on first use. */
  view(): Promise<ChatView>;
  emit<K extends keyof ChatRoomEventMap>(type: K, detail: ChatRoomEventMap[K]['detail']): void;
}

let launcherSheet: CSSStyleSheet | undefined;

/** Runs `task` once the page has loaded and the browser is idle: a closed launcher costs the page nothing before. */
function whenIdle(task: () => void): void {
  const idle = (): void => void ('requestIdleCallback' in globalThis ? requestIdleCallback(task, { timeout: 5000 }) : setTimeout(task, 1000));
  if (document.readyState === 'complete') idle();
  else addEventListener('load', idle, { once: true });
}

export class LauncherMode {
  readonly #host: LauncherHost;
  readonly #hooks: LauncherHooks;
  readonly #launcher: Launcher;
  /** The open state last shown (events fire on its changes). */
  #shown = false;
  #view: ChatView | null = null;
  /** Before the chat is first opened: the quiet follower of the room, for the badge. */
  watch: RoomWatch | null = null;
  #watchAsked = false;
  #last = { count: 0, capped: false };

  constructor(host: LauncherHost, root: ShadowRoot, hooks: LauncherHooks) {
    this.#host = host;
    this.#hooks = hooks;
    launcherSheet ??= sheet(launcherCss);
    root.adoptedStyleSheets = [...root.adoptedStyleSheets, launcherSheet];
    this.#launcher = new Launcher(root, {
      label: (key, count) => launcherLabel(resolveLang(host), key, count),
      onOpenChange: (open) => {
        host.open = open;
        if (open) void this.#focusComposer();
      },
      onIntent: () => void loadUi(),
    });
    host.addEventListener('chat-room-unread', (e) => this.#launcher.setBadge(e.detail.count, e.detail.capped));
    // Open when the visitor left the last page of the site with it open: restored, and said so.
    if (!host.open && loadOpen(host.server, host.site)) {
      this.#shown = true;
      host.open = true;
      hooks.emit('chat-room-open', { restored: true });
    }
    this.apply();
  }

  /** The room the badge follows (`auto` resolved). */
  get roomName(): string {
    return resolveRoom(this.#host.room, location.pathname);
  }

  /** Where the chat view goes. */
  get panel(): HTMLElement {
    return this.#launcher.panel;
  }

  /** The element was connected: before the first open, the badge follows the room once the page is idle. */
  connected(): void {
    if (this.#view || this.#host.open || this.#host.connectOn !== 'load' || this.#watchAsked) return;
    this.#watchAsked = true;
    whenIdle(() => void this.#startWatch());
  }

  disconnected(): void {
    this.#stopWatch();
    this.#watchAsked = false;
  }

  relabel(): void {
    this.#launcher.relabel();
  }

  /** Shows the `open` attribute's state; a change is remembered for the site and told. */
  apply(): void {
    const open = this.#host.open;
    this.#launcher.open = open;
    // A closed panel's chat is folded away: what arrives meanwhile stays unread (and counts on the badge).
    this.#view?.setFolded(!open);
    if (open) void this.#hooks.view();
    if (open === this.#shown) return;
    this.#shown = open;
    saveOpen(this.#host.server, this.#host.site, open);
    this.#hooks.emit(open ? 'chat-room-open' : 'chat-room-close', { restored: false });
  }

  /** The chat is in the panel: it follows the room itself now (in its presence), so the quiet follower goes. */
  viewMounted(view: ChatView): void {
    this.#view = view;
    view.setFolded(!this.#host.open);
    void view.updateComplete.then(() => this.#stopWatch());
  }

  /** Focus into the composer once the chat is on screen (unless the visitor moved on meanwhile). */
  async #focusComposer(): Promise<void> {
    const view = await this.#hooks.view();
    await view.updateComplete;
    const root = this.#host.shadowRoot!;
    const active = root.activeElement;
    if (this.#host.open && (!active || active === this.panel)) root.querySelector<HTMLElement>('.input')?.focus();
  }

  async #startWatch(): Promise<void> {
    const { watchRoom } = await loadBadge();
    const host = this.#host;
    if (this.#view || this.watch || !host.isConnected || !this.#watchAsked) return;
    const emit = this.#hooks.emit;
    this.watch = watchRoom(
      // No nickname: a handshake nickname would store the guest; the chat applies it when first opened.
      { server: host.server, site: host.site, room: this.roomName, token: host.userToken, lang: resolveLang(host) },
      {
        changed: () => this.#watchChanged(),
        message: (message, own, direct, replayed) => {
          if (direct) emit('chat-room-dm', { message });
          else emit('chat-room-message', { message, own, replayed });
        },
        state: (state, error) => emit('chat-room-connection', { state, error }),
      },
    );
  }

  #stopWatch(): void {
    this.watch?.stop();
    this.watch = null;
  }

  /** The quiet follower's count reaches the badge and the page as the chat's would: `chat-room-unread`. */
  #watchChanged(): void {
    const watch = this.watch;
    if (!watch || this.#view) return;
    const { unread: count, capped } = watch;
    if (count === this.#last.count && capped === this.#last.capped) return;
    this.#last = { count, capped };
    this.#hooks.emit('chat-room-unread', { room: this.roomName, count, capped });
  }
}
