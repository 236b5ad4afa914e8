import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { TestContext } from 'node:test';
import type { BanInfo, ChatMessage, UserExport } from '../../protocol/index.js';
import {
  api,
  clientId,
  connect,
  connectError,
  client,
  createSite,
  demoSecret,
  guestKey,
  nowSeconds,
  record,
  signToken,
  startServer,
  waitFor,
} from './helpers.js';
import type { Client } from './helpers.js';

async function room(t: TestContext) {
  const running = await startServer(t);
  const secret = await demoSecret(running.server);
  const key = guestKey();
  const alice = await connect(t, running.url, { guestKey: key, nickname: 'Alice' });
  const aliceTab2 = await connect(t, running.url, { guestKey: key });
  const bob = await connect(t, running.url, { nickname: 'Bob' });
  for (const { socket } of [alice, aliceTab2, bob]) assert.ok((await socket.emitWithAck('room:join', { room: 'lobby' })).ok);
  return { ...running, secret, key, alice, aliceTab2, bob };
}

async function say(socket: Client, text: string): Promise<ChatMessage> {
  const ack = await socket.emitWithAck('message:send', { room: 'lobby', text, clientId: clientId() });
  assert.ok(ack.ok, JSON.stringify(ack));
  return ack.data.message;
}

test('the site secret deletes a message: every member gets the tombstone and history serves it', async (t) => {
  const { url, secret, alice, bob } = await room(t);
  const message = await say(alice.socket, 'regrettable');
  const [res, deleted] = await Promise.all([
    api(url, 'DELETE', `/sites/demo/rooms/lobby/messages/${message.id}`, { token: secret }),
    waitFor(bob.socket, 'message:deleted'),
  ]);
  assert.equal(res.status, 200);
  // The room's first change number: the deletion is a change clients replay with `message:changes`.
  assert.deepEqual(deleted, { room: 'lobby', id: message.id, seq: message.seq, rev: 1 });
  const history = await bob.socket.emitWithAck('message:history', { room: 'lobby' });
  assert.ok(history.ok);
  assert.deepEqual(history.data.messages[0], { ...message, text: '', deleted: true, rev: 1 });
  const missing = await api(url, 'DELETE', `/sites/demo/rooms/other/messages/${message.id}`, { token: secret });
  assert.equal(missing.status, 404);
});

test('a mute through the admin API silences every tab of the user at once, until lifted', async (t) => {
  const { url, server, secret, alice, aliceTab2, bob } = await room(t);
  const res = await api(url, 'POST', '/sites/demo/bans', {
    token: secret,
    body: { userId: alice.session.user.id, kind: 'mute', durationMs: 60_000, reason: 'cool down' },
  });
  assert.equal(res.status, 201);
  const ban = res.body.ban as BanInfo;
  for (const tab of [alice, aliceTab2]) {
    const ack = await tab.socket.emitWithAck('message:send', { room: 'lobby', text: 'hello?', clientId: clientId() });
    assert.equal(ack.ok ? 'ok' : ack.error.code, 'muted');
    assert.ok(!ack.ok && ack.error.retryAfterMs! > 59_000);
  }
  await say(bob.socket, 'bob is fine');
  assert.equal(await server.store.lastSeq('demo', 'lobby'), 1);
  const listed = await api(url, 'GET', '/sites/demo/bans', { token: secret });
  assert.deepEqual((listed.body.bans as BanInfo[]).map((b) => b.id), [ban.id]);
  assert.equal((await api(url, 'DELETE', `/sites/demo/bans/${ban.id}`, { token: secret })).status, 204);
  await say(alice.socket, 'back');
});

test('a ban ends every open session of the user with banned, and refuses new ones', async (t) => {
  const { url, secret, key, alice, aliceTab2, bob } = await room(t);
  const ended = Promise.all([alice, aliceTab2].map(({ socket }) => waitFor(socket, 'session:ended')));
  const disconnected = Promise.all([alice, aliceTab2].map(({ socket }) => new Promise((r) => socket.once('disconnect', r))));
  const res = await api(url, 'POST', '/sites/demo/bans', {
    token: secret,
    body: { userId: alice.session.user.id, kind: 'ban', durationMs: 60_000 },
  });
  assert.equal(res.status, 201);
  for (const reason of await ended) assert.equal(reason.code, 'banned');
  assert.deepEqual(await disconnected, ['io server disconnect', 'io server disconnect']);
  assert.ok(bob.socket.connected);
  const again = await connectError(client(t, url, { guestKey: key }));
  assert.equal(again.message, 'banned');
  assert.equal(again.data?.code, 'banned');
});

