/**
 * Behind proxies that append to X-Forwarded-For, the address the server
 * limits and bans is the one the nearest trusted proxy saw, not one the
 * client wrote; IPv6 addresses are counted per /64 and IPv4-mapped IPv6
 * addresses are the IPv4 address.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { test } from 'node:test';
import type { TestContext } from 'node:test';
import { fileURLToPath } from 'node:url';
import { io } from 'socket.io-client';
import { SITE_QUERY_PARAM } from '../../protocol/index.js';
import { addressKey, normaliseIp } from '../../server/security/client-ip.js';
import { ALLOWED_ORIGIN, api, connectError, guestKey, startServer, tempDir } from './helpers.js';
import type { Client } from './helpers.js';

const HANDSHAKES = 3;

async function proxiedServer(t: TestContext, trustProxy: number | boolean = 1) {
  return startServer(t, { trustProxy, rateLimits: { connectionsPerIp: { points: HANDSHAKES, durationMs: 60_000 } } });
}

/**
 * Connects as a client behind the proxy chain that wrote `forwardedFor`;
 * answers 'ok', the namespace's refusal code, or 'refused' for a refused
 * handshake (a WebSocket upgrade refused has no code the client can read).
 */
async function attempt(t: TestContext, url: string, forwardedFor: string): Promise<string> {
  const socket: Client = io(`${url}/s/demo`, {
    transports: ['websocket'],
    reconnection: false,
    forceNew: true,
    auth: { guestKey: guestKey() },
    query: { [SITE_QUERY_PARAM]: 'demo' },
    extraHeaders: { origin: ALLOWED_ORIGIN, 'x-forwarded-for': forwardedFor },
  });
  t.after(() => socket.disconnect());
  const outcome = await Promise.race([
    connectError(socket).then((err) => err.data?.code ?? 'refused'),
    new Promise<string>((resolve) => socket.once('session:ready', () => resolve('ok'))),
  ]);
  socket.disconnect();
  return outcome;
}

test('a spoofed leftmost X-Forwarded-For entry changes nothing: the client is limited, its victim is not', async (t) => {
  const { url } = await proxiedServer(t);
  const victim = '198.51.100.9';
  // The load balancer appends the address it saw (203.0.113.7); everything left of it is the client's.
  const outcomes: string[] = [];
  for (let i = 0; i < HANDSHAKES + 3; i++) outcomes.push(await attempt(t, url, `${victim}, 10.9.9.${i}, 203.0.113.7`));
  assert.deepEqual(outcomes, [...Array<string>(HANDSHAKES).fill('ok'), 'refused', 'refused', 'refused']);
  // What refuses it is the per-address handshake limit (a polling handshake can read the code).
  const polled = await fetch(`${url}/socket.io/?EIO=4&transport=polling&${SITE_QUERY_PARAM}=demo`, {
    headers: { origin: ALLOWED_ORIGIN, 'x-forwarded-for': `10.8.8.8, 203.0.113.7` },
  });
  assert.equal(polled.status, 403);
  assert.match(await polled.text(), /rate_limited/);
  assert.equal(await attempt(t, url, victim), 'ok', 'the victim keeps its own budget');
});

test('--trust-proxy 2 takes the address the second proxy from the server saw', async (t) => {
  const { url } = await proxiedServer(t, 2);
  const outcomes: string[] = [];
  for (let i = 0; i < HANDSHAKES + 1; i++) outcomes.push(await attempt(t, url, `10.0.0.${i}, 203.0.113.8, 10.1.1.${i}`));
  assert.deepEqual(outcomes, [...Array<string>(HANDSHAKES).fill('ok'), 'refused']);
});

test('IPv6 addresses of one /64 share a budget; another /64 has its own', async (t) => {
  const { url } = await proxiedServer(t);
  const outcomes: string[] = [];
  for (let i = 0; i < HANDSHAKES + 1; i++) outcomes.push(await attempt(t, url, `2001:db8:1:2::${(i + 1).toString(16)}`));
  assert.deepEqual(outcomes, [...Array<string>(HANDSHAKES).fill('ok'), 'refused']);
  assert.equal(await attempt(t, url, '2001:db8:1:3::1'), 'ok');
});

