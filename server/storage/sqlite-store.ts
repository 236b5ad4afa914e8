/**
 * The default store: one SQLite file (better-sqlite3, WAL) in the data
 * directory. Statements are prepared once; seq assignment and dedupe happen in
 * one immediate transaction, so seqs are gapless and a retry never stores twice;
 * the appends of one event-loop turn share that transaction (group commit).
 */
import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { DIRECT_ROOM_PREFIX, ERASED_AUTHOR } from '../../protocol/index.js';
import type { BanInfo, ChatMessage, HistoryPage, MessageDeleted, UserInfo } from '../../protocol/index.js';
import { SQLITE_MIGRATIONS } from './migrations.js';
import { MESSAGE_COLUMNS, SITE_COLUMNS, toBan, toMessage, toPage, toSite, toUser } from './rows.js';
import type { BanRow, MessageRow, UserRow } from './rows.js';
import type {
  AppendResult,
  BanDraft,
  ChatStore,
  CreateUserResult,
  ErasedUser,
  HistoryQuery,
  MessageDraft,
  NewUser,
  Site,
  UnreadCount,
} from './store.js';

interface SiteRow {
  id: string;
  name: string;
  origins: string;
  allow_no_origin: number;
  secret: string;
  room_policy: string;
  rooms: string;
  read_only_rooms: string;
  retention_days: number | null;
  created: number;
  rate_limit_scale: number | null;
  id_key: string;
}




const SITE_PARAMS =
  '@id, @name, @origins, @allowNoOrigin, @secret, @roomPolicy, @rooms, @readOnlyRooms, @retentionDays, @created, @rateLimitScale, @idKey';

export const SQLITE_FILE_NAME = 'chat-room.sqlite';

interface QueuedAppend {
  site: string;
  draft: MessageDraft;
  resolve(result: AppendResult): void;
  reject(error: unknown): void;
}

export class SqliteStore implements ChatStore {
  private readonly db: Database.Database;
  private readonly stmt;
  private readonly appendTx: (site: string, draft: MessageDraft) => AppendResult;
  private readonly appendManyTx: (items: readonly QueuedAppend[]) => AppendResult[];
  /** Appends waiting for the next group commit. */
  private queue: QueuedAppend[] = [];
  private readonly removeSiteTx: (id: string) => boolean;
  private readonly addSiteTx: (site: Site) => boolean;
  private readonly eraseTx: (site: string, userId: string) => ErasedUser;

  /** Opens (creating when missing) `<dataDir>/chat-room.sqlite` and migrates it. */
  static open(dataDir: string): SqliteStore {
    mkdirSync(dataDir, { recursive: true });
    return new SqliteStore(new Database(join(dataDir, SQLITE_FILE_NAME)));
  }

