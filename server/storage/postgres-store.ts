/**
 * The shared store for scale-out: PostgreSQL through a `pg` pool, so several
 * server processes can write to the same rooms. Seq assignment takes the row
 * lock of the room's counter in `room_seqs`, and dedupe is a unique constraint,
 * so seqs stay gapless and a retry is stored once whichever node receives it.
 */
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { DIRECT_ROOM_PREFIX, ERASED_AUTHOR } from '../../protocol/index.js';
import type { BanInfo, ChatMessage, HistoryPage, MessageDeleted, UserInfo } from '../../protocol/index.js';
import { migratePostgres } from './postgres-migrations.js';
import { MESSAGE_COLUMNS, SITE_COLUMNS, toBan, toMessage, toPage, toSite, toUser } from './rows.js';
import type { BanRow, MessageRow, SiteFields, UserRow } from './rows.js';
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

export interface PostgresStoreOptions {
  connectionString: string;
  /** Keep the tables in this schema (created when missing) instead of the connection's default search path. */
  schema?: string;
  /** Pool size per process. */
  max?: number;
}





const UNIQUE_VIOLATION = '23505';

// BIGINT (times, seqs, counts) arrives as a string by default; every value
// stored here is far below 2^53, so a JS number is exact.
const TYPES = new pg.TypeOverrides();
TYPES.setTypeParser(pg.types.builtins.INT8, Number);

