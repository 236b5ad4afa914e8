/**
 * Mentions while writing: the visitor sees `@Name`, the server gets `<@userId>`.
 * The composer keeps which visible names stand for whom; a name the visitor
 * changes no longer matches, so it goes out as the plain text it now is.
 */
import { MENTIONS_MAX, MENTION_PATTERN, type UserInfo } from '../../protocol/index.js';

export class MentionMap {
  /** `@Name` as shown -> user id. */
  readonly #ids = new Map<string, string>();

  /** `@Name` now stands for `id` in the draft. */
  add(user: UserInfo): string {
    const shown = `@${user.name}`;
    this.#ids.set(shown, user.id);
    return shown;
  }

  clear(): void {
    this.#ids.clear();
  }

  /** Distinct users the draft mentions now. */
  count(draft: string): number {
    return new Set(this.#matches(draft).map(([, id]) => id)).size;
  }

  /** The text to send: each chosen `@Name` still in the draft as its token, at most `MENTIONS_MAX` distinct users. */
  encode(draft: string): string {
    const users = new Set<string>();
    let out = '';
    let at = 0;
    for (const [index, id, shown] of this.#matches(draft)) {
      if (!users.has(id) && users.size >= MENTIONS_MAX) continue;
      users.add(id);
      out += `${draft.slice(at, index)}<@${id}>`;
      at = index + shown.length;
    }
    return out + draft.slice(at);
  }

  /**
   * The draft of a stored text: its tokens as `@Name` (the message's `mentions`
   * say who they are; an unknown or erased one stays a token).
   */
  decode(text: string, mentions: readonly UserInfo[] = []): string {
    const byId = new Map(mentions.map((u) => [u.id, u]));
    return text.replace(MENTION_PATTERN, (token, id: string) => {
      const user = byId.get(id);
      return user ? this.add(user) : token;
    });
  }

  /** Where each chosen name occurs, left to right, the longest name winning at a position; a name must end at a word boundary. */
  #matches(draft: string): [index: number, id: string, shown: string][] {
    const names = [...this.#ids.keys()].sort((a, b) => b.length - a.length);
    const found: [number, string, string][] = [];
    for (let i = draft.indexOf('@'); i >= 0; i = draft.indexOf('@', i + 1)) {
      const shown = names.find((n) => draft.startsWith(n, i) && !/[\p{L}\p{N}_]/u.test(draft[i + n.length] ?? ''));
      if (shown) {
        found.push([i, this.#ids.get(shown)!, shown]);
        i += shown.length - 1;
      }
    }
    return found;
  }
}

/** The `@query` being typed just before the caret, or null: `@` at the start or after a space, then no space. */
export function mentionQuery(value: string, caret: number): { start: number; query: string } | null {
  const m = /(^|\s)@([^\s@<>]{0,32})$/u.exec(value.slice(0, caret));
  return m ? { start: caret - m[2]!.length - 1, query: m[2]! } : null;
}
