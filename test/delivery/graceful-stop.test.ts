/**
 * What the README promises of SIGTERM ("closes every socket and the database
 * cleanly"), on the real CLI with SQLite: the process exits 0 in time, the
 * database is closed (its WAL checkpointed away), the widget's connection
 * layer takes the disconnect as one to recover from, and after a restart on
 * the same port every send made around the stop is stored exactly once.
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import Database from 'better-sqlite3';
import { SQLITE_FILE_NAME } from '../../server/storage/sqlite-store.js';
import type { ConnectionState } from '../../widget/client/connection.js';
import { ServerProcess, stopAtEnd } from '../../bench/support/server-process.js';
import { TcpProxy } from '../support/tcp-proxy.js';
import { assertComplete, roomClient, uniqueRoom, until } from './clients.js';

const SENDS = 30;

test('SIGTERM with clients connected: exit 0 in time, database closed, clients reconnect after a restart and lose nothing', { timeout: 60_000 }, async (t) => {
  const server = await ServerProcess.start();
  stopAtEnd(t, server);
  const room = uniqueRoom('sigterm');
  const clients = [roomClient(t, server.url, room), roomClient(t, server.url, room)];
  await until('both joined', () => clients.every((c) => c.conversation.status === 'ready'), 10_000);
  const states: ConnectionState[][] = clients.map((c) => {
    const seen: ConnectionState[] = [];
    c.conn.on('state', (state) => seen.push(state));
    return seen;
  });

  // Sends in flight when the signal arrives: acked or not, each must end up stored once.
  const sends = Array.from({ length: SENDS }, (_, i) => clients[i % 2]!.conversation.send(`m-${i + 1}`));
  // Exit code 0 within 5 s, or this rejects with the server's output.
  await server.terminate();
  const output = server.output();
  assert.match(output, /"msg":"shutting down"/);
  assert.match(output, /"msg":"stopped"/);
  assert.doesNotMatch(output, /"level":"error"/);

  // better-sqlite3 checkpoints and deletes the WAL when the last connection closes: a left WAL means no close.
  const file = join(server.dataDir, SQLITE_FILE_NAME);
  assert.equal(existsSync(`${file}-wal`), false, 'the WAL is still there: the database was not closed');
  const db = new Database(file, { readonly: true, fileMustExist: true });
  assert.equal(db.pragma('integrity_check', { simple: true }), 'ok');
  db.close();

  // The widget reconnects after a server-side close; "io server disconnect" would leave it disconnected for good.
  await until('both clients reconnecting', () => clients.every((c) => c.conn.state === 'connecting'), 5_000);
  for (const seen of states) {
    assert.ok(!seen.includes('disconnected') && !seen.includes('error'), `states: ${seen.join(' → ')}`);
  }

  await server.restart();
  await until('both clients back', () => clients.every((c) => c.conn.state === 'connected' && c.conversation.status === 'ready'), 15_000);
  const acked = await Promise.all(sends);
  await until(
    'every message at both clients',
    () => clients.every((c) => c.conversation.messages.length >= SENDS),
    15_000,
    () => clients.map((c) => c.conversation.messages.length).join(', '),
  );
  for (const c of clients) assert.equal(assertComplete(c.conversation.messages, SENDS), null);
  assert.deepEqual(new Set(acked.map((m) => m.id)), new Set(clients[0]!.conversation.messages.map((m) => m.id)));
});

test('SIGTERM at once after the listening line is a graceful stop too (handlers are installed before it is printed)', { timeout: 60_000 }, async () => {
  for (let i = 0; i < 8; i++) {
    const server = await ServerProcess.start();
    await server.stop();
    assert.match(server.output(), /"msg":"stopped"/);
  }
});

test('SIGTERM with a half-open client still exits in time (its WebSocket is cut, not waited on for 30 s)', { timeout: 30_000 }, async (t) => {
  const server = await ServerProcess.start();
  stopAtEnd(t, server);
  const proxy = await TcpProxy.start({ port: server.port });
  t.after(() => proxy.close());
  const client = roomClient(t, proxy.url, uniqueRoom('half-open'));
  await until('joined', () => client.conversation.status === 'ready', 10_000);
  // The client's side goes silent: no data, no FIN, no RST reaches either end.
  proxy.blackhole();
  await server.terminate();
  assert.match(server.output(), /"msg":"stopped"/);
});
