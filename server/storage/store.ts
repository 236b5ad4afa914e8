/**
 * The storage seam. Handlers and services only see this interface, so the
 * SQLite default and a PostgreSQL driver are interchangeable. Every method is
 * async even where the driver is synchronous. Delivery cursors and bans will be
 * added here as further methods when those features land.
 */
import type { ChatMessage, HistoryPage, UserId, UserInfo } from '../../protocol/index.js';

/** A tenant: one embedding website with its own namespace, users and rooms. */
export interface Site {
  id: string;
  name: string;
  /** Origins allowed to connect: exact (`https://a.example`) or with a `*` port (`http://localhost:*`). */
  origins: string[];
  /** Server-side secret: derives public user ids, later signs identity tokens and guards the admin API. */
  secret: string;
  created: number;
}

export interface NewUser extends UserInfo {
  /** The normalised name the per-site uniqueness is checked on. */
  nameKey: string;
}

/** Outcome of inserting a user: stored, or which unique key collided. */
export type CreateUserResult = 'created' | 'name_taken' | 'id_taken';

/** A message before the store gives it an id and a seq. */
export interface MessageDraft {
  room: string;
  clientId: string;
  from: UserInfo;
  text: string;
  at: number;
  to?: UserId;
}

export interface AppendResult {
  message: ChatMessage;
  /** The (site, sender, clientId) was already stored; `message` is the original. */
  duplicate: boolean;
}

/** With `beforeSeq`, the newest below it; with `afterSeq`, the oldest above it; else the newest. Oldest first. */
export interface HistoryQuery {
  beforeSeq?: number;
  afterSeq?: number;
  limit: number;
}

export interface ChatStore {
  getSite(id: string): Promise<Site | undefined>;
  /** Inserts the site, or does nothing when its id exists. */
  addSite(site: Site): Promise<void>;

  getUser(site: string, id: UserId): Promise<UserInfo | undefined>;
  createUser(site: string, user: NewUser): Promise<CreateUserResult>;
  /** False when another user of the site holds `nameKey`. */
  renameUser(site: string, id: UserId, name: string, nameKey: string): Promise<boolean>;

  /** Stores once per (site, sender, clientId) with the next gapless `seq` of the room. */
  appendMessage(site: string, draft: MessageDraft): Promise<AppendResult>;
  history(site: string, room: string, query: HistoryQuery): Promise<HistoryPage>;
  /** Highest seq of the room, 0 when empty. */
  lastSeq(site: string, room: string): Promise<number>;

  close(): Promise<void>;
}
