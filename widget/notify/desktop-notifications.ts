/**
 * Desktop notifications (the Notification API). Permission is asked only from
 * a click inside the widget, never on load: the first click while the browser
 * has not been asked yet ('default') asks, once per page.
 */
/** Notification texts are visitor input: bounded (the system cuts them shorter anyway). */
const MAX_BODY = 200;

export class DesktopNotifications {
  #asked = false;
  readonly #off = new AbortController();

  constructor(widget: HTMLElement) {
    widget.addEventListener(
      'click',
      () => {
        if (this.#asked || !supported() || Notification.permission !== 'default') return;
        this.#asked = true;
        void Notification.requestPermission();
      },
      { signal: this.#off.signal },
    );
  }

  /** Shows one when allowed; one per `tag` at a time (a newer one replaces it). Clicking it focuses the tab, then `opened()`. */
  show(title: string, body: string, tag: string, opened: () => void): void {
    if (!supported() || Notification.permission !== 'granted') return;
    try {
      const n = new Notification(title, { body: body.slice(0, MAX_BODY), tag });
      n.onclick = () => {
        focus();
        n.close();
        opened();
      };
    } catch {
      // Chrome on Android: pages may show them only through a service worker. Nothing shown.
    }
  }

  destroy(): void {
    this.#off.abort();
  }
}

/** Safari on iOS has no Notification outside an installed web app. */
function supported(): boolean {
  return typeof Notification === 'function';
}
