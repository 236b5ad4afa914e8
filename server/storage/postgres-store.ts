/**
 * The shared store for scale-out: PostgreSQL through a `pg` pool, so several
 * server processes can write to the same rooms. Seq assignment takes the row
 * lock of the room's counter in `room_seqs`, and dedupe is a unique constraint,
 * so seqs stay gapless and a retry is stored once whichever node receives it.
 * Statements shared with SQLite come from `statements.ts`.
 */
import { PostgresMediaFiles } from '../media/media-files.js';
import { PostgresUploads } from './postgres-uploads.js';
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import type { BanInfo, ChangesPage, ChatMessage, HistoryPage, MessageDeleted, Privacy, UserId, UserInfo } from '../../protocol/index.js';
import { messageId } from './message-id.js';
import { migratePostgres } from './postgres-migrations.js';
import { query, run, transaction } from './postgres-query.js';
import type { Queryable } from './postgres-query.js';
import { eraseOwnRows, eraseTraces, insertMentions, PostgresRich, readMessage, readMessages, stampTombstones } from './postgres-rich.js';
import { pruneRichStatements } from './rich-statements.js';
import {
  insertedRow,
  newBanRow,
  newMessageRow,
  newUserRow,
  pageRows,
  siteRow,
  storedMessage,
  toBan,
  toMessage,
  toSite,
  toUser,
} from './rows.js';
import type { MessageRow } from './rows.js';
import { sql } from './sql.js';
import type { Statement } from './sql.js';
import {
  ANONYMISED,
  banStatements,
  cursorStatements,
  deleteSiteRows,
  erasedParams,
  eraseStatements,
  IS_USERS_CONVERSATION,
  messageStatements,
  siteStatements,
  SITE_TABLES,
  userStatements,
} from './statements.js';
import type { ErasedParams } from './statements.js';
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

export interface PostgresStoreOptions {
  connectionString: string;
  /** Keep the tables in this schema (created when missing) instead of the connection's default search path. */
  schema?: string;
  /** Pool size per process. */
  max?: number;
}

/** What only PostgreSQL runs: the per-room seq counters (several writers) and erase's one-statement tombstoning. */
const POSTGRES_ONLY = {
  // Waits for any other node's transaction holding this room's counter.
  nextSeq: sql<{ site: string; room: string }, { seq: number }>(
    `INSERT INTO room_seqs (site, room, seq) VALUES (:site, :room, 1)
     ON CONFLICT (site, room) DO UPDATE SET seq = room_seqs.seq + 1 RETURNING seq`,
  ),
  // One statement tombstones and reports, so nothing is erased unannounced.
  anonymise: sql<ErasedParams, MessageDeleted>(
    `WITH erased AS (
       SELECT room, id, seq, at, NOT deleted AS live FROM messages
       WHERE site = :site AND sender_id = :userId AND recipient IS NULL
     ), anonymised AS (
       UPDATE messages SET ${ANONYMISED} FROM erased WHERE messages.id = erased.id
     )
     SELECT room, id, seq FROM erased WHERE live ORDER BY at, room COLLATE BINARY, seq`,
  ),
  // Counters of the conversations: those with messages, and by name those retention emptied.
  conversationSeqs: sql<ErasedParams>(
    `DELETE FROM room_seqs r WHERE site = :site AND (
       room IN (SELECT room FROM messages WHERE site = :site AND recipient IS NOT NULL AND (sender_id = :userId OR recipient = :userId))
       OR (${IS_USERS_CONVERSATION} AND NOT EXISTS (SELECT 1 FROM messages m WHERE m.site = :site AND m.room = r.room)))`,
  ),
};

const UNIQUE_VIOLATION = '23505';

/**
 * Held by a node recording or pruning widget builds until its transaction
 * ends, so one node's prune cannot delete a chunk another node is linking to
 * its build. Any constant other than the migration lock's.
 */
const WIDGET_BUILDS_LOCK_KEY = 7_220_150_414;

// BIGINT (times, seqs, counts) arrives as a string by default; every value
// stored here is far below 2^53, so a JS number is exact.
const TYPES = new pg.TypeOverrides();
TYPES.setTypeParser(pg.types.builtins.INT8, Number);
// JSONB lists arrive as JSON text, as SQLite stores them, so `rows.ts` decodes one shape.
TYPES.setTypeParser(pg.types.builtins.JSONB, String);

