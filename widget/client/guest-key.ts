import { GUEST_KEY_PATTERN } from '../../protocol/index.js';
import type { KeyValueStorage } from './storage.js';

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

/** A fresh random guest key: 32 URL-safe characters (192 bits). */
export function createGuestKey(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(32));
  let key = '';
  for (const b of bytes) key += ALPHABET[b & 63];
  return key;
}

/** The storage key under which the guest key of one server + site is kept. */
export function guestKeyStorageKey(server: string, site: string): string {
  return `chat-room:guest:${server}|${site}`;
}

/** The guest key kept for this server + site, created and stored on first use. */
export function loadGuestKey(storage: KeyValueStorage, server: string, site: string): string {
  const name = guestKeyStorageKey(server, site);
  const existing = storage.getItem(name);
  if (existing && GUEST_KEY_PATTERN.test(existing)) return existing;
  const key = createGuestKey();
  storage.setItem(name, key);
  return key;
}
