/** Building the `Ack` answers every handler sends. */
import type { Ack, ErrorCode } from '../protocol/index.js';

export type Failure = Extract<Ack<never>, { ok: false }>;

export function ok<T>(data: T): Ack<T> {
  return { ok: true, data };
}

export function fail(code: ErrorCode, message: string): Failure {
  return { ok: false, error: { code, message } };
}
