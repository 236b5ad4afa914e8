/**
 * The default store: one SQLite file (better-sqlite3, WAL) in the data
 * directory. Statements (shared ones from `statements.ts`) are prepared once;
 * seq assignment and dedupe happen in one immediate transaction, so seqs are
 * gapless and a retry never stores twice; the appends of one event-loop turn
 * share that transaction (group commit).
 */
import { SqliteUploads } from './sqlite-uploads.js';
import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { BanInfo, ChangesPage, ChatMessage, HistoryPage, MessageDeleted, Privacy, UserId, UserInfo } from '../../protocol/index.js';
import type { Logger } from '../logger.js';
import { messageId } from './message-id.js';
import { migrateSqlite } from './migrations.js';
import { pruneRichStatements } from './rich-statements.js';
import {
  insertedRow,
  newBanRow,
  newMessageRow,
  newUserRow,
  pageRows,
  plainMessageRow,
  siteRow,
  storedMessage,
  toBan,
  toMessage,
  toSite,
  toUser,
} from './rows.js';
import type { MessageRow } from './rows.js';
import { sql } from './sql.js';
import { prepare, prepareAll } from './sqlite-prepared.js';
import { SqliteRich } from './sqlite-rich.js';
import {
  ANONYMISED,
  banStatements,
  cursorStatements,
  deleteSiteRows,
  erasedParams,
  eraseStatements,
  messageStatements,
  siteStatements,
  SITE_TABLES,
  userStatements,
} from './statements.js';
import type { ErasedParams } from './statements.js';
import { WalCheckpointer } from './wal-checkpointer.js';
import { toWidgetChunk, widgetChunkRow, widgetChunkStatements } from './widget-chunk-statements.js';
import type {
  AppendResult,
  BanDraft,
  BlockOutcome,
  ChatStore,
  CreateUserResult,
  ErasedUser,
  HistoryQuery,
  MessageDraft,
  NewUser,
  ReactOutcome,
  Site,
  UnreadCount,
  WidgetChunk,
  ReleasedUploads,
  UploadRecord,
} from './store.js';

export const SQLITE_FILE_NAME = 'chat-room.sqlite';

/** What only SQLite runs: the check-first name lookup (one writer, so nothing slips in between) and erase's two-step tombstoning. */
const SQLITE_ONLY = {
  nameKeyHolder: sql<{ site: string; name_key: string }, { id: string }>(
    'SELECT id FROM users WHERE site = :site AND name_key = :name_key',
  ),
  liveRoomMessagesOf: sql<ErasedParams, MessageDeleted>(
    `SELECT room, id, seq FROM messages
     WHERE site = :site AND sender_id = :userId AND recipient IS NULL AND deleted = 0 ORDER BY at, room, seq`,
  ),
  anonymise: sql<ErasedParams>(`UPDATE messages SET ${ANONYMISED} WHERE site = :site AND sender_id = :userId AND recipient IS NULL`),
};

interface QueuedAppend {
  site: string;
  draft: MessageDraft;
  resolve(result: AppendResult): void;
  reject(error: unknown): void;
}

export class SqliteStore implements ChatStore {
  private readonly db: Database.Database;
  private readonly sites;
  private readonly users;
  private readonly messages;
  private readonly cursors;
  private readonly bans;
  private readonly erase;
  private readonly only;
  private readonly uploads: SqliteUploads;
  private readonly rich: SqliteRich;
  private readonly pruneTx: (site: string, before: number) => number;
  private readonly appendTx: (site: string, draft: MessageDraft) => AppendResult;
  private readonly appendManyTx: (items: readonly QueuedAppend[]) => AppendResult[];
  /** Appends waiting for the next group commit. */
  private queue: QueuedAppend[] = [];
  /** Set by `open`: a store on a connection of the caller's checkpoints on that connection, as SQLite does by default. */
  private checkpointer?: WalCheckpointer;
  private readonly removeSiteTx: (id: string) => boolean;
  private readonly addSiteTx: (site: Site) => boolean;
  private readonly eraseTx: (site: string, userId: string) => ErasedUser;
  private readonly widget;
  private readonly recordWidgetBuildTx: (build: string, chunks: readonly WidgetChunk[], seen: number) => void;
  private readonly pruneWidgetBuildsTx: (keep: number, since: number) => number;

