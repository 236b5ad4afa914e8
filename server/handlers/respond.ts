/**
 * The envelope around every acked handler: answers `internal_error` (and
 * logs) when the handler throws. The event guard has already checked the
 * payload against its schema and found the ack, so a handler only ever sees
 * `(request, ack)` with a parsed request.
 */
import { ErrorCode } from '../../protocol/index.js';
import type { Ack } from '../../protocol/index.js';
import type { Logger } from '../logger.js';
import { fail } from '../result.js';
import type { ClientEvent, EventRequest } from '../validate.js';

/** A Socket.IO listener: its arguments are what the event guard passed on. */
export type Listener = (...args: unknown[]) => Promise<void>;

export function acked<E extends ClientEvent, T>(
  event: E,
  logger: Logger,
  run: (request: EventRequest<E>) => Promise<Ack<T>>,
): Listener {
  return async (...args) => {
    const [request, ack] = args as [EventRequest<E>, (response: Ack<T>) => void];
    let answer: Ack<T>;
    try {
      answer = await run(request);
    } catch (err) {
      logger.error('handler failed', { event, err });
      answer = fail(ErrorCode.Internal, 'the server failed to handle this request');
    }
    ack(answer);
  };
}
