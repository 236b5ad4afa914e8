/**
 * Room and direct messages: stored once per (site, sender, client id), then
 * delivered; history pages; a user's delivery cursor and unread count. The
 * only way handlers reach messages in the store.
 */
import { ErrorCode, HISTORY_PAGE_SIZE, UNREAD_CAP, directConversation } from '../../protocol/index.js';
import type { Ack, ChatMessage, HistoryPage, ImageInfo, SendResult, UserId, UserInfo } from '../../protocol/index.js';
import { roomChannel, userChannel } from '../channels.js';
import { fail, ok } from '../result.js';
import type { NamespaceOf } from '../socket-types.js';
import type { ChatStore, HistoryQuery, MessageDraft, UnreadCount } from '../storage/store.js';
import { resolveMentions } from './mentions.js';

/** What a join answers besides presence. */
export interface CatchUp {
  page: HistoryPage;
  /** The highest seq the user acknowledged in the room (0 when none). */
  cursor: number;
  unread: UnreadCount;
  /** The room's change number, read before the page: a replay from it may repeat a change the page shows, never miss one. */
  lastRev: number;
}

export class MessageService {
  constructor(
    private readonly store: ChatStore,
    private readonly namespaceOf: NamespaceOf,
  ) {}

  /**
   * Broadcasts to the whole room, the sender's own sockets included (other
   * tabs need it; the sending tab matches it by id). A reply's original must
   * be a message of the room that is not deleted; mentions are the text's
   * tokens that name users of the site (see `resolveMentions`). `image`: an
   * upload the sender claimed for this send (`text` is then its caption).
   */
  async post(site: string, room: string, from: UserInfo, text: string, clientId: string, replyTo?: string, image?: ImageInfo): Promise<Ack<SendResult>> {
    if (replyTo !== undefined) {
      const original = await this.store.getMessage(site, replyTo);
      if (!original || original.room !== room) return fail(ErrorCode.UnknownMessage, 'no such message in this room to reply to');
      if (original.deleted) return fail(ErrorCode.MessageDeleted, 'that message was deleted');
    }
    const mentions = await resolveMentions(this.store, site, text);
    if (!mentions.ok) return mentions;
    const draft: MessageDraft = { room, clientId, from, text, at: Date.now() };
    if (replyTo !== undefined) draft.replyTo = replyTo;
    if (mentions.data.length > 0) draft.mentions = mentions.data;
    if (image !== undefined) draft.image = image;
    return ok(await this.deliver(site, draft, 'message:new', [roomChannel(room)]));
  }

  /**
   * Stored like room messages (seq, dedupe) in the conversation `dm:<a>:<b>`,
   * which no client can join as a room, and delivered to every tab of both users.
   */
  sendDirect(site: string, from: UserInfo, to: UserId, text: string, clientId: string): Promise<SendResult> {
    const draft: MessageDraft = { room: directConversation(from.id, to), clientId, from, text, at: Date.now(), to };
    return this.deliver(site, draft, 'dm:new', [userChannel(from.id), userChannel(to)]);
  }

  /** A page read for `reader`: its messages' `myReactions` are theirs. */
  history(site: string, room: string, query: HistoryQuery, reader: UserId): Promise<HistoryPage> {
    return this.store.history(site, room, { ...query, reader });
  }

  directHistory(site: string, user: UserId, peer: UserId, query: HistoryQuery): Promise<HistoryPage> {
    return this.store.history(site, directConversation(user, peer), { ...query, reader: user });
  }

  /**
   * The room's change number, the latest page (read for the user), the
   * user's cursor and the unread count after it: bounded whatever the room's
   * size (at most UNREAD_CAP + 1 messages read).
   */
  async catchUp(site: string, room: string, userId: UserId): Promise<CatchUp> {
    const lastRev = await this.store.lastRev(site, room);
    const [page, cursor] = await Promise.all([
      this.store.history(site, room, { limit: HISTORY_PAGE_SIZE, reader: userId }),
      this.store.getCursor(site, userId, room),
    ]);
    const unread = cursor ? await this.store.countUnread(site, room, cursor, userId, UNREAD_CAP) : { count: 0, capped: false };
    return { page, cursor, unread, lastRev };
  }

  /** Moves the user's cursor forward to `seq`; a cursor past the end would hide messages not yet written from the next replay. */
  async acknowledge(site: string, userId: UserId, room: string, seq: number): Promise<number> {
    const last = await this.store.lastSeq(site, room);
    return this.store.advanceCursor(site, userId, room, Math.min(seq, last));
  }

  /** A retry (same client id) answers the original with `duplicate: true` and delivers nothing. */
  private async deliver(site: string, draft: MessageDraft, event: 'message:new' | 'dm:new', channels: string[]): Promise<SendResult> {
    const result = await this.store.appendMessage(site, draft);
    // A broadcast goes to everyone: no reader's own reactions in it.
    if (!result.duplicate) this.namespaceOf(site).to(channels).emit(event, withoutMyReactions(result.message));
    return result;
  }
}

/** The message as everyone may see it: `myReactions` belong in answers to one reader only. */
export function withoutMyReactions(message: ChatMessage): ChatMessage {
  if (message.myReactions === undefined) return message;
  const { myReactions: _mine, ...shared } = message;
  return shared;
}
