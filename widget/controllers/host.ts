/**
 * What the controllers need of the element they serve: Lit's controller host,
 * the root the view is rendered into, and the element itself for events and
 * geometry. `<chat-room>` implements it today; a view rendered into the
 * shadow root of an element defined elsewhere (the script-tag loader) can too.
 */
import type { ReactiveControllerHost } from 'lit';
import type { ChatRoomEventMap } from '../events.js';

export interface ChatHost extends ReactiveControllerHost, Pick<HTMLElement, 'dispatchEvent' | 'isConnected' | 'getBoundingClientRect'> {
  readonly renderRoot: HTMLElement | DocumentFragment;
  /** The chat is on screen: the page is visible and the chat is not folded away (a closed launcher). */
  readonly shown: boolean;
}

/** Dispatches one of the element's events: they all bubble and cross the shadow boundary. */
export function emit<K extends keyof ChatRoomEventMap>(host: ChatHost, type: K, detail: ChatRoomEventMap[K]['detail']): void {
  host.dispatchEvent(new CustomEvent(type, { detail, bubbles: true, composed: true }));
}
