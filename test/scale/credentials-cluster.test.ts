/**
 * Credentials across nodes: a secret rotated or a site removed through one
 * node's admin API ends the sessions it backed on the other nodes within a
 * second. Two real server processes sharing Redis and PostgreSQL; runs when
 * REDIS_URL and DATABASE_URL are set, with a schema and key prefix of its own.
 */
import assert from 'node:assert/strict';
import { createHmac, randomBytes } from 'node:crypto';
import { test, type TestContext } from 'node:test';
import { io } from 'socket.io-client';
import type { Socket } from 'socket.io-client';
import type { ChatError, ClientToServerEvents, ServerToClientEvents } from '../../protocol/index.js';
import { PAGE_ORIGIN, sleep } from '../delivery/clients.js';
import { ServerProcess, stopAtEnd } from '../../bench/support/server-process.js';
import { isolatedClusterArgs } from '../support/isolated-cluster.js';

const { DATABASE_URL, REDIS_URL } = process.env;
const ADMIN_TOKEN = 'scale-admin-token-0123456789abcdefghij';

type RawSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

async function startNodes(t: TestContext, count: number): Promise<ServerProcess[]> {
  const args = [...isolatedClusterArgs(t, DATABASE_URL!, REDIS_URL!), '--admin-token', ADMIN_TOKEN];
  const nodes: ServerProcess[] = [];
  // One after the other: the first creates the schema.
  for (let i = 0; i < count; i++) {
    const node = await ServerProcess.start({ args });
    stopAtEnd(t, node);
    nodes.push(node);
  }
  return nodes;
}

async function admin(url: string, method: string, path: string, body?: unknown): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(`${url}/api${path}`, {
    method,
    headers: { authorization: `Bearer ${ADMIN_TOKEN}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  return { status: res.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
}

function token(site: string, secret: string, sub: string): string {
  const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const signed = `${encode({ alg: 'HS256', typ: 'JWT' })}.${encode({ site, sub, name: sub, exp: Math.floor(Date.now() / 1000) + 3600 })}`;
  return `${signed}.${createHmac('sha256', secret).update(signed).digest('base64url')}`;
}

/** A connected socket of the site on one node; resolves once its session started. */
async function sessionOn(t: TestContext, url: string, site: string, auth: Record<string, string>): Promise<RawSocket> {
  const socket: RawSocket = io(`${url}/s/${site}`, {
    transports: ['websocket'],
    forceNew: true,
    reconnection: false,
    extraHeaders: { origin: PAGE_ORIGIN },
    auth,
  });
  t.after(() => socket.disconnect());
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no session from ${url}`)), 10_000);
    socket.once('session:ready', () => {
      clearTimeout(timer);
      resolve();
    });
    socket.once('connect_error', reject);
  });
  return socket;
}

/** The `session:ended` reason and how long after `start` it came, or null when none came within 5 s. */
function endOf(socket: RawSocket): () => Promise<{ reason: ChatError; afterMs: number } | null> {
  let start = 0;
  const ended = new Promise<{ reason: ChatError; afterMs: number }>((resolve) =>
    socket.once('session:ended', (reason) => resolve({ reason, afterMs: Date.now() - start })),
  );
  return () => {
    start = Date.now();
    return Promise.race([ended, sleep(5000).then(() => null)]);
  };
}

if (!DATABASE_URL || !REDIS_URL) {
  test('credentials across nodes', { skip: 'not run: set REDIS_URL and DATABASE_URL (.ci/run does)' }, () => {});
} else {
  test('a secret rotated through one node ends the identified sessions on another within a second', { timeout: 60_000 }, async (t) => {
    const [first, second] = await startNodes(t, 2);
    const created = await admin(first!.url, 'POST', '/sites', { id: 'rotating', name: 'Rotating', origins: [PAGE_ORIGIN] });
    assert.equal(created.status, 201);
    const { secret } = created.body.site as { secret: string };
    const member = await sessionOn(t, second!.url, 'rotating', { token: token('rotating', secret, 'alice') });
    const guest = await sessionOn(t, second!.url, 'rotating', { guestKey: randomBytes(16).toString('hex') });
    const memberEnd = endOf(member);

    const rotating = memberEnd();
    assert.equal((await admin(first!.url, 'POST', '/sites/rotating/rotate-secret')).status, 200);
    const end = await rotating;
    assert.ok(end, 'the identified session on the other node ended');
    assert.equal(end.reason.code, 'credentials_revoked');
    assert.ok(end.afterMs <= 1000, `ended ${end.afterMs} ms after the rotation`);
    // Guests are not signed with the secret: still served there.
    assert.ok((await guest.emitWithAck('room:join', { room: 'lobby' })).ok);
  });

  test('a site removed through one node ends its sessions on another within a second', { timeout: 60_000 }, async (t) => {
    const [first, second] = await startNodes(t, 2);
    assert.equal((await admin(first!.url, 'POST', '/sites', { id: 'doomed', name: 'Doomed', origins: [PAGE_ORIGIN] })).status, 201);
    const guest = await sessionOn(t, second!.url, 'doomed', { guestKey: randomBytes(16).toString('hex') });
    const removing = endOf(guest)();
    assert.equal((await admin(first!.url, 'DELETE', '/sites/doomed')).status, 204);
    const end = await removing;
    assert.ok(end, 'the session on the other node ended');
    assert.equal(end.reason.code, 'unknown_site');
    assert.ok(end.afterMs <= 1000, `ended ${end.afterMs} ms after the removal`);
  });
}