  /** Opens (creating when missing) `<dataDir>/chat-room.sqlite`, migrates it, and checkpoints its WAL from a worker thread. */
  static open(dataDir: string, logger?: Logger): SqliteStore {
    mkdirSync(dataDir, { recursive: true });
    const file = join(dataDir, SQLITE_FILE_NAME);
    const store = new SqliteStore(new Database(file));
    try {
      store.checkpointer = new WalCheckpointer(store.db, file, logger);
    } catch (err) {
      // Without the thread the store works as SQLite does by default: it checkpoints on its own connection.
      logger?.warn('WAL checkpoint thread not started; checkpointing on the event loop', { err });
    }
    return store;
  }

  constructor(db: Database.Database) {
    this.db = db;
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.pragma('foreign_keys = ON');
    db.pragma('busy_timeout = 5000');
    migrateSqlite(db);

    this.sites = prepareAll(db, siteStatements);
    const siteRows = SITE_TABLES.map((table) => prepare(db, deleteSiteRows(table)));
    this.users = prepareAll(db, userStatements);
    this.messages = prepareAll(db, messageStatements);
    this.cursors = prepareAll(db, cursorStatements);
    this.bans = prepareAll(db, banStatements);
    this.erase = prepareAll(db, eraseStatements);
    this.only = prepareAll(db, SQLITE_ONLY);
    this.widget = prepareAll(db, widgetChunkStatements);
    this.rich = new SqliteRich(db);
    this.uploads = new SqliteUploads(db);
    const pruneRich = prepareAll(db, pruneRichStatements);

    this.pruneTx = db.transaction((site: string, before: number): number => {
      pruneRich.reactions.run({ site, before });
      pruneRich.mentions.run({ site, before });
      return this.messages.prune.run({ site, before }).changes;
    });

    this.recordWidgetBuildTx = db.transaction((build: string, chunks: readonly WidgetChunk[], seen: number): void => {
      this.widget.recordBuild.run({ id: build, seen });
      for (const chunk of chunks) {
        this.widget.storeChunk.run(widgetChunkRow(chunk));
        this.widget.linkChunk.run({ build, chunk: chunk.name });
      }
    });

    this.pruneWidgetBuildsTx = db.transaction((keep: number, since: number): number => {
      const builds = this.widget.pruneBuilds.run({ keep, since }).changes;
      this.widget.pruneLinks.run({});
      this.widget.pruneChunks.run({});
      return builds;
    });

    this.addSiteTx = db.transaction((site: Site): boolean => {
      if (this.sites.add.run(siteRow(site)).changes === 0) return false;
      for (const stmt of siteRows) stmt.run({ site: site.id });
      return true;
    });

    this.removeSiteTx = db.transaction((id: string): boolean => {
      for (const stmt of siteRows) stmt.run({ site: id });
      return this.sites.remove.run({ site: id }).changes > 0;
    });

    // The one erase routine: a table added later that names a user joins `eraseStatements` (or both drivers' erase).
    this.eraseTx = db.transaction((site: string, userId: string): ErasedUser => {
      const params = erasedParams(site, userId);
      const live = this.only.liveRoomMessagesOf.all(params);
      this.rich.eraseOwnRows(params);
      this.only.anonymise.run(params);
      const tombstoned = this.rich.stampTombstones(site, live);
      const privateRemoved = this.erase.privateMessages.run(params).changes;
      this.erase.cursors.run(params);
      this.erase.bansOnUserAlone.run(params);
      this.erase.bansWithAddress.run(params);
      const profile = this.erase.profile.run(params).changes > 0;
      this.erase.roomRevs.run(params);
      this.erase.uploads.run(params);
      this.rich.eraseTraces(params);
      return { tombstoned, privateRemoved, profile };
    });

    const appendOne = (site: string, draft: MessageDraft): AppendResult => {
      const existing = this.messages.byClientId.get({ site, sender_id: draft.from.id, client_id: draft.clientId });
      if (existing) return { message: this.rich.read(site, [existing])[0]!, duplicate: true };
      const seq = this.messages.lastSeq.get({ site, room: draft.room })!.seq + 1;
      const id = messageId(draft.at);
      const plain = plainMessageRow(site, id, seq, draft);
      if (plain) this.messages.insertPlain.run(plain);
      else this.messages.insert.run(newMessageRow(site, id, seq, draft));
      if (!draft.mentions?.length && draft.replyTo === undefined) return { message: storedMessage(id, seq, draft), duplicate: false };
      // A reply or a mention: read back as any message is.
      this.rich.insertMentions(site, id, draft.mentions);
      return { message: this.rich.read(site, [insertedRow(newMessageRow(site, id, seq, draft))])[0]!, duplicate: false };
    };
    this.appendTx = db.transaction(appendOne).immediate;
    this.appendManyTx = db.transaction((items: readonly QueuedAppend[]) => items.map((a) => appendOne(a.site, a.draft))).immediate;
  }

