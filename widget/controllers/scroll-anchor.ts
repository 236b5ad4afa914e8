/**
 * Scroll anchoring of the message list: a new conversation opens at its end
 * (or at its first unread message), older history prepended keeps what the
 * reader sees in place, new messages follow the end only while the reader is
 * there, and otherwise a "new messages" button offers the jump.
 */
import type { ReactiveController } from 'lit';
import type { Conversation } from '../client/conversation.js';
import type { ChatHost } from './host.js';

/** Distance from the bottom (px) within which the list counts as "at the bottom". */
const BOTTOM_SLACK = 32;
/** Distance from the top (px) at which older history is fetched. */
const TOP_SLACK = 48;

function lastItemKey(conv: Conversation): string {
  const pending = conv.pending;
  return pending.length ? pending[pending.length - 1]!.clientId : (conv.messages[conv.messages.length - 1]?.id ?? '');
}

export class ScrollAnchorController implements ReactiveController {
  readonly #host: ChatHost;
  readonly #current: () => Conversation | null;
  /** Called when another conversation is on screen for the first time. */
  readonly #entered: () => void;
  #jumpVisible = false;
  #atBottom = true;
  /** The list's scrollTop as the last render left it. */
  #top = 0;
  #stickToBottom = false;
  #renderedKey = '';
  #snapshot = { top: 0, height: 0, firstSeq: 0, lastKey: '' };
  /** The conversation whose first full load was scrolled into place. */
  #positionedKey = '';

  constructor(host: ChatHost, current: () => Conversation | null, entered: () => void) {
    this.#host = host;
    this.#current = current;
    this.#entered = entered;
    host.addController(this);
  }

  get list(): HTMLElement | null {
    return this.#host.renderRoot.querySelector('.messages');
  }

  /** The "new messages" button shows: scrolled up while something arrived. */
  get jumpVisible(): boolean {
    return this.#jumpVisible;
  }

  set jumpVisible(visible: boolean) {
    if (visible === this.#jumpVisible) return;
    this.#jumpVisible = visible;
    this.#host.requestUpdate();
  }

  /** The key of the conversation last rendered into the list ('' after the connection was let go). */
  get renderedKey(): string {
    return this.#renderedKey;
  }

  /** The next render scrolls to the end (the reader sent or jumped). */
  stick(): void {
    this.#stickToBottom = true;
  }

  /** The reader unfolded a text (the text grows downwards) or jumps to a quote's original: the list stops following its end. */
  hold(): void {
    this.#atBottom = false;
  }

  /** The room's conversation stopped: the next one is positioned again. */
  forgetPosition(): void {
    this.#positionedKey = '';
  }

  /** The connection was let go: whatever comes next is a new conversation. */
  forgetRendered(): void {
    this.#renderedKey = '';
  }

  hostUpdate(): void {
    const list = this.list;
    if (list) {
      // Scrolled since the last render, its scroll event not in yet (it comes with the next frame): this render must not undo it.
      if (list.scrollTop !== this.#top) this.#atBottom = list.scrollHeight - list.scrollTop - list.clientHeight < BOTTOM_SLACK;
      this.#snapshot.top = list.scrollTop;
      this.#snapshot.height = list.scrollHeight;
    }
  }

  hostUpdated(): void {
    const list = this.list;
    const conv = this.#current();
    if (!list || !conv) return;
    const snap = this.#snapshot;
    if (conv.key !== this.#renderedKey) {
      this.#renderedKey = conv.key;
      this.#entered();
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
    } else if (lastItemKey(conv) !== snap.lastKey) {
      this.jumpVisible = true;
    }
    this.#stickToBottom = false;
    if (conv.loaded && this.#positionedKey !== conv.key) {
      this.#positionedKey = conv.key;
      this.#showFirstUnread(list);
    }
    if (this.#atBottom && this.#host.shown) conv.markRead();
    snap.firstSeq = conv.log.firstSeq;
    snap.lastKey = lastItemKey(conv);
    this.#top = list.scrollTop;
  }

  handleScroll(): void {
    const list = this.list;
    if (!list) return;
    this.#atBottom = list.scrollHeight - list.scrollTop - list.clientHeight < BOTTOM_SLACK;
    if (this.#atBottom) {
      this.jumpVisible = false;
      if (this.#host.shown) this.#current()?.markRead();
    }
    if (list.scrollTop < TOP_SLACK) void this.#current()?.loadOlder();
  }

  /** The "new messages" button: to the end. */
  jump(): void {
    this.#stickToBottom = true;
    this.jumpVisible = false;
    this.#host.requestUpdate();
  }

  /** Keeps the end in view when the list shrinks (an on-screen keyboard opened). */
  keepEnd(): void {
    const list = this.list;
    if (this.#atBottom && list) list.scrollTop = list.scrollHeight;
  }

  /** On arrival with unread messages, the first of them goes to the top instead of scrolling past them. */
  #showFirstUnread(list: HTMLElement): void {
    const divider = list.querySelector('.unread-divider');
    if (!divider) return;
    list.scrollTop += divider.getBoundingClientRect().top - list.getBoundingClientRect().top - 4;
    this.#atBottom = list.scrollHeight - list.scrollTop - list.clientHeight < BOTTOM_SLACK;
    this.jumpVisible = !this.#atBottom;
  }
}
