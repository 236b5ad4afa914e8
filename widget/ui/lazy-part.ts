/**
 * A region of the view that few visitors open (member list, rename form):
 * its module is imported the first time it is asked for, and the view renders
 * again once it is in. Bundlers and the chunk build split it off.
 */
import type { ReactiveControllerHost } from 'lit';

export class LazyPart<T> {
  readonly #host: ReactiveControllerHost;
  readonly #load: () => Promise<T>;
  #module: T | undefined;
  #loading = false;

  constructor(host: ReactiveControllerHost, load: () => Promise<T>) {
    this.#host = host;
    this.#load = load;
  }

  /** The module if loaded; else starts loading it (the host renders again when it is in) and answers undefined. */
  get(): T | undefined {
    if (!this.#loading) {
      this.#loading = true;
      this.#load().then(
        (module) => {
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
