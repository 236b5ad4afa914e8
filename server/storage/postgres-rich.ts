/**
 * The PostgreSQL store's rich messages (protocol 4), as `sqlite-rich.ts` for
 * SQLite. A write locks the message row, then takes the room's change counter
 * (`room_revs`, whose row lock orders the room's changes across nodes), in
 * that order everywhere, erase included.
 */
import type pg from 'pg';
import type { ChangesPage, ChatMessage, Privacy, UserId } from '../../protocol/index.js';
import { readPlan, withReads } from './message-reads.js';
import { query, rows, run, transaction } from './postgres-query.js';
import type { Queryable } from './postgres-query.js';
import { privacyStatements } from './privacy-statements.js';
import {
  eraseRichStatements,
  existingUsersStatement,
  mentionStatements,
  quoteStatements,
  reactionStatements,
  revStatements,
} from './rich-statements.js';
import { toMessage, toUser } from './rows.js';
import type { MessageRow } from './rows.js';
import { sql } from './sql.js';
import { MESSAGE_COLUMNS, messageStatements } from './statements.js';
import type { ErasedParams } from './statements.js';
import type { BlockOutcome, ReactOutcome } from './store.js';

const lockMessage = sql<{ site: string; id: string }, MessageRow>(
  `SELECT ${MESSAGE_COLUMNS} FROM messages WHERE site = :site AND id = :id FOR UPDATE`,
);
const lockTouched = sql<ErasedParams, { id: string; room: string }>(`${eraseRichStatements.touched.text} FOR UPDATE`);

/** The rows as messages, their quotes, reactions and mentions resolved in a few reads for the whole page. */
export async function readMessages(db: Queryable, site: string, list: MessageRow[], reader?: UserId): Promise<ChatMessage[]> {
  const plan = readPlan(site, list, reader);
  return withReads(list, {
    ...(plan.quotes && { quotes: await rows(db, quoteStatements.originals, plan.quotes) }),
    ...(plan.reactions && { reactions: await rows(db, reactionStatements.ofMessages, plan.reactions) }),
    ...(plan.mine && { mine: await rows(db, reactionStatements.mine, plan.mine) }),
    ...(plan.mentions && { mentions: await rows(db, mentionStatements.ofMessages, plan.mentions) }),
  });
}

export async function readMessage(db: Queryable, site: string, row: MessageRow, reader?: UserId): Promise<ChatMessage> {
  return (await readMessages(db, site, [row], reader))[0]!;
}

export async function insertMentions(db: Queryable, site: string, id: string, mentions: readonly UserId[] | undefined): Promise<void> {
  for (const [ord, user] of (mentions ?? []).entries()) await run(db, mentionStatements.insert, { site, message_id: id, user_id: user, ord });
}

async function nextRev(db: Queryable, site: string, room: string): Promise<number> {
  return (await query(db, revStatements.next, { site, room })).rows[0]!.rev;
}

export class PostgresRich {
  constructor(private readonly pool: pg.Pool) {}

  deleteMessage(site: string, id: string): Promise<ChatMessage | undefined> {
    return transaction(this.pool, async (client) => {
      const [row] = await rows(client, lockMessage, { site, id });
      if (!row || row.deleted) return row && toMessage(row);
      const rev = await nextRev(client, site, row.room);
      await run(client, reactionStatements.dropFor, { site, id });
      await run(client, mentionStatements.dropFor, { site, id });
      return toMessage((await rows(client, messageStatements.tombstone, { site, id, rev }))[0]!);
    });
  }

  editMessage(site: string, id: string, text: string, mentions: UserId[], at: number): Promise<ChatMessage | undefined> {
    return transaction(this.pool, async (client) => {
      const [row] = await rows(client, lockMessage, { site, id });
      if (!row || row.deleted) return undefined;
      const rev = await nextRev(client, site, row.room);
      const [edited] = await rows(client, messageStatements.edit, { site, id, text, edited_at: at, rev });
      await run(client, mentionStatements.dropFor, { site, id });
      await insertMentions(client, site, id, mentions);
      return readMessage(client, site, edited!);
    });
  }

