/** Shared helpers for the widget tests: a real server, real sockets, real Chromium. */
import { executeServerCommand } from '@web/test-runner-commands';
import { io, type Socket } from 'socket.io-client';
import {
  siteNamespace,
  type ChatMessage,
  type ClientToServerEvents,
  type ServerToClientEvents,
} from '../../protocol/index.js';
import { ChatRoom } from '../../widget/index.js';
import { createGuestKey, guestKeyStorageKey } from '../../widget/client/guest-key.js';
import { normalizeServer } from '../../widget/client/connection.js';

declare global {
  interface Window {
    __CHAT_SERVER__: string;
    __CHAT_STRICT_SERVER__: string;
  }
}

export const SERVER: string = window.__CHAT_SERVER__;
/** A second test server with the default rate limits. */
export const STRICT_SERVER: string = window.__CHAT_STRICT_SERVER__;

/** Calls the test server's admin API with its admin token (through the test runner); answers the JSON body. */
export async function adminApi(method: string, path: string, body?: unknown): Promise<Record<string, unknown>> {
  const res = await executeServerCommand<{ status: number; body: Record<string, unknown> }, unknown>('chat-admin', {
    method,
    path,
    body,
  });
  if (!res || res.status >= 300) throw new Error(`admin API ${method} ${path} answered ${res?.status}`);
  return res.body;
}

if (!customElements.get('chat-room')) customElements.define('chat-room', ChatRoom);

/**
 * Makes the next element on `server` a new guest: the page keeps one guest key
 * per server and site, and a test that spends a guest's rate limits must not
 * leave them spent for the next test.
 */
export function freshGuest(server: string, site = 'demo'): void {
  localStorage.removeItem(guestKeyStorageKey(normalizeServer(server), site));
}

/** A nickname no other test uses (stored names are unique per site by how they look). */
export function uniqueName(prefix: string): string {
  return `${prefix} ${Math.random().toString(36).slice(2, 7)}`;
}

/** A room name no other test uses. */
export function uniqueRoom(prefix = 'test'): string {
  return `${prefix}-${Math.random().toString(36).slice(2, 10)}`;
}

const mounted: HTMLElement[] = [];

/** Creates a `<chat-room>` with the given attributes (server defaults to the test server) and mounts it. */
export async function mount(attrs: Record<string, string> = {}, parent: HTMLElement = document.body): Promise<ChatRoom> {
  const el = document.createElement('chat-room') as ChatRoom;
  el.setAttribute('server', SERVER);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, v);
  parent.appendChild(el);
  mounted.push(parent === document.body ? el : parent);
  await el.updateComplete;
  return el;
}

/**
 * Resolves once an image with a URL that fails (`x`, as the XSS payloads use)
 * has fired its error event: a sentinel for "an injected onerror handler would
 * have run by now", instead of a fixed sleep.
 */
export function afterFailedImageLoad(): Promise<void> {
  return new Promise((resolve) => {
    const probe = new Image();
    probe.onerror = () => resolve();
    probe.src = `x?probe=${Math.random()}`;
  });
}

/** Removes everything `mount` added and closes raw sockets. */
export function cleanup(): void {
  for (const el of mounted.splice(0)) el.remove();
  for (const s of sockets.splice(0)) s.disconnect();
}

/** Polls until `check` returns (or resolves to) a truthy value. */
export async function waitFor<T>(
  check: () => T | null | undefined | false | Promise<T | null | undefined | false>,
  what = 'condition',
  timeout = 5000,
): Promise<T> {
  const start = performance.now();
  for (;;) {
    const value = await check();
    if (value) return value;
    if (performance.now() - start > timeout) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** One element of the shadow root, or null. */
export function $(el: ChatRoom, selector: string): HTMLElement | null {
  return el.shadowRoot!.querySelector(selector);
}

export function $$(el: ChatRoom, selector: string): HTMLElement[] {
  return [...el.shadowRoot!.querySelectorAll<HTMLElement>(selector)];
}

/** Texts of the room's message bubbles, oldest first. */
export function messageTexts(el: ChatRoom): string[] {
  return $$(el, '[part~="message"] [part="text"]').map((n) => n.textContent!.trim());
}

export async function connected(el: ChatRoom): Promise<void> {
  await waitFor(() => el.connectionState === 'connected' && $(el, '[part="composer"][data-can-send="true"]'), 'joined');
}

export type RawSocket = Socket<ServerToClientEvents, ClientToServerEvents>;
const sockets: RawSocket[] = [];

/** A raw socket.io-client connection as another visitor (its own guest key, unless one is given). */
export async function rawClient(nickname?: string, site = 'demo', guestKey = createGuestKey()): Promise<RawSocket> {
  const socket: RawSocket = io(SERVER + siteNamespace(site), {
    forceNew: true,
    transports: ['websocket'],
    auth: { guestKey, ...(nickname ? { nickname } : {}) },
  });
  sockets.push(socket);
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', () => resolve());
    socket.once('connect_error', reject);
  });
  return socket;
}

/** Joins a room from a raw socket. */
export async function rawJoin(socket: RawSocket, room: string): Promise<void> {
  const ack = await socket.emitWithAck('room:join', { room });
  if (!ack.ok) throw new Error(ack.error.code);
}

/** Sends messages one by one from a raw socket (already in the room). */
export async function rawSend(socket: RawSocket, room: string, ...texts: string[]): Promise<ChatMessage[]> {
  const out: ChatMessage[] = [];
  for (const text of texts) {
    const ack = await socket.emitWithAck('message:send', { room, text, clientId: crypto.randomUUID() });
    if (!ack.ok) throw new Error(ack.error.code);
    out.push(ack.data.message);
  }
  return out;
}

/**
 * A visit that reads `room` up to its one message and leaves: this page's
 * guest then has a stored cursor there, so what is sent next is unread
 * history for its next visit.
 */
export async function visitAndLeave(room: string): Promise<void> {
  const first = await mount({ room });
  await connected(first);
  await waitFor(() => first.messages.length === 1, 'history');
  const self = await rawClient(undefined, 'demo', localStorage.getItem(guestKeyStorageKey(normalizeServer(SERVER), 'demo'))!);
  await waitFor(async () => {
    const join = await self.emitWithAck('room:join', { room });
    return join.ok && join.data.cursor === 1;
  }, 'cursor stored');
  self.disconnect();
  first.remove();
  await waitFor(() => first.connectionState === 'disconnected', 'first visit closed');
}
