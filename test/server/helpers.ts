/** Real servers and real socket.io clients for the server tests. */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestContext } from 'node:test';
import { io } from 'socket.io-client';
import type { Socket } from 'socket.io-client';
import type {
  ClientToServerEvents,
  HandshakeAuth,
  ServerToClientEvents,
  Session,
} from '../../protocol/index.js';
import { createChatServer } from '../../server/index.js';
import type { ChatServer, ChatServerOptions } from '../../server/index.js';

export type Client = Socket<ServerToClientEvents, ClientToServerEvents>;
type ServerEvent = keyof ServerToClientEvents;
type EventPayload<E extends ServerEvent> = Parameters<ServerToClientEvents[E]>[0];

/** Short enough to keep the suite fast, long enough for a reconnect inside it. */
export const TEST_GRACE_MS = 300;
export const ALLOWED_ORIGIN = 'http://localhost:1234';

export async function tempDir(t: TestContext, prefix = 'chat-room-test-'): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  t.after(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

export interface Running {
  server: ChatServer;
  url: string;
  demoUrl?: string;
  dataDir: string;
  /** Closes the server early (teardown tolerates it). */
  close(): Promise<void>;
}

/** A real server on an ephemeral port with a fresh data dir, closed when the test ends. */
export async function startServer(t: TestContext, options: ChatServerOptions = {}): Promise<Running> {
  const dataDir = options.dataDir ?? (await tempDir(t));
  const server = createChatServer({ port: 0, logLevel: 'silent', presenceGraceMs: TEST_GRACE_MS, ...options, dataDir });
  const { url, demoUrl } = await server.listen();
  let closed: Promise<void> | undefined;
  const close = () => (closed ??= server.close());
  t.after(close);
  return demoUrl === undefined ? { server, url, dataDir, close } : { server, url, demoUrl, dataDir, close };
}

export interface ConnectOptions extends HandshakeAuth {
  site?: string;
  /** `null` sends no Origin header. */
  origin?: string | null;
}

/** An unconnected client for the site namespace, closed when the test ends. */
export function client(t: TestContext, url: string, options: ConnectOptions = {}): Client {
  const { site = 'demo', origin = ALLOWED_ORIGIN, ...auth } = options;
  const socket: Client = io(`${url}/s/${site}`, {
    transports: ['websocket'],
    reconnection: false,
    forceNew: true,
    auth,
    ...(origin === null ? {} : { extraHeaders: { origin } }),
  });
  t.after(() => {
    socket.disconnect();
  });
  return socket;
}

/** A connected client and the session the server sent it. */
export async function connect(
  t: TestContext,
  url: string,
  options: ConnectOptions = {},
): Promise<{ socket: Client; session: Session }> {
  const socket = client(t, url, options);
  const session = await waitFor(socket, 'session:ready');
  return { socket, session };
}

/** A fresh random guest key, as a browser would keep in localStorage. */
export function guestKey(): string {
  return `k_${crypto.randomUUID().replaceAll('-', '')}`;
}

/** The next `event` that satisfies `match`; rejects after `timeoutMs`. */
export function waitFor<E extends ServerEvent>(
  socket: Client,
  event: E,
  match: (payload: EventPayload<E>) => boolean = () => true,
  timeoutMs = 2000,
): Promise<EventPayload<E>> {
  return new Promise((resolve, reject) => {
    const listener = (payload: EventPayload<E>): void => {
      if (!match(payload)) return;
      cleanup();
      resolve(payload);
    };
    const onError = (err: Error): void => {
      cleanup();
      reject(err);
    };
    const timer = setTimeout(() => {
      cleanup();
      reject(new Error(`timed out waiting for ${event}`));
    }, timeoutMs);
    const cleanup = (): void => {
      clearTimeout(timer);
      (socket.off as (e: string, l: unknown) => void)(event, listener);
      socket.off('connect_error', onError);
    };
    (socket.on as (e: string, l: unknown) => void)(event, listener);
    socket.on('connect_error', onError);
  });
}

/** Every `event` the socket receives from now on. */
export function record<E extends ServerEvent>(socket: Client, event: E): EventPayload<E>[] {
  const seen: EventPayload<E>[] = [];
  (socket.on as (e: string, l: unknown) => void)(event, (payload: EventPayload<E>) => seen.push(payload));
  return seen;
}

/** The error a connection attempt ends with. */
export function connectError(socket: Client): Promise<Error & { data?: { code: string; message: string } }> {
  return new Promise((resolve, reject) => {
    socket.once('connect_error', resolve);
    socket.once('connect', () => reject(new Error('connected, expected a refusal')));
  });
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** A client id like the widget's (a UUID). */
export function clientId(): string {
  return crypto.randomUUID();
}

/** Emits with an ack and a timeout, for events the typed interface would not let through (bad payloads). */
export function emitRaw(socket: Client, event: string, ...args: unknown[]): Promise<unknown> {
  return (socket.timeout(2000).emitWithAck as (e: string, ...a: unknown[]) => Promise<unknown>)(event, ...args);
}