export class PostgresStore implements ChatStore {
  private readonly pool: pg.Pool;

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
  }

  async getSite(id: string): Promise<Site | undefined> {
    const row = await this.one<SiteFields>(`SELECT ${SITE_COLUMNS} FROM sites WHERE id = $1`, id);
    return row && toSite(row);
  }

  async listSites(): Promise<Site[]> {
    // COLLATE "C": byte order, as SQLite sorts, whatever the database's locale.
    const { rows } = await this.pool.query<SiteFields>(`SELECT ${SITE_COLUMNS} FROM sites ORDER BY id COLLATE "C"`);
    return rows.map(toSite);
  }

  async addSite(site: Site): Promise<boolean> {
    return this.transaction(async (client) => {
      const { rowCount } = await client.query(
        `INSERT INTO sites (${SITE_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
         ON CONFLICT (id) DO NOTHING`,
        siteParams(site),
      );
      if (rowCount !== 1) return false;
      await this.deleteSiteRows(client, site.id);
      return true;
    });
  }

  async updateSite(site: Site): Promise<boolean> {
    const { rowCount } = await this.pool.query(
      `UPDATE sites SET name = $2, origins = $3, allow_no_origin = $4, secret = $5, room_policy = $6, rooms = $7,
         read_only_rooms = $8, retention_days = $9, rate_limit_scale = $10
       WHERE id = $1`,
      [...siteParams(site).slice(0, 9), site.rateLimitScale ?? null], // `created` is kept
    );
    return rowCount === 1;
  }

  async removeSite(id: string): Promise<boolean> {
    return this.transaction(async (client) => {
      await this.deleteSiteRows(client, id);
      const { rowCount } = await client.query('DELETE FROM sites WHERE id = $1', [id]);
      return rowCount === 1;
    });
  }

  /** Everything stored under a site id but the site itself. */
  private async deleteSiteRows(client: pg.PoolClient, id: string): Promise<void> {
    for (const table of ['bans', 'cursors', 'messages', 'room_seqs', 'users']) {
      await client.query(`DELETE FROM ${table} WHERE site = $1`, [id]);
    }
  }

  async getUser(site: string, id: string): Promise<UserInfo | undefined> {
    const row = await this.one<UserRow>('SELECT id, name, kind, avatar FROM users WHERE site = $1 AND id = $2', site, id);
    return row && toUser(row);
  }

  async createUser(site: string, user: NewUser): Promise<CreateUserResult> {
    // The constraints decide, so two nodes cannot both take a name.
    const { rowCount } = await this.pool.query(
      `INSERT INTO users (site, id, name, name_key, kind, avatar, skeleton, created)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT DO NOTHING`,
      [site, ...userParams(user), Date.now()],
    );
    if (rowCount === 1) return 'created';
    const idTaken = await this.one('SELECT 1 FROM users WHERE site = $1 AND id = $2', site, user.id);
    return idTaken ? 'id_taken' : 'name_taken';
  }

  async renameUser(site: string, id: string, name: string, nameKey: string, skeleton: string): Promise<boolean> {
    try {
      await this.pool.query(
        'UPDATE users SET name = $3, name_key = $4, skeleton = $5 WHERE site = $1 AND id = $2',
        [site, id, name, nameKey, skeleton],
      );
      return true;
    } catch (error) {
      if (isUniqueViolation(error, 'users_site_name_key')) return false;
      throw error;
    }
  }

  async saveIdentifiedUser(site: string, user: NewUser): Promise<void> {
    await this.pool.query(
      `INSERT INTO users (site, id, name, name_key, kind, avatar, skeleton, created)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
       ON CONFLICT (site, id) DO UPDATE SET name = excluded.name, name_key = excluded.name_key,
         avatar = excluded.avatar, skeleton = excluded.skeleton`,
      [site, ...userParams(user), Date.now()],
    );
  }

  async identifiedUserBySkeleton(site: string, skeleton: string, exceptId: string): Promise<string | undefined> {
    const row = await this.one<{ id: string }>(
      "SELECT id FROM users WHERE site = $1 AND skeleton = $2 AND kind = 'user' AND id <> $3 LIMIT 1",
      site,
      skeleton,
      exceptId,
    );
    return row?.id;
  }

  async appendMessage(site: string, draft: MessageDraft): Promise<AppendResult> {
    try {
      return await this.transaction(async (client) => {
        const existing = await this.byClientId(client, site, draft);
        if (existing) return { message: existing, duplicate: true };
        // Waits for any other node's transaction holding this room's counter.
        const { rows } = await client.query<{ seq: number }>(
          `INSERT INTO room_seqs (site, room, seq) VALUES ($1, $2, 1)
           ON CONFLICT (site, room) DO UPDATE SET seq = room_seqs.seq + 1 RETURNING seq`,
          [site, draft.room],
        );
        const message: ChatMessage = { id: randomUUID(), seq: rows[0]!.seq, ...draft };
        await client.query(
          `INSERT INTO messages (id, site, room, seq, client_id, sender_id, sender_name, sender_kind, recipient, text, at)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
          [
            message.id,
            site,
            draft.room,
            message.seq,
            draft.clientId,
            draft.from.id,
            draft.from.name,
            draft.from.kind,
            draft.to ?? null,
            draft.text,
            draft.at,
          ],
        );
        return { message, duplicate: false };
      });
    } catch (error) {
      // The same clientId committed on another node after our check; the
      // rollback also undid our seq bump, so the room has no gap.
      if (!isUniqueViolation(error, 'messages_dedupe')) throw error;
      const original = await this.byClientId(this.pool, site, draft);
      if (!original) throw error;
      return { message: original, duplicate: true };
    }
  }

  async history(site: string, room: string, query: HistoryQuery): Promise<HistoryPage> {
    // Each page reads one row more than asked to learn whether more exist.
    const take = query.limit + 1;
    const from = `SELECT ${MESSAGE_COLUMNS} FROM messages WHERE site = $1 AND room = $2`;
    let rows: MessageRow[];
    if (query.afterSeq !== undefined) {
      rows = await this.messageRows(`${from} AND seq > $3 ORDER BY seq LIMIT $4`, site, room, query.afterSeq, take);
    } else if (query.beforeSeq !== undefined) {
      const sql = `${from} AND seq < $3 ORDER BY seq DESC LIMIT $4`;
      rows = (await this.messageRows(sql, site, room, query.beforeSeq, take)).reverse();
    } else {
      rows = (await this.messageRows(`${from} ORDER BY seq DESC LIMIT $3`, site, room, take)).reverse();
    }
    return toPage(rows, query);
  }

  async lastSeq(site: string, room: string): Promise<number> {
    const row = await this.one<{ seq: number }>(
      'SELECT COALESCE(MAX(seq), 0) AS seq FROM messages WHERE site = $1 AND room = $2',
      site,
      room,
    );
    return row!.seq;
  }

  async getMessage(site: string, id: string): Promise<ChatMessage | undefined> {
    const row = await this.one<MessageRow>(`SELECT ${MESSAGE_COLUMNS} FROM messages WHERE site = $1 AND id = $2`, site, id);
    return row && toMessage(row);
  }

  async deleteMessage(site: string, id: string): Promise<ChatMessage | undefined> {
    const row = await this.one<MessageRow>(
      `UPDATE messages SET text = '', deleted = true WHERE site = $1 AND id = $2 RETURNING ${MESSAGE_COLUMNS}`,
      site,
      id,
    );
    return row && toMessage(row);
  }

  async messagesBy(site: string, userId: string): Promise<ChatMessage[]> {
    const rows = await this.messageRows(
      `SELECT ${MESSAGE_COLUMNS} FROM messages WHERE site = $1 AND sender_id = $2 ORDER BY at, room COLLATE "C", seq`,
      site,
      userId,
    );
    return rows.map(toMessage);
  }

  async pruneMessages(site: string, before: number): Promise<number> {
    const { rowCount } = await this.pool.query('DELETE FROM messages WHERE site = $1 AND at < $2', [site, before]);
    return rowCount ?? 0;
  }

  // The one erase routine: a table added later that names a user joins it here (and in SqliteStore's eraseTx).
  async eraseUser(site: string, userId: string): Promise<ErasedUser> {
    const isMine = `starts_with(room, $3::text) AND (starts_with(room, $4::text) OR right(room, length($5::text)) = $5::text)`;
    const mine = [DIRECT_ROOM_PREFIX, `${DIRECT_ROOM_PREFIX}${userId}:`, `:${userId}`];
    return this.transaction(async (client) => {
      // One statement tombstones and reports, so nothing is erased unannounced.
      const { rows: tombstoned } = await client.query<MessageDeleted>(
        `WITH erased AS (
           SELECT room, id, seq, at, NOT deleted AS live FROM messages
           WHERE site = $1 AND sender_id = $2 AND recipient IS NULL
         ), anonymised AS (
           UPDATE messages m SET text = '', deleted = true, sender_id = $3, sender_name = $4, sender_kind = $5, client_id = m.id
           FROM erased WHERE m.id = erased.id
         )
         SELECT room, id, seq FROM erased WHERE live ORDER BY at, room COLLATE "C", seq`,
        [site, userId, ERASED_AUTHOR.id, ERASED_AUTHOR.name, ERASED_AUTHOR.kind],
      );
      // Counters of the conversations: those with messages, and by pattern those retention emptied.
      await client.query(
        `DELETE FROM room_seqs r WHERE site = $1 AND (
           room IN (SELECT room FROM messages WHERE site = $1 AND recipient IS NOT NULL AND (sender_id = $2 OR recipient = $2))
           OR (${isMine} AND NOT EXISTS (SELECT 1 FROM messages m WHERE m.site = $1 AND m.room = r.room)))`,
        [site, userId, ...mine],
      );
      const { rowCount: privateRemoved } = await client.query(
        'DELETE FROM messages WHERE site = $1 AND recipient IS NOT NULL AND (sender_id = $2 OR recipient = $2)',
        [site, userId],
      );
      await client.query(`DELETE FROM cursors WHERE site = $1 AND (user_id = $2 OR (${isMine}))`, [site, userId, ...mine]);
      await client.query('DELETE FROM bans WHERE site = $1 AND user_id = $2 AND ip IS NULL', [site, userId]);
      await client.query('UPDATE bans SET user_id = $3, reason = NULL WHERE site = $1 AND user_id = $2', [site, userId, ERASED_AUTHOR.id]);
      const { rowCount: profile } = await client.query('DELETE FROM users WHERE site = $1 AND id = $2', [site, userId]);
      return { tombstoned, privateRemoved: privateRemoved ?? 0, profile: profile === 1 };
    });
  }

  async getCursor(site: string, userId: string, room: string): Promise<number> {
    const row = await this.one<{ seq: number }>(
      'SELECT seq FROM cursors WHERE site = $1 AND user_id = $2 AND room = $3',
      site,
      userId,
      room,
    );
    return row?.seq ?? 0;
  }

  async advanceCursor(site: string, userId: string, room: string, seq: number): Promise<number> {
    await this.pool.query(
      `INSERT INTO cursors (site, user_id, room, seq, updated) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (site, user_id, room) DO UPDATE SET seq = excluded.seq, updated = excluded.updated
       WHERE excluded.seq > cursors.seq`,
      [site, userId, room, seq, Date.now()],
    );
    return this.getCursor(site, userId, room);
  }

  async countUnread(site: string, room: string, afterSeq: number, reader: string, cap: number): Promise<UnreadCount> {
    // The LIMIT bounds the index range read, whoever sent the messages in it.
    const row = await this.one<{ seen: number; n: number }>(
      `SELECT COUNT(*)::int AS seen, (COUNT(*) FILTER (WHERE sender_id <> $4 AND NOT deleted))::int AS n
       FROM (SELECT sender_id, deleted FROM messages WHERE site = $1 AND room = $2 AND seq > $3 ORDER BY seq LIMIT $5) AS w`,
      site,
      room,
      afterSeq,
      reader,
      cap + 1,
    );
    return { count: Math.min(row!.n, cap), capped: row!.seen > cap };
  }

  async addBan(site: string, draft: BanDraft): Promise<BanInfo> {
    const ban: BanInfo = { id: randomUUID(), ...draft };
    await this.pool.query(
      `INSERT INTO bans (id, site, kind, user_id, ip, until, reason, created) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
      [ban.id, site, ban.kind, ban.userId ?? null, ban.ip ?? null, ban.until, ban.reason ?? null, ban.created],
    );
    return ban;
  }

  async removeBan(site: string, id: string): Promise<boolean> {
    const { rowCount } = await this.pool.query('DELETE FROM bans WHERE site = $1 AND id = $2', [site, id]);
    return rowCount === 1;
  }

  async activeBans(site: string, now: number): Promise<BanInfo[]> {
    const { rows } = await this.pool.query<BanRow>(
      'SELECT id, kind, user_id, ip, until, reason, created FROM bans WHERE site = $1 AND until > $2 ORDER BY created',
      [site, now],
    );
    return rows.map(toBan);
  }

  async close(): Promise<void> {
    if (!this.pool.ended) await this.pool.end();
  }

  private async one<R extends pg.QueryResultRow>(sql: string, ...params: unknown[]): Promise<R | undefined> {
    return (await this.pool.query<R>(sql, params)).rows[0];
  }

  private async messageRows(sql: string, ...params: unknown[]): Promise<MessageRow[]> {
    return (await this.pool.query<MessageRow>(sql, params)).rows;
  }

  /** The message this sender stored under this clientId, if any. */
  private async byClientId(db: pg.Pool | pg.PoolClient, site: string, draft: MessageDraft) {
    const { rows } = await db.query<MessageRow>(
      `SELECT ${MESSAGE_COLUMNS} FROM messages WHERE site = $1 AND sender_id = $2 AND client_id = $3`,
      [site, draft.from.id, draft.clientId],
    );
    return rows[0] && toMessage(rows[0]);
  }

  /** Runs `work` in one transaction on one pooled connection; rolls back when it throws. */
  private async transaction<T>(work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    let broken: Error | undefined;
    try {
      await client.query('BEGIN');
      const result = await work(client);
      await client.query('COMMIT');
      return result;
    } catch (error) {
      // A connection that cannot even roll back is destroyed, not pooled again.
      broken = await client.query('ROLLBACK').then(
        () => undefined,
        (rollbackError: Error) => rollbackError,
      );
      throw error;
    } finally {
      client.release(broken);
    }
  }
}

function isUniqueViolation(error: unknown, constraint: string): boolean {
  return error instanceof pg.DatabaseError && error.code === UNIQUE_VIOLATION && error.constraint === constraint;
}

function siteParams(site: Site): unknown[] {
  return [
    site.id,
    site.name,
    JSON.stringify(site.origins),
    site.allowNoOrigin,
    site.secret,
    site.roomPolicy,
    JSON.stringify(site.rooms),
    JSON.stringify(site.readOnlyRooms),
    site.retentionDays ?? null,
    site.created,
    site.rateLimitScale ?? null,
    site.idKey,
  ];
}


/** id, name, name_key, kind, avatar, skeleton: the users columns after site. */
function userParams(user: NewUser): (string | null)[] {
  return [user.id, user.name, user.nameKey, user.kind, user.avatar ?? null, user.skeleton];
}



