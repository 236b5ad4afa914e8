/** Who is who: shared by every payload that names a user. */

/** A public user id, stable per site: `g_…` for guests, `u_…` for identified users. Never the secret guest key or a token's `sub`. */
export type UserId = string;

export interface UserInfo {
  id: UserId;
  name: string;
  /** `guest` for anonymous visitors; `user` for visitors identified by a token signed by the site. */
  kind: 'guest' | 'user';
  /**
   * Identified users only: the avatar URL from their token's `avatar` claim
   * (https only). Stored with every message they send. Guests have none: the
   * widget draws their initials on a colour derived from their id.
   */
  avatar?: string;
}

/** What an identified user may do, from their token; guests are members. */
export type UserRole = 'member' | 'moderator';
