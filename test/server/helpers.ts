/** Real servers and real socket.io clients for the server tests. */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TestContext } from 'node:test';
import { io } from 'socket.io-client';
import type { Socket } from 'socket.io-client';
import { createHmac } from 'node:crypto';
import { request } from 'node:http';
import { SITE_QUERY_PARAM } from '../../protocol/index.js';
import type {
  ClientToServerEvents,
  HandshakeAuth,
  ServerToClientEvents,
  Session,
} from '../../protocol/index.js';
import { DEFAULT_RATE_LIMITS, createChatServer } from '../../server/index.js';
import type { ChatServer, ChatServerOptions, RateLimitOptions } from '../../server/index.js';

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

/**
 * Every test client comes from 127.0.0.1 and most tests send in bursts, so the
 * suites run with limits far above the defaults; the rate-limit tests set
 * their own with `rateLimits`.
 */
export const RELAXED_RATE_LIMITS: RateLimitOptions = Object.fromEntries(
  Object.keys(DEFAULT_RATE_LIMITS).map((key) => [key, { points: 1_000_000, durationMs: 1000 }]),
) as unknown as RateLimitOptions;

export const TEST_ADMIN_TOKEN = 'test-admin-token-0123456789abcdefghijklmnop';

/** A real server on an ephemeral port with a fresh data dir, closed when the test ends. */
export async function startServer(t: TestContext, options: ChatServerOptions = {}): Promise<Running> {
  const dataDir = options.dataDir ?? (await tempDir(t));
  const server = createChatServer({
    port: 0,
    logLevel: 'silent',
    presenceGraceMs: TEST_GRACE_MS,
    ...options,
    // `adminToken: undefined` runs a server without one.
    adminToken: 'adminToken' in options ? options.adminToken : TEST_ADMIN_TOKEN,
    rateLimits: { ...RELAXED_RATE_LIMITS, ...options.rateLimits },
    dataDir,
  });
  const { url, demoUrl } = await server.listen();
  let closed: Promise<void> | undefined;
  const close = () => (closed ??= closeInTime(server));
  t.after(close);
  return demoUrl === undefined ? { server, url, dataDir, close } : { server, url, demoUrl, dataDir, close };
}

/** How long `close()` may take before the test fails: a graceful stop that hangs is a bug, not a slow teardown. */
export const CLOSE_TIMEOUT_MS = 5000;

function closeInTime(server: ChatServer): Promise<void> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const hung = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`server.close() did not finish within ${CLOSE_TIMEOUT_MS} ms`)), CLOSE_TIMEOUT_MS);
  });
  return Promise.race([server.close(), hung]).finally(() => clearTimeout(timer));
}

export interface ConnectOptions extends HandshakeAuth {
  site?: string;
  /** The site named in the handshake URL (`SITE_QUERY_PARAM`); default `site`, `null` names none. */
  querySite?: string | null;
  /** `null` sends no Origin header. */
  origin?: string | null;
}

