/**
 * Changes to messages after they were sent: an author's edits and
 * deletions, and reactions. Each write takes the room's next change number
 * (`rev`) and is broadcast to the room; `changes` replays them to a client
 * that was away. Room messages only: the edge refuses private conversations'
 * names.
 */
import { EDIT_WINDOW_MS, ErrorCode, REACTION_EMOJI_MAX } from '../../protocol/index.js';
import type { Ack, ChangesPage, ChatMessage, MessageChanged, MessageDeleted, UserId, UserRole } from '../../protocol/index.js';
import { roomChannel } from '../channels.js';
import { fail, ok } from '../result.js';
import type { NamespaceOf } from '../socket-types.js';
import type { ChatStore, Site } from '../storage/store.js';
import { resolveMentions } from './mentions.js';
import { withoutMyReactions } from './messages.js';
import type { ModerationService } from './moderation.js';

/** Who asks for a change. */
export interface Actor {
  id: UserId;
  role: UserRole;
}

/** How long after sending the site lets an author edit. */
export function editWindowMs(site: Pick<Site, 'editWindowMinutes'>): number {
  return site.editWindowMinutes === undefined ? EDIT_WINDOW_MS : site.editWindowMinutes * 60_000;
}

export class MessageChangeService {
  constructor(
    private readonly store: ChatStore,
    private readonly namespaceOf: NamespaceOf,
    private readonly moderation: ModerationService,
  ) {}

  /** New text for the author's own message of `room`, within `windowMs` of its sending; mentions are read again. */
  async edit(site: string, room: string, messageId: string, actor: Actor, text: string, windowMs: number): Promise<Ack<MessageChanged>> {
    const found = await this.find(site, room, messageId);
    if (!found.ok) return found;
    const message = found.data;
    if (message.from.id !== actor.id) return fail(ErrorCode.Forbidden, 'only its author may edit a message');
    const now = Date.now();
    if (now - message.at > windowMs) return fail(ErrorCode.EditWindowClosed, 'this message can no longer be edited');
    const mentions = await resolveMentions(this.store, site, text);
    if (!mentions.ok) return mentions;
    const edited = await this.store.editMessage(site, messageId, text, mentions.data, now);
    // Deleted meanwhile (by a moderator or an erase).
    if (!edited) return fail(ErrorCode.MessageDeleted, 'that message was deleted');
    return ok(await this.announce(site, room, edited, actor.id));
  }

  /** The author's own message (a moderator's: anyone's) becomes a tombstone, as `mod:delete` makes it. */
  async delete(site: string, room: string, messageId: string, actor: Actor): Promise<Ack<MessageDeleted>> {
    const message = await this.store.getMessage(site, messageId);
    if (!message || message.room !== room) return fail(ErrorCode.UnknownMessage, 'no such message in this room');
    if (message.from.id !== actor.id && actor.role !== 'moderator') return fail(ErrorCode.Forbidden, 'only its author or a moderator may delete a message');
    return this.moderation.deleteMessage(site, room, messageId);
  }

  /**
   * Adds or removes the actor's reaction. Nothing is written or broadcast
   * when it changes nothing; the answer is the message as it is either way.
   */
  async react(site: string, room: string, messageId: string, actor: Actor, emoji: string, on: boolean): Promise<Ack<MessageChanged>> {
    const found = await this.find(site, room, messageId);
    if (!found.ok) return found;
    const outcome = await this.store.react(site, messageId, actor.id, emoji, on, REACTION_EMOJI_MAX);
    if (outcome === 'unknown_message') return fail(ErrorCode.UnknownMessage, 'no such message in this room');
    if (outcome === 'message_deleted') return fail(ErrorCode.MessageDeleted, 'that message was deleted');
    if (outcome === 'too_many_reactions') {
      return fail(ErrorCode.TooManyReactions, `a message may carry at most ${REACTION_EMOJI_MAX} different emoji`);
    }
    if (!outcome.changed) return ok(await this.answer(site, room, outcome.message, actor.id));
    return ok(await this.announce(site, room, outcome.message, actor.id, { user: actor.id, emoji, on }));
  }

  /** A page of the room's changes after `after`, read for `reader`. */
  changes(site: string, room: string, after: number, limit: number, reader: UserId): Promise<ChangesPage> {
    return this.store.changes(site, room, after, limit, reader);
  }

  /** A message of `room` that is not deleted. */
  private async find(site: string, room: string, messageId: string): Promise<Ack<ChatMessage>> {
    const message = await this.store.getMessage(site, messageId);
    if (!message || message.room !== room) return fail(ErrorCode.UnknownMessage, 'no such message in this room');
    if (message.deleted) return fail(ErrorCode.MessageDeleted, 'that message was deleted');
    return ok(message);
  }

  /** Tells the room (without anyone's `myReactions`) and answers the actor with theirs. */
  private async announce(site: string, room: string, message: ChatMessage, actor: UserId, reaction?: MessageChanged['reaction']): Promise<MessageChanged> {
    const shared: MessageChanged = { room, message: withoutMyReactions(message), rev: message.rev ?? 0, ...(reaction ? { reaction } : {}) };
    this.namespaceOf(site).to(roomChannel(room)).emit('message:changed', shared);
    return { ...(await this.answer(site, room, message, actor)), ...(reaction ? { reaction } : {}) };
  }

  /** The message as the actor reads it (with their `myReactions`). */
  private async answer(site: string, room: string, message: ChatMessage, actor: UserId): Promise<MessageChanged> {
    const mine = (await this.store.getMessage(site, message.id, actor)) ?? message;
    return { room, message: mine, rev: mine.rev ?? 0 };
  }
}
