/**
 * Users of a site: guests (created on first sight, with nicknames they pick)
 * and identified users (whose id and name come from the site's signed token).
 * Guest names are unique per site, and a guest may not take a name that looks
 * like an identified user's.
 */
import { ErrorCode } from '../../protocol/index.js';
import type { Ack, UserId, UserInfo } from '../../protocol/index.js';
import { guestName, guestUserId } from '../identity.js';
import { cleanNickname, cleanTokenName, nicknameKey, nicknameSkeleton } from '../nickname.js';
import { fail, ok } from '../result.js';
import type { IdentityClaims } from '../security/token.js';
import type { ChatStore, Site } from '../storage/store.js';

/** Enough tries that a crowded site still finds a free guest name. */
const MAX_NAME_ATTEMPTS = 50;

export interface Renamed {
  user: UserInfo;
  previousName: string;
}

/** The public id of an identified user. */
export function identifiedUserId(sub: string): UserId {
  return `u_${sub}`;
}

/**
 * Identified users do not take part in the unique-name index: two people with
 * the same real name may both sign in. Their key starts with U+0001, a
 * control character no nickname can contain (not NUL, which PostgreSQL text
 * refuses); guests are kept off their names by the skeleton check.
 */
function identifiedNameKey(id: UserId): string {
  return `\u0001${id}`;
}

export class UserService {
  constructor(private readonly store: ChatStore) {}

  get(site: string, id: UserId): Promise<UserInfo | undefined> {
    return this.store.getUser(site, id);
  }

  /** The guest behind `guestKey`, created with a free generated name on first sight. */
  async guest(site: Site, guestKey: string): Promise<UserInfo> {
    const id = guestUserId(site.secret, guestKey);
    for (let attempt = 0; attempt < MAX_NAME_ATTEMPTS; attempt++) {
      const existing = await this.store.getUser(site.id, id);
      if (existing) return existing;
      const name = guestName(attempt);
      const skeleton = nicknameSkeleton(name);
      if (await this.imitates(site.id, skeleton, id)) continue;
      const user: UserInfo = { id, name, kind: 'guest' };
      const result = await this.store.createUser(site.id, { ...user, nameKey: nicknameKey(name), skeleton });
      if (result === 'created') return user;
      // 'id_taken': another tab created this guest meanwhile; the next loop reads it.
    }
    throw new Error('no free guest name found');
  }

  /** The identified user of a verified token, saved with the token's name and avatar (the site is the authority). */
  async identified(site: Site, claims: IdentityClaims): Promise<UserInfo> {
    const id = identifiedUserId(claims.sub);
    const user: UserInfo = { id, name: cleanTokenName(claims.name) ?? claims.sub, kind: 'user' };
    if (claims.avatar !== undefined) user.avatar = claims.avatar;
    await this.store.saveIdentifiedUser(site.id, {
      ...user,
      nameKey: identifiedNameKey(id),
      skeleton: nicknameSkeleton(user.name),
    });
    return user;
  }

  /** Applies a new nickname when it is valid, free, and does not imitate an identified user. */
  async rename(site: string, user: UserInfo, raw: string): Promise<Ack<Renamed>> {
    if (user.kind === 'user') return fail(ErrorCode.Forbidden, 'identified users take their name from the site');
    const name = cleanNickname(raw);
    if (name === undefined) return fail(ErrorCode.InvalidNickname, 'nickname is not allowed');
    if (name === user.name) return ok({ user, previousName: user.name });
    const skeleton = nicknameSkeleton(name);
    if (await this.imitates(site, skeleton, user.id)) {
      return fail(ErrorCode.NicknameTaken, 'nickname is taken');
    }
    if (!(await this.store.renameUser(site, user.id, name, nicknameKey(name), skeleton))) {
      return fail(ErrorCode.NicknameTaken, 'nickname is taken');
    }
    return ok({ user: { ...user, name }, previousName: user.name });
  }

  /** True when the skeleton is an identified user's; names of only emoji or punctuation have none to compare. */
  private async imitates(site: string, skeleton: string, exceptId: UserId): Promise<boolean> {
    return skeleton !== '' && (await this.store.identifiedUserBySkeleton(site, skeleton, exceptId)) !== undefined;
  }
}