  react(site: string, id: string, user: UserId, emoji: string, on: boolean, maxDistinct: number): Promise<ReactOutcome> {
    return transaction(this.pool, async (client): Promise<ReactOutcome> => {
      const [row] = await rows(client, lockMessage, { site, id });
      if (!row) return 'unknown_message';
      if (row.deleted) return 'message_deleted';
      const one = { site, message_id: id, emoji, user_id: user };
      if (on) {
        const { kinds, same } = (await rows(client, reactionStatements.kinds, one))[0]!;
        if (Number(same) === 0 && Number(kinds) >= maxDistinct) return 'too_many_reactions';
      }
      const written = on
        ? await run(client, reactionStatements.add, { ...one, at: Date.now() })
        : await run(client, reactionStatements.remove, one);
      if (written === 0) return { message: await readMessage(client, site, row), changed: false };
      const rev = await nextRev(client, site, row.room);
      await run(client, revStatements.stamp, { site, id, rev });
      return { message: await readMessage(client, site, { ...row, rev }), changed: true };
    });
  }

  async lastRev(site: string, room: string): Promise<number> {
    return (await rows(this.pool, revStatements.last, { site, room }))[0]!.rev;
  }

  /** The counter first: a change committing after it is left for the next page (see `revStatements.changed`). */
  async changes(site: string, room: string, after: number, limit: number, reader: UserId): Promise<ChangesPage> {
    const upTo = await this.lastRev(site, room);
    const list = await rows(this.pool, revStatements.changed, { site, room, after, upTo, take: limit + 1 });
    const hasMore = list.length > limit;
    const page = hasMore ? list.slice(0, limit) : list;
    const messages = await readMessages(this.pool, site, page, reader);
    return { room, messages, lastRev: hasMore ? page.at(-1)!.rev! : upTo, hasMore };
  }

  async existingUsers(site: string, ids: readonly UserId[]): Promise<UserId[]> {
    if (!ids.length) return [];
    const found = new Set((await rows(this.pool, existingUsersStatement, { site, ids: JSON.stringify(ids) })).map((row) => row.id));
    return ids.filter((id) => found.has(id));
  }

  async getPrivacy(site: string, user: UserId): Promise<Privacy> {
    const owner = { site, user_id: user };
    const blocked = (await rows(this.pool, privacyStatements.blocked, owner)).map(toUser);
    const [setting] = await rows(this.pool, privacyStatements.setting, owner);
    return { blocked, refuseGuestDms: Boolean(setting?.refuse_guest_dms) };
  }

  setBlocked(site: string, user: UserId, target: UserId, blocked: boolean, max: number): Promise<BlockOutcome> {
    return transaction(this.pool, async (client): Promise<BlockOutcome> => {
      const pair = { site, user_id: user, target };
      if (!blocked) {
        await run(client, privacyStatements.unblock, pair);
        return 'ok';
      }
      if ((await rows(client, privacyStatements.isBlocked, pair)).length) return 'ok';
      if (!(await rows(client, existingUsersStatement, { site, ids: JSON.stringify([target]) })).length) return 'unknown_user';
      if (Number((await rows(client, privacyStatements.count, pair))[0]!.n) >= max) return 'too_many';
      await run(client, privacyStatements.block, { ...pair, at: Date.now() });
      return 'ok';
    });
  }

  async setRefuseGuestDms(site: string, user: UserId, refuse: boolean): Promise<void> {
    await run(this.pool, privacyStatements.setRefuse, { site, user_id: user, refuse });
  }

  async blocks(site: string, user: UserId, other: UserId): Promise<boolean> {
    return (await rows(this.pool, privacyStatements.isBlocked, { site, user_id: user, target: other })).length > 0;
  }
}

/** Erase, before the user's own messages are tombstoned or removed: the reactions and mentions those carry. */
export async function eraseOwnRows(client: pg.PoolClient, params: ErasedParams): Promise<void> {
  await run(client, eraseRichStatements.reactionsOnTheirMessages, params);
  await run(client, eraseRichStatements.mentionsInTheirMessages, params);
}

/** Erase, after: others' messages they reacted to or were mentioned in take a change number; then their reactions, mentions, blocks go. */
export async function eraseTraces(client: pg.PoolClient, params: ErasedParams): Promise<void> {
  const touched = await rows(client, lockTouched, params);
  await run(client, eraseRichStatements.rewriteMentions, params);
  await run(client, eraseRichStatements.reactionsBy, params);
  await run(client, eraseRichStatements.mentionsOf, params);
  await run(client, eraseRichStatements.blocks, params);
  await run(client, eraseRichStatements.privacy, params);
  for (const { id, room } of touched) await run(client, revStatements.stamp, { site: params.site, id, rev: await nextRev(client, params.site, room) });
}
