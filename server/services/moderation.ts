/**
 * Moderation of a site, shared by the moderator socket events and the admin
 * API: tombstoning messages, bans and mutes enforced on every open socket of
 * the user at once, and a user's data export and erasure.
 */
import { createHash } from 'node:crypto';
import { DIRECT_ROOM_PREFIX, ERASED_AUTHOR, ErrorCode } from '../../protocol/index.js';
import type { Ack, BanInfo, BanKind, EraseResult, MessageDeleted, UserExport, UserId } from '../../protocol/index.js';
import { normaliseIp } from '../security/client-ip.js';
import { roomChannel, userChannel } from '../channels.js';
import { fail, ok } from '../result.js';
import type { NamespaceOf } from '../socket-types.js';
import type { ChatStore, ErasedUser } from '../storage/store.js';
import type { BanService } from './bans.js';
import { withoutMyReactions } from './messages.js';
import type { PresenceService } from './presence-service.js';

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
    private readonly namespaceOf: NamespaceOf,
    private readonly presence: PresenceService,
  ) {}

  /**
   * Tombstones a message of `room` (with the room's next change number; a
   * tombstone is answered as it is); every socket that can see it hears
   * `message:deleted`.
   */
  async deleteMessage(site: string, room: string, messageId: string): Promise<Ack<MessageDeleted>> {
    const message = await this.store.getMessage(site, messageId);
    if (!message || message.room !== room) return fail(ErrorCode.UnknownMessage, 'no such message in this room');
    const tombstone = (await this.store.deleteMessage(site, messageId)) ?? message;
    const deleted: MessageDeleted = { room, id: message.id, seq: message.seq, ...(tombstone.rev === undefined ? {} : { rev: tombstone.rev }) };
    this.announceDeleted(site, [deleted], message.to === undefined ? [] : [message.from.id, message.to]);
    return ok(deleted);
  }

  /** Stores the ban or mute; a ban ends every matching session now, a mute holds from the next send. */
  async ban(site: string, request: BanRequest): Promise<BanInfo> {
    const now = Date.now();
    const draft: Omit<BanInfo, 'id'> = { kind: request.kind, until: now + request.durationMs, created: now };
    if (request.userId !== undefined) draft.userId = request.userId;
    if (request.ip !== undefined) draft.ip = normaliseIp(request.ip);
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

  /** The site owner's privacy export (admin API only: it reveals private messages). */
  async exportUser(site: string, userId: UserId): Promise<UserExport> {
    const [user, messages] = await Promise.all([this.store.getUser(site, userId), this.store.messagesBy(site, userId)]);
    return { user: user ?? null, messages };
  }

  /**
   * Closes the user's sessions, erases every trace of them (see
   * `ChatStore.eraseUser`) and drops them from presence without a leave notice (it would
   * name them). Room members hear `message:deleted` for the new tombstones and
   * `message:changed` for the messages that lost their reactions or mentions
   * of them; removed private messages are not announced (the event would carry the
   * conversation's name, which holds the id).
   */
  async eraseUser(site: string, userId: UserId): Promise<EraseResult> {
    // Sessions first: no new send of theirs starts while the store erases them.
    for (const socket of await this.sockets(site, { userId })) socket.disconnect(true);
    const erased = await this.store.eraseUser(site, userId);
    this.bans.changed(site);
    this.announceDeleted(site, erased.tombstoned.map((d) => ({ ...d, from: { ...ERASED_AUTHOR } })), []);
    await this.announceChanged(site, erased.changed);
    await this.presence.forget(site, userId);
    return { messages: erased.tombstoned.length + erased.privateRemoved, profile: erased.profile };
  }

  /** Each room message as it is now, to its room (private conversations hear no changes). */
  private async announceChanged(site: string, changed: ErasedUser['changed']): Promise<void> {
    const nsp = this.namespaceOf(site);
    for (const { id, room } of changed) {
      if (room.startsWith(DIRECT_ROOM_PREFIX)) continue;
      const message = await this.store.getMessage(site, id);
      if (message) nsp.to(roomChannel(room)).emit('message:changed', { room, message: withoutMyReactions(message), rev: message.rev ?? 0 });
    }
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

/**
 * What logs say instead of an erased user's id: a one-way hash, so an
 * operator who is given the id later can confirm the erase, but the log
 * alone does not name anyone.
 */
export function erasureRef(site: string, userId: UserId): string {
  return createHash('sha256').update(`${site}\0${userId}`).digest('hex').slice(0, 16);
}
