/** Profiles as the Redis stores keep them (JSON in a hash), back to users. */
import type { UserInfo } from '../../protocol/index.js';

/** Every profile of a reply; a member gone between two reads (null) is left out. */
export function decodeProfiles(profiles: Array<string | null>): UserInfo[] {
  const users: UserInfo[] = [];
  for (const json of profiles) if (json) users.push(JSON.parse(json) as UserInfo);
  return users;
}
