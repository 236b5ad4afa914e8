/**
 * Counters of what the edge refused, for operators and tests (`chat.metrics`).
 * A later issue exposes them as Prometheus metrics at `/metrics`.
 */
export class EdgeMetrics {
  /** Events with a name the protocol does not have: ignored. */
  unknownEvents = 0;
  /** Known events whose payload failed its schema. */
  invalidPayloads = 0;
  /** Events refused with `rate_limited` (or dropped, for typing). */
  rateLimited = 0;
  /** Engine.IO handshakes refused in `allowRequest` (origin, site, connection flood). */
  refusedHandshakes = 0;
}
