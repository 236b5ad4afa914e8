/**
 * The reactive-controller host of the chat view: what LitElement does for an
 * element, for a view rendered into the shadow root of an element defined
 * elsewhere (the `<chat-room>` the loader defines without Lit). Controllers
 * get `hostConnected`/`hostUpdate`/`hostUpdated`/`hostDisconnected`; updates
 * are batched to one render per microtask; `updateComplete` settles once no
 * update is pending.
 */
import { render, type RenderOptions, type TemplateResult } from 'lit/html.js';
import type { ReactiveController } from 'lit';
import type { ChatRoomEventMap } from '../events.js';
import type { ChatHost } from '../controllers/host.js';

export abstract class ViewHost<E extends HTMLElement = HTMLElement> implements ChatHost {
  readonly #controllers = new Set<ReactiveController>();
  /** The element the view belongs to: its settings, its events. */
  protected readonly element: E;
  readonly #container: HTMLElement | DocumentFragment;
  readonly #options: RenderOptions;
  #pending: Promise<boolean> | null = null;
  /** Modules being loaded for the view (a region, a language): `updateComplete` waits for them too. */
  readonly #loading = new Set<Promise<unknown>>();
  #connected = false;
  #folded = false;

  /** Renders into `container` (`element`'s shadow root or a region of it); events are dispatched on `element`. */
  constructor(element: E, container: HTMLElement | DocumentFragment) {
    this.element = element;
    this.#container = container;
    this.#options = { host: element };
  }

  get renderRoot(): ShadowRoot {
    return this.element.shadowRoot!;
  }

  get isConnected(): boolean {
    return this.#connected && this.element.isConnected;
  }

  get shown(): boolean {
    return !this.#folded && document.visibilityState === 'visible';
  }

  /** The chat was folded away (a closed launcher panel: messages arriving are not read) or shown again. */
  setFolded(folded: boolean): void {
    this.#folded = folded;
    this.requestUpdate();
  }

  dispatchEvent<K extends keyof ChatRoomEventMap>(event: ChatRoomEventMap[K] | Event): boolean {
    return this.element.dispatchEvent(event);
  }

  getBoundingClientRect(): DOMRect {
    return this.element.getBoundingClientRect();
  }

  addController(controller: ReactiveController): void {
    this.#controllers.add(controller);
    if (this.#connected) controller.hostConnected?.();
  }

  removeController(controller: ReactiveController): void {
    this.#controllers.delete(controller);
  }

  requestUpdate(): void {
    this.#pending ??= Promise.resolve().then(() => this.#update());
  }

  /** Settles once the view rendered everything asked of it so far (later requests and the modules they load included). */
  get updateComplete(): Promise<boolean> {
    return (async () => {
      while (this.#pending || this.#loading.size) await (this.#pending ?? Promise.all(this.#loading));
      return true;
    })();
  }

  /** A module the view is loading: it renders again once it is in, and `updateComplete` waits for that. */
  track(loading: Promise<unknown>): void {
    this.#loading.add(loading);
    // A failed load renders nothing new (no retry loop): the next render that asks for it tries again.
    loading.then(
      () => {
        this.#loading.delete(loading);
        this.requestUpdate();
      },
      () => this.#loading.delete(loading),
    );
  }

  /** The element entered (true) or left (false) the document. */
  setConnected(connected: boolean): void {
    if (connected === this.#connected) return;
    this.#connected = connected;
    for (const c of this.#controllers) {
      if (connected) c.hostConnected?.();
      else c.hostDisconnected?.();
    }
    if (connected) this.requestUpdate();
  }

  protected abstract render(): TemplateResult;

  /** After every controller's `hostUpdated`. */
  protected updated(): void {}

  #update(): boolean {
    // As in Lit, requests made while controllers prepare the render join this update; later ones schedule another.
    try {
      if (!this.#connected) return false;
      for (const c of this.#controllers) c.hostUpdate?.();
      render(this.render(), this.#container, this.#options);
    } finally {
      this.#pending = null;
    }
    for (const c of this.#controllers) c.hostUpdated?.();
    this.updated();
    return true;
  }
}