/** Everything stored under a site id but the site itself: the shared tables and the seq counters. */
const SITE_ROWS = [...SITE_TABLES, 'room_seqs'].map(deleteSiteRows);

export class PostgresStore implements ChatStore {
  private readonly pool: pg.Pool;
  private readonly uploads: PostgresUploads;
  private readonly rich: PostgresRich;

  /** Connects, creates `schema` when given, and migrates. */
  static async open(options: PostgresStoreOptions): Promise<PostgresStore> {
    const { connectionString, schema, max } = options;
    const setSearchPath = schema === undefined ? undefined : `SET search_path TO ${pg.escapeIdentifier(schema)}`;
    const pool = new pg.Pool({
      connectionString,
      max,
      types: TYPES,
      // Awaited by the pool before it hands a new connection out.
      onConnect: setSearchPath === undefined ? undefined : (client) => client.query(setSearchPath),
      // A database that does not answer fails the call instead of hanging it.
      connectionTimeoutMillis: 10_000,
    });
    // An idle connection that drops (server restart, network) is discarded by
    // the pool; without a listener the 'error' event would crash the process.
    pool.on('error', () => {});
    const store = new PostgresStore(pool);
    try {
      await store.transaction((client) => migratePostgres(client, schema));
    } catch (error) {
      await pool.end();
      throw error;
    }
    return store;
  }

  private constructor(pool: pg.Pool) {
    this.pool = pool;
    this.rich = new PostgresRich(pool);
    this.uploads = new PostgresUploads(pool);
  }

  async getSite(id: string): Promise<Site | undefined> {
    const row = await this.one(siteStatements.get, { id });
    return row && toSite(row);
  }

  async listSites(): Promise<Site[]> {
    return (await this.all(siteStatements.list, {})).map(toSite);
  }

  async addSite(site: Site): Promise<boolean> {
    return this.transaction(async (client) => {
      if ((await run(client, siteStatements.add, siteRow(site))) !== 1) return false;
      await this.deleteSiteRows(client, site.id);
      return true;
    });
  }

  async updateSite(site: Site): Promise<boolean> {
    return (await run(this.pool, siteStatements.update, siteRow(site))) === 1;
  }

  async removeSite(id: string): Promise<boolean> {
    return this.transaction(async (client) => {
      await this.deleteSiteRows(client, id);
      return (await run(client, siteStatements.remove, { site: id })) === 1;
    });
  }

  private async deleteSiteRows(client: pg.PoolClient, id: string): Promise<void> {
    for (const statement of SITE_ROWS) await run(client, statement, { site: id });
  }

  async getUser(site: string, id: string): Promise<UserInfo | undefined> {
    const row = await this.one(userStatements.get, { site, id });
    return row && toUser(row);
  }

  async createUser(site: string, user: NewUser): Promise<CreateUserResult> {
    // The constraints decide, so two nodes cannot both take a name.
    if ((await run(this.pool, userStatements.insertUnlessTaken, newUserRow(site, user, Date.now()))) === 1) return 'created';
    const idTaken = await this.one(userStatements.idExists, { site, id: user.id });
    return idTaken ? 'id_taken' : 'name_taken';
  }

  async renameUser(site: string, id: string, name: string, nameKey: string, skeleton: string): Promise<boolean> {
    try {
      await run(this.pool, userStatements.rename, { site, id, name, name_key: nameKey, skeleton });
      return true;
    } catch (error) {
      if (isUniqueViolation(error, 'users_site_name_key')) return false;
      throw error;
    }
  }

  async saveIdentifiedUser(site: string, user: NewUser): Promise<void> {
    await run(this.pool, userStatements.saveIdentified, newUserRow(site, user, Date.now()));
  }

  async identifiedUserBySkeleton(site: string, skeleton: string, exceptId: string): Promise<string | undefined> {
    return (await this.one(userStatements.identifiedBySkeleton, { site, skeleton, exceptId }))?.id;
  }

