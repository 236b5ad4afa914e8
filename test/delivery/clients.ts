/**
 * The widget's own connection layer (widget/client/), run in Node against
 * real server processes: the thing under test, with nothing mocked.
 */
import type { TestContext } from 'node:test';
import type { ChatMessage } from '../../protocol/index.js';
import { createChannel, type ChannelOptions } from '../../widget/client/channel.js';
import type { Connection } from '../../widget/client/connection.js';
import type { Outbox } from '../../widget/client/outbox.js';
import { createGuestKey } from '../../widget/client/guest-key.js';
import type { HeartbeatOptions } from '../../widget/client/heartbeat.js';
import { RoomConversation } from '../../widget/client/room-conversation.js';
import { memoryStorage, type KeyValueStorage } from '../../widget/client/storage.js';

/** The demo site accepts localhost pages; a Node client says it is one. */
export const PAGE_ORIGIN = 'http://localhost:5173';

export interface ClientOptions {
  guestKey?: string;
  /** Shared between two clients, it plays a page reload: pending sends and the guest key carry over. */
  storage?: KeyValueStorage;
  requestTimeoutMs?: number;
  heartbeat?: HeartbeatOptions;
}

export interface TestClient {
  conn: Connection;
  outbox: Outbox;
  conversation: RoomConversation;
  guestKey: string;
  storage: KeyValueStorage;
  stop(): void;
}

/** A connection to `server` (a URL, or a proxy's) following `room`, closed when the test ends. */
export function roomClient(t: TestContext, server: string, room: string, options: ClientOptions = {}): TestClient {
  const guestKey = options.guestKey ?? createGuestKey();
  const storage = options.storage ?? memoryStorage();
  const connOptions: ChannelOptions = {
    server,
    site: 'demo',
    guestKey,
    storage,
    // Servers come back within a second or two in these tests; do not wait out a long backoff.
    reconnectionDelayMax: 1000,
    socketOptions: { transports: ['websocket'], extraHeaders: { origin: PAGE_ORIGIN } },
    ...(options.requestTimeoutMs ? { requestTimeoutMs: options.requestTimeoutMs } : {}),
    ...(options.heartbeat ? { heartbeat: options.heartbeat } : {}),
  };
  const channel = createChannel(connOptions);
  const { conn, outbox } = channel;
  const conversation = new RoomConversation(channel, room);
  conversation.start();
  conn.connect();
  let stopped = false;
  const stop = (): void => {
    if (stopped) return;
    stopped = true;
    conversation.stop();
    conn.disconnect();
  };
  t.after(stop);
  return { conn, outbox, conversation, guestKey, storage, stop };
}

export function uniqueRoom(prefix = 'delivery'): string {
  return `${prefix}-${Math.random().toString(36).slice(2, 10)}`;
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Polls `check` every 25 ms until it holds; the error says what was awaited and `detail()` at the end. */
export async function until(what: string, check: () => boolean, timeoutMs: number, detail: () => string = () => ''): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what} ${detail()}`);
    await sleep(25);
  }
}

/** Checks that a log is exactly seq 1..n, each message once. */
export function assertComplete(messages: readonly ChatMessage[], n: number): string | null {
  if (messages.length !== n) return `holds ${messages.length} messages, expected ${n}`;
  for (let i = 0; i < n; i++) if (messages[i]!.seq !== i + 1) return `position ${i} has seq ${messages[i]!.seq}`;
  if (new Set(messages.map((m) => m.id)).size !== n) return 'a message id appears twice';
  if (new Set(messages.map((m) => m.clientId)).size !== n) return 'a clientId appears twice';
  return null;
}

/** Sends `count` messages `<label>-<i>` one every `everyMs`, without waiting for acks (the outbox queues them). */
export async function sendPaced(client: TestClient, label: string, count: number, everyMs: number): Promise<Promise<ChatMessage>[]> {
  const sends: Promise<ChatMessage>[] = [];
  for (let i = 1; i <= count; i++) {
    sends.push(client.conversation.send(`${label}-${i}`));
    await sleep(everyMs);
  }
  return sends;
}
