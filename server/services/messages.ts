/**
 * Room and direct messages: stored once per (site, sender, client id), then
 * delivered; history pages; a user's delivery cursor and unread count. The
 * only way handlers reach messages in the store.
 */
import { HISTORY_PAGE_SIZE, UNREAD_CAP, directConversation } from '../../protocol/index.js';
import type { HistoryPage, SendResult, UserId, UserInfo } from '../../protocol/index.js';
import { roomChannel, userChannel } from '../channels.js';
import type { NamespaceOf } from '../socket-types.js';
import type { ChatStore, HistoryQuery, MessageDraft, UnreadCount } from '../storage/store.js';

/** What a join answers besides presence. */
export interface CatchUp {
  page: HistoryPage;
  /** The highest seq the user acknowledged in the room (0 when none). */
  cursor: number;
  unread: UnreadCount;
}

export class MessageService {
  constructor(
    private readonly store: ChatStore,
    private readonly namespaceOf: NamespaceOf,
  ) {}

  /**
   * Broadcasts to the whole room, the sender's own sockets included (other
   * tabs need it; the sending tab matches it by id).
   */
  post(site: string, room: string, from: UserInfo, text: string, clientId: string): Promise<SendResult> {
    return this.deliver(site, { room, clientId, from, text, at: Date.now() }, 'message:new', [roomChannel(room)]);
  }

  /**
   * Stored like room messages (seq, dedupe) in the conversation `dm:<a>:<b>`,
   * which no client can join as a room, and delivered to every tab of both users.
   */
  sendDirect(site: string, from: UserInfo, to: UserId, text: string, clientId: string): Promise<SendResult> {
    const draft: MessageDraft = { room: directConversation(from.id, to), clientId, from, text, at: Date.now(), to };
    return this.deliver(site, draft, 'dm:new', [userChannel(from.id), userChannel(to)]);
  }

  history(site: string, room: string, query: HistoryQuery): Promise<HistoryPage> {
    return this.store.history(site, room, query);
  }

  directHistory(site: string, user: UserId, peer: UserId, query: HistoryQuery): Promise<HistoryPage> {
    return this.store.history(site, directConversation(user, peer), query);
  }

  /** The latest page, the user's cursor and the unread count after it: bounded whatever the room's size (at most UNREAD_CAP + 1 messages read). */
  async catchUp(site: string, room: string, userId: UserId): Promise<CatchUp> {
    const [page, cursor] = await Promise.all([
      this.store.history(site, room, { limit: HISTORY_PAGE_SIZE }),
      this.store.getCursor(site, userId, room),
    ]);
    const unread = cursor ? await this.store.countUnread(site, room, cursor, userId, UNREAD_CAP) : { count: 0, capped: false };
    return { page, cursor, unread };
  }

  /** Moves the user's cursor forward to `seq`; a cursor past the end would hide messages not yet written from the next replay. */
  async acknowledge(site: string, userId: UserId, room: string, seq: number): Promise<number> {
    const last = await this.store.lastSeq(site, room);
    return this.store.advanceCursor(site, userId, room, Math.min(seq, last));
  }

  /** A retry (same client id) answers the original with `duplicate: true` and delivers nothing. */
  private async deliver(site: string, draft: MessageDraft, event: 'message:new' | 'dm:new', channels: string[]): Promise<SendResult> {
    const result = await this.store.appendMessage(site, draft);
    if (!result.duplicate) this.namespaceOf(site).to(channels).emit(event, result.message);
    return result;
  }
}
