/** Guest accounts and nicknames: creating, finding and renaming users of a site. */
import { ErrorCode } from '../../protocol/index.js';
import type { Ack, UserId, UserInfo } from '../../protocol/index.js';
import { guestName, guestUserId } from '../identity.js';
import { cleanNickname, nicknameKey } from '../nickname.js';
import { fail, ok } from '../result.js';
import type { ChatStore, Site } from '../storage/store.js';

/** Enough tries that a crowded site still finds a free guest name. */
const MAX_NAME_ATTEMPTS = 50;

export interface Renamed {
  user: UserInfo;
  previousName: string;
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
      const user: UserInfo = { id, name, kind: 'guest' };
      const result = await this.store.createUser(site.id, { ...user, nameKey: nicknameKey(name) });
      if (result === 'created') return user;
      // 'id_taken': another tab created this guest meanwhile; the next loop reads it.
    }
    throw new Error('no free guest name found');
  }

  /** Applies a new nickname when it is valid and not held by another user of the site. */
  async rename(site: string, user: UserInfo, raw: string): Promise<Ack<Renamed>> {
    const name = cleanNickname(raw);
    if (name === undefined) return fail(ErrorCode.InvalidNickname, 'nickname is not allowed');
    if (name === user.name) return ok({ user, previousName: user.name });
    if (!(await this.store.renameUser(site, user.id, name, nicknameKey(name)))) {
      return fail(ErrorCode.NicknameTaken, 'nickname is taken');
    }
    return ok({ user: { ...user, name }, previousName: user.name });
  }
}
