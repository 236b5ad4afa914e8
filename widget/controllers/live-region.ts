/**
 * The message list is a polite live region only once a conversation's history
 * is in the DOM: history landing (first load, older pages) is not announced,
 * messages arriving afterwards are.
 */
import type { ReactiveController } from 'lit';
import type { Conversation } from '../client/conversation.js';
import type { ChatHost } from './host.js';

export class LiveRegionController implements ReactiveController {
  readonly #host: ChatHost;
  readonly #current: () => Conversation | null;
  /** The conversation the list shows (its key), as scroll anchoring last rendered it. */
  readonly #renderedKey: () => string;
  #live = false;
  #frame = 0;

  constructor(host: ChatHost, current: () => Conversation | null, renderedKey: () => string) {
    this.#host = host;
    this.#current = current;
    this.#renderedKey = renderedKey;
    host.addController(this);
  }

  /** New messages are announced. */
  get live(): boolean {
    return this.#live;
  }

  #set(live: boolean): void {
    if (live === this.#live) return;
    this.#live = live;
    this.#host.requestUpdate();
  }

  hostUpdate(): void {
    const conv = this.#current();
    if (!conv?.loaded || conv.loadingOlder || conv.key !== this.#renderedKey()) this.#set(false);
  }

  hostUpdated(): void {
    const conv = this.#current();
    if (!conv || this.#live || !conv.loaded || conv.loadingOlder || this.#frame) return;
    // Turn the live region on only after the history is in the DOM, so it is not announced.
    this.#frame = requestAnimationFrame(() => {
      this.#frame = 0;
      const c = this.#current();
      if (c?.loaded && !c.loadingOlder) this.#set(true);
    });
  }

  hostDisconnected(): void {
    cancelAnimationFrame(this.#frame);
    this.#frame = 0;
  }
}
