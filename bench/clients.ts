/**
 * Load-driver connections: socket.io-client over WebSocket only, one engine
 * per socket (`forceNew`), talking to `/s/demo` as a localhost page would,
 * each a guest of its own (a fresh random `guestKey`).
 */
import { randomBytes } from 'node:crypto';
import { io, type Socket } from 'socket.io-client';
import { ACK_TIMEOUT_MS, CONNECT_BATCH, CONNECT_TIMEOUT_MS, PAGE_ORIGIN, SITE } from './config.js';

/** The wire's ack envelope; the bare server's join ack carries no `data`. */
export type Ack<T> = { ok: true; data?: T } | { ok: false; error: { code: string; message: string } };

export interface Reconnection {
  delay: number;
  delayMax: number;
}

/** 32 random URL-safe characters, the form of the widget's guest keys. */
export function guestKey(): string {
  return randomBytes(24).toString('base64url');
}

export interface SocketOptions {
  /** Comes back by itself after a drop, like the widget. */
  reconnection?: Reconnection;
  /** The same key is the same guest (a returning visitor); a fresh one otherwise. */
  key?: string;
  /** A socket.io-client `parser` (see bench/presence-frames.ts). */
  parser?: unknown;
}

/** A socket not yet connected. */
export function openSocket(url: string, { reconnection, key = guestKey(), parser }: SocketOptions = {}): Socket {
  return io(`${url}/s/${SITE}`, {
    transports: ['websocket'],
    forceNew: true,
    autoConnect: false,
    query: { site: SITE },
    extraHeaders: { origin: PAGE_ORIGIN },
    auth: { guestKey: key },
    ...(parser === undefined ? {} : { parser }),
    ...(reconnection
      ? { reconnection: true, reconnectionDelay: reconnection.delay, reconnectionDelayMax: reconnection.delayMax }
      : { reconnection: false }),
  });
}

/** Connects and resolves on `connect`; rejects on `connect_error` or after the timeout. */
export function connect(socket: Socket, timeoutMs = CONNECT_TIMEOUT_MS): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => done(new Error(`no connection within ${timeoutMs} ms`)), timeoutMs);
    const onConnect = (): void => done();
    const onError = (err: Error): void => done(err);
    function done(err?: Error): void {
      clearTimeout(timer);
      socket.off('connect', onConnect);
      socket.off('connect_error', onError);
      if (err) reject(err);
      else resolve();
    }
    socket.once('connect', onConnect);
    socket.once('connect_error', onError);
    socket.connect();
  });
}

/** An acked request; a missing ack becomes an error after the timeout. */
export async function request<T>(socket: Socket, event: string, payload: unknown, timeoutMs = ACK_TIMEOUT_MS): Promise<Ack<T>> {
  return (await socket.timeout(timeoutMs).emitWithAck(event, payload)) as Ack<T>;
}

/** Joins `room`; throws when the server refuses. */
export async function join<T>(socket: Socket, room: string, timeoutMs = ACK_TIMEOUT_MS): Promise<T | undefined> {
  const ack = await request<T>(socket, 'room:join', { room }, timeoutMs);
  if (!ack.ok) throw new Error(`room:join ${room} refused: ${ack.error.code} ${ack.error.message}`);
  return ack.data;
}

export interface ConnectAllOptions {
  /** Runs on each socket before it connects, to attach listeners. */
  setup?: (socket: Socket, index: number) => void;
  /** The join ack's data (undefined from the bare server). */
  joined?: (socket: Socket, index: number, data: unknown) => void;
  reconnection?: Reconnection;
  /** A socket.io-client `parser` for every socket (bench/presence-frames.ts). */
  parser?: unknown;
  /** No batch starts after this (epoch ms): the sockets opened by then are returned, fewer than asked. */
  deadline?: number;
  /** Sockets connecting and joining at once; `CONNECT_BATCH` unless told. */
  batch?: number;
}

/**
 * Opens `rooms.length` sockets, socket i joining rooms[i], a batch at a time
 * (connected and joined before the next starts), or as many as there is time
 * for before `deadline`.
 */
export async function connectAll(url: string, rooms: readonly string[], options: ConnectAllOptions = {}): Promise<Socket[]> {
  const sockets: Socket[] = [];
  const inTime = (): boolean => options.deadline === undefined || Date.now() < options.deadline;
  const size = options.batch ?? CONNECT_BATCH;
  try {
    for (let start = 0; start < rooms.length && inTime(); start += size) {
      const batch = rooms.slice(start, start + size).map(async (room, offset) => {
        const index = start + offset;
        const socket = openSocket(url, {
          ...(options.reconnection ? { reconnection: options.reconnection } : {}),
          ...(options.parser === undefined ? {} : { parser: options.parser }),
        });
        sockets[index] = socket;
        options.setup?.(socket, index);
        await connect(socket);
        const data = await join<unknown>(socket, room);
        options.joined?.(socket, index, data);
      });
      await Promise.all(batch);
    }
  } catch (error) {
    closeAll(sockets);
    throw error;
  }
  return sockets;
}

export function closeAll(sockets: readonly (Socket | undefined)[]): void {
  for (const socket of sockets) socket?.disconnect();
}

/** The clientId of a message: 8–64 of `A-Z a-z 0-9 _ -`, unique per sender. */
export function clientId(sender: number, n: number): string {
  return `b${sender.toString(36)}-${n.toString(36).padStart(6, '0')}`;
}
