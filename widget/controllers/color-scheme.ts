/** The colour scheme: `theme="dark"` or `"light"`, or with `auto` the page's `prefers-color-scheme`, followed live. */
import type { ReactiveController, ReactiveControllerHost } from 'lit';

const darkQuery = globalThis.matchMedia?.('(prefers-color-scheme: dark)');

export class ColorSchemeController implements ReactiveController {
  readonly #host: ReactiveControllerHost & { readonly theme: 'light' | 'dark' | 'auto' };
  #prefersDark = darkQuery?.matches ?? false;

  constructor(host: ReactiveControllerHost & { readonly theme: 'light' | 'dark' | 'auto' }) {
    this.#host = host;
    host.addController(this);
  }

  get dark(): boolean {
    const { theme } = this.#host;
    return theme === 'dark' || (theme !== 'light' && this.#prefersDark);
  }

  hostConnected(): void {
    darkQuery?.addEventListener('change', this.#handleChange);
  }

  hostDisconnected(): void {
    darkQuery?.removeEventListener('change', this.#handleChange);
  }

  #handleChange = (): void => {
    this.#prefersDark = !!darkQuery?.matches;
    this.#host.requestUpdate();
  };
}
