/**
 * The default store: one SQLite file (better-sqlite3, WAL) in the data
 * directory. Statements are prepared once; seq assignment and dedupe happen in
 * one immediate transaction, so seqs are gapless and a retry never stores twice.
 */
import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { ChatMessage, HistoryPage, UserInfo } from '../../protocol/index.js';
import { SQLITE_MIGRATIONS } from './migrations.js';
import type {
  AppendResult,
  ChatStore,
  CreateUserResult,
  HistoryQuery,
  MessageDraft,
  NewUser,
  Site,
} from './store.js';

interface SiteRow {
  id: string;
  name: string;
  origins: string;
  secret: string;
  created: number;
}

interface MessageRow {
  id: string;
  room: string;
  seq: number;
  client_id: string;
  sender_id: string;
  sender_name: string;
  sender_kind: string;
  recipient: string | null;
  text: string;
  at: number;
}

const MESSAGE_COLUMNS = 'id, room, seq, client_id, sender_id, sender_name, sender_kind, recipient, text, at';

export const SQLITE_FILE_NAME = 'chat-room.sqlite';

export class SqliteStore implements ChatStore {
  private readonly db: Database.Database;
  private readonly stmt;
  private readonly appendTx: (site: string, draft: MessageDraft) => AppendResult;

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
      getSite: db.prepare<[string], SiteRow>('SELECT * FROM sites WHERE id = ?'),
      addSite: db.prepare(
        'INSERT OR IGNORE INTO sites (id, name, origins, secret, created) VALUES (@id, @name, @origins, @secret, @created)',
      ),
      getUser: db.prepare<[string, string], UserInfo>('SELECT id, name, kind FROM users WHERE site = ? AND id = ?'),
      userIdExists: db.prepare<[string, string], { one: number }>('SELECT 1 AS one FROM users WHERE site = ? AND id = ?'),
      nameKeyExists: db.prepare<[string, string], { one: number }>(
        'SELECT 1 AS one FROM users WHERE site = ? AND name_key = ?',
      ),
      insertUser: db.prepare(
        'INSERT INTO users (site, id, name, name_key, kind, created) VALUES (@site, @id, @name, @nameKey, @kind, @created)',
      ),
      renameUser: db.prepare('UPDATE users SET name = @name, name_key = @nameKey WHERE site = @site AND id = @id'),
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
    };

    this.appendTx = db
      .transaction((site: string, draft: MessageDraft): AppendResult => {
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
      })
      .immediate;
  }

  async getSite(id: string): Promise<Site | undefined> {
    const row = this.stmt.getSite.get(id);
    return row && { ...row, origins: JSON.parse(row.origins) as string[] };
  }

  async addSite(site: Site): Promise<void> {
    this.stmt.addSite.run({ ...site, origins: JSON.stringify(site.origins) });
  }

  async getUser(site: string, id: string): Promise<UserInfo | undefined> {
    return this.stmt.getUser.get(site, id);
  }

  async createUser(site: string, user: NewUser): Promise<CreateUserResult> {
    // Checked first so the outcome does not depend on parsing constraint errors;
    // SQLite has one writer, so nothing can slip in between.
    if (this.stmt.userIdExists.get(site, user.id)) return 'id_taken';
    if (this.stmt.nameKeyExists.get(site, user.nameKey)) return 'name_taken';
    this.stmt.insertUser.run({ site, ...user, created: Date.now() });
    return 'created';
  }

  async renameUser(site: string, id: string, name: string, nameKey: string): Promise<boolean> {
    const holder = this.stmt.nameKeyHolder.get(site, nameKey);
    if (holder && holder.id !== id) return false;
    this.stmt.renameUser.run({ site, id, name, nameKey });
    return true;
  }

  async appendMessage(site: string, draft: MessageDraft): Promise<AppendResult> {
    return this.appendTx(site, draft);
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
    const hasMore = rows.length > query.limit;
    if (hasMore) {
      // The extra row is the far end of the direction asked for.
      if (query.afterSeq !== undefined) rows.pop();
      else rows.shift();
    }
    return { messages: rows.map(toMessage), hasMore };
  }

  async lastSeq(site: string, room: string): Promise<number> {
    return this.stmt.lastSeq.get(site, room)!.seq;
  }

  async close(): Promise<void> {
    if (this.db.open) this.db.close();
  }
}

function migrate(db: Database.Database): void {
  db.exec(
    'CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied INTEGER NOT NULL)',
  );
  const applied = new Set(
    db.prepare<[], { version: number }>('SELECT version FROM schema_migrations').all().map((r) => r.version),
  );
  const record = db.prepare('INSERT INTO schema_migrations (version, name, applied) VALUES (?, ?, ?)');
  for (const m of SQLITE_MIGRATIONS) {
    if (applied.has(m.version)) continue;
    db.transaction(() => {
      db.exec(m.sql);
      record.run(m.version, m.name, Date.now());
    })();
  }
}

function toMessage(row: MessageRow): ChatMessage {
  const message: ChatMessage = {
    id: row.id,
    room: row.room,
    seq: row.seq,
    clientId: row.client_id,
    from: { id: row.sender_id, name: row.sender_name, kind: row.sender_kind === 'user' ? 'user' : 'guest' },
    text: row.text,
    at: row.at,
  };
  if (row.recipient !== null) message.to = row.recipient;
  return message;
}
