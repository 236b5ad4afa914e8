/**
 * The edge of every socket (`socket.use`): before any handler runs, each
 * incoming event is
 *   1. ignored and counted when its name is not in the protocol;
 *   2. ignored when it needs an ack and has none (there is nobody to answer);
 *   3. counted against the socket's event budget (`rate_limited` past it);
 *   4. parsed against its schema (its error code when it does not fit);
 *   5. counted against the per-socket, per-user and per-IP limits of its kind.
 * Only then is the handler called, with `(parsedRequest, ack)`.
 * Events of one socket pass in the order they came, even though checks await.
 */
import type { Event } from 'socket.io';
import { ErrorCode } from '../../protocol/index.js';
import type { Ack } from '../../protocol/index.js';
import type { Logger } from '../logger.js';
import type { EdgeMetrics } from '../metrics.js';
import { failFor } from '../result.js';
import type { ChatSocket } from '../socket-types.js';
import { isClientEvent, parseEvent } from '../validate.js';
import type { ClientEvent } from '../validate.js';
import type { RateLimitedAction, RateLimits } from './rate-limits.js';

export interface EventGuardDeps {
  limits: RateLimits;
  metrics: EdgeMetrics;
  logger: Logger;
}

/** Events with a rate limit of their own beyond the socket's event budget. */
const ACTIONS: Partial<Record<ClientEvent, RateLimitedAction>> = {
  'message:send': 'message',
  'dm:send': 'message',
  'room:join': 'join',
  'typing:set': 'typing',
  'presence:list': 'list',
  'user:rename': 'rename',
};

/** Fire-and-forget events; every other one must come with an ack. */
const WITHOUT_ACK: ReadonlySet<ClientEvent> = new Set(['typing:set']);

type AckFn = (response: Ack<never>) => void;

export function eventGuard(socket: ChatSocket, deps: EventGuardDeps) {
  let previous: Promise<unknown> = Promise.resolve();
  return (packet: Event, next: (err?: Error) => void): void => {
    previous = previous
      .then(() => admit(socket, packet, deps))
      .then(
        (pass) => {
          if (pass) next();
        },
        (err: unknown) => deps.logger.error('event guard failed', { err }),
      );
  };
}

async function admit(socket: ChatSocket, packet: Event, { limits, metrics }: EventGuardDeps): Promise<boolean> {
  const [event, ...args] = packet as [unknown, ...unknown[]];
  if (!isClientEvent(event)) {
    metrics.unknownEvents++;
    return false;
  }
  const last = args.at(-1);
  const ack = typeof last === 'function' ? (last as AckFn) : undefined;
  if (!ack && !WITHOUT_ACK.has(event)) return false;
  // `emit(event, ack)` without a payload puts the ack first.
  const payload = ack && args.length < 2 ? undefined : args[0];

  const budget = await limits.event(socket.id);
  if (!budget.ok) {
    metrics.rateLimited++;
    ack?.(failFor(ErrorCode.RateLimited, 'too many events', budget.retryAfterMs));
    return false;
  }
  const request = parseEvent(event, payload);
  if (!request.ok) {
    metrics.invalidPayloads++;
    ack?.(request);
    return false;
  }
  const action = ACTIONS[event];
  if (action) {
    const { user, ip } = socket.data;
    const allowed = await limits.action(action, { socket: socket.id, user: user.id, ip });
    if (!allowed.ok) {
      metrics.rateLimited++;
      ack?.(failFor(ErrorCode.RateLimited, `too many ${action} requests`, allowed.retryAfterMs));
      return false;
    }
  }
  packet.splice(1, packet.length - 1, request.data, ...(ack ? [ack] : []));
  return true;
}
