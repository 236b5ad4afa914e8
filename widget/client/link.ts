/**
 * What the outbox and the cursor acks need of a connection, and nothing
 * more: whether it is up, who the user is, requests with acks, and the
 * state and user events. `Connection` implements it; a test can fake it.
 */
import type { AckCallback, ClientToServerEvents, UserInfo } from '../../protocol/index.js';
import type { ClientAck, ClientError } from './errors.js';

export type ConnectionState = 'connecting' | 'connected' | 'disconnected' | 'error';

type EventName = keyof ClientToServerEvents;
/** Client events that take an ack. */
export type RequestEvent = {
  [K in EventName]: Parameters<ClientToServerEvents[K]> extends [unknown, AckCallback<infer _>] ? K : never;
}[EventName];
export type RequestOf<K extends RequestEvent> = Parameters<ClientToServerEvents[K]>[0];
export type ResultOf<K extends RequestEvent> =
  Parameters<ClientToServerEvents[K]>[1] extends AckCallback<infer T> ? T : never;

export type LinkEvents = {
  /** The state changed; `error` says why it is `error` (or why the last attempt failed while `connecting`). */
  state: (state: ConnectionState, error: ClientError | null) => void;
  /** The user's own identity changed (session start or a rename from any tab). */
  user: (user: UserInfo) => void;
};

export interface Link {
  readonly connected: boolean;
  /** The signed-in user, known after `session:ready`. */
  readonly user: UserInfo | null;
  /** Emits a request and waits for its ack; never rejects (`not_connected`, `timeout`). */
  request<K extends RequestEvent>(event: K, payload: RequestOf<K>, timeoutMs?: number): Promise<ClientAck<ResultOf<K>>>;
  on<K extends keyof LinkEvents>(event: K, listener: LinkEvents[K]): () => void;
}
