/** The order every member listing uses (case-folded name, then id, by code point), written out independently of the server's. */
import type { UserInfo } from '../../protocol/index.js';

export function listOrder(a: UserInfo, b: UserInfo): number {
  const key = (u: UserInfo): string[] => [...`${u.name.toLowerCase()}\0${u.id}`];
  const [x, y] = [key(a), key(b)];
  for (let i = 0; i < Math.min(x.length, y.length); i++) {
    if (x[i] !== y[i]) return x[i]!.codePointAt(0)! - y[i]!.codePointAt(0)!;
  }
  return x.length - y.length;
}