test('export answers all messages and the profile; erase tombstones them and forgets the profile', async (t) => {
  const { url, secret, alice, bob } = await room(t);
  await say(alice.socket, 'one');
  await say(alice.socket, 'two');
  await alice.socket.emitWithAck('dm:send', { to: bob.session.user.id, text: 'psst', clientId: clientId() });
  await say(bob.socket, 'bob');

  const exported = await api(url, 'GET', `/sites/demo/users/${alice.session.user.id}/export`, { token: secret });
  assert.equal(exported.status, 200);
  assert.deepEqual(exported.body.user, alice.session.user);
  assert.deepEqual((exported.body.messages as ChatMessage[]).map((m) => m.text), ['one', 'two', 'psst']);

  const deletions: unknown[] = [];
  bob.socket.on('message:deleted', (d) => deletions.push(d));
  const erased = await api(url, 'DELETE', `/sites/demo/users/${alice.session.user.id}`, { token: secret });
  assert.equal(erased.status, 200);
  assert.deepEqual(erased.body.erased, { messages: 3, profile: true });
  await waitFor(bob.socket, 'message:deleted', () => deletions.length === 2).catch(() => undefined);
  assert.equal(deletions.length, 2);
  const history = await bob.socket.emitWithAck('message:history', { room: 'lobby' });
  assert.ok(history.ok);
  assert.deepEqual(history.data.messages.map((m) => [m.text, m.deleted ?? false, m.from.name]), [
    ['', true, ''],
    ['', true, ''],
    ['bob', false, 'Bob'],
  ]);
  const after = await api(url, 'GET', `/sites/demo/users/${alice.session.user.id}/export`, { token: secret });
  assert.equal(after.status, 404, 'nothing stored names them any more');
});

test('every admin endpoint refuses missing or wrong credentials with 401 and another scope with 403, changing nothing', async (t) => {
  const { url, server, alice } = await room(t);
  const other = await createSite(url, { id: 'other', name: 'Other', origins: ['http://localhost:*'] });
  const message = await say(alice.socket, 'keep me');
  const uid = alice.session.user.id;
  const siteCalls: Array<[string, string, unknown?]> = [
    ['GET', '/sites/demo'],
    ['POST', '/sites/demo/rotate-secret'],
    ['GET', '/sites/demo/rooms'],
    ['GET', '/sites/demo/rooms/lobby/members'],
    ['DELETE', `/sites/demo/rooms/lobby/messages/${message.id}`],
    ['GET', '/sites/demo/bans'],
    ['POST', '/sites/demo/bans', { userId: uid, kind: 'ban', durationMs: 60_000 }],
    ['DELETE', '/sites/demo/bans/some-ban'],
    ['GET', `/sites/demo/users/${uid}/export`],
    ['DELETE', `/sites/demo/users/${uid}`],
  ];
  const adminCalls: Array<[string, string, unknown?]> = [
    ['GET', '/sites'],
    ['POST', '/sites', { id: 'evil', name: 'Evil', origins: ['https://evil.example'] }],
    ['DELETE', '/sites/demo'],
  ];
  for (const [method, path, body] of [...siteCalls, ...adminCalls]) {
    for (const token of [null, 'wrong', `${await demoSecret(server)}x`]) {
      const res = await api(url, method, path, { token, body });
      assert.equal(res.status, 401, `${method} ${path} with ${token}`);
    }
  }
  for (const [method, path, body] of siteCalls) {
    assert.equal((await api(url, method, path, { token: other.secret, body })).status, 403, `${method} ${path}`);
  }
  for (const [method, path, body] of adminCalls) {
    assert.equal((await api(url, method, path, { token: await demoSecret(server), body })).status, 403, `${method} ${path}`);
  }
  // Nothing changed: the message, the user, the sites and the secret are as before.
  assert.equal((await server.store.getMessage('demo', message.id))?.text, 'keep me');
  assert.deepEqual(await server.store.getUser('demo', uid), alice.session.user);
  assert.deepEqual((await server.store.listSites()).map((s) => s.id), ['demo', 'other']);
  assert.deepEqual(await server.store.activeBans('demo', Date.now()), []);
  assert.ok(alice.socket.connected);
  assert.ok((await alice.socket.emitWithAck('message:send', { room: 'lobby', text: 'still here', clientId: clientId() })).ok);
});

