/**
 * Moderation of a site, shared by the moderator socket events and the admin
 * API: tombstoning messages, bans and mutes enforced on every open socket of
 * the user at once, and a user's data export and erasure.
 */
import { DIRECT_ROOM_PREFIX, ErrorCode } from '../../protocol/index.js';
import type { Ack, BanInfo, BanKind, EraseResult, MessageDeleted, UserExport, UserId } from '../../protocol/index.js';
import { roomChannel, userChannel } from '../channels.js';
import { fail, ok } from '../result.js';
import type { ChatStore } from '../storage/store.js';
import type { BanService } from './bans.js';
import type { NamespaceLookup } from './presence-service.js';

export interface BanRequest {
  kind: BanKind;
  userId?: UserId;
  ip?: string;
  durationMs: number;
  reason?: string;
}

export class ModerationService {
  constructor(
    private readonly store: ChatStore,
    private readonly bans: BanService,
    private readonly namespaceOf: NamespaceLookup,
  ) {}

  /** Tombstones a message of `room`; every socket that can see it hears `message:deleted`. */
  async deleteMessage(site: string, room: string, messageId: string): Promise<Ack<MessageDeleted>> {
    const message = await this.store.getMessage(site, messageId);
    if (!message || message.room !== room) return fail(ErrorCode.UnknownMessage, 'no such message in this room');
    if (!message.deleted) await this.store.deleteMessage(site, messageId);
    const deleted: MessageDeleted = { room, id: message.id, seq: message.seq };
    this.announceDeleted(site, [deleted], message.to === undefined ? [] : [message.from.id, message.to]);
    return ok(deleted);
  }

  /** Stores the ban or mute; a ban ends every matching session now, a mute holds from the next send. */
  async ban(site: string, request: BanRequest): Promise<BanInfo> {
    const now = Date.now();
    const draft: Omit<BanInfo, 'id'> = { kind: request.kind, until: now + request.durationMs, created: now };
    if (request.userId !== undefined) draft.userId = request.userId;
    if (request.ip !== undefined) draft.ip = request.ip;
    if (request.reason !== undefined) draft.reason = request.reason;
    // New guest sessions from where a banned user is connected are refused too (see BanService.sessionBan):
    // a guest would come back with a fresh key. One ban per further address.
    const addresses = draft.kind === 'ban' && draft.userId !== undefined ? await this.addressesOf(site, draft.userId) : [];
    if (draft.ip === undefined && addresses[0] !== undefined) draft.ip = addresses[0];
    const ban = await this.bans.add(site, draft);
    await Promise.all(addresses.filter((ip) => ip !== ban.ip).map((ip) => this.bans.add(site, { ...draft, ip })));
    if (ban.kind === 'ban') {
      // A ban on a user ends that user's sessions; one on an address alone, every session from it.
      const who = ban.userId === undefined ? ban : { userId: ban.userId };
      for (const socket of await this.sockets(site, who)) {
        socket.emit('session:ended', { code: ErrorCode.Banned, message: 'you are banned from this site', retryAfterMs: ban.until - now });
        socket.disconnect(true);
      }
    }
    return ban;
  }

  /** The distinct addresses of the user's open sockets, on every node. */
  private async addressesOf(site: string, userId: UserId): Promise<string[]> {
    return [...new Set((await this.sockets(site, { userId })).map((s) => s.data.ip))];
  }

  unban(site: string, id: string): Promise<boolean> {
    return this.bans.remove(site, id);
  }

  async exportUser(site: string, userId: UserId): Promise<UserExport> {
    const [user, messages] = await Promise.all([this.store.getUser(site, userId), this.store.messagesBy(site, userId)]);
    return { user: user ?? null, messages };
  }

  /** Tombstones every message of the user, forgets their profile and closes their sessions. */
  async eraseUser(site: string, userId: UserId): Promise<EraseResult> {
    const erased = await this.store.eraseMessagesBy(site, userId);
    const profile = await this.store.deleteUser(site, userId);
    const rooms = erased.filter((m) => !m.room.startsWith(DIRECT_ROOM_PREFIX));
    this.announceDeleted(site, rooms, []);
    for (const socket of await this.sockets(site, { userId })) socket.disconnect(true);
    return { messages: erased.length, profile };
  }

  private announceDeleted(site: string, deleted: MessageDeleted[], users: UserId[]): void {
    const nsp = this.namespaceOf(site);
    for (const d of deleted) {
      const channels = d.room.startsWith(DIRECT_ROOM_PREFIX) ? users.map(userChannel) : [roomChannel(d.room)];
      nsp.to(channels).emit('message:deleted', d);
    }
  }

  /** Open sockets of the site, on every node, that belong to the user or come from the address. */
  private async sockets(site: string, who: { userId?: UserId; ip?: string }) {
    const sockets = await this.namespaceOf(site).fetchSockets();
    return sockets.filter(
      (s) => (who.userId !== undefined && s.data.user?.id === who.userId) || (who.ip !== undefined && s.data.ip === who.ip),
    );
  }
}
