/** The slots of `Coalescer`: in this process for a single server, in Redis for a cluster. */
import type { Redis } from 'ioredis';
import type { FlushGate } from './coalescer.js';

export class MemoryFlushGate implements FlushGate {
  /** Slot → when it frees; each entry is dropped when its window ends. */
  private readonly until = new Map<string, number>();

  async take(key: string, windowMs: number): Promise<number> {
    const now = Date.now();
    const until = this.until.get(key);
    if (until !== undefined && until > now) return until - now;
    await this.hold(key, windowMs);
    return 0;
  }

  async hold(key: string, ms: number): Promise<void> {
    const mine = Date.now() + ms;
    this.until.set(key, mine);
    setTimeout(() => {
      if (this.until.get(key) === mine) this.until.delete(key);
    }, ms).unref();
  }
}

/** A slot is a key that expires with its window: whoever sets it first has it. */
const TAKE_SLOT = `
if redis.call('SET', KEYS[1], '1', 'NX', 'PX', ARGV[1]) then return 0 end
return math.max(redis.call('PTTL', KEYS[1]), 1)`;

export class RedisFlushGate implements FlushGate {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {}

  async take(key: string, windowMs: number): Promise<number> {
    return Number(await this.redis.eval(TAKE_SLOT, 1, `${this.prefix}gate:${key}`, windowMs));
  }

  async hold(key: string, ms: number): Promise<void> {
    await this.redis.set(`${this.prefix}gate:${key}`, '1', 'PX', ms);
  }
}