  async appendMessage(site: string, draft: MessageDraft): Promise<AppendResult> {
    try {
      return await this.transaction(async (client) => {
        const existing = await byClientId(client, site, draft);
        if (existing) return { message: existing, duplicate: true };
        const { seq } = (await query(client, POSTGRES_ONLY.nextSeq, { site, room: draft.room })).rows[0]!;
        const id = messageId(draft.at);
        const row = newMessageRow(site, id, seq, draft);
        await run(client, messageStatements.insert, row);
        if (!draft.mentions?.length && draft.replyTo === undefined) return { message: storedMessage(id, seq, draft), duplicate: false };
        // A reply or a mention: read back as any message is.
        await insertMentions(client, site, id, draft.mentions);
        return { message: await readMessage(client, site, insertedRow(row)), duplicate: false };
      });
    } catch (error) {
      // The same clientId committed on another node after our check; the
      // rollback also undid our seq bump, so the room has no gap.
      if (!isUniqueViolation(error, 'messages_dedupe')) throw error;
      const original = await byClientId(this.pool, site, draft);
      if (!original) throw error;
      return { message: original, duplicate: true };
    }
  }

  async history(site: string, room: string, query: HistoryQuery): Promise<HistoryPage> {
    const take = query.limit + 1;
    let rows: MessageRow[];
    if (query.afterSeq !== undefined) {
      rows = await this.all(messageStatements.after, { site, room, seq: query.afterSeq, take });
    } else if (query.beforeSeq !== undefined) {
      rows = (await this.all(messageStatements.before, { site, room, seq: query.beforeSeq, take })).reverse();
    } else {
      rows = (await this.all(messageStatements.newest, { site, room, take })).reverse();
    }
    const page = pageRows(rows, query);
    return { messages: await readMessages(this.pool, site, page.rows, query.reader), hasMore: page.hasMore };
  }

  async lastSeq(site: string, room: string): Promise<number> {
    return (await this.one(messageStatements.lastSeq, { site, room }))!.seq;
  }

  async getMessage(site: string, id: string, reader?: UserId): Promise<ChatMessage | undefined> {
    const row = await this.one(messageStatements.get, { site, id });
    return row && readMessage(this.pool, site, row, reader);
  }

  deleteMessage(site: string, id: string): Promise<ChatMessage | undefined> {
    return this.rich.deleteMessage(site, id);
  }

  editMessage(site: string, id: string, text: string, mentions: UserId[], at: number): Promise<ChatMessage | undefined> {
    return this.rich.editMessage(site, id, text, mentions, at);
  }

  react(site: string, id: string, user: UserId, emoji: string, on: boolean, maxDistinct: number): Promise<ReactOutcome> {
    return this.rich.react(site, id, user, emoji, on, maxDistinct);
  }

  lastRev(site: string, room: string): Promise<number> {
    return this.rich.lastRev(site, room);
  }

  changes(site: string, room: string, after: number, limit: number, reader: UserId): Promise<ChangesPage> {
    return this.rich.changes(site, room, after, limit, reader);
  }

  existingUsers(site: string, ids: readonly UserId[]): Promise<UserId[]> {
    return this.rich.existingUsers(site, ids);
  }

  getPrivacy(site: string, user: UserId): Promise<Privacy> {
    return this.rich.getPrivacy(site, user);
  }

  setBlocked(site: string, user: UserId, target: UserId, blocked: boolean, max: number): Promise<BlockOutcome> {
    return this.rich.setBlocked(site, user, target, blocked, max);
  }

  setRefuseGuestDms(site: string, user: UserId, refuse: boolean): Promise<void> {
    return this.rich.setRefuseGuestDms(site, user, refuse);
  }

  blocks(site: string, user: UserId, other: UserId): Promise<boolean> {
    return this.rich.blocks(site, user, other);
  }

  async messagesBy(site: string, userId: string): Promise<ChatMessage[]> {
    return (await this.all(messageStatements.by, { site, sender_id: userId })).map(toMessage);
  }

  async pruneMessages(site: string, before: number): Promise<number> {
    return this.transaction(async (client) => {
      await run(client, pruneRichStatements.reactions, { site, before });
      await run(client, pruneRichStatements.mentions, { site, before });
      return run(client, messageStatements.prune, { site, before });
    });
  }

  // The one erase routine: a table added later that names a user joins `eraseStatements` (or both drivers' erase).
  async eraseUser(site: string, userId: string): Promise<ErasedUser> {
    const params = erasedParams(site, userId);
    return this.transaction(async (client) => {
      const touched = await eraseOwnRows(client, params);
      const { rows: live } = await query(client, POSTGRES_ONLY.anonymise, params);
      const tombstoned = await stampTombstones(client, site, live);
      await run(client, POSTGRES_ONLY.conversationSeqs, params);
      const privateRemoved = await run(client, eraseStatements.privateMessages, params);
      await run(client, eraseStatements.cursors, params);
      await run(client, eraseStatements.bansOnUserAlone, params);
      await run(client, eraseStatements.bansWithAddress, params);
      const profile = await run(client, eraseStatements.profile, params);
      await run(client, eraseStatements.roomRevs, params);
      await run(client, eraseStatements.uploads, params);
      await eraseTraces(client, params, touched);
      return { tombstoned, privateRemoved, profile: profile === 1 };
    });
  }

