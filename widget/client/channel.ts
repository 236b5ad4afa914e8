/**
 * What a conversation talks through: one connection, the outbox of sends it
 * has not acknowledged yet, and the delivery acks of the rooms it follows.
 * Built together here, so the outbox and the acks see only the connection's
 * narrow `Link` and the conversations are handed each part.
 */
import { Connection, type ConnectionOptions } from './connection.js';
import { CursorAcks } from './cursor-acks.js';
import { Outbox } from './outbox.js';
import { PendingStore, pendingStorageKey } from './pending-store.js';
import type { KeyValueStorage } from './storage.js';

export interface Channel {
  readonly conn: Connection;
  /** Sends not yet acknowledged by the server, shared by every view of this connection. */
  readonly outbox: Outbox;
  readonly acks: CursorAcks;
}

export interface ChannelOptions extends ConnectionOptions {
  /** Where pending sends are kept across reloads (localStorage in the widget); without it they live as long as the channel. */
  storage?: KeyValueStorage;
}

/** A channel over a new connection, not opened yet (`conn.connect()`). */
export function createChannel(options: ChannelOptions): Channel {
  const conn = new Connection(options);
  const store = options.storage && new PendingStore(options.storage, pendingStorageKey(conn.server, conn.site));
  return { conn, outbox: new Outbox(conn, store ?? null), acks: new CursorAcks(conn) };
}
