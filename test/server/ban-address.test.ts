import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { BanInfo } from '../../protocol/index.js';
import { api, client, connect, connectError, demoSecret, guestKey, nowSeconds, signToken, startServer, waitFor } from './helpers.js';

test('a banned guest cannot come back with a fresh guest key from the same address; others are unaffected', async (t) => {
  // Bound to both stacks: clients reach it as 127.0.0.1 (the troll's address) and as ::1 (another address).
  const { server, url } = await startServer(t, { host: '::' });
  const port = new URL(url).port;
  const trollUrl = `http://127.0.0.1:${port}`;
  const elsewhereUrl = `http://[::1]:${port}`;
  const secret = await demoSecret(server);
  const troll = await connect(t, trollUrl, { guestKey: guestKey() });
  const neighbour = await connect(t, trollUrl, { guestKey: guestKey() });

  const ended = waitFor(troll.socket, 'session:ended');
  const res = await api(trollUrl, 'POST', '/sites/demo/bans', {
    token: secret,
    body: { userId: troll.session.user.id, kind: 'ban', durationMs: 60_000 },
  });
  assert.equal(res.status, 201);
  assert.equal((await ended).code, 'banned');
  const ban = res.body.ban as BanInfo;
  assert.equal(ban.userId, troll.session.user.id);
  assert.match(ban.ip ?? '', /127\.0\.0\.1$/);

  const fresh = await connectError(client(t, trollUrl, { guestKey: guestKey() }));
  assert.equal(fresh.data?.code, 'banned');
  assert.ok((fresh.data as { retryAfterMs?: number }).retryAfterMs! > 50_000);

  // Not held: a signed-in user from that address, a guest from elsewhere, and the neighbour already
  // connected (who may still post).
  const token = signToken({ sub: 'carol', name: 'Carol', site: 'demo', exp: nowSeconds() + 300 }, secret);
  await connect(t, trollUrl, { token });
  await connect(t, elsewhereUrl, { guestKey: guestKey() });
  assert.ok(neighbour.socket.connected);
  assert.ok((await neighbour.socket.emitWithAck('room:join', { room: 'lobby' })).ok);
  const said = await neighbour.socket.emitWithAck('message:send', { room: 'lobby', text: 'still here', clientId: crypto.randomUUID() });
  assert.ok(said.ok, JSON.stringify(said));
});

test("a moderator's ban holds the address too, without telling the moderator the address", async (t) => {
  const { server, url } = await startServer(t);
  const secret = await demoSecret(server);
  const mod = await connect(t, url, { token: signToken({ sub: 'mod', name: 'Mod', role: 'moderator', site: 'demo', exp: nowSeconds() + 300 }, secret) });
  const troll = await connect(t, url, { guestKey: guestKey() });
  const ended = waitFor(troll.socket, 'session:ended');
  const ack = await mod.socket.emitWithAck('mod:ban', { userId: troll.session.user.id, kind: 'ban', durationMs: 60_000 });
  assert.ok(ack.ok, JSON.stringify(ack));
  assert.equal((await ended).code, 'banned');
  assert.equal('ip' in ack.data.ban, false);
  const fresh = await connectError(client(t, url, { guestKey: guestKey() }));
  assert.equal(fresh.data?.code, 'banned');
  assert.ok(mod.socket.connected);
});
