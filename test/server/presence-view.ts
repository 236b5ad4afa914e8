/**
 * A room's member list as a protocol 4 client keeps it: the list of the
 * join's answer, then every live update: a list replaces it, a delta changes
 * it, and a delta whose `base` is above the version held (an update missed)
 * makes it fetch the list anew with `presence:list`.
 */
import { PRESENCE_PAGE_MAX } from '../../protocol/index.js';
import type { ListedPresence, PresenceUpdate, UserInfo } from '../../protocol/index.js';
import type { Client } from './helpers.js';
import { sleep } from './helpers.js';

/** The list after `update`, from a list at its `base` or later. */
export function applied(members: UserInfo[], update: Omit<PresenceUpdate, 'room'>): UserInfo[] {
  if (update.members) return update.members;
  const add = [...(update.joined?.users ?? []), ...(update.updated ?? [])];
  const out = new Set([...add, ...(update.left?.users ?? [])].map((u) => u.id));
  return [...members.filter((m) => !out.has(m.id)), ...add].sort((a, b) => (listKey(a) < listKey(b) ? -1 : 1));
}

function listKey(u: UserInfo): string {
  return `${u.name.toLowerCase()}\0${u.id}`;
}

export interface PresenceViewOptions {
  /** Updates for which this returns true are dropped, as if lost on the way. */
  lose?: (update: PresenceUpdate) => boolean;
}

export class PresenceView {
  members: UserInfo[];
  count: number;
  version: number;
  /** Updates that were deltas, lists, and the lists fetched after a gap. */
  deltas = 0;
  lists = 0;
  refetches = 0;
  #fetching = 0;

  constructor(
    private readonly socket: Client,
    readonly room: string,
    answer: ListedPresence,
    private readonly options: PresenceViewOptions = {},
  ) {
    this.members = answer.members;
    this.count = answer.count;
    this.version = answer.version;
    socket.on('presence:update', (p) => this.#update(p));
  }

  /** Member ids in list order. */
  get ids(): string[] {
    return this.members.map((m) => m.id);
  }

  /** Waits (polling) until `done` holds and no refetch is on its way. */
  async until(done: (view: PresenceView) => boolean, timeoutMs = 5000): Promise<void> {
    const end = Date.now() + timeoutMs;
    while (!(done(this) && this.#fetching === 0)) {
      if (Date.now() > end) throw new Error(`presence view: timed out at ${JSON.stringify({ count: this.count, names: this.members.map((m) => m.name) })}`);
      await sleep(20);
    }
  }

  #update(p: PresenceUpdate): void {
    if (p.room !== this.room || p.version <= this.version || this.options.lose?.(p)) return;
    const gap = !p.members && p.base! > this.version;
    if (p.members) this.lists++;
    else this.deltas++;
    this.members = applied(this.members, p);
    this.count = p.count;
    this.version = p.version;
    if (gap) void this.#refetch();
  }

  async #refetch(): Promise<void> {
    this.refetches++;
    this.#fetching++;
    const page = await this.socket.emitWithAck('presence:list', { room: this.room, limit: PRESENCE_PAGE_MAX });
    this.#fetching--;
    if (!page.ok) throw new Error(page.error.message);
    this.members = page.data.members;
    this.count = page.data.count;
  }
}
