/**
 * What `<chat-room mode="launcher">` does beyond an inline room, loaded with
 * the launcher part so inline pages never pay for it: the button and panel,
 * the open state (remembered per site, told with `chat-room-open` /
 * `chat-room-close`), focus into the chat on open, and before the first open
 * the badge part following the room quietly once the page is idle.
 */
// Only type imports besides its own files: this chunk loads at once, alone (the element hands it the loading of parts).
import type { RoomWatch } from '../badge/index.js';
import type { ChatRoomEventMap } from '../events.js';
import type { ChatView } from '../ui/chat-view.js';
import { whenIdle } from '../shell/idle.js';
import { launcherLabel } from './labels.js';
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
  readonly unread: number;
  readonly unreadCapped: boolean;
}

/** What only the element can do, handed over when the part is in. */
export interface LauncherHooks {
  /** The chat view, loaded and mounted into the panel on first use. */
  view(): Promise<ChatView>;
  /** The element's UI language (its `lang`, else the page's). */
  lang(): string;
  /** Starts loading the chat's chunks (all at once: the loader knows them). */
  preloadUi(): void;
  loadBadge(): Promise<typeof import('../badge/index.js')>;
  emit<K extends keyof ChatRoomEventMap>(type: K, detail: ChatRoomEventMap[K]['detail']): void;
}

let launcherSheet: CSSStyleSheet | undefined;

function sheet(text: string): CSSStyleSheet {
  const s = new CSSStyleSheet();
  s.replaceSync(text);
  return s;
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
      label: (key, count) => launcherLabel(hooks.lang(), key, count),
      onOpenChange: (open) => {
        host.open = open;
        if (open) void this.#focusComposer();
      },
      onIntent: () => hooks.preloadUi(),
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

  /** The room the badge follows (`auto` resolved), once it does. */
  get roomName(): string {
    return this.watch?.room ?? '';
  }

  /** Where the chat view goes. */
  get panel(): HTMLElement {
    return this.#launcher.panel;
  }

  /** Focus where the visitor would be: in the chat when open, else on the button. */
  focus(): void {
    if (this.#host.open) void this.#focusComposer(true);
    else this.#launcher.focus();
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
    this.#syncBadge();
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
    void view.updateComplete.then(() => {
      this.#stopWatch();
      // The chat counts from here (its events only say changes of its own count).
      this.#syncBadge();
    });
  }

  #syncBadge(): void {
    this.#launcher.setBadge(this.#host.unread, this.#host.unreadCapped);
  }

  /** Focus into the composer once the chat is on screen (unless the visitor moved on meanwhile, or `always`). */
  async #focusComposer(always = false): Promise<void> {
    const view = await this.#hooks.view();
    await view.updateComplete;
    const root = this.#host.shadowRoot!;
    const active = root.activeElement;
    if (this.#host.open && (always || !active || active === this.panel)) root.querySelector<HTMLElement>('.input')?.focus();
  }

  async #startWatch(): Promise<void> {
    const { watchRoom } = await this.#hooks.loadBadge();
    const host = this.#host;
    if (this.#view || this.watch || !host.isConnected || !this.#watchAsked) return;
    const emit = this.#hooks.emit;
    this.watch = watchRoom(
      // No nickname: a handshake nickname would store the guest; the chat applies it when first opened.
      { server: host.server, site: host.site, room: host.room, token: host.userToken, lang: this.#hooks.lang() },
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
    this.#hooks.emit('chat-room-unread', { room: watch.room, count, capped });
  }
}
