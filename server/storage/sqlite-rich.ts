/**
 * The SQLite store's rich messages (protocol 4): resolving pages, edits,
 * deletions and reactions with the room's change number, change replay, and
 * a user's blocks. Each write is one transaction; the change number is bumped
 * in it.
 */
import type Database from 'better-sqlite3';
import type { ChangesPage, ChatMessage, MessageDeleted, Privacy, UserId } from '../../protocol/index.js';
import { readPlan, withReads } from './message-reads.js';
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
import { prepare, prepareAll } from './sqlite-prepared.js';
import { messageStatements } from './statements.js';
import type { ErasedParams } from './statements.js';
import type { BlockOutcome, ReactOutcome } from './store.js';

export class SqliteRich {
  private readonly messages;
  private readonly revs;
  private readonly reactions;
  private readonly mentions;
  private readonly quotes;
  private readonly users;
  private readonly privacy;
  private readonly erase;
  readonly deleteMessage: (site: string, id: string) => ChatMessage | undefined;
  readonly editMessage: (site: string, id: string, text: string, mentions: UserId[], at: number) => ChatMessage | undefined;
  readonly react: (site: string, id: string, user: UserId, emoji: string, on: boolean, maxDistinct: number) => ReactOutcome;
  readonly setBlocked: (site: string, user: UserId, target: UserId, blocked: boolean, max: number) => BlockOutcome;
  /** One read transaction, so the room's counter and the rows agree. */
  readonly changes: (site: string, room: string, after: number, limit: number, reader: UserId) => ChangesPage;

  constructor(db: Database.Database) {
    this.messages = prepareAll(db, messageStatements);
    this.revs = prepareAll(db, revStatements);
    this.reactions = prepareAll(db, reactionStatements);
    this.mentions = prepareAll(db, mentionStatements);
    this.quotes = prepareAll(db, quoteStatements);
    this.users = prepare(db, existingUsersStatement);
    this.privacy = prepareAll(db, privacyStatements);
    this.erase = prepareAll(db, eraseRichStatements);

    this.deleteMessage = db.transaction((site: string, id: string): ChatMessage | undefined => {
      const row = this.messages.get.get({ site, id });
      if (!row || row.deleted) return row && toMessage(row);
      const rev = this.nextRev(site, row.room);
      this.reactions.dropFor.run({ site, id });
      this.mentions.dropFor.run({ site, id });
      return toMessage(this.messages.tombstone.get({ site, id, rev })!);
    });

    this.editMessage = db.transaction((site: string, id: string, text: string, mentions: UserId[], at: number) => {
      const row = this.messages.get.get({ site, id });
      if (!row || row.deleted) return undefined;
      const rev = this.nextRev(site, row.room);
      const edited = this.messages.edit.get({ site, id, text, edited_at: at, rev })!;
      this.mentions.dropFor.run({ site, id });
      this.insertMentions(site, id, mentions);
      return this.read(site, [edited])[0];
    });

    this.react = db.transaction((site: string, id: string, user: UserId, emoji: string, on: boolean, maxDistinct: number) => {
      const row = this.messages.get.get({ site, id });
      if (!row) return 'unknown_message';
      if (row.deleted) return 'message_deleted';
      const one = { site, message_id: id, emoji, user_id: user };
      if (on) {
        const { kinds, same } = this.reactions.kinds.get(one)!;
        if (same === 0 && kinds >= maxDistinct) return 'too_many_reactions';
      }
      const written = on ? this.reactions.add.run({ ...one, at: Date.now() }).changes : this.reactions.remove.run(one).changes;
      if (written === 0) return { message: this.read(site, [row])[0]!, changed: false };
      this.revs.stamp.run({ site, id, rev: this.nextRev(site, row.room) });
      return { message: this.read(site, [this.messages.get.get({ site, id })!])[0]!, changed: true };
    });

    this.changes = db.transaction(this.changesNow.bind(this));

    this.setBlocked = db.transaction((site: string, user: UserId, target: UserId, blocked: boolean, max: number): BlockOutcome => {
      const pair = { site, user_id: user, target };
      if (!blocked) {
        this.privacy.unblock.run(pair);
        return 'ok';
      }
      if (this.privacy.isBlocked.get(pair)) return 'ok';
      if (!this.existingUsers(site, [target]).length) return 'unknown_user';
      if (this.privacy.count.get(pair)!.n >= max) return 'too_many';
      this.privacy.block.run({ ...pair, at: Date.now() });
      return 'ok';
    });
  }

