/**
 * Unacknowledged sends kept in storage so they survive a page reload. Every
 * tab of the page's origin shares the one entry per (server, site): a write
 * merges with what other tabs wrote instead of replacing it, and a message two
 * tabs both send is stored once anyway (the server dedupes by client id).
 */
import type { UserId } from '../../protocol/index.js';
import type { KeyValueStorage } from './storage.js';

export type SendTarget = { room: string } | { to: UserId };

/** The key of a conversation (`room:<name>`, `dm:<userId>`): the one place it is built. */
export function targetKey(target: SendTarget): string {
  return 'room' in target ? `room:${target.room}` : `dm:${target.to}`;
}

/** What survives a reload of one pending send. */
export interface StoredSend {
  clientId: string;
  target: SendTarget;
  text: string;
  createdAt: number;
  /** The user who wrote it, when known: another user signing in on this browser does not send it. */
  owner?: UserId;
  /** The message it answers (room messages). */
  replyTo?: string;
  /** The upload id of its image (room messages). */
  image?: string;
}

export function pendingStorageKey(server: string, site: string): string {
  return `chat-room:outbox:${server}|${site}`;
}

export class PendingStore {
  readonly #storage: KeyValueStorage;
  readonly #key: string;

  constructor(storage: KeyValueStorage, key: string) {
    this.#storage = storage;
    this.#key = key;
  }

  load(): StoredSend[] {
    try {
      const parsed: unknown = JSON.parse(this.#storage.getItem(this.#key) ?? '[]');
      return Array.isArray(parsed) ? parsed.filter(isStoredSend) : [];
    } catch {
      return [];
    }
  }

  /** Writes `mine`, keeps what other tabs stored, and drops the `settled` ids (acked or discarded here). */
  save(mine: readonly StoredSend[], settled: ReadonlySet<string>): void {
    const ids = new Set(mine.map((s) => s.clientId));
    const others = this.load().filter((s) => !ids.has(s.clientId) && !settled.has(s.clientId));
    const all = [...others, ...mine].sort((a, b) => a.createdAt - b.createdAt);
    this.#storage.setItem(this.#key, JSON.stringify(all));
  }
}

function isStoredSend(value: unknown): value is StoredSend {
  if (typeof value !== 'object' || value === null) return false;
  const s = value as Partial<StoredSend> & { target?: Record<string, unknown> };
  const target = s.target;
  return (
    typeof s.clientId === 'string' &&
    typeof s.text === 'string' &&
    typeof s.createdAt === 'number' &&
    typeof target === 'object' &&
    target !== null &&
    (typeof target.room === 'string' || typeof target.to === 'string')
  );
}
