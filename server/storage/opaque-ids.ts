/**
 * The data step of the opaque-ids migration (SQLite v5, PostgreSQL v3), shared
 * by both drivers: identified users' ids were `u_<sub>` (the token's `sub`,
 * often an email, shown to every visitor); they become
 * `identifiedUserId(idKey, sub)` everywhere an id is stored, and private
 * conversations `dm:<a>:<b>` are renamed after their new ids, sorted again.
 * Each driver reads what to rewrite with `ID_REWRITE_READS`, and runs the
 * statements of `idRewriteStatements` in the migration's transaction.
 */
import { DIRECT_ROOM_PREFIX, directConversation } from '../../protocol/index.js';
import { identifiedNameKey, identifiedUserId } from '../identity.js';

/** What one site holds that names users, as the old schema wrote it. */
export interface IdRewriteInput {
  site: string;
  idKey: string;
  /** Every stored user id that starts with `u_`. */
  userIds: string[];
  /** Every stored private conversation name. */
  directRooms: string[];
}

/** A statement with `?` placeholders (PostgreSQL numbers them). */
export type Statement = [sql: string, params: unknown[]];

/** The queries each driver runs per site (`?` = the site) to fill `IdRewriteInput`; each answers one column `v`. */
export const ID_REWRITE_READS = {
  sites: 'SELECT id, id_key FROM sites',
  userIds: `
    SELECT id AS v FROM users WHERE site = ? AND id LIKE 'u!_%' ESCAPE '!'
    UNION SELECT sender_id FROM messages WHERE site = ? AND sender_id LIKE 'u!_%' ESCAPE '!'
    UNION SELECT user_id FROM cursors WHERE site = ? AND user_id LIKE 'u!_%' ESCAPE '!'
    UNION SELECT user_id FROM bans WHERE site = ? AND user_id LIKE 'u!_%' ESCAPE '!'`,
  directRooms: `
    SELECT room AS v FROM messages WHERE site = ? AND room LIKE 'dm:%'
    UNION SELECT room FROM cursors WHERE site = ? AND room LIKE 'dm:%'`,
  /** PostgreSQL only: the per-room seq counters. */
  roomSeqRooms: `SELECT room AS v FROM room_seqs WHERE site = ? AND room LIKE 'dm:%'`,
} as const;

/** The new id of an old one: `u_<sub>` becomes opaque, guest ids stay. */
export function migratedUserId(idKey: string, id: string): string {
  return id.startsWith('u_') ? identifiedUserId(idKey, id.slice(2)) : id;
}

/** The two ids of `dm:<a>:<b>` (ids hold no `:`), or undefined when the name is not one. */
function participants(room: string): [string, string] | undefined {
  if (!room.startsWith(DIRECT_ROOM_PREFIX)) return undefined;
  const parts = room.slice(DIRECT_ROOM_PREFIX.length).split(':');
  return parts.length === 2 ? (parts as [string, string]) : undefined;
}

/**
 * Conversations first (their cursors are found by the old user ids), then the
 * users. Only rows that change are touched; each statement uses an index.
 */
export function idRewriteStatements(input: IdRewriteInput, withRoomSeqs: boolean): Statement[] {
  const { site, idKey } = input;
  const statements: Statement[] = [];
  for (const room of new Set(input.directRooms)) {
    const pair = participants(room);
    if (!pair) continue;
    const [a, b] = pair;
    const [newA, newB] = [migratedUserId(idKey, a), migratedUserId(idKey, b)];
    const renamed = directConversation(newA, newB);
    if (renamed === room) continue;
    statements.push(
      [
        `UPDATE messages SET room = ?, recipient = CASE WHEN recipient = ? THEN ? WHEN recipient = ? THEN ? ELSE recipient END
         WHERE site = ? AND room = ?`,
        [renamed, a, newA, b, newB, site, room],
      ],
      ['UPDATE cursors SET room = ? WHERE site = ? AND user_id IN (?, ?) AND room = ?', [renamed, site, a, b, room]],
    );
    if (withRoomSeqs) statements.push(['UPDATE room_seqs SET room = ? WHERE site = ? AND room = ?', [renamed, site, room]]);
  }
  for (const id of new Set(input.userIds)) {
    const next = migratedUserId(idKey, id);
    if (next === id) continue;
    statements.push(
      // An identified user's name key holds their id (it was NUL + id, which PostgreSQL text cannot hold).
      ['UPDATE users SET id = ?, name_key = CASE WHEN kind = ? THEN ? ELSE name_key END WHERE site = ? AND id = ?', [next, 'user', identifiedNameKey(next), site, id]],
      ['UPDATE messages SET sender_id = ? WHERE site = ? AND sender_id = ?', [next, site, id]],
      ['UPDATE cursors SET user_id = ? WHERE site = ? AND user_id = ?', [next, site, id]],
      ['UPDATE bans SET user_id = ? WHERE site = ? AND user_id = ?', [next, site, id]],
    );
  }
  return statements;
}
