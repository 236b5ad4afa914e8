/**
 * Hostile input: thousands of malformed, oversized, wrongly-typed and random
 * payloads to every event, from several sockets at once, while a well-behaved
 * user keeps chatting in the same room.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { CHANGES_MAX_LIMIT, MAX_PAYLOAD_BYTES, MESSAGE_MAX_LENGTH } from '../../protocol/index.js';
import { EVENT_SCHEMAS } from '../../server/validate.js';
import { clientId, connect, record, sentinel, sleep, startServer, waitFor } from './helpers.js';
import type { Client } from './helpers.js';

const PAYLOADS = 10_000;
const ATTACKERS = 4;
const ROOM = 'lobby';

/** A seeded generator, so a failure can be replayed. */
function prng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let x = state;
    x = Math.imul(x ^ (x >>> 15), x | 1);
    x ^= x + Math.imul(x ^ (x >>> 7), x | 61);
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
}

/** Fixed, so every run sends the same payloads; FUZZ_SEED=<n> tries (or replays) another run. */
const DEFAULT_SEED = 20_260_101;
const SEED = process.env.FUZZ_SEED ? Number(process.env.FUZZ_SEED) : DEFAULT_SEED;
if (!Number.isSafeInteger(SEED)) throw new Error(`FUZZ_SEED must be an integer, got "${process.env.FUZZ_SEED}"`);
// Printed before anything runs, so even a run that hangs or crashes can be replayed.
process.stderr.write(`fuzz: FUZZ_SEED=${SEED}\n`);
const random = prng(SEED);
const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;

function randomString(max: number): string {
  const length = Math.floor(random() * max);
  let out = '';
  for (let i = 0; i < length; i++) {
    const roll = random();
    // Mostly ASCII, some controls, bidi overrides, surrogate halves and astral characters.
    const code =
      roll < 0.6 ? 32 + Math.floor(random() * 95)
      : roll < 0.7 ? Math.floor(random() * 32)
      : roll < 0.8 ? pick([0x202a, 0x202e, 0x2066, 0x2069, 0x200b, 0xfeff, 0xd800, 0xdfff])
      : Math.floor(random() * 0x10ffff);
    out += code > 0xffff ? String.fromCodePoint(code) : String.fromCharCode(code);
  }
  return out;
}

function randomValue(depth = 0): unknown {
  const roll = random();
  if (roll < 0.15) return null;
  if (roll < 0.3) return Math.floor(random() * 2 ** 40) * (random() < 0.5 ? -1 : 1) / (random() < 0.3 ? 7 : 1);
  if (roll < 0.4) return random() < 0.5;
  if (roll < 0.65 || depth > 2) return randomString(40);
  if (roll < 0.8) return Array.from({ length: Math.floor(random() * 5) }, () => randomValue(depth + 1));
  const obj: Record<string, unknown> = {};
  for (let i = Math.floor(random() * 5); i > 0; i--) {
    obj[pick(['room', 'text', 'clientId', 'name', 'to', 'with', 'typing', '__proto__', 'constructor', randomString(8)])] =
      randomValue(depth + 1);
  }
  return obj;
}

/** Values that break each field; a payload gets at least one of them, so none is valid. */
const BAD: Record<string, readonly unknown[]> = {
  room: [42, null, '', '../lobby', 'dm:a:b', 'DM:x', 'x'.repeat(65), {}, [], '\u202Elobby', 'lob by', true, ['lobby']],
  text: [42, null, '', '   ', '\u0000\u0001\u202E\u2066', 'x'.repeat(MESSAGE_MAX_LENGTH + 1), '😀'.repeat(MESSAGE_MAX_LENGTH + 1), {}, [], ['hi'], true, { toString: 'hi' }],
  clientId: [undefined, 42, 'short', 'has spaces in it', 'x'.repeat(65), {}, null, '../../etc'],
  typing: ['yes', 1, null, undefined, {}, []],
  name: [42, null, {}, [], undefined, '', 'x', 'bad\u0000name', 'evil\u202Eeman', 'x'.repeat(1000), 'zero\u200Bwidth'],
  to: [42, null, '', 'x'.repeat(65), {}, []],
  seq: [-1, 1.5, 'x', 1e300, {}, null, -0.5],
  limit: [0, -1, 101, 1.5, '10', null],
  messageId: [42, '', 'x'.repeat(65), null],
  kind: ['kick', 1, null],
  durationMs: [0, -1, 1.5, 'x', 1e20],
  token: [42, null, {}, [], true, 'x'.repeat(4097)],
  query: [42, null, {}, [], 'x'.repeat(33), true],
  after: [42, null, {}, 'not a cursor!', 'x'.repeat(600)],
  emoji: [42, null, '', 'x', 'ab', ':)', '👍👍', '👍 ', '<b>', '😀'.repeat(20), {}],
  on: ['yes', 1, null, undefined, {}],
  refuseGuestDms: ['yes', 1, null, {}, []],
  changesLimit: [0, -1, CHANGES_MAX_LIMIT + 1, 1.5, '10', null],
};

