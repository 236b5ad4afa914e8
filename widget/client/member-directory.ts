/**
 * A big room's member list, on demand (`presence:list`): the first page for
 * a search, then the pages after it. A newer search replaces the list and
 * wins over answers still on their way. Plain TypeScript, no DOM: the member
 * panel (a lazy part) is its only user.
 */
import { NICKNAME_MAX_LENGTH, PRESENCE_PAGE_SIZE, type PresenceListRequest, type UserInfo } from '../../protocol/index.js';
import { Emitter } from './emitter.js';
import type { ClientError } from './errors.js';
import type { Link } from './link.js';

/** Typing in the search box asks the server once the typing pauses this long. */
export const SEARCH_DEBOUNCE_MS = 250;

export class MemberDirectory extends Emitter<{ change: () => void }> {
  /** The members found so far, sorted by name (case-folded, then id). */
  members: UserInfo[] = [];
  /** The search the list is for: a name prefix, '' for everyone. */
  query = '';
  /** Everybody in the room, whatever the search (from the last page). */
  count = 0;
  /** A request is on its way. */
  loading = false;
  /** Why the last request failed, or null. */
  error: ClientError | null = null;
  /** True once a page came in. */
  loaded = false;
  #next: string | undefined;
  #request = 0;
  #timer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    readonly link: Link,
    readonly room: string,
  ) {
    super();
  }

  /** More pages follow the ones shown. */
  get hasMore(): boolean {
    return this.#next !== undefined;
  }

  /** The first page for `query` (trimmed, at most a name's length), replacing the list. */
  search(query = this.query): Promise<void> {
    clearTimeout(this.#timer);
    this.query = [...query.trim()].slice(0, NICKNAME_MAX_LENGTH).join('');
    return this.#fetch();
  }

  /** `search(query)` once the typing pauses (`SEARCH_DEBOUNCE_MS`): one request per pause, not per key. */
  type(query: string): void {
    clearTimeout(this.#timer);
    this.#timer = setTimeout(() => void this.search(query), SEARCH_DEBOUNCE_MS);
  }

  /** The page after the last one shown; nothing when there is none or a request is on its way. */
  async more(): Promise<void> {
    if (this.#next !== undefined && !this.loading) await this.#fetch(this.#next);
  }

  /** Stops a pending search (the panel closed). */
  stop(): void {
    clearTimeout(this.#timer);
  }

  async #fetch(after?: string): Promise<void> {
    const id = ++this.#request;
    this.loading = true;
    this.emit('change');
    const req: PresenceListRequest = { room: this.room, limit: PRESENCE_PAGE_SIZE };
    if (this.query) req.query = this.query;
    if (after) req.after = after;
    const ack = await this.link.request('presence:list', req);
    // A newer search (or page) was asked for meanwhile: its answer is the one to show.
    if (id !== this.#request) return;
    this.loading = false;
    if (ack.ok) {
      const { members, count, next } = ack.data;
      // Someone who joined between two pages can come twice: keep the first.
      const seen = new Set(after ? this.members.map((m) => m.id) : []);
      this.members = [...(after ? this.members : []), ...members.filter((m) => !seen.has(m.id))];
      this.count = count;
      this.#next = next;
      this.error = null;
      this.loaded = true;
    } else this.error = ack.error;
    this.emit('change');
  }
}