  constructor(db: Database.Database) {
    this.db = db;
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.pragma('foreign_keys = ON');
    db.pragma('busy_timeout = 5000');
    migrate(db);

    this.stmt = {
      getSite: db.prepare<[string], SiteRow>(`SELECT ${SITE_COLUMNS} FROM sites WHERE id = ?`),
      listSites: db.prepare<[], SiteRow>(`SELECT ${SITE_COLUMNS} FROM sites ORDER BY id`),
      addSite: db.prepare(`INSERT OR IGNORE INTO sites (${SITE_COLUMNS}) VALUES (${SITE_PARAMS})`),
      updateSite: db.prepare(
        `UPDATE sites SET name = @name, origins = @origins, allow_no_origin = @allowNoOrigin, secret = @secret,
           room_policy = @roomPolicy, rooms = @rooms, read_only_rooms = @readOnlyRooms, retention_days = @retentionDays,
           rate_limit_scale = @rateLimitScale
         WHERE id = @id`,
      ),
      removeSiteRows: [
        'DELETE FROM bans WHERE site = ?',
        'DELETE FROM cursors WHERE site = ?',
        'DELETE FROM messages WHERE site = ?',
        'DELETE FROM users WHERE site = ?',
      ].map((sql) => db.prepare<[string]>(sql)),
      removeSite: db.prepare<[string]>('DELETE FROM sites WHERE id = ?'),
      getUser: db.prepare<[string, string], UserRow>('SELECT id, name, kind, avatar FROM users WHERE site = ? AND id = ?'),
      userIdExists: db.prepare<[string, string], { one: number }>('SELECT 1 AS one FROM users WHERE site = ? AND id = ?'),
      nameKeyExists: db.prepare<[string, string], { one: number }>(
        'SELECT 1 AS one FROM users WHERE site = ? AND name_key = ?',
      ),
      insertUser: db.prepare(
        `INSERT INTO users (site, id, name, name_key, kind, avatar, skeleton, created)
         VALUES (@site, @id, @name, @nameKey, @kind, @avatar, @skeleton, @created)`,
      ),
      renameUser: db.prepare(
        'UPDATE users SET name = @name, name_key = @nameKey, skeleton = @skeleton WHERE site = @site AND id = @id',
      ),
      saveIdentifiedUser: db.prepare(
        `INSERT INTO users (site, id, name, name_key, kind, avatar, skeleton, created)
         VALUES (@site, @id, @name, @nameKey, @kind, @avatar, @skeleton, @created)
         ON CONFLICT (site, id) DO UPDATE SET name = excluded.name, name_key = excluded.name_key,
           avatar = excluded.avatar, skeleton = excluded.skeleton`,
      ),
      identifiedBySkeleton: db.prepare<[string, string, string], { id: string }>(
        "SELECT id FROM users WHERE site = ? AND skeleton = ? AND kind = 'user' AND id <> ? LIMIT 1",
      ),
      getCursor: db.prepare<[string, string, string], { seq: number }>(
        'SELECT seq FROM cursors WHERE site = ? AND user_id = ? AND room = ?',
      ),
      advanceCursor: db.prepare(
        `INSERT INTO cursors (site, user_id, room, seq, updated) VALUES (@site, @userId, @room, @seq, @now)
         ON CONFLICT (site, user_id, room) DO UPDATE SET seq = excluded.seq, updated = excluded.updated
         WHERE excluded.seq > cursors.seq`,
      ),
      // The LIMIT bounds the index range read, whoever sent the messages in it.
      countUnread: db.prepare<{ site: string; room: string; afterSeq: number; reader: string; window: number }, { seen: number; n: number }>(
        `SELECT COUNT(*) AS seen, COALESCE(SUM(sender_id <> @reader AND deleted = 0), 0) AS n
         FROM (SELECT sender_id, deleted FROM messages WHERE site = @site AND room = @room AND seq > @afterSeq ORDER BY seq LIMIT @window)`,
      ),
      nameKeyHolder: db.prepare<[string, string], { id: string }>('SELECT id FROM users WHERE site = ? AND name_key = ?'),
      byClientId: db.prepare<[string, string, string], MessageRow>(
        `SELECT ${MESSAGE_COLUMNS} FROM messages WHERE site = ? AND sender_id = ? AND client_id = ?`,
      ),
      lastSeq: db.prepare<[string, string], { seq: number }>(
        'SELECT COALESCE(MAX(seq), 0) AS seq FROM messages WHERE site = ? AND room = ?',
      ),
      insertMessage: db.prepare(
        `INSERT INTO messages (id, site, room, seq, client_id, sender_id, sender_name, sender_kind, recipient, text, at)
         VALUES (@id, @site, @room, @seq, @clientId, @senderId, @senderName, @senderKind, @recipient, @text, @at)`,
      ),
      // Each page reads one row more than asked to learn whether more exist.
      newest: db.prepare<[string, string, number], MessageRow>(
        `SELECT ${MESSAGE_COLUMNS} FROM messages WHERE site = ? AND room = ? ORDER BY seq DESC LIMIT ?`,
      ),
      before: db.prepare<[string, string, number, number], MessageRow>(
        `SELECT ${MESSAGE_COLUMNS} FROM messages WHERE site = ? AND room = ? AND seq < ? ORDER BY seq DESC LIMIT ?`,
      ),
      after: db.prepare<[string, string, number, number], MessageRow>(
        `SELECT ${MESSAGE_COLUMNS} FROM messages WHERE site = ? AND room = ? AND seq > ? ORDER BY seq ASC LIMIT ?`,
      ),
      getMessage: db.prepare<[string, string], MessageRow>(`SELECT ${MESSAGE_COLUMNS} FROM messages WHERE site = ? AND id = ?`),
      tombstone: db.prepare<[string, string]>("UPDATE messages SET text = '', deleted = 1 WHERE site = ? AND id = ?"),
      prune: db.prepare<[string, number]>('DELETE FROM messages WHERE site = ? AND at < ?'),
      messagesBy: db.prepare<[string, string], MessageRow>(
        `SELECT ${MESSAGE_COLUMNS} FROM messages WHERE site = ? AND sender_id = ? ORDER BY at, room, seq`,
      ),
      // eraseUser's steps, in order; see `eraseTx`.
      erase: {
        liveRoomMessages: db.prepare<ErasedParams, MessageDeleted>(
          `SELECT room, id, seq FROM messages
           WHERE site = @site AND sender_id = @userId AND recipient IS NULL AND deleted = 0 ORDER BY at, room, seq`,
        ),
        steps: [
          `UPDATE messages SET text = '', deleted = 1, sender_id = @erasedId, sender_name = @erasedName,
             sender_kind = @erasedKind, client_id = id
           WHERE site = @site AND sender_id = @userId AND recipient IS NULL`,
          // By pattern too: cursors of conversations whose messages retention already removed.
          `DELETE FROM cursors WHERE site = @site AND (user_id = @userId OR (
             substr(room, 1, length(@dmPrefix)) = @dmPrefix AND
             (substr(room, 1, length(@dmFirst)) = @dmFirst OR substr(room, -length(@dmLast)) = @dmLast)))`,
          'DELETE FROM bans WHERE site = @site AND user_id = @userId AND ip IS NULL',
          'UPDATE bans SET user_id = @erasedId, reason = NULL WHERE site = @site AND user_id = @userId',
        ].map((sql) => db.prepare<ErasedParams>(sql)),
        privateMessages: db.prepare<ErasedParams>(
          'DELETE FROM messages WHERE site = @site AND recipient IS NOT NULL AND (sender_id = @userId OR recipient = @userId)',
        ),
        profile: db.prepare<ErasedParams>('DELETE FROM users WHERE site = @site AND id = @userId'),
      },
      insertBan: db.prepare(
        `INSERT INTO bans (id, site, kind, user_id, ip, until, reason, created)
         VALUES (@id, @site, @kind, @userId, @ip, @until, @reason, @created)`,
      ),
      removeBan: db.prepare<[string, string]>('DELETE FROM bans WHERE site = ? AND id = ?'),
      activeBans: db.prepare<[string, number], BanRow>(
        'SELECT id, kind, user_id, ip, until, reason, created FROM bans WHERE site = ? AND until > ? ORDER BY created',
      ),
    };

    this.addSiteTx = db.transaction((site: Site): boolean => {
      if (this.stmt.addSite.run(siteParams(site)).changes === 0) return false;
      for (const stmt of this.stmt.removeSiteRows) stmt.run(site.id);
      return true;
    });

    this.removeSiteTx = db.transaction((id: string): boolean => {
      for (const stmt of this.stmt.removeSiteRows) stmt.run(id);
      return this.stmt.removeSite.run(id).changes > 0;
    });

    // The one erase routine: a table added later that names a user joins it here (and in PostgresStore.eraseUser).
    this.eraseTx = db.transaction((site: string, userId: string): ErasedUser => {
      const params = erasedParams(site, userId);
      const { erase } = this.stmt;
      const tombstoned = erase.liveRoomMessages.all(params);
      for (const step of erase.steps) step.run(params);
      const privateRemoved = erase.privateMessages.run(params).changes;
      const profile = erase.profile.run(params).changes > 0;
      return { tombstoned, privateRemoved, profile };
    });

    const appendOne = (site: string, draft: MessageDraft): AppendResult => {
      const existing = this.stmt.byClientId.get(site, draft.from.id, draft.clientId);
      if (existing) return { message: toMessage(existing), duplicate: true };
      const seq = this.stmt.lastSeq.get(site, draft.room)!.seq + 1;
      const message: ChatMessage = { id: randomUUID(), seq, ...draft };
      this.stmt.insertMessage.run({
        id: message.id,
        site,
        room: draft.room,
        seq,
        clientId: draft.clientId,
        senderId: draft.from.id,
        senderName: draft.from.name,
        senderKind: draft.from.kind,
        recipient: draft.to ?? null,
        text: draft.text,
        at: draft.at,
      });
      return { message, duplicate: false };
    };
    this.appendTx = db.transaction(appendOne).immediate;
    this.appendManyTx = db.transaction((items: readonly QueuedAppend[]) => items.map((a) => appendOne(a.site, a.draft))).immediate;
  }

