/**
 * A user's blocks and private-message setting: changed from any tab, told to
 * every tab, and checked before a private message is delivered.
 */
import { BLOCKS_MAX, ErrorCode } from '../../protocol/index.js';
import type { Ack, Privacy, UserId, UserInfo } from '../../protocol/index.js';
import { userChannel } from '../channels.js';
import { fail, ok } from '../result.js';
import type { Failure } from '../result.js';
import type { NamespaceOf } from '../socket-types.js';
import type { ChatStore } from '../storage/store.js';

/** What a user who never stored anything has: nothing blocked, guests allowed. */
export const OPEN_PRIVACY: Privacy = { blocked: [], refuseGuestDms: false };

/** One `user:privacy` request, its targets already checked to be users of the site. */
export interface PrivacyChange {
  block?: UserId;
  unblock?: UserId;
  refuseGuestDms?: boolean;
}

export class PrivacyService {
  constructor(
    private readonly store: ChatStore,
    private readonly namespaceOf: NamespaceOf,
  ) {}

  get(site: string, user: UserId): Promise<Privacy> {
    return this.store.getPrivacy(site, user);
  }

  /** Applies the change, then tells every tab of the user the result (`user:privacy`) and answers it. */
  async change(site: string, user: UserId, change: PrivacyChange): Promise<Ack<Privacy>> {
    if (change.block === user) return fail(ErrorCode.SelfMessage, 'you cannot block yourself');
    if (change.block !== undefined) {
      const outcome = await this.store.setBlocked(site, user, change.block, true, BLOCKS_MAX);
      if (outcome === 'too_many') return fail(ErrorCode.TooManyBlocks, `you may block at most ${BLOCKS_MAX} users`);
      if (outcome === 'unknown_user') return fail(ErrorCode.UnknownUser, 'no such user on this site');
    }
    if (change.unblock !== undefined) await this.store.setBlocked(site, user, change.unblock, false, BLOCKS_MAX);
    if (change.refuseGuestDms !== undefined) await this.store.setRefuseGuestDms(site, user, change.refuseGuestDms);
    const privacy = await this.store.getPrivacy(site, user);
    this.namespaceOf(site).to(userChannel(user)).emit('user:privacy', privacy);
    return ok(privacy);
  }

  /**
   * Why `to` does not take a private message from `from`: `from` is blocked,
   * or a guest while `to` refuses guests. One indexed lookup, plus the
   * recipient's setting for guest senders only.
   */
  async directRefusal(site: string, from: UserInfo, to: UserId): Promise<Failure | undefined> {
    const refused = (await this.store.blocks(site, to, from.id)) || (from.kind === 'guest' && (await this.store.getPrivacy(site, to)).refuseGuestDms);
    return refused ? fail(ErrorCode.DmRefused, 'this user does not take private messages from you') : undefined;
  }
}
