/**
 * The unread count in the page title while the page is hidden: "(3) Original
 * title". It shows once a new message arrives while hidden (never for unread
 * history alone) and the title is restored when the page is visible again or
 * nothing is unread.
 */
export class TitleBadge {
  #room = 0;
  #capped = false;
  /** Private messages that arrived while hidden (the room's count does not hold them). */
  #direct = 0;
  #armed = false;
  /** The page's own title; a title the page sets while the badge shows becomes the new one. */
  #original = document.title;
  #shown = document.title;
  readonly #off = new AbortController();

  constructor() {
    document.addEventListener(
      'visibilitychange',
      () => {
        if (document.visibilityState === 'visible') this.#reset();
      },
      { signal: this.#off.signal },
    );
  }

  /** The room's unread count (`capped`: a lower bound). */
  unread(count: number, capped: boolean): void {
    this.#room = count;
    this.#capped = capped;
    this.#render();
  }

  /** A new message of someone else arrived while the page is hidden. */
  arrived(direct: boolean): void {
    this.#armed = true;
    if (direct) this.#direct++;
    this.#render();
  }

  destroy(): void {
    this.#off.abort();
    this.#reset();
  }

  #reset(): void {
    this.#armed = false;
    this.#direct = 0;
    this.#render();
  }

  #render(): void {
    if (document.title !== this.#shown) this.#original = document.title;
    const count = this.#room + this.#direct;
    const title = this.#armed && count ? `(${count}${this.#capped ? '+' : ''}) ${this.#original}` : this.#original;
    if (title !== document.title) document.title = title;
    this.#shown = title;
  }
}