  async getSite(id: string): Promise<Site | undefined> {
    const row = this.stmt.getSite.get(id);
    return row && decodeSite(row);
  }

  async listSites(): Promise<Site[]> {
    return this.stmt.listSites.all().map(decodeSite);
  }

  async addSite(site: Site): Promise<boolean> {
    return this.addSiteTx(site);
  }

  async updateSite(site: Site): Promise<boolean> {
    return this.stmt.updateSite.run(siteParams(site)).changes > 0;
  }

  async removeSite(id: string): Promise<boolean> {
    return this.removeSiteTx(id);
  }

  async getUser(site: string, id: string): Promise<UserInfo | undefined> {
    const row = this.stmt.getUser.get(site, id);
    return row && toUser(row);
  }

  async saveIdentifiedUser(site: string, user: NewUser): Promise<void> {
    this.stmt.saveIdentifiedUser.run({ site, ...userParams(user), created: Date.now() });
  }

  async identifiedUserBySkeleton(site: string, skeleton: string, exceptId: string): Promise<string | undefined> {
    return this.stmt.identifiedBySkeleton.get(site, skeleton, exceptId)?.id;
  }

  async createUser(site: string, user: NewUser): Promise<CreateUserResult> {
    // Checked first so the outcome does not depend on parsing constraint errors;
    // SQLite has one writer, so nothing can slip in between.
    if (this.stmt.userIdExists.get(site, user.id)) return 'id_taken';
    if (this.stmt.nameKeyExists.get(site, user.nameKey)) return 'name_taken';
    this.stmt.insertUser.run({ site, ...userParams(user), created: Date.now() });
    return 'created';
  }