  async getSite(id: string): Promise<Site | undefined> {
    const row = this.sites.get.get({ id });
    return row && toSite(row);
  }

  async listSites(): Promise<Site[]> {
    return this.sites.list.all({}).map(toSite);
  }

  async addSite(site: Site): Promise<boolean> {
    return this.addSiteTx(site);
  }

  async updateSite(site: Site): Promise<boolean> {
    return this.sites.update.run(siteRow(site)).changes > 0;
  }

  async removeSite(id: string): Promise<boolean> {
    return this.removeSiteTx(id);
  }

  async getUser(site: string, id: string): Promise<UserInfo | undefined> {
    const row = this.users.get.get({ site, id });
    return row && toUser(row);
  }

  async saveIdentifiedUser(site: string, user: NewUser): Promise<void> {
    this.users.saveIdentified.run(newUserRow(site, user, Date.now()));
  }

  async identifiedUserBySkeleton(site: string, skeleton: string, exceptId: string): Promise<string | undefined> {
    return this.users.identifiedBySkeleton.get({ site, skeleton, exceptId })?.id;
  }

  async createUser(site: string, user: NewUser): Promise<CreateUserResult> {
    // Checked first so the outcome does not depend on parsing constraint errors;
    // SQLite has one writer, so nothing can slip in between.
    if (this.users.idExists.get({ site, id: user.id })) return 'id_taken';
    if (this.only.nameKeyHolder.get({ site, name_key: user.nameKey })) return 'name_taken';
    this.users.insert.run(newUserRow(site, user, Date.now()));
    return 'created';
  }

  async renameUser(site: string, id: string, name: string, nameKey: string, skeleton: string): Promise<boolean> {
    const holder = this.only.nameKeyHolder.get({ site, name_key: nameKey });
    if (holder && holder.id !== id) return false;
    this.users.rename.run({ site, id, name, name_key: nameKey, skeleton });
    return true;
  }

  /** Resolves once the message is committed; appends of one event-loop turn share one transaction (see `commitQueued`). */
  appendMessage(site: string, draft: MessageDraft): Promise<AppendResult> {
    return new Promise((resolve, reject) => {
      if (this.queue.push({ site, draft, resolve, reject }) === 1) setImmediate(() => this.commitQueued());
    });
  }

  /**
   * Group commit: one transaction, so one WAL commit, for every append queued
   * since the last, instead of one each — several times the throughput under
   * load, at no cost when idle. A failing batch is retried one append at a
   * time, so one bad append cannot fail the others.
   */
  private commitQueued(): void {
    const batch = this.queue;
    this.queue = [];
    if (!batch.length) return;
    let results: AppendResult[];
    try {
      results = this.appendManyTx(batch);
    } catch {
      for (const item of batch) {
        try {
          item.resolve(this.appendTx(item.site, item.draft));
        } catch (err) {
          item.reject(err);
        }
      }
      return;
    }
    batch.forEach((item, i) => item.resolve(results[i]!));
  }

  async history(site: string, room: string, query: HistoryQuery): Promise<HistoryPage> {
    const take = query.limit + 1;
    let rows: MessageRow[];
    if (query.afterSeq !== undefined) {
      rows = this.messages.after.all({ site, room, seq: query.afterSeq, take });
    } else if (query.beforeSeq !== undefined) {
      rows = this.messages.before.all({ site, room, seq: query.beforeSeq, take }).reverse();
    } else {
      rows = this.messages.newest.all({ site, room, take }).reverse();
    }
    const page = pageRows(rows, query);
    return { messages: this.rich.read(site, page.rows, query.reader), hasMore: page.hasMore };
  }

  async lastSeq(site: string, room: string): Promise<number> {
    return this.messages.lastSeq.get({ site, room })!.seq;
  }

  async getMessage(site: string, id: string, reader?: UserId): Promise<ChatMessage | undefined> {
    const row = this.messages.get.get({ site, id });
    return row && this.rich.read(site, [row], reader)[0];
  }

  async deleteMessage(site: string, id: string): Promise<ChatMessage | undefined> {
    return this.rich.deleteMessage(site, id);
  }

  async editMessage(site: string, id: string, text: string, mentions: UserId[], at: number): Promise<ChatMessage | undefined> {
    return this.rich.editMessage(site, id, text, mentions, at);
  }