/** An unconnected client for the site namespace, closed when the test ends. */
export function client(t: TestContext, url: string, options: ConnectOptions = {}): Client {
  const { site = 'demo', querySite = site, origin = ALLOWED_ORIGIN, ...auth } = options;
  const socket: Client = io(`${url}/s/${site}`, {
    transports: ['websocket'],
    reconnection: false,
    forceNew: true,
    auth,
    ...(querySite === null ? {} : { query: { [SITE_QUERY_PARAM]: querySite } }),
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

/**
 * A later event to wait for instead of sleeping before an absence check:
 * `sender` sends a message to `room` (both in it) and this resolves once
 * `receiver` has it. The server handles a socket's events in order and emits
 * to each socket in order, so whatever `sender`'s earlier (acknowledged)
 * events made the server send to `receiver` has arrived by then.
 */
export async function sentinel(sender: Client, receiver: Client, room: string): Promise<void> {
  const id = clientId();
  const arrived = waitFor(receiver, 'message:new', (m) => m.clientId === id);
  const ack = await sender.emitWithAck('message:send', { room, text: 'sentinel', clientId: id });
  if (!ack.ok) throw new Error(`sentinel refused: ${ack.error.code}`);
  await arrived;
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

/** An HS256 identity token as a site's backend signs it (see docs/SECURITY.md). */
export function signToken(claims: Record<string, unknown>, secret: string, header: Record<string, unknown> = { alg: 'HS256', typ: 'JWT' }): string {
  const encode = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64url');
  const signed = `${encode(header)}.${encode(claims)}`;
  return `${signed}.${createHmac('sha256', secret).update(signed).digest('base64url')}`;
}

/** Seconds since the epoch, as JWT times are. */
export function nowSeconds(): number {
  return Math.floor(Date.now() / 1000);
}

/** Calls the admin API; `token` defaults to the server admin token, `null` sends none. */
export async function api(
  url: string,
  method: string,
  path: string,
  options: { token?: string | null; body?: unknown } = {},
): Promise<{ status: number; body: Record<string, unknown> }> {
  const token = options.token === undefined ? TEST_ADMIN_TOKEN : options.token;
  const res = await fetch(`${url}/api${path}`, {
    method,
    headers: {
      ...(token === null ? {} : { authorization: `Bearer ${token}` }),
      ...(options.body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) }),
  });
  const text = await res.text();
  return { status: res.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
}

export interface TestSite {
  id: string;
  secret: string;
}

/** Registers a site through the admin API and answers its id and secret. */
export async function createSite(url: string, fields: Record<string, unknown>): Promise<TestSite> {
  const { status, body } = await api(url, 'POST', '/sites', { body: fields });
  if (status !== 201) throw new Error(`creating a site answered ${status}: ${JSON.stringify(body)}`);
  return body.site as TestSite;
}

/** The secret of the `demo` site, read from the server's store. */
export async function demoSecret(server: ChatServer): Promise<string> {
  return (await server.store.getSite('demo'))!.secret;
}

/** A raw Engine.IO polling handshake, as a browser's first request: answers the status and body. */
export async function pollingHandshake(
  url: string,
  options: { origin?: string; site?: string },
): Promise<{ status: number; body: string }> {
  const query = new URLSearchParams({ EIO: '4', transport: 'polling' });
  if (options.site !== undefined) query.set(SITE_QUERY_PARAM, options.site);
  const res = await fetch(`${url}/socket.io/?${query}`, { headers: options.origin ? { origin: options.origin } : {} });
  return { status: res.status, body: await res.text() };
}

/**
 * A raw WebSocket upgrade, as a browser's: answers the status and body. A
 * refused upgrade's reason (e.g. `origin_not_allowed`) is only in this body;
 * socket.io-client reports every refusal as "websocket error".
 */
export function websocketHandshake(
  url: string,
  options: { origin?: string; site?: string },
): Promise<{ status: number; body: string }> {
  const query = new URLSearchParams({ EIO: '4', transport: 'websocket' });
  if (options.site !== undefined) query.set(SITE_QUERY_PARAM, options.site);
  return new Promise((resolve, reject) => {
    const req = request(`${url}/socket.io/?${query}`, {
      headers: {
        connection: 'Upgrade',
        upgrade: 'websocket',
        'sec-websocket-version': '13',
        'sec-websocket-key': Buffer.from(crypto.getRandomValues(new Uint8Array(16))).toString('base64'),
        ...(options.origin ? { origin: options.origin } : {}),
      },
    });
    req.once('response', (res) => {
      let body = '';
      res.setEncoding('utf8').on('data', (chunk: string) => (body += chunk));
      res.once('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.once('upgrade', (_res, socket) => {
      socket.destroy();
      resolve({ status: 101, body: '' });
    });
    req.once('error', reject);
    req.end();
  });
}

const PACKAGE_ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** Runs `chat-room-server site …` (the site CLI, another process writing the database) on `dataDir`. */
export async function runSiteCli(dataDir: string, ...args: string[]): Promise<{ code: number; out: string; err: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/cli.ts', 'site', ...args, '--data-dir', dataDir], { cwd: PACKAGE_ROOT });
  let out = '';
  let err = '';
  child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
  const [code] = (await once(child, 'exit')) as [number];
  return { code, out, err };
}