  async renameUser(site: string, id: string, name: string, nameKey: string, skeleton: string): Promise<boolean> {
    const holder = this.stmt.nameKeyHolder.get(site, nameKey);
    if (holder && holder.id !== id) return false;
    this.stmt.renameUser.run({ site, id, name, nameKey, skeleton });
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
      rows = this.stmt.after.all(site, room, query.afterSeq, take);
    } else if (query.beforeSeq !== undefined) {
      rows = this.stmt.before.all(site, room, query.beforeSeq, take).reverse();
    } else {
      rows = this.stmt.newest.all(site, room, take).reverse();
    }
    return toPage(rows, query);
  }

  async lastSeq(site: string, room: string): Promise<number> {
    return this.stmt.lastSeq.get(site, room)!.seq;
  }

  async getMessage(site: string, id: string): Promise<ChatMessage | undefined> {
    const row = this.stmt.getMessage.get(site, id);
    return row && toMessage(row);
  }

  async deleteMessage(site: string, id: string): Promise<ChatMessage | undefined> {
    if (this.stmt.tombstone.run(site, id).changes === 0) return undefined;
    return this.getMessage(site, id);
  }

  async messagesBy(site: string, userId: string): Promise<ChatMessage[]> {
    return this.stmt.messagesBy.all(site, userId).map(toMessage);
  }

  async eraseUser(site: string, userId: string): Promise<ErasedUser> {
    return this.eraseTx(site, userId);
  }

  async pruneMessages(site: string, before: number): Promise<number> {
    return this.stmt.prune.run(site, before).changes;
  }

  async getCursor(site: string, userId: string, room: string): Promise<number> {
    return this.stmt.getCursor.get(site, userId, room)?.seq ?? 0;
  }

  async advanceCursor(site: string, userId: string, room: string, seq: number): Promise<number> {
    this.stmt.advanceCursor.run({ site, userId, room, seq, now: Date.now() });
    return this.getCursor(site, userId, room);
  }

  async countUnread(site: string, room: string, afterSeq: number, reader: string, cap: number): Promise<UnreadCount> {
    const { seen, n } = this.stmt.countUnread.get({ site, room, afterSeq, reader, window: cap + 1 })!;
    return { count: Math.min(n, cap), capped: seen > cap };
  }

  async addBan(site: string, draft: BanDraft): Promise<BanInfo> {
    const ban: BanInfo = { id: randomUUID(), ...draft };
    this.stmt.insertBan.run({
      id: ban.id,
      site,
      kind: ban.kind,
      userId: ban.userId ?? null,
      ip: ban.ip ?? null,
      until: ban.until,
      reason: ban.reason ?? null,
      created: ban.created,
    });
    return ban;
  }

  async removeBan(site: string, id: string): Promise<boolean> {
    return this.stmt.removeBan.run(site, id).changes > 0;
  }

  async activeBans(site: string, now: number): Promise<BanInfo[]> {
    return this.stmt.activeBans.all(site, now).map(toBan);
  }

  async close(): Promise<void> {
    // What is queued was promised a commit.
    if (this.db.open) this.commitQueued();
    if (this.db.open) this.db.close();
  }
}