/** Valid-looking payloads of each event with one or more fields broken (mod events fail anyway: no moderator). */
function brokenPayload(event: string, bob: string): Record<string, unknown> {
  const good = {
    room: ROOM,
    text: 'hello',
    clientId: crypto.randomUUID(),
    typing: true,
    name: 'Mallory',
    to: bob,
    with: bob,
    beforeSeq: 1,
    afterSeq: 0,
    limit: 10,
    messageId: 'x',
    kind: 'ban',
    durationMs: 1000,
    userId: bob,
    seq: 1,
    query: 'Mal',
    // `message:changes` counts `after` in change numbers, `presence:list` takes a cursor string.
    after: event === 'message:changes' ? 0 : 'bWFsAGdfeA',
    replyTo: 'x',
    emoji: '👍',
    on: true,
    block: bob,
    unblock: bob,
    refuseGuestDms: true,
  };
  const fields: Record<string, string[]> = {
    'room:join': ['room'],
    'room:leave': ['room'],
    'message:send': ['room', 'text', 'clientId', 'replyTo'],
    'message:edit': ['room', 'messageId', 'text'],
    'message:delete': ['room', 'messageId'],
    'message:react': ['room', 'messageId', 'emoji', 'on'],
    'message:changes': ['room', 'after', 'limit'],
    'user:privacy': ['block', 'unblock', 'refuseGuestDms'],
    'media:ticket': ['room'],
    'message:history': ['room', 'beforeSeq', 'afterSeq', 'limit'],
    'typing:set': ['room', 'typing'],
    'presence:list': ['room', 'query', 'after', 'limit'],
    'user:rename': ['name'],
    'dm:send': ['to', 'text', 'clientId'],
    'dm:history': ['with', 'beforeSeq', 'limit'],
    'mod:delete': ['room', 'messageId'],
    'mod:ban': ['userId', 'kind', 'durationMs'],
    'mod:erase': ['userId'],
    'room:ack': ['room', 'seq'],
    'session:renew': ['token'],
  };
  const keys = fields[event]!;
  const payload: Record<string, unknown> = Object.fromEntries(keys.map((k) => [k, good[k as keyof typeof good]]));
  const broken = keys.filter(() => random() < 0.4);
  if (broken.length === 0) broken.push(pick(keys));
  for (const key of broken) {
    const changes = event === 'message:changes';
    const alias =
      ['with', 'userId', 'block', 'unblock'].includes(key) ? 'to'
      : key === 'replyTo' ? 'messageId'
      : changes && key === 'after' ? 'seq'
      : changes && key === 'limit' ? 'changesLimit'
      : key;
    const bad = BAD[alias] ?? BAD.seq!;
    payload[key] = pick(bad);
  }
  return Object.defineProperty(payload, BROKEN, { value: broken, enumerable: false });
}

/** The keys a payload of `brokenPayload` had broken (not sent: not enumerable). */
const BROKEN = Symbol('broken');

/** Random junk; when it happens to be an object, one field the event needs is broken, so it is never valid. */
function junkPayload(event: string, bob: string): unknown {
  const value = randomValue();
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return value;
  const broken = brokenPayload(event, bob);
  const keys = (broken as unknown as Record<symbol, string[]>)[BROKEN]!;
  return { ...value, ...Object.fromEntries(keys.map((k) => [k, broken[k]])) };
}

/** Every event that takes a payload with fields; `session:ping` takes `{}` and changes nothing whatever it gets. */
const EVENTS = Object.keys(EVENT_SCHEMAS).filter((event) => event !== 'session:ping');
const UNKNOWN = ['admin:nuke', '__proto__', 'constructor', 'hasOwnProperty', 'room:join ', 'ROOM:JOIN', 'message:new', 'session:ready', 'x'.repeat(300)];

type Shot = { event: string; args: unknown[]; acked: boolean };

function shot(bob: string): Shot {
  const roll = random();
  if (roll < 0.1) return { event: pick(UNKNOWN), args: [randomValue()], acked: false };
  const event = pick(EVENTS);
  const payload = roll < 0.55 ? brokenPayload(event, bob) : junkPayload(event, bob);
  // typing has no ack; some acked events come without one (ignored), some with extra arguments.
  if (random() < 0.1) return { event, args: [payload], acked: false };
  if (random() < 0.05) return { event, args: [], acked: true };
  if (random() < 0.05) return { event, args: [payload, randomValue()], acked: true };
  return { event, args: [payload], acked: true };
}

