/**
 * The edge of every socket (`socket.use`): before any handler runs, each
 * incoming event is
 *   1. ignored and counted when its name is not in the protocol;
 *   2. ignored when it needs an ack and has none (there is nobody to answer);
 *   3. counted against the socket's event budget (`rate_limited` past it);
 *   4. parsed against its schema (its error code when it does not fit);
 *   5. counted against the per-socket, per-user and per-IP limits of its kind.
 * Only then is the handler called, with `(parsedRequest, ack)`; the site
 * namespace runs the events of one socket through it in the order they came,
 * even though checks await.
 */
import type { Event } from 'socket.io';
import { ErrorCode } from '../../protocol/index.js';
import type { Ack } from '../../protocol/index.js';
import type { EdgeMetrics } from '../metrics.js';
import { failFor } from '../result.js';
import type { ChatSocket } from '../socket-types.js';
import { isClientEvent, parseEvent } from '../validate.js';
import type { ClientEvent } from '../validate.js';
import type { RateLimitedAction, RateLimits } from './rate-limits.js';

export interface EventGuardDeps {
  /** The socket's own limits (scaled for its site). */
  limits: RateLimits;
  metrics: EdgeMetrics;
}

type AckFn = (response: Ack<never>) => void;

/** An event that passed the guard: its name, the request as its schema parsed it, and its ack (none only for events without one). */
export interface AdmittedEvent {
  event: ClientEvent;
  request: unknown;
  ack: AckFn | undefined;
}

/** Events with a rate limit of their own beyond the socket's event budget. */
const ACTIONS: Partial<Record<ClientEvent, RateLimitedAction>> = {
  'message:send': 'message',
  'dm:send': 'message',
  'room:join': 'join',
  'typing:set': 'typing',
  'presence:list': 'list',
  'user:rename': 'rename',
  'message:edit': 'edit',
  'message:delete': 'edit',
  'message:react': 'react',
  'message:changes': 'changes',
  'user:privacy': 'privacy',
  'media:ticket': 'upload',
};

/** Fire-and-forget events; every other one must come with an ack. */
const WITHOUT_ACK: ReadonlySet<ClientEvent> = new Set(['typing:set']);

/** The event, if it passes every check; otherwise undefined (answered through its ack when it has one). Shared by every socket. */
export async function admitEvent(socket: ChatSocket, packet: Event, { limits, metrics }: EventGuardDeps): Promise<AdmittedEvent | undefined> {
  const [event, ...args] = packet as [unknown, ...unknown[]];
  if (!isClientEvent(event)) {
    metrics.unknownEvents++;
    return undefined;
  }
  const last = args.at(-1);
  const ack = typeof last === 'function' ? (last as AckFn) : undefined;
  if (!ack && !WITHOUT_ACK.has(event)) return undefined;
  // `emit(event, ack)` without a payload puts the ack first.
  const payload = ack && args.length < 2 ? undefined : args[0];

  const budget = limits.event(socket.id);
  if (!budget.ok) {
    metrics.rateLimited++;
    ack?.(failFor(ErrorCode.RateLimited, 'too many events', budget.retryAfterMs));
    return undefined;
  }
  const request = parseEvent(event, payload);
  if (!request.ok) {
    metrics.invalidPayloads++;
    ack?.(request);
    return undefined;
  }
  const action = ACTIONS[event];
  if (action) {
    const { user, ip } = socket.data;
    const allowed = await limits.action(action, { socket: socket.id, user: user.id, ip });
    if (!allowed.ok) {
      metrics.rateLimited++;
      ack?.(failFor(ErrorCode.RateLimited, `too many ${action} requests`, allowed.retryAfterMs));
      return undefined;
    }
  }
  return { event, request: request.data, ack };
}