function siteParams(site: Site): Record<string, string | number | null> {
  return {
    id: site.id,
    name: site.name,
    origins: JSON.stringify(site.origins),
    allowNoOrigin: site.allowNoOrigin ? 1 : 0,
    secret: site.secret,
    roomPolicy: site.roomPolicy,
    rooms: JSON.stringify(site.rooms),
    readOnlyRooms: JSON.stringify(site.readOnlyRooms),
    retentionDays: site.retentionDays ?? null,
    rateLimitScale: site.rateLimitScale ?? null,
    created: site.created,
    idKey: site.idKey,
  };
}

/** SQLite keeps the site's lists as JSON text and its flag as 0/1. */
function decodeSite(row: SiteRow): Site {
  return toSite({
    ...row,
    origins: JSON.parse(row.origins) as string[],
    allow_no_origin: row.allow_no_origin === 1,
    rooms: JSON.parse(row.rooms) as string[],
    read_only_rooms: JSON.parse(row.read_only_rooms) as string[],
  });
}

type ErasedParams = ReturnType<typeof erasedParams>;

/**
 * The named parameters of every erase step. `dmFirst` / `dmLast` match the
 * conversation names `dm:<id>:<other>` / `dm:<other>:<id>` of the user.
 */
function erasedParams(site: string, userId: string) {
  return {
    site,
    userId,
    erasedId: ERASED_AUTHOR.id,
    erasedName: ERASED_AUTHOR.name,
    erasedKind: ERASED_AUTHOR.kind,
    dmPrefix: DIRECT_ROOM_PREFIX,
    dmFirst: `${DIRECT_ROOM_PREFIX}${userId}:`,
    dmLast: `:${userId}`,
  };
}

function userParams(user: NewUser): Record<string, string | null> {
  return {
    id: user.id,
    name: user.name,
    nameKey: user.nameKey,
    kind: user.kind,
    avatar: user.avatar ?? null,
    skeleton: user.skeleton,
  };
}



function migrate(db: Database.Database): void {
  db.exec(
    'CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied INTEGER NOT NULL)',
  );
  const record = db.prepare('INSERT INTO schema_migrations (version, name, applied) VALUES (?, ?, ?)');
  const applied = db.prepare<[], { version: number }>('SELECT version FROM schema_migrations');
  // Immediate: the write lock is taken before reading what is applied, so two processes opening one file do not both migrate.
  db.transaction(() => {
    const done = new Set(applied.all().map((r) => r.version));
    for (const m of SQLITE_MIGRATIONS) {
      if (done.has(m.version)) continue;
      db.exec(m.sql);
      m.data?.(db);
      record.run(m.version, m.name, Date.now());
    }
  }).immediate();
}