  async getCursor(site: string, userId: string, room: string): Promise<number> {
    return (await this.one(cursorStatements.get, { site, user_id: userId, room }))?.seq ?? 0;
  }

  async advanceCursor(site: string, userId: string, room: string, seq: number): Promise<number> {
    await run(this.pool, cursorStatements.advance, { site, user_id: userId, room, seq, updated: Date.now() });
    return this.getCursor(site, userId, room);
  }

  async countUnread(site: string, room: string, afterSeq: number, reader: string, cap: number): Promise<UnreadCount> {
    const row = await this.one(cursorStatements.countUnread, { site, room, afterSeq, reader, window: cap + 1 });
    return { count: Math.min(row!.n, cap), capped: row!.seen > cap };
  }

  async addBan(site: string, draft: BanDraft): Promise<BanInfo> {
    const ban: BanInfo = { id: randomUUID(), ...draft };
    await run(this.pool, banStatements.insert, newBanRow(site, ban.id, draft));
    return ban;
  }

  async removeBan(site: string, id: string): Promise<boolean> {
    return (await run(this.pool, banStatements.remove, { site, id })) === 1;
  }

  async activeBans(site: string, now: number): Promise<BanInfo[]> {
    return (await this.all(banStatements.active, { site, now })).map(toBan);
  }

  async recordWidgetBuild(build: string, chunks: readonly WidgetChunk[], seen: number): Promise<void> {
    await this.transaction(async (client) => {
      await client.query('SELECT pg_advisory_xact_lock($1)', [WIDGET_BUILDS_LOCK_KEY]);
      await run(client, widgetChunkStatements.recordBuild, { id: build, seen });
      for (const chunk of chunks) {
        await run(client, widgetChunkStatements.storeChunk, widgetChunkRow(chunk));
        await run(client, widgetChunkStatements.linkChunk, { build, chunk: chunk.name });
      }
    });
  }

  async widgetChunkNames(): Promise<string[]> {
    return (await this.all(widgetChunkStatements.names, {})).map((row) => row.name);
  }

  async getWidgetChunk(name: string): Promise<WidgetChunk | undefined> {
    const row = await this.one(widgetChunkStatements.get, { name });
    return row && toWidgetChunk(row);
  }

  async pruneWidgetBuilds(keep: number, since: number): Promise<number> {
    return this.transaction(async (client) => {
      await client.query('SELECT pg_advisory_xact_lock($1)', [WIDGET_BUILDS_LOCK_KEY]);
      const builds = await run(client, widgetChunkStatements.pruneBuilds, { keep, since });
      await run(client, widgetChunkStatements.pruneLinks, {});
      await run(client, widgetChunkStatements.pruneChunks, {});
      return builds;
    });
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

  /** Image files in this database (`media_files`), for every node of a cluster to serve. */
  mediaFiles(): PostgresMediaFiles {
    return new PostgresMediaFiles(this.pool);
  }

  async close(): Promise<void> {
    if (!this.pool.ended) await this.pool.end();
  }

  private async one<P extends object, R extends pg.QueryResultRow>(statement: Statement<P, R>, params: P): Promise<R | undefined> {
    return (await query(this.pool, statement, params)).rows[0];
  }

  private async all<P extends object, R extends pg.QueryResultRow>(statement: Statement<P, R>, params: P): Promise<R[]> {
    return (await query(this.pool, statement, params)).rows;
  }

  private transaction<T>(work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
    return transaction(this.pool, work);
  }
}

function isUniqueViolation(error: unknown, constraint: string): boolean {
  return error instanceof pg.DatabaseError && error.code === UNIQUE_VIOLATION && error.constraint === constraint;
}

/** The message this sender stored under this clientId, if any. */
async function byClientId(db: Queryable, site: string, draft: MessageDraft): Promise<ChatMessage | undefined> {
  const { rows } = await query(db, messageStatements.byClientId, { site, sender_id: draft.from.id, client_id: draft.clientId });
  return rows[0] && readMessage(db, site, rows[0]);
}
