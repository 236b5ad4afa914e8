/**
 * A map of at most `max` entries, each trusted for `ttlMs`: when full, the
 * entry used least recently goes first. For caches whose keys come from
 * outside (a stranger can name any id), so memory stays bounded whatever
 * they send.
 */
export class BoundedCache<K, V> {
  /** Insertion order is recency order: the first entry is the least recently used. */
  private readonly entries = new Map<K, { value: V; expires: number }>();

  constructor(
    private readonly max: number,
    private readonly ttlMs: number,
  ) {}

  get size(): number {
    return this.entries.size;
  }

  /** The fresh entry for `key` (wrapped, so a cached `undefined` is told from a miss). */
  get(key: K): { value: V } | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    this.entries.delete(key);
    if (entry.expires <= Date.now()) return undefined;
    this.entries.set(key, entry);
    return { value: entry.value };
  }

  set(key: K, value: V): void {
    this.entries.delete(key);
    this.entries.set(key, { value, expires: Date.now() + this.ttlMs });
    if (this.entries.size > this.max) this.entries.delete(this.entries.keys().next().value as K);
  }

  delete(key: K): void {
    this.entries.delete(key);
  }
}
