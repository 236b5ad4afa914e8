/**
 * Erasing a user leaves nothing that names them where a visitor or a
 * moderator can read: every payload after the erase is collected (events,
 * acks, history, presence, the admin API) and searched for their id, the
 * email their site uses as the token's `sub`, and their name.
 */
import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { test } from 'node:test';
import type { TestContext } from 'node:test';
import { directConversation } from '../../protocol/index.js';
import { createLogger } from '../../server/index.js';
import {
  api,
  clientId,
  connect,
  demoSecret,
  nowSeconds,
  signToken,
  startServer,
  waitFor,
} from './helpers.js';
import type { Client } from './helpers.js';

const EMAIL = 'vic.tim@example.com';
const NAME = 'Vic Timothy';

/** Every event `socket` receives from now on, as `[event, payload]`. */
function everything(socket: Client): unknown[] {
  const seen: unknown[] = [];
  socket.onAny((event: string, payload: unknown) => seen.push([event, payload]));
  return seen;
}

/** Fails naming the first of `secrets` found in the JSON of `what`. */
function assertNowhere(label: string, what: unknown, secrets: string[]): void {
  const json = JSON.stringify(what);
  for (const secret of secrets) assert.ok(!json.includes(secret), `${label} mentions ${JSON.stringify(secret)}: ${json}`);
}

async function scene(t: TestContext) {
  const logLines: string[] = [];
  const stream = new PassThrough();
  stream.on('data', (chunk: Buffer) => logLines.push(...chunk.toString().split('\n').filter(Boolean)));
  const running = await startServer(t, { logger: createLogger({ level: 'info', stream }) });
  const secret = await demoSecret(running.server);
  const token = (sub: string, name: string, role?: string) =>
    signToken({ sub, name, site: 'demo', exp: nowSeconds() + 300, ...(role ? { role } : {}) }, secret);
  const victim = await connect(t, running.url, { token: token(EMAIL, NAME) });
  const bob = await connect(t, running.url, { nickname: 'Bob' });
  const mod = await connect(t, running.url, { token: token('mod-1', 'Moderator', 'moderator') });
  // Everyone's join announced (updates are coalesced) before a test watches what Bob sees.
  const allThree = waitFor(bob.socket, 'presence:update', (p) => p.count === 3);
  for (const { socket } of [victim, bob, mod]) assert.ok((await socket.emitWithAck('room:join', { room: 'lobby' })).ok);
  await allThree;
  const victimId = victim.session.user.id;
  return { ...running, secret, token, logLines, victim, bob, mod, victimId, secrets: [victimId, EMAIL, NAME] };
}

async function send(socket: Client, text: string) {
  const ack = await socket.emitWithAck('message:send', { room: 'lobby', text, clientId: clientId() });
  assert.ok(ack.ok, JSON.stringify(ack));
  return ack.data.message;
}

