/**
 * Who is typing in big rooms, cluster-wide: each typist with the time their
 * typing expires (`TYPING_TIMEOUT_MS` after their last `typing: true`). A
 * summary goes out when the set of typists changed, or their number did
 * (someone's typing expired), since the room's previous summary.
 */
import type { UserInfo } from '../../protocol/index.js';

export interface TypingTake {
  /** Whether a summary is due: the typists changed since the last one. */
  due: boolean;
  count: number;
  /** At most the number asked for, the latest typists first. */
  users: UserInfo[];
  /** When the earliest typing left expires, if any is left. */
  nextExpiry?: number;
}

export interface TypingStore {
  /** `expiresAt` undefined: the user stopped. Answers whether the set of typists changed. */
  set(site: string, room: string, user: UserInfo, expiresAt: number | undefined): Promise<boolean>;
  /** Drops expired typing and answers the summary as of `now`, marking it sent when due. */
  take(site: string, room: string, now: number, namedMax: number): Promise<TypingTake>;
}