function fire(socket: Client, { event, args, acked }: Shot, acks: unknown[]): Promise<void> {
  const emit = socket.emit as (e: string, ...a: unknown[]) => void;
  if (!acked) {
    emit.call(socket, event, ...args);
    return Promise.resolve();
  }
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no answer to ${event}`)), 10_000);
    emit.call(socket, event, ...args, (answer: unknown) => {
      clearTimeout(timer);
      acks.push(answer);
      resolve();
    });
  });
}

const gc = (): void => {
  setFlagsFromString('--expose-gc');
  (runInNewContext('gc') as () => void)();
};

function p95(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length * 0.95)]!;
}

test(`${PAYLOADS} hostile payloads change nothing, and a well-behaved user keeps chatting at normal latency`, async (t) => {
  t.diagnostic(`FUZZ_SEED=${SEED}`);
  const { url, server } = await startServer(t);
  const alice = await connect(t, url, { nickname: 'Alice' });
  const bob = await connect(t, url, { nickname: 'Bob' });
  const attackers = await Promise.all(Array.from({ length: ATTACKERS }, () => connect(t, url)));
  const everyone = waitFor(bob.socket, 'presence:update', (p) => p.count === ATTACKERS + 2, 5000);
  for (const { socket } of [alice, bob, ...attackers]) assert.ok((await socket.emitWithAck('room:join', { room: ROOM })).ok);
  // The joins are out once Bob's presence counts everyone (updates are coalesced: the last window's goes out after the acks).
  await everyone;
  await sentinel(alice.socket, bob.socket, ROOM);

  const bobMessages = record(bob.socket, 'message:new');
  const bobOther = [
    ...(['typing:update', 'room:notice', 'presence:update', 'dm:new', 'message:deleted', 'message:changed', 'user:updated', 'user:privacy'] as const).map((e) =>
      record(bob.socket, e),
    ),
  ];
  gc();
  const heapBefore = process.memoryUsage().heapUsed;
  const metricsBefore = { ...server.metrics };

  // The well-behaved user: one message every 20 ms, each timed from send to its broadcast at Bob.
  let chatting = true;
  const latencies: number[] = [];
  const chat = (async () => {
    for (let i = 0; chatting; i++) {
      const text = `hello ${i}`;
      const started = performance.now();
      const [ack] = await Promise.all([
        alice.socket.emitWithAck('message:send', { room: ROOM, text, clientId: clientId() }),
        waitFor(bob.socket, 'message:new', (m) => m.text === text, 5000),
      ]);
      latencies.push(performance.now() - started);
      assert.ok(ack.ok, JSON.stringify(ack));
      await sleep(20);
    }
  })();

  const acks: unknown[] = [];
  const perSocket = PAYLOADS / ATTACKERS;
  await Promise.all(
    attackers.map(async ({ socket }) => {
      for (let sent = 0; sent < perSocket; sent += 50) {
        await Promise.all(Array.from({ length: 50 }, () => fire(socket, shot(bob.session.user.id), acks)));
      }
    }),
  );

  // Frames over the cap: Socket.IO drops that connection, and only that one.
  const oversized = await connect(t, url);
  const dropped = waitFor(oversized.socket, 'session:ready', () => false, 3000).catch(() => undefined);
  const disconnected = new Promise((resolve) => oversized.socket.once('disconnect', resolve));
  oversized.socket.emit('message:send', { room: ROOM, text: 'x'.repeat(MAX_PAYLOAD_BYTES * 2), clientId: clientId() }, () => {});
  assert.equal(await disconnected, 'transport close');
  void dropped;

  chatting = false;
  await chat;

  // Every acked hostile event was answered, and with an error.
  assert.ok(acks.length > PAYLOADS * 0.6, `${acks.length} answers`);
  for (const answer of acks) assert.equal((answer as { ok: boolean }).ok, false, JSON.stringify(answer));
  assert.ok(server.metrics.invalidPayloads - metricsBefore.invalidPayloads > PAYLOADS * 0.5);
  assert.ok(server.metrics.unknownEvents - metricsBefore.unknownEvents > PAYLOADS * 0.05);

  // Nothing stored or broadcast but Alice's messages.
  const sentByAlice = latencies.length;
  assert.ok(sentByAlice >= 10, `alice sent ${sentByAlice}`);
  assert.equal(await server.store.lastSeq('demo', ROOM), sentByAlice + 1, 'her messages and the sentinel before them');
  assert.ok(bobMessages.every((m) => m.from.id === alice.session.user.id));
  assert.equal(bobMessages.length, sentByAlice);
  for (const seen of bobOther) assert.deepEqual(seen, []);
  const history = await bob.socket.emitWithAck('message:history', { room: ROOM, limit: 100 });
  assert.ok(history.ok && history.data.messages.every((m) => m.from.id === alice.session.user.id));
  for (const { socket, session } of attackers) {
    assert.ok(socket.connected, 'malformed payloads do not cost a socket its connection');
    assert.match(session.user.name, /^Guest \d+$/);
    const dms = await socket.emitWithAck('dm:history', { with: bob.session.user.id });
    assert.ok(dms.ok && dms.data.messages.length === 0);
  }

  // Latency stayed normal and memory bounded.
  const latency95 = p95(latencies);
  t.diagnostic(`alice: ${sentByAlice} messages, p95 round trip ${latency95.toFixed(1)} ms; ${acks.length} hostile acks`);
  assert.ok(latency95 < 250, `p95 ${latency95} ms`);
  gc();
  const grown = process.memoryUsage().heapUsed - heapBefore;
  t.diagnostic(`heap grew by ${(grown / 1e6).toFixed(1)} MB`);
  assert.ok(grown < 64e6, `heap grew by ${grown} bytes`);

  // And the server still serves newcomers.
  const carol = await connect(t, url);
  assert.ok((await carol.socket.emitWithAck('room:join', { room: ROOM })).ok);
});
