import type { ChatMessage } from '../../protocol/index.js';

/** Messages of one conversation: deduplicated by id, sorted by `seq`. */
export class MessageLog {
  messages: ChatMessage[] = [];
  /** Older messages exist on the server before `messages[0]`. */
  hasMore = false;
  readonly #ids = new Set<string>();

  /** Adds messages; returns the ones that were not known yet. */
  add(list: readonly ChatMessage[]): ChatMessage[] {
    const added: ChatMessage[] = [];
    for (const m of list) {
      if (this.#ids.has(m.id)) continue;
      this.#ids.add(m.id);
      added.push(m);
    }
    if (!added.length) return added;
    const last = this.messages[this.messages.length - 1];
    const appendOnly = !last || added.every((m, i) => m.seq > (i ? added[i - 1]!.seq : last.seq));
    this.messages = appendOnly ? [...this.messages, ...added] : [...this.messages, ...added].sort((a, b) => a.seq - b.seq);
    return added;
  }

  /**
   * Where the first hole is among the messages above `floor`: the `seq` after
   * which one or more are missing (the `afterSeq` to fetch from), or null when
   * they run without gaps. With `floor` 0 the run starts at the oldest held.
   */
  gapAfter(floor: number): number | null {
    let expected = floor > 0 ? floor + 1 : this.firstSeq;
    for (const m of this.messages) {
      if (m.seq < expected) continue;
      if (m.seq > expected) return expected - 1;
      expected++;
    }
    return null;
  }

  get firstSeq(): number {
    return this.messages[0]?.seq ?? 0;
  }

  get lastSeq(): number {
    return this.messages[this.messages.length - 1]?.seq ?? 0;
  }

  clear(): void {
    this.messages = [];
    this.#ids.clear();
    this.hasMore = false;
  }
}
