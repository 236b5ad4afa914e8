/**
 * Users of a site: guests (stored when they first post or pick a nickname)
 * and identified users (whose id and name come from the site's signed token).
 * Guest names are unique per site, and a guest may not take a name that looks
 * like an identified user's.
 */
import { ErrorCode } from '../../protocol/index.js';
import type { Ack, UserId, UserInfo } from '../../protocol/index.js';
import {
  GUEST_NAME_ATTEMPTS,
  fallbackGuestName,
  guestName,
  type GuestLanguage,
  guestUserId,
  identifiedNameKey,
  identifiedUserId,
  isReservedGuestName,
  provisionalGuestName,
} from '../identity.js';
import { cleanNickname, cleanTokenName, nicknameKey, nicknameSkeleton } from '../nickname.js';
import { fail, ok } from '../result.js';
import type { IdentityClaims } from '../security/token.js';
import type { ChatStore, Site } from '../storage/store.js';

export interface Renamed {
  user: UserInfo;
  previousName: string;
}

/** A visitor as the handshake resolves it; a guest is `stored` once it has posted. */
export interface Visitor {
  user: UserInfo;
  stored: boolean;
}

export class UserService {
  constructor(private readonly store: ChatStore) {}

  /** A stored user (guests who never posted are not: see `guest`). */
  get(site: string, id: UserId): Promise<UserInfo | undefined> {
    return this.store.getUser(site, id);
  }

  /**
   * The guest behind `guestKey`: the stored one, or else one that exists only
   * on its sockets, named after its id, until it first posts (`storeGuest`).
   * So a visit that only reads leaves nothing behind.
   */
  async guest(site: Site, guestKey: string, lang: GuestLanguage): Promise<Visitor> {
    const id = guestUserId(site.idKey, guestKey);
    const existing = await this.store.getUser(site.id, id);
    return existing ? { user: existing, stored: true } : { user: { id, name: provisionalGuestName(id, lang), kind: 'guest' }, stored: false };
  }

  /**
   * Stores a guest that was not yet, keeping its name when free, else a
   * generated one: random numbers widening when crowded, and last the name
   * spelled from its id, which nobody else can hold; generated names in the
   * guest's language. Answers the stored user (the one another tab stored
   * meanwhile, if so).
   */
  async storeGuest(site: string, user: UserInfo, lang: GuestLanguage): Promise<UserInfo> {
    for (let attempt = -1; attempt <= GUEST_NAME_ATTEMPTS; attempt++) {
      const name = attempt < 0 ? user.name : attempt < GUEST_NAME_ATTEMPTS ? guestName(attempt, lang) : fallbackGuestName(user.id, lang);
      const skeleton = nicknameSkeleton(name);
      if (attempt < GUEST_NAME_ATTEMPTS && (await this.imitates(site, skeleton, user.id))) continue;
      const result = await this.store.createUser(site, { ...user, name, nameKey: nicknameKey(name), skeleton });
      if (result === 'created') return { ...user, name };
      if (result === 'id_taken') {
        const existing = await this.store.getUser(site, user.id);
        if (existing) return existing;
      }
    }
    throw new Error(`the name spelled from guest id ${user.id} is taken`);
  }

  /** The identified user of a verified token, saved with the token's name and avatar (the site is the authority). */
  async identified(site: Site, claims: IdentityClaims): Promise<UserInfo> {
    const id = identifiedUserId(site.idKey, claims.sub);
    // Never the `sub` as a name: it is often an email.
    const user: UserInfo = { id, name: cleanTokenName(claims.name) ?? `User ${id.slice(2, 8)}`, kind: 'user' };
    if (claims.avatar !== undefined) user.avatar = claims.avatar;
    await this.store.saveIdentifiedUser(site.id, {
      ...user,
      nameKey: identifiedNameKey(id),
      skeleton: nicknameSkeleton(user.name),
    });
    return user;
  }

  /** Applies a new nickname when it is valid, free, and does not imitate an identified user; stores a guest that was not yet. */
  async rename(site: string, visitor: Visitor, raw: string): Promise<Ack<Renamed>> {
    const { user } = visitor;
    if (user.kind === 'user') return fail(ErrorCode.Forbidden, 'identified users take their name from the site');
    const name = cleanNickname(raw);
    if (name === undefined) return fail(ErrorCode.InvalidNickname, 'nickname is not allowed');
    if (name === user.name) return ok({ user, previousName: user.name });
    const nameKey = nicknameKey(name);
    const skeleton = nicknameSkeleton(name);
    if (isReservedGuestName(nameKey, user.id) || (await this.imitates(site, skeleton, user.id))) {
      return fail(ErrorCode.NicknameTaken, 'nickname is taken');
    }
    const created = visitor.stored ? 'id_taken' : await this.store.createUser(site, { ...user, name, nameKey, skeleton });
    if (created === 'created') return ok({ user: { ...user, name }, previousName: user.name });
    if (created === 'name_taken' || !(await this.store.renameUser(site, user.id, name, nameKey, skeleton))) {
      return fail(ErrorCode.NicknameTaken, 'nickname is taken');
    }
    return ok({ user: { ...user, name }, previousName: user.name });
  }

  /** True when the skeleton is an identified user's; names of only emoji or punctuation have none to compare. */
  private async imitates(site: string, skeleton: string, exceptId: UserId): Promise<boolean> {
    return skeleton !== '' && (await this.store.identifiedUserBySkeleton(site, skeleton, exceptId)) !== undefined;
  }
}
