/**
 * After the server refused this page's protocol version (`client_outdated`),
 * only a reload brings a widget it accepts. Reloading under the visitor's
 * hands would lose what they are doing, so it waits for a quiet moment: the
 * page hidden (another tab, a minimised window, a locked phone) while
 * `isQuiet()` holds (for the element: composer empty, nothing
 * pending). First a cancelable `chat-room-outdated` event goes to the
 * element; a host app that calls `preventDefault()` reloads itself, or not.
 */
import type { ChatRoomEventMap } from '../events.js';

/** Dispatched on the element (bubbles, composed, cancelable) just before the reload. */
export const OUTDATED_EVENT = 'chat-room-outdated' satisfies keyof ChatRoomEventMap;

export interface ReloadWhenQuietOptions {
  /** The element the event is dispatched on. */
  host: Pick<HTMLElement, 'dispatchEvent'>;
  /** Nothing of the visitor's would be lost by a reload now. */
  isQuiet(): boolean;
  /** Default `location.reload()`. */
  reload?: () => void;
}

/**
 * Reloads once, at the first moment the document is hidden and `isQuiet()`
 * holds — at once if it is hidden and quiet already — unless the event is
 * cancelled. Answers a function that disarms it (the element went away).
 */
export function reloadWhenQuiet({ host, isQuiet, reload = () => location.reload() }: ReloadWhenQuietOptions): () => void {
  const check = (): void => {
    if (document.visibilityState !== 'hidden' || !isQuiet()) return;
    disarm();
    const event: ChatRoomEventMap[typeof OUTDATED_EVENT] = new CustomEvent(OUTDATED_EVENT, {
      detail: null,
      bubbles: true,
      composed: true,
      cancelable: true,
    });
    if (host.dispatchEvent(event)) reload();
  };
  const disarm = (): void => document.removeEventListener('visibilitychange', check);
  document.addEventListener('visibilitychange', check);
  check();
  return disarm;
}
