/**
 * The handshake's protocol version (`auth.protocol`, 1 when missing): a
 * server refuses clients below its minimum (`minClientProtocol`,
 * `--min-client-protocol`) with `client_outdated`, and the widget's
 * connection layer (run here in Node, as test/delivery does) takes that as
 * final: an error, no reconnect loop, `outdated`.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { test } from 'node:test';
import type { TestContext } from 'node:test';
import { fileURLToPath } from 'node:url';
import { PROTOCOL_VERSION } from '../../protocol/index.js';
import { createChatServer } from '../../server/index.js';
import { Connection } from '../../widget/client/connection.js';
import type { ConnectionState } from '../../widget/client/connection.js';
import { createGuestKey } from '../../widget/client/guest-key.js';
import { ALLOWED_ORIGIN, client, connect, connectError, guestKey, sleep, startServer, tempDir } from './helpers.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** `auth.protocol` as a client sends it; `undefined` sends none (pages from before the version). */
async function attempt(t: TestContext, url: string, protocol: unknown) {
  const auth = protocol === undefined ? { guestKey: guestKey() } : { guestKey: guestKey(), protocol };
  // The helper's auth is typed; a wrong type is what some page might send.
  const socket = client(t, url, auth as { guestKey: string; protocol?: number });
  return new Promise<{ ok: true } | { ok: false; code: string | undefined; message: string | undefined }>((resolve) => {
    socket.once('session:ready', () => resolve({ ok: true }));
    socket.once('connect_error', (err: Error & { data?: { code: string; message: string } }) =>
      resolve({ ok: false, code: err.data?.code, message: err.data?.message }),
    );
  });
}

test('by default every version is admitted, a missing one too; below 1 is outdated, and a version must be a whole number', async (t) => {
  const { url } = await startServer(t);
  assert.deepEqual(await attempt(t, url, undefined), { ok: true });
  assert.deepEqual(await attempt(t, url, 1), { ok: true });
  assert.deepEqual(await attempt(t, url, PROTOCOL_VERSION), { ok: true });
  assert.deepEqual(await attempt(t, url, PROTOCOL_VERSION + 5), { ok: true }, 'a newer page than the server is its own business');
  const outdated = await attempt(t, url, 0);
  assert.equal(outdated.ok, false);
  assert.ok(!outdated.ok && outdated.code === 'client_outdated');
  assert.match(outdated.message ?? '', /protocol 0.*1 or later.*reload/);
  for (const bad of ['2', 1.5, -1, null, {}]) {
    const refused = await attempt(t, url, bad);
    assert.ok(!refused.ok && refused.code === 'invalid_payload', JSON.stringify(bad));
  }
});

test('a server with a minimum refuses older and unversioned clients with client_outdated, before storing anything', async (t) => {
  const { url, server } = await startServer(t, { minClientProtocol: PROTOCOL_VERSION + 1 });
  for (const protocol of [undefined, 1, PROTOCOL_VERSION]) {
    const refused = await attempt(t, url, protocol);
    assert.ok(!refused.ok && refused.code === 'client_outdated', String(protocol));
  }
  // A nickname would store the guest: an outdated page is refused first.
  const key = guestKey();
  const named = client(t, url, { guestKey: key, nickname: 'Old Page', protocol: PROTOCOL_VERSION });
  assert.equal((await connectError(named)).data?.code, 'client_outdated');
  const { session } = await connect(t, url, { guestKey: key, protocol: PROTOCOL_VERSION + 1 });
  assert.notEqual(session.user.name, 'Old Page');
  assert.equal(await server.store.getUser('demo', session.user.id), undefined);
});

test('minClientProtocol must be a whole number of 1 or more', async (t) => {
  const dataDir = await tempDir(t);
  for (const minClientProtocol of [0, 1.5, Number.NaN]) {
    assert.throws(() => createChatServer({ dataDir, logLevel: 'silent', minClientProtocol }), /minClientProtocol/);
  }
});

test('the widget connection ends in error client_outdated, says outdated, and never tries again', async (t) => {
  const { url, server } = await startServer(t, { minClientProtocol: PROTOCOL_VERSION + 1 });
  let handshakes = 0;
  server.httpServer.on('upgrade', () => handshakes++);
  const conn = new Connection({
    server: url,
    site: 'demo',
    guestKey: createGuestKey(),
    // Short delays: a reconnect loop would show many handshakes within the wait below.
    socketOptions: { transports: ['websocket'], extraHeaders: { origin: ALLOWED_ORIGIN }, reconnectionDelay: 20, reconnectionDelayMax: 50 },
  });
  t.after(() => conn.disconnect());
  const states: Array<[ConnectionState, string | undefined]> = [];
  conn.on('state', (state, error) => states.push([state, error?.code]));
  const outdated = new Promise<void>((resolve, reject) => {
    conn.on('outdated', resolve);
    setTimeout(() => reject(new Error(`no outdated event; states ${JSON.stringify(states)}`)), 3000).unref();
  });
  conn.connect();
  await outdated;
  assert.equal(conn.outdated, true);
  assert.equal(conn.state, 'error');
  assert.equal(conn.error?.code, 'client_outdated');
  // Another element acquiring the shared connection, or a wake-up, connects again: not an outdated page.
  conn.connect();
  conn.wake();
  await sleep(400);
  assert.equal(handshakes, 1);
  assert.deepEqual(states, [
    ['connecting', undefined],
    ['error', 'client_outdated'],
  ]);
});

test('chat-room-server --min-client-protocol refuses older widgets, and refuses to start with a bad value', { timeout: 20_000 }, async (t) => {
  const bad = spawn(process.execPath, ['--import', 'tsx', 'server/cli.ts', '--min-client-protocol', 'two'], { cwd: ROOT });
  let err = '';
  bad.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
  const [code] = (await once(bad, 'exit')) as [number];
  assert.equal(code, 2);
  assert.match(err, /--min-client-protocol must be a protocol version/);

  const dataDir = await tempDir(t);
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', 'server/cli.ts', '--port', '0', '--no-demo', '--data-dir', dataDir, '--min-client-protocol', String(PROTOCOL_VERSION + 1)],
    { cwd: ROOT, env: { ...process.env, LOG_LEVEL: 'info' } },
  );
  t.after(() => {
    if (child.exitCode === null) child.kill('SIGKILL');
  });
  let url: string | undefined;
  for await (const line of createInterface({ input: child.stdout })) {
    const entry = JSON.parse(line) as { msg: string; url?: string };
    if (entry.msg === 'listening') {
      url = entry.url;
      break;
    }
  }
  assert.ok(url);
  const refused = await attempt(t, url, PROTOCOL_VERSION);
  assert.ok(!refused.ok && refused.code === 'client_outdated');
  assert.deepEqual(await attempt(t, url, PROTOCOL_VERSION + 1), { ok: true });
  const exited = once(child, 'exit');
  child.kill('SIGTERM');
  assert.equal(((await exited) as [number])[0], 0);
});
