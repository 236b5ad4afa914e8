import {
  MAX_PAYLOAD_BYTES,
  MESSAGE_MAX_LENGTH,
  type ChatError,
  type ClientErrorCode,
  type ErrorCode,
} from '../../protocol/index.js';

/** Any error code the widget can report: the server's and the client's own. */
export type AnyErrorCode = ErrorCode | ClientErrorCode;

export interface ClientError extends Omit<ChatError, 'code'> {
  code: AnyErrorCode;
}

/** The answer of a request: the server's ack, or a client-side failure (`timeout`, `not_connected`). */
export type ClientAck<T> = { ok: true; data: T } | { ok: false; error: ClientError };

/** An `Error` carrying a protocol error code; what `send()` and friends reject with. */
export class ChatRoomError extends Error {
  readonly code: AnyErrorCode;
  readonly retryAfterMs: number | undefined;
  constructor(error: ClientError) {
    super(error.message);
    this.name = 'ChatRoomError';
    this.code = error.code;
    this.retryAfterMs = error.retryAfterMs;
  }
}

/** Counts code points, as the server does. */
export function codePointLength(text: string): number {
  let n = 0;
  for (const _ of text) n++;
  return n;
}

/** Checks message text against the shared limits; null when it may be sent. */
export function checkMessageText(text: string): ClientError | null {
  const trimmed = text.trim();
  if (!trimmed) return { code: 'message_empty', message: 'The message is empty.' };
  const length = codePointLength(trimmed);
  if (length > MESSAGE_MAX_LENGTH || new TextEncoder().encode(trimmed).length > MAX_PAYLOAD_BYTES / 2) {
    return {
      code: 'message_too_long',
      message: `The message is ${length} characters long; at most ${MESSAGE_MAX_LENGTH} are allowed.`,
    };
  }
  return null;
}