  async react(site: string, id: string, user: UserId, emoji: string, on: boolean, maxDistinct: number): Promise<ReactOutcome> {
    return this.rich.react(site, id, user, emoji, on, maxDistinct);
  }

  async lastRev(site: string, room: string): Promise<number> {
    return this.rich.lastRev(site, room);
  }

  async changes(site: string, room: string, after: number, limit: number, reader: UserId): Promise<ChangesPage> {
    return this.rich.changes(site, room, after, limit, reader);
  }

  async existingUsers(site: string, ids: readonly UserId[]): Promise<UserId[]> {
    return this.rich.existingUsers(site, ids);
  }

  async getPrivacy(site: string, user: UserId): Promise<Privacy> {
    return this.rich.getPrivacy(site, user);
  }

  async setBlocked(site: string, user: UserId, target: UserId, blocked: boolean, max: number): Promise<BlockOutcome> {
    return this.rich.setBlocked(site, user, target, blocked, max);
  }

  async setRefuseGuestDms(site: string, user: UserId, refuse: boolean): Promise<void> {
    this.rich.setRefuseGuestDms(site, user, refuse);
  }

  async blocks(site: string, user: UserId, other: UserId): Promise<boolean> {
    return this.rich.blocks(site, user, other);
  }

  async messagesBy(site: string, userId: string): Promise<ChatMessage[]> {
    return this.messages.by.all({ site, sender_id: userId }).map(toMessage);
  }

  async eraseUser(site: string, userId: string): Promise<ErasedUser> {
    return this.eraseTx(site, userId);
  }

  async pruneMessages(site: string, before: number): Promise<number> {
    return this.pruneTx(site, before);
  }

  async getCursor(site: string, userId: string, room: string): Promise<number> {
    return this.cursors.get.get({ site, user_id: userId, room })?.seq ?? 0;
  }

  async advanceCursor(site: string, userId: string, room: string, seq: number): Promise<number> {
    this.cursors.advance.run({ site, user_id: userId, room, seq, updated: Date.now() });
    return this.getCursor(site, userId, room);
  }

  async countUnread(site: string, room: string, afterSeq: number, reader: string, cap: number): Promise<UnreadCount> {
    const { seen, n } = this.cursors.countUnread.get({ site, room, afterSeq, reader, window: cap + 1 })!;
    return { count: Math.min(n, cap), capped: seen > cap };
  }

  async addBan(site: string, draft: BanDraft): Promise<BanInfo> {
    const ban: BanInfo = { id: randomUUID(), ...draft };
    this.bans.insert.run(newBanRow(site, ban.id, draft));
    return ban;
  }

  async removeBan(site: string, id: string): Promise<boolean> {
    return this.bans.remove.run({ site, id }).changes > 0;
  }

  async activeBans(site: string, now: number): Promise<BanInfo[]> {
    return this.bans.active.all({ site, now }).map(toBan);
  }

  async recordWidgetBuild(build: string, chunks: readonly WidgetChunk[], seen: number): Promise<void> {
    this.recordWidgetBuildTx(build, chunks, seen);
  }

  async widgetChunkNames(): Promise<string[]> {
    return this.widget.names.all({}).map((row) => row.name);
  }

  async getWidgetChunk(name: string): Promise<WidgetChunk | undefined> {
    const row = this.widget.get.get({ name });
    return row && toWidgetChunk(row);
  }

  async pruneWidgetBuilds(keep: number, since: number): Promise<number> {
    return this.pruneWidgetBuildsTx(keep, since);
  }

  async addUpload(site: string, upload: UploadRecord): Promise<void> {
    return this.uploads.add(site, upload);
  }

  async getUpload(site: string, id: string): Promise<UploadRecord | undefined> {
    return this.uploads.get(site, id);
  }

  async claimUpload(site: string, id: string, user: UserId, clientId: string): Promise<boolean> {
    return this.uploads.claim(site, id, user, clientId);
  }

  async setUploadMessage(site: string, id: string, messageId: string): Promise<void> {
    return this.uploads.setMessage(site, id, messageId);
  }

  async uploadBytes(site: string): Promise<number> {
    return this.uploads.bytes(site);
  }

  async releaseUploads(site: string, unusedBefore: number, limit: number): Promise<ReleasedUploads> {
    return this.uploads.release(site, unusedBefore, limit);
  }

  async close(): Promise<void> {
    // What is queued was promised a commit.
    if (this.db.open) this.commitQueued();
    await this.checkpointer?.close();
    if (this.db.open) this.db.close();
  }
}
