/**
 * One channel per (server, site, identity) on the page, shared by every
 * `<chat-room>` that talks to it and ref-counted: the last release closes it.
 */
import { createChannel, type Channel } from './channel.js';
import { normalizeServer, type Connection } from './connection.js';
import { loadGuestKey } from './guest-key.js';
import type { KeyValueStorage } from './storage.js';

interface Entry {
  channel: Channel;
  refs: number;
  closeTimer: ReturnType<typeof setTimeout> | undefined;
}

/** Few entries (one per server, site and user on a page): looked up by scanning, so a renewed token needs no re-keying. */
const entries = new Set<Entry>();

export interface AcquireOptions {
  server: string;
  site: string;
  storage: KeyValueStorage;
  nickname?: string | undefined;
  /** The UI's language: the first element to connect decides it for the shared connection. */
  lang?: string | undefined;
  token?: string | undefined;
}

function find(server: string, site: string, token: string | undefined): Entry | undefined {
  for (const e of entries) {
    const { conn } = e.channel;
    if (conn.server === server && conn.site === site && conn.token === token) return e;
  }
  return undefined;
}

/** Returns the shared channel for (server, site, token), creating and opening it on first use. */
export function acquireChannel(options: AcquireOptions): Channel {
  const server = normalizeServer(options.server);
  let entry = find(server, options.site, options.token);
  if (!entry) {
    const channel = createChannel({
      server,
      site: options.site,
      guestKey: loadGuestKey(options.storage, server, options.site),
      nickname: options.nickname,
      lang: options.lang,
      token: options.token,
      storage: options.storage,
    });
    entry = { channel, refs: 0, closeTimer: undefined };
    entries.add(entry);
  }
  clearTimeout(entry.closeTimer);
  entry.closeTimer = undefined;
  entry.refs++;
  entry.channel.conn.connect();
  return entry.channel;
}

/**
 * Releases one use of a channel; the last release closes its connection after
 * a short delay, so moving an element in the DOM does not drop the socket.
 */
export function releaseChannel(channel: Channel): void {
  const entry = [...entries].find((e) => e.channel === channel);
  if (!entry) return;
  entry.refs = Math.max(0, entry.refs - 1);
  if (entry.refs === 0 && !entry.closeTimer) {
    entry.closeTimer = setTimeout(() => {
      if (entry.refs > 0) return;
      entries.delete(entry);
      channel.conn.disconnect();
    }, 100);
  }
}

/** Connections in use on this page (for diagnostics and tests). */
export function openConnections(): Connection[] {
  return [...entries].filter((e) => e.refs > 0).map((e) => e.channel.conn);
}
