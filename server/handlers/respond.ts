/**
 * The envelope around every acked handler: finds the ack whatever the client
 * sent, answers `internal_error` (and logs) when the handler throws, and
 * ignores events that came without an ack, so a broken client changes nothing.
 */
import { ErrorCode } from '../../protocol/index.js';
import type { Ack } from '../../protocol/index.js';
import type { Logger } from '../logger.js';
import { fail } from '../result.js';

/** A Socket.IO listener: the wire gives no guarantee about its arguments. */
export type Listener = (...args: unknown[]) => Promise<void>;

export function acked<T>(event: string, logger: Logger, run: (payload: unknown) => Promise<Ack<T>>): Listener {
  return async (...args) => {
    // `emit(event, ack)` without a payload puts the ack first.
    const ack = args.at(-1);
    const payload = args.length > 1 ? args[0] : undefined;
    if (typeof ack !== 'function') {
      logger.debug('event without ack ignored', { event });
      return;
    }
    let answer: Ack<T>;
    try {
      answer = await run(payload);
    } catch (err) {
      logger.error('handler failed', { event, err });
      answer = fail(ErrorCode.Internal, 'the server failed to handle this request');
    }
    (ack as (response: Ack<T>) => void)(answer);
  };
}
