/**
 * Rate-limit budgets kept in this process: every limit on a single node, and
 * those of one socket or one Engine.IO connection in a cluster too (a socket
 * lives on one node: Redis would only add a round trip). Counted as
 * rate-limiter-flexible's memory limiter counts (a fixed window opened by the
 * first action, the burst window spent only once the main one is), but
 * without a timer, a promise or a record object per key: every connection
 * and event takes them, so they must cost next to nothing.
 */
import type { LimitResult, RateLimitRule } from './rate-rule.js';

/** Actions counted in the window that ends at `endsAt`. */
interface Window {
  used: number;
  endsAt: number;
}

interface Entry {
  main: Window;
  burst?: Window;
}

/** One more action in `window` (a new window when it ended): how long until it ends, or 0 when still within `points`. */
function spend(window: Window, points: number, durationMs: number, now: number): number {
  if (window.endsAt <= now) {
    window.used = 0;
    window.endsAt = now + durationMs;
  }
  window.used++;
  return window.used > points ? window.endsAt - now : 0;
}

function takeFrom(entry: Entry, rule: RateLimitRule, now: number): LimitResult {
  const wait = spend(entry.main, rule.points, rule.durationMs, now);
  if (wait === 0) return { ok: true };
  if (!rule.burst) return { ok: false, retryAfterMs: Math.max(1, Math.ceil(wait)) };
  const burst = (entry.burst ??= { used: 0, endsAt: 0 });
  const burstWait = spend(burst, rule.burst.points, rule.burst.durationMs, now);
  return burstWait === 0 ? { ok: true } : { ok: false, retryAfterMs: Math.max(1, Math.ceil(Math.min(wait, burstWait))) };
}

function ended(entry: Entry, now: number): boolean {
  return entry.main.endsAt <= now && (entry.burst === undefined || entry.burst.endsAt <= now);
}

/** How often the keys of ended windows are dropped. */
const SWEEP_MS = 1000;

/** A budget per string key (a socket id, a user, an address); ended windows are swept by one timer that runs only while some window is open. */
export class KeyedBudget {
  private readonly entries = new Map<string, Entry>();
  private sweeper: ReturnType<typeof setInterval> | undefined;

  constructor(private readonly rule: RateLimitRule) {}

  /** Keys with a window not yet swept. */
  get size(): number {
    return this.entries.size;
  }

  take(key: string): LimitResult {
    let entry = this.entries.get(key);
    if (!entry) {
      this.entries.set(key, (entry = { main: { used: 0, endsAt: 0 } }));
      this.sweeper ??= setInterval(() => this.sweep(), SWEEP_MS).unref();
    }
    return takeFrom(entry, this.rule, Date.now());
  }

  private sweep(): void {
    const now = Date.now();
    for (const [key, entry] of this.entries) if (ended(entry, now)) this.entries.delete(key);
    if (this.entries.size === 0) {
      clearInterval(this.sweeper);
      this.sweeper = undefined;
    }
  }
}

/** A budget per object (an Engine.IO connection), forgotten with the object. */
export class ObjectBudget {
  private readonly entries = new WeakMap<object, Entry>();

  constructor(private readonly rule: RateLimitRule) {}

  take(key: object): LimitResult {
    let entry = this.entries.get(key);
    if (!entry) this.entries.set(key, (entry = { main: { used: 0, endsAt: 0 } }));
    return takeFrom(entry, this.rule, Date.now());
  }
}
