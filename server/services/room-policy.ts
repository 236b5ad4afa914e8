/** Who may join and who may post in a room of a site, by the site's policy and the user's token. */
import { ErrorCode } from '../../protocol/index.js';
import type { UserRole } from '../../protocol/index.js';
import { fail } from '../result.js';
import type { Failure } from '../result.js';
import type { Site } from '../storage/store.js';

export interface Member {
  kind: 'guest' | 'user';
  role: UserRole;
  /** The token's `rooms` claim: when present, the only rooms this user may join. */
  allowedRooms?: readonly string[];
}

export function joinRefusal(site: Site, room: string, member: Member): Failure | undefined {
  const refuse = (why: string) => fail(ErrorCode.RoomNotAllowed, why);
  if (site.roomPolicy === 'allow-list' && !site.rooms.includes(room)) return refuse('this site has no such room');
  if (site.roomPolicy === 'token' && member.kind !== 'user') return refuse('this site’s rooms need a signed-in user');
  if (member.allowedRooms && !member.allowedRooms.includes(room)) return refuse('your token does not give access to this room');
  return undefined;
}

export function postRefusal(site: Site, room: string, role: UserRole): Failure | undefined {
  if (site.readOnlyRooms.includes(room) && role !== 'moderator') {
    return fail(ErrorCode.ReadOnly, 'only moderators post in this room');
  }
  return undefined;
}

/**
 * On a members-only site (`token`) private messages are between signed-in
 * users. A guest is refused before the recipient is looked up, so the answer
 * is the same for any id: a guest cannot probe which members exist.
 */
export function directRefusal(site: Site, member: Pick<Member, 'kind'>): Failure | undefined {
  if (site.roomPolicy === 'token' && member.kind !== 'user') {
    return fail(ErrorCode.Forbidden, 'private messages on this site need a signed-in user');
  }
  return undefined;
}