test('an IPv4-mapped IPv6 address is its IPv4 address, for limits and for bans', async (t) => {
  const { url } = await proxiedServer(t);
  const outcomes: string[] = [];
  for (let i = 0; i < HANDSHAKES + 1; i++) outcomes.push(await attempt(t, url, i % 2 ? '192.0.2.1' : '::ffff:192.0.2.1'));
  assert.deepEqual(outcomes, [...Array<string>(HANDSHAKES).fill('ok'), 'refused']);

  for (const [banned, arrives] of [
    ['::ffff:192.0.2.5', '192.0.2.5'],
    ['192.0.2.6', '::ffff:192.0.2.6'],
  ] as const) {
    const added = await api(url, 'POST', '/sites/demo/bans', { body: { ip: banned, kind: 'ban', durationMs: 60_000 } });
    assert.equal(added.status, 201);
    assert.equal(await attempt(t, url, arrives), 'banned', `a ban of ${banned} holds for ${arrives}`);
  }
});

test("Express's trust proxy counts the same hops, for req.ip and req.secure of later features", async (t) => {
  const { url, server } = await proxiedServer(t, 2);
  server.app.get('/test/address', (req, res) => {
    res.json({ ip: req.ip, secure: req.secure });
  });
  const res = await fetch(`${url}/test/address`, {
    headers: { 'x-forwarded-for': '10.0.0.1, 203.0.113.9, 10.1.1.1', 'x-forwarded-proto': 'https' },
  });
  assert.deepEqual(await res.json(), { ip: '203.0.113.9', secure: true });
});

/** The CLI with `flags`; answers its URL, stopped when the test ends. */
async function startCli(t: TestContext, flags: string[]): Promise<string> {
  const root = fileURLToPath(new URL('../..', import.meta.url));
  const dataDir = await tempDir(t);
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/cli.ts', '--port', '0', '--no-demo', '--data-dir', dataDir, '--admin-token', 'a-long-enough-admin-token-0123456789', ...flags], {
    cwd: root,
    env: { ...process.env, LOG_LEVEL: 'info' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  t.after(async () => {
    if (child.exitCode !== null) return;
    const exited = once(child, 'exit');
    child.kill('SIGTERM');
    await exited;
  });
  for await (const line of createInterface({ input: child.stdout })) {
    const entry = JSON.parse(line) as { msg: string; url?: string };
    if (entry.msg === 'listening') return entry.url!;
  }
  throw new Error('the CLI exited before listening');
}

/** Statuses of admin API calls with a wrong token, each behind the proxy chain `forwardedFor(i)`. */
async function failedLogins(url: string, count: number, forwardedFor: (i: number) => string): Promise<number[]> {
  const statuses: number[] = [];
  for (let i = 0; i < count; i++) {
    const res = await fetch(`${url}/api/sites`, { headers: { authorization: 'Bearer wrong', 'x-forwarded-for': forwardedFor(i) } });
    await res.arrayBuffer();
    statuses.push(res.status);
  }
  return statuses;
}

test('the CLI: --trust-proxy alone is one hop, --trust-proxy <n> is n hops', async (t) => {
  // Ten failed logins per address, then 429 (the default): which entry is the address decides.
  const [oneHop, twoHops] = await Promise.all([startCli(t, ['--trust-proxy', '--host', '127.0.0.1']), startCli(t, ['--trust-proxy', '2'])]);
  const chain = (i: number) => `6.6.6.6, 7.7.7.7, 10.0.0.${i}`;
  assert.deepEqual(await failedLogins(oneHop, 11, chain), Array(11).fill(401), 'one hop: the rightmost entry, new each time');
  assert.deepEqual(await failedLogins(twoHops, 11, chain), [...Array(10).fill(401), 429], 'two hops: 7.7.7.7 every time');
});

test('address spellings: mapped forms, zones and /64 keys', () => {
  assert.equal(normaliseIp('::FFFF:192.0.2.1'), '192.0.2.1');
  assert.equal(normaliseIp('::ffff:c000:201'), '192.0.2.1');
  assert.equal(normaliseIp('fe80::1%eth0'), 'fe80::1');
  assert.equal(addressKey('2001:DB8:1:2:aaaa:bbbb:cccc:dddd'), '2001:db8:1:2::/64');
  assert.equal(addressKey('2001:db8::1'), '2001:db8:0:0::/64');
  assert.equal(addressKey('::ffff:192.0.2.1'), '192.0.2.1');
  assert.equal(addressKey('::1'), '0:0:0:0::/64');
});
