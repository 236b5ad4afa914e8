/**
 * Message ids: UUIDs of version 7 (RFC 9562), the time of the append in
 * their first 48 bits, random after it. Unique across nodes like a random
 * UUID, but new ids sort after older ones, so the primary-key index grows at
 * its end: a group commit dirties one index page, not one random page per
 * message.
 */
import { randomUUID } from 'node:crypto';

/** `randomUUID()` (its random bits from a pooled buffer) with its first 12 hex digits and version replaced. */
export function messageId(now: number): string {
  const time = now.toString(16).padStart(12, '0');
  return `${time.slice(0, 8)}-${time.slice(8, 12)}-7${randomUUID().slice(15)}`;
}
