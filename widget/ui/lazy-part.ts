/**
 * A region of the view that few visitors open (member list, rename form):
 * its module is imported the first time it is asked for, and the view renders
 * again once it is in. Bundlers and the chunk build split it off.
 */
import type { ReactiveControllerHost } from 'lit';
import { sheet } from '../css.js';

/** A region's module may have `styles`: adopted into the view's root when it loads (one sheet per module). */
const sheets = new WeakMap<object, CSSStyleSheet>();

export class LazyPart<T extends object> {
  readonly #host: ReactiveControllerHost & { readonly renderRoot: HTMLElement | DocumentFragment };
  readonly #load: () => Promise<T>;
  #module: T | undefined;
  #loading = false;

  constructor(host: ReactiveControllerHost & { readonly renderRoot: HTMLElement | DocumentFragment }, load: () => Promise<T>) {
    this.#host = host;
    this.#load = load;
  }

  /** The module if loaded; else starts loading it (the host renders again when it is in) and answers undefined. */
  get(): T | undefined {
    if (!this.#loading) {
      this.#loading = true;
      this.#load().then(
        (module) => {
          const { styles } = module as { styles?: string };
          if (styles) {
            const root = this.#host.renderRoot as ShadowRoot;
            if (!sheets.has(module)) sheets.set(module, sheet(styles));
            root.adoptedStyleSheets = [...root.adoptedStyleSheets, sheets.get(module)!];
          }
          this.#module = module;
          this.#host.requestUpdate();
        },
        // A failed chunk (a network blip) is tried again on the next use.
        () => (this.#loading = false),
      );
    }
    return this.#module;
  }
}
