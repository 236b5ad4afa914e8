/** A user's blocks and private-message setting (`blocks`, `privacy`), for both drivers. */
import { sql } from './sql.js';
import type { Flag, UserRow } from './rows.js';

type Pair = { site: string; user_id: string; target: string };
type Owner = { site: string; user_id: string };

export const privacyStatements = {
  /** The primary key: one index lookup, asked on every private message. */
  isBlocked: sql<Pair, { one: number }>('SELECT 1 AS one FROM blocks WHERE site = :site AND user_id = :user_id AND target = :target'),
  block: sql<Pair & { at: number }>(
    'INSERT INTO blocks (site, user_id, target, at) VALUES (:site, :user_id, :target, :at) ON CONFLICT DO NOTHING',
  ),
  unblock: sql<Pair>('DELETE FROM blocks WHERE site = :site AND user_id = :user_id AND target = :target'),
  count: sql<Owner, { n: number }>('SELECT COUNT(*) AS n FROM blocks WHERE site = :site AND user_id = :user_id'),
  blocked: sql<Owner, UserRow>(
    `SELECT u.id, u.name, u.kind, u.avatar FROM blocks b JOIN users u ON u.site = b.site AND u.id = b.target
     WHERE b.site = :site AND b.user_id = :user_id ORDER BY b.at, b.target COLLATE BINARY`,
  ),
  setting: sql<Owner, { refuse_guest_dms: Flag }>('SELECT refuse_guest_dms FROM privacy WHERE site = :site AND user_id = :user_id'),
  setRefuse: sql<Owner & { refuse: boolean }>(
    `INSERT INTO privacy (site, user_id, refuse_guest_dms) VALUES (:site, :user_id, :refuse)
     ON CONFLICT (site, user_id) DO UPDATE SET refuse_guest_dms = excluded.refuse_guest_dms`,
  ),
};