test('without an admin token, site management over HTTP is off', async (t) => {
  const { url } = await startServer(t, { adminToken: undefined });
  assert.equal((await api(url, 'GET', '/sites')).status, 403);
  assert.equal((await api(url, 'POST', '/sites', { body: { id: 'x', name: 'X', origins: [] } })).status, 403);
});

test('the admin token manages sites; a rotated secret replaces the old one', async (t) => {
  const { url } = await startServer(t);
  const created = await api(url, 'POST', '/sites', { body: { id: 'shop', name: 'Shop', origins: ['https://shop.example'] } });
  assert.equal(created.status, 201);
  const site = created.body.site as { secret: string };
  assert.match(site.secret, /^[A-Za-z0-9_-]{43}$/);
  assert.equal((await api(url, 'POST', '/sites', { body: { id: 'shop', name: 'Again', origins: [] } })).status, 409);
  assert.equal((await api(url, 'POST', '/sites', { body: { id: 'Bad Id', name: 'X', origins: [] } })).status, 400);
  assert.equal((await api(url, 'POST', '/sites', { body: { id: 'x', name: 'X', origins: ['https://a.example/path'] } })).status, 400);
  const listed = await api(url, 'GET', '/sites');
  assert.deepEqual((listed.body.sites as Array<{ id: string; secret?: string }>).map((s) => [s.id, s.secret]), [
    ['demo', undefined],
    ['shop', undefined],
  ]);
  const rotated = await api(url, 'POST', '/sites/shop/rotate-secret', { token: site.secret });
  assert.equal(rotated.status, 200);
  const fresh = (rotated.body.site as { secret: string }).secret;
  assert.notEqual(fresh, site.secret);
  assert.equal((await api(url, 'GET', '/sites/shop', { token: site.secret })).status, 401);
  assert.equal((await api(url, 'GET', '/sites/shop', { token: fresh })).status, 200);
  assert.equal((await api(url, 'DELETE', '/sites/shop')).status, 204);
  assert.equal((await api(url, 'GET', '/sites/shop')).status, 404);
});

test('rooms and members are listed for the site', async (t) => {
  const { url, secret, alice, bob } = await room(t);
  const rooms = await api(url, 'GET', '/sites/demo/rooms', { token: secret });
  assert.deepEqual(rooms.body.rooms, [{ room: 'lobby', count: 2 }]);
  const members = await api(url, 'GET', '/sites/demo/rooms/lobby/members', { token: secret });
  assert.deepEqual(
    (members.body.members as Array<{ id: string }>).map((m) => m.id).sort(),
    [alice.session.user.id, bob.session.user.id].sort(),
  );
});

