/**
 * An inline `<chat-room>` opens its connection as soon as the connection layer
 * is in, before the chat view is (the loader fetches both at once): the view
 * then finds the channel open or opening in the registry, and the handshake
 * overlaps evaluating and rendering the view instead of following them.
 */
import { acquireChannel, releaseChannel, type AcquireOptions } from './registry.js';
import { safeStorage } from './storage.js';

const storage = safeStorage(() => globalThis.localStorage);

/** Holds the channel the view will use until `release()` (the view holds its own by then). */
export function preconnect(options: Omit<AcquireOptions, 'storage'>): () => void {
  const channel = acquireChannel({ ...options, storage });
  return () => releaseChannel(channel);
}