test('after an erase, no payload a visitor or moderator reads names the user, and their private conversations are gone', async (t) => {
  const { url, server, secret, token, logLines, victim, bob, mod, victimId, secrets } = await scene(t);
  await send(victim.socket, 'first words');
  const second = await send(victim.socket, 'second words');
  await send(bob.socket, 'hello from bob');
  assert.ok((await victim.socket.emitWithAck('room:ack', { room: 'lobby', seq: second.seq })).ok);
  const bobId = bob.session.user.id;
  assert.ok((await victim.socket.emitWithAck('dm:send', { to: bobId, text: 'psst bob', clientId: clientId() })).ok);
  assert.ok((await bob.socket.emitWithAck('dm:send', { to: victimId, text: 'psst back', clientId: clientId() })).ok);
  const muted = await mod.socket.emitWithAck('mod:ban', {
    userId: victimId,
    kind: 'mute',
    durationMs: 60_000,
    reason: `${NAME} <${EMAIL}> spams`,
  });
  assert.ok(muted.ok);
  const addressMute = await api(url, 'POST', '/sites/demo/bans', {
    token: secret,
    body: { userId: victimId, ip: '203.0.113.7', kind: 'mute', durationMs: 60_000, reason: `also ${EMAIL}` },
  });
  assert.equal(addressMute.status, 201);

  const seenByBob = everything(bob.socket);
  const seenByMod = everything(mod.socket);
  const deletions = Promise.all([
    waitFor(bob.socket, 'message:deleted', (d) => d.id === second.id),
    waitFor(mod.socket, 'message:deleted', (d) => d.id === second.id),
  ]);
  const logFrom = logLines.length;
  const erased = await mod.socket.emitWithAck('mod:erase', { userId: victimId });
  assert.ok(erased.ok, JSON.stringify(erased));
  assert.deepEqual(erased.data.erased, { messages: 4, profile: true }, 'two room messages, two private ones');
  await deletions;

  // Sentinel: a visitor who comes and goes after the erase is announced gone after the same
  // grace period as the erased user's sockets would be, so anything about them came before.
  // Signed in: the ban stays on the victim's address for new guest sessions (by the erased author, see below).
  const passer = await connect(t, url, { token: token('passer-1', 'Passer') });
  assert.ok((await passer.socket.emitWithAck('room:join', { room: 'lobby' })).ok);
  const passerLeft = waitFor(bob.socket, 'presence:update', (p) => p.left?.users.some((u) => u.id === passer.session.user.id) ?? false);
  passer.socket.disconnect();
  await passerLeft;

  const visitor = await connect(t, url, { nickname: 'Newcomer' });
  const visitorJoin = await visitor.socket.emitWithAck('room:join', { room: 'lobby' });
  const history = await visitor.socket.emitWithAck('message:history', { room: 'lobby' });
  const bans = await api(url, 'GET', '/sites/demo/bans', { token: secret });
  const reads: Record<string, unknown> = {
    'erase ack': erased,
    'bob events': seenByBob,
    'moderator events': seenByMod,
    'visitor join': visitorJoin,
    'visitor history': history,
    'moderator history': await mod.socket.emitWithAck('message:history', { room: 'lobby' }),
    'bob rejoin': await bob.socket.emitWithAck('room:join', { room: 'lobby' }),
    'bans (admin API)': bans,
    'members (admin API)': await api(url, 'GET', '/sites/demo/rooms/lobby/members', { token: secret }),
    'export (admin API)': await api(url, 'GET', `/sites/demo/users/${encodeURIComponent(victimId)}/export`),
    'erase log line': logLines.slice(logFrom).filter((line) => line.includes('erased')),
  };
  for (const [label, payload] of Object.entries(reads)) assertNowhere(label, payload, secrets);
  assert.equal((reads['erase log line'] as string[]).length, 1, 'the erase is logged once');

  assert.ok(history.ok);
  assert.deepEqual(
    history.data.messages.map((m) => [m.seq, m.text, m.deleted ?? false]),
    [[1, '', true], [2, '', true], [3, 'hello from bob', false]],
    'tombstones keep their seq',
  );
  const left = (bans.body as { bans: Array<{ ip?: string; reason?: string }> }).bans;
  assert.deepEqual(left.map((b) => [b.ip, b.reason]), [['203.0.113.7', undefined]], 'the address part stays, nameless');

  // The private conversation is gone for the other party too, even once the user is back.
  const conversation = directConversation(victimId, bobId);
  assert.deepEqual((await server.store.history('demo', conversation, { limit: 50 })).messages, []);
  const back = await connect(t, url, { token: token(EMAIL, NAME) });
  assert.equal(back.session.user.id, victimId, 'the same token is the same user again');
  const dms = await bob.socket.emitWithAck('dm:history', { with: victimId });
  assert.deepEqual(dms.ok && dms.data.messages, []);
});

test('a user banned with a reason naming them and erased within the grace period leaves presence silently', async (t) => {
  const { url, secret, token, victim, bob, mod, victimId, secrets } = await scene(t);
  await send(victim.socket, 'trouble');
  const ended = waitFor(victim.socket, 'session:ended');
  const banned = await mod.socket.emitWithAck('mod:ban', { userId: victimId, kind: 'ban', durationMs: 60_000, reason: `${EMAIL} trolls` });
  assert.ok(banned.ok);
  await ended;

  const seenByBob = everything(bob.socket);
  const erased = await mod.socket.emitWithAck('mod:erase', { userId: victimId });
  assert.deepEqual(erased, { ok: true, data: { erased: { messages: 1, profile: true } } });
  // Signed in: the ban stays on the victim's address for new guest sessions (by the erased author, see below).
  const passer = await connect(t, url, { token: token('passer-1', 'Passer') });
  assert.ok((await passer.socket.emitWithAck('room:join', { room: 'lobby' })).ok);
  const passerLeft = waitFor(bob.socket, 'presence:update', (p) => p.left?.users.some((u) => u.id === passer.session.user.id) ?? false);
  passer.socket.disconnect();
  await passerLeft;

  assertNowhere('bob events', seenByBob, secrets);
  const bans = await api(url, 'GET', '/sites/demo/bans', { token: secret });
  assertNowhere('bans', bans, secrets);
  const left = (bans.body as { bans: Array<{ userId?: string; reason?: string; ip?: string }> }).bans;
  assert.deepEqual(
    left.map((b) => [b.userId, b.reason, typeof b.ip]),
    [['erased', undefined, 'string']],
    'the ban keeps holding the address the user came from, by nobody and for no stated reason',
  );
  const members = await api(url, 'GET', '/sites/demo/rooms/lobby/members', { token: secret });
  assertNowhere('members', members, secrets);
});
