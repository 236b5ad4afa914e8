/**
 * A region of the view that few visitors open (member list, rename form):
 * its module is imported the first time it is asked for, and the view renders
 * again once it is in. Bundlers and the chunk build split it off.
 */
import { sheet } from '../css.js';

/** A region's module may have `styles`: adopted into the view's root when it loads (one sheet per module). */
const sheets = new WeakMap<object, CSSStyleSheet>();

/** The view, which renders again (and holds `updateComplete`) until a tracked load is in. */
interface LazyHost {
  readonly renderRoot: HTMLElement | DocumentFragment;
  track(loading: Promise<unknown>): void;
  requestUpdate(): void;
}

export class LazyPart<T extends object> {
  readonly #host: LazyHost;
  readonly #load: () => Promise<T>;
  #module: T | undefined;
  #loading = false;
  readonly #quiet: boolean;

  /** A `quiet` part's load does not hold the view's `updateComplete`: it renders again once in, like a message arriving. */
  constructor(host: LazyHost, load: () => Promise<T>, quiet = false) {
    this.#host = host;
    this.#load = load;
    this.#quiet = quiet;
  }

  /** The module if loaded (without loading it). */
  get loaded(): T | undefined {
    return this.#module;
  }

  /** The module if loaded; else starts loading it (the host renders again when it is in) and answers undefined. */
  get(): T | undefined {
    if (!this.#loading) {
      this.#loading = true;
      const loading = this.#load().then(
        (module) => {
          const { styles } = module as { styles?: string };
          if (styles) {
            const root = this.#host.renderRoot as ShadowRoot;
            if (!sheets.has(module)) sheets.set(module, sheet(styles));
            root.adoptedStyleSheets = [...root.adoptedStyleSheets, sheets.get(module)!];
          }
          this.#module = module;
        },
        // A failed chunk (a network blip) is tried again on the next use.
        () => (this.#loading = false),
      );
      if (this.#quiet) void loading.then(() => this.#host.requestUpdate());
      else this.#host.track(loading);
    }
    return this.#module;
  }
}
