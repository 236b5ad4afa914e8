/** Building the `Ack` answers every handler sends. */
import type { Ack, ErrorCode } from '../protocol/index.js';

export type Failure = Extract<Ack<never>, { ok: false }>;

export function ok<T>(data: T): Ack<T> {
  return { ok: true, data };
}

export function fail(code: ErrorCode, message: string): Failure {
  return { ok: false, error: { code, message } };
}

/** `rate_limited`, `muted` or `banned`, with when to try again. */
export function failFor(code: ErrorCode, message: string, retryAfterMs: number): Failure {
  return { ok: false, error: { code, message, retryAfterMs } };
}