test('moderators delete and ban from their socket; others get forbidden and change nothing', async (t) => {
  const { url, secret, alice, bob } = await room(t);
  const token = signToken({ sub: 'mod-1', name: 'Moderator', role: 'moderator', site: 'demo', exp: nowSeconds() + 300 }, secret);
  const mod = await connect(t, url, { token });
  assert.equal(mod.session.role, 'moderator');
  await mod.socket.emitWithAck('room:join', { room: 'lobby' });
  const message = await say(alice.socket, 'spam');

  const notMod = await bob.socket.emitWithAck('mod:delete', { room: 'lobby', messageId: message.id });
  assert.equal(notMod.ok ? 'ok' : notMod.error.code, 'forbidden');
  const notModBan = await bob.socket.emitWithAck('mod:ban', { userId: alice.session.user.id, kind: 'ban', durationMs: 1000 });
  assert.equal(notModBan.ok ? 'ok' : notModBan.error.code, 'forbidden');
  const history = await bob.socket.emitWithAck('message:history', { room: 'lobby' });
  assert.ok(history.ok && history.data.messages[0]!.text === 'spam');
  assert.ok(alice.socket.connected);

  const [deleted, seen] = await Promise.all([
    mod.socket.emitWithAck('mod:delete', { room: 'lobby', messageId: message.id }),
    waitFor(bob.socket, 'message:deleted'),
  ]);
  assert.ok(deleted.ok);
  assert.deepEqual(seen, deleted.data);

  const muted = await mod.socket.emitWithAck('mod:ban', { userId: alice.session.user.id, kind: 'mute', durationMs: 60_000 });
  assert.ok(muted.ok);
  assert.equal(muted.data.ban.ip, undefined);
  const silenced = await alice.socket.emitWithAck('message:send', { room: 'lobby', text: 'x', clientId: clientId() });
  assert.equal(silenced.ok ? 'ok' : silenced.error.code, 'muted');

  const ended = waitFor(bob.socket, 'session:ended');
  const banned = await mod.socket.emitWithAck('mod:ban', { userId: bob.session.user.id, kind: 'ban', durationMs: 60_000 });
  assert.ok(banned.ok);
  assert.equal((await ended).code, 'banned');
  const self = await mod.socket.emitWithAck('mod:ban', { userId: mod.session.user.id, kind: 'ban', durationMs: 1000 });
  assert.equal(self.ok ? 'ok' : self.error.code, 'forbidden');
});

test('moderators erase a user from their socket, others get forbidden; the export is the admin API\'s, not a socket event', async (t) => {
  const { url, server, secret, alice, bob } = await room(t);
  const token = signToken({ sub: 'mod-2', name: 'Moderator Two', role: 'moderator', site: 'demo', exp: nowSeconds() + 300 }, secret);
  const mod = await connect(t, url, { token });
  await mod.socket.emitWithAck('room:join', { room: 'lobby' });
  await say(alice.socket, 'mine 1');
  await say(alice.socket, 'mine 2');
  const aliceId = alice.session.user.id;

  const refused = await bob.socket.emitWithAck('mod:erase', { userId: aliceId });
  assert.equal(refused.ok ? 'ok' : refused.error.code, 'forbidden');
  const untouched = await bob.socket.emitWithAck('message:history', { room: 'lobby' });
  assert.deepEqual(untouched.ok && untouched.data.messages.map((m) => m.text), ['mine 1', 'mine 2']);
  // `mod:export` is no event any more: the edge counts it as unknown and never answers it.
  let answered = false;
  const unknownBefore = server.metrics.unknownEvents;
  mod.socket.emit('mod:export' as 'mod:erase', { userId: aliceId }, () => (answered = true));
  assert.ok((await mod.socket.emitWithAck('session:ping', {})).ok);
  assert.equal(server.metrics.unknownEvents - unknownBefore, 1);
  assert.equal(answered, false);

  const exported = await api(url, 'GET', `/sites/demo/users/${encodeURIComponent(aliceId)}/export`, { token: secret });
  assert.equal(exported.status, 200);
  const data = exported.body as unknown as UserExport;
  assert.equal(data.user?.id, aliceId);
  assert.deepEqual(data.messages.map((m) => m.text), ['mine 1', 'mine 2']);
  const nobody = await api(url, 'GET', '/sites/demo/users/g_nobody/export', { token: secret });
  assert.equal(nobody.status, 404);

  const tombstones = record(bob.socket, 'message:deleted');
  const both = waitFor(bob.socket, 'message:deleted', () => tombstones.length === 2);
  const erased = await mod.socket.emitWithAck('mod:erase', { userId: aliceId });
  assert.deepEqual(erased, { ok: true, data: { erased: { messages: 2, profile: true } } });
  await both;
  const after = await bob.socket.emitWithAck('message:history', { room: 'lobby' });
  assert.ok(after.ok && after.data.messages.every((m) => m.deleted && m.text === ''));
  const self = await mod.socket.emitWithAck('mod:erase', { userId: mod.session.user.id });
  assert.equal(self.ok ? 'ok' : self.error.code, 'forbidden');
});
