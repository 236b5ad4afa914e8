/** `session:ping`: the widget's app-level heartbeat, answered at once so its round trip measures the connection. */
import { ok } from '../result.js';
import type { HandlerContext } from './context.js';
import { acked } from './respond.js';

export function ping({ logger }: HandlerContext) {
  return acked('session:ping', logger, async () => ok({ serverTime: Date.now() }));
}
