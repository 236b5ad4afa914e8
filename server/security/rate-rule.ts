/** The shape of a rate limit and of one check against it, shared by the limiters of `rate-limits.ts` and `local-budget.ts`. */

/** `points` actions per `durationMs`; with `burst`, a few more are allowed now and then. */
export interface RateLimitRule {
  points: number;
  durationMs: number;
  /** Extra actions allowed per its own (longer) window once `points` are spent. */
  burst?: { points: number; durationMs: number };
}

/** One more action: allowed, or when to try again. */
export type LimitResult = { ok: true } | { ok: false; retryAfterMs: number };