  /** The rows as messages, their quotes, reactions and mentions resolved in a few reads for the whole page. */
  read(site: string, rows: MessageRow[], reader?: UserId): ChatMessage[] {
    const plan = readPlan(site, rows, reader);
    return withReads(rows, {
      ...(plan.quotes && { quotes: this.quotes.originals.all(plan.quotes) }),
      ...(plan.reactions && { reactions: this.reactions.ofMessages.all(plan.reactions) }),
      ...(plan.mine && { mine: this.reactions.mine.all(plan.mine) }),
      ...(plan.mentions && { mentions: this.mentions.ofMessages.all(plan.mentions) }),
    });
  }

  insertMentions(site: string, id: string, mentions: readonly UserId[] | undefined): void {
    mentions?.forEach((user, ord) => this.mentions.insert.run({ site, message_id: id, user_id: user, ord }));
  }

  lastRev(site: string, room: string): number {
    return this.revs.last.get({ site, room })!.rev;
  }

  private changesNow(site: string, room: string, after: number, limit: number, reader: UserId): ChangesPage {
    const upTo = this.lastRev(site, room);
    const rows = this.revs.changed.all({ site, room, after, upTo, take: limit + 1 });
    const hasMore = rows.length > limit;
    const page = hasMore ? rows.slice(0, limit) : rows;
    return { room, messages: this.read(site, page, reader), lastRev: hasMore ? page.at(-1)!.rev! : upTo, hasMore };
  }

  existingUsers(site: string, ids: readonly UserId[]): UserId[] {
    if (!ids.length) return [];
    const found = new Set(this.users.all({ site, ids: JSON.stringify(ids) }).map((row) => row.id));
    return ids.filter((id) => found.has(id));
  }

  getPrivacy(site: string, user: UserId): Privacy {
    const owner = { site, user_id: user };
    const blocked = this.privacy.blocked.all(owner).map(toUser);
    return { blocked, refuseGuestDms: Boolean(this.privacy.setting.get(owner)?.refuse_guest_dms) };
  }

  setRefuseGuestDms(site: string, user: UserId, refuse: boolean): void {
    this.privacy.setRefuse.run({ site, user_id: user, refuse });
  }

  blocks(site: string, user: UserId, other: UserId): boolean {
    return this.privacy.isBlocked.get({ site, user_id: user, target: other }) !== undefined;
  }

  /** Erase, before the user's own messages are tombstoned or removed: the reactions and mentions those carry. */
  eraseOwnRows(params: ErasedParams): void {
    this.erase.reactionsOnTheirMessages.run(params);
    this.erase.mentionsInTheirMessages.run(params);
  }

  /** Erase, after: others' messages they reacted to or were mentioned in take a change number; then their reactions, mentions, blocks go. */
  eraseTraces(params: ErasedParams): { id: string; room: string }[] {
    const touched = this.erase.touched.all(params);
    this.erase.rewriteMentions.run(params);
    this.erase.reactionsBy.run(params);
    this.erase.mentionsOf.run(params);
    this.erase.blocks.run(params);
    this.erase.privacy.run(params);
    for (const { id, room } of touched) this.revs.stamp.run({ site: params.site, id, rev: this.nextRev(params.site, room) });
    return touched;
  }

  /** Erase: each room message it tombstoned takes its room's next change number, so a reconnecting client replays it. */
  stampTombstones(site: string, tombstoned: MessageDeleted[]): MessageDeleted[] {
    return tombstoned.map((t) => {
      const rev = this.nextRev(site, t.room);
      this.revs.stamp.run({ site, id: t.id, rev });
      return { ...t, rev };
    });
  }

  private nextRev(site: string, room: string): number {
    return this.revs.next.get({ site, room })!.rev;
  }
}
