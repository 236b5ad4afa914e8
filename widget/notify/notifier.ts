/**
 * Notifications for a `<chat-room>`, built only on its public events and
 * methods: the unread count in the page title, a chime and desktop
 * notifications, each on when its option is. None fires for history, for
 * messages replayed after a reconnect, or for your own messages.
 */
import type { ChatMessage, UserInfo } from '../../protocol/index.js';
// The element's events, typed in GlobalEventHandlersEventMap.
import type {} from '../events.js';
import { notificationBody, notificationTitle } from './labels.js';
import { DesktopNotifications } from './desktop-notifications.js';
import { Chime } from './sound.js';
import { TitleBadge } from './title-badge.js';

export interface NotifierOptions {
  /** The unread count in the page title while the page is hidden. */
  titleBadge: boolean;
  /** A chime for new messages while the page is hidden (from the visitor's first interaction with the page on). */
  sound: boolean;
  /** Desktop notifications: private messages always, room messages while the page is hidden. */
  notify: boolean;
  /** The UI language (for the notification titles). */
  lang: () => string;
}

/** What the notifier uses of the element: its events, and these when it has them. */
export type NotifierHost = HTMLElement & {
  openDirect?(peer: UserInfo): void;
  show?(): void;
  readonly unread?: number;
  readonly unreadCapped?: boolean;
  /** You: a room message that mentions you is notified as a mention (`chat-room-mention`), not twice. */
  readonly user?: UserInfo | null;
};

export class Notifier {
  readonly #host: NotifierHost;
  #options!: NotifierOptions;
  #badge: TitleBadge | null = null;
  #chime: Chime | null = null;
  #desktop: DesktopNotifications | null = null;
  #unread: number;
  #capped: boolean;
  readonly #off = new AbortController();

  constructor(host: NotifierHost, options: NotifierOptions) {
    this.#host = host;
    this.#unread = host.unread ?? 0;
    this.#capped = host.unreadCapped ?? false;
    const listen = { signal: this.#off.signal };
    host.addEventListener(
      'chat-room-message',
      (e) => {
        const { message, own, replayed } = e.detail;
        const mention = message.mentions?.some((u) => u.id === host.user?.id);
        if (!own && !replayed && !mention) this.#arrived(message, false);
      },
      listen,
    );
    host.addEventListener('chat-room-mention', (e) => !e.detail.replayed && this.#arrived(e.detail.message, false, true), listen);
    host.addEventListener('chat-room-dm', (e) => this.#arrived(e.detail.message, true), listen);
    host.addEventListener(
      'chat-room-unread',
      (e) => {
        this.#unread = e.detail.count;
        this.#capped = e.detail.capped;
        this.#badge?.unread(this.#unread, this.#capped);
      },
      listen,
    );
    this.update(options);
  }

  /** Switches each notification on or off. */
  update(options: NotifierOptions): void {
    this.#options = options;
    if (options.titleBadge !== !!this.#badge) {
      this.#badge?.destroy();
      this.#badge = options.titleBadge ? new TitleBadge() : null;
      this.#badge?.unread(this.#unread, this.#capped);
    }
    if (options.sound !== !!this.#chime) {
      this.#chime?.destroy();
      this.#chime = options.sound ? new Chime() : null;
    }
    if (options.notify !== !!this.#desktop) {
      this.#desktop?.destroy();
      this.#desktop = options.notify ? new DesktopNotifications(this.#host) : null;
    }
  }

  destroy(): void {
    this.#off.abort();
    this.update({ titleBadge: false, sound: false, notify: false, lang: this.#options.lang });
  }

  /** A new message of someone else (`direct`: a private one; `mention`: a room message naming you, shown as a private one is), live. */
  #arrived(message: ChatMessage, direct: boolean, mention = false): void {
    const hidden = document.visibilityState === 'hidden';
    if (hidden) {
      this.#badge?.arrived(direct);
      this.#chime?.play();
    }
    if (!hidden && !direct && !mention) return;
    const { from, room } = message;
    const lang = this.#options.lang();
    const host = this.#host;
    this.#desktop?.show(
      notificationTitle(lang, from.name, direct ? null : room),
      notificationBody(message),
      direct ? `chat-room-dm:${from.id}` : `chat-room:${room}`,
      () => {
        if (direct) host.openDirect?.(from);
        else host.show?.();
      },
    );
  }
}
