/**
 * One room's members in list order (see member-order.ts), kept sorted as they
 * come and go: inserting or removing is a binary search and one splice, and a
 * page is a binary search and a slice, whatever the room's size.
 */
import type { UserInfo } from '../../protocol/index.js';
import { compareKeys } from './member-order.js';
import type { MemberQuery } from './member-order.js';

export class MemberIndex {
  private readonly keys: string[] = [];
  private readonly users = new Map<string, UserInfo>();

  get size(): number {
    return this.keys.length;
  }

  set(key: string, user: UserInfo): void {
    if (!this.users.has(key)) this.keys.splice(this.lowerBound(key), 0, key);
    this.users.set(key, user);
  }

  delete(key: string): void {
    if (!this.users.delete(key)) return;
    this.keys.splice(this.lowerBound(key), 1);
  }

  all(): UserInfo[] {
    return this.keys.map((key) => this.users.get(key)!);
  }

  /** Up to `limit` members from the query's position, and the last key when more follow. */
  page({ prefix, after, limit }: MemberQuery): { members: UserInfo[]; last?: string } {
    let i = this.lowerBound(after !== undefined && compareKeys(after, prefix) >= 0 ? after : prefix);
    if (i < this.keys.length && this.keys[i] === after) i++;
    const keys: string[] = [];
    for (; i < this.keys.length && keys.length <= limit && this.keys[i]!.startsWith(prefix); i++) keys.push(this.keys[i]!);
    const more = keys.length > limit;
    if (more) keys.pop();
    const members = keys.map((key) => this.users.get(key)!);
    return more ? { members, last: keys.at(-1)! } : { members };
  }

  /** The first position whose key is not below `key`. */
  private lowerBound(key: string): number {
    let lo = 0;
    let hi = this.keys.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (compareKeys(this.keys[mid]!, key) < 0) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}
