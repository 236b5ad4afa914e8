/**
 * Findings 5 and 6 of issue 9 (the id part): user ids survive a secret
 * rotation, and an identified user's public id never reveals the token's `sub`.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { api, clientId, connect, createSite, guestKey, nowSeconds, signToken, startServer, waitFor } from './helpers.js';

test('a rotated secret keeps every guest id, name and identified id', async (t) => {
  const { url } = await startServer(t);
  const site = await createSite(url, { id: 'shop', name: 'Shop', origins: ['http://localhost:*'] });
  const key = guestKey();
  const before = await connect(t, url, { site: 'shop', guestKey: key, nickname: 'Kept Name' });
  const reader = await connect(t, url, { site: 'shop', guestKey: guestKey() });
  const token = (secret: string) => signToken({ sub: 'ada', name: 'Ada', site: 'shop', exp: nowSeconds() + 300 }, secret);
  const ada = await connect(t, url, { site: 'shop', token: token(site.secret) });
  before.socket.disconnect();
  reader.socket.disconnect();
  ada.socket.disconnect();

  const rotated = await api(url, 'POST', '/sites/shop/rotate-secret', { token: site.secret });
  assert.equal(rotated.status, 200);
  const fresh = (rotated.body.site as { secret: string }).secret;
  assert.equal('idKey' in (rotated.body.site as object), false, 'the id key is never shown');

  const after = await connect(t, url, { site: 'shop', guestKey: key });
  assert.deepEqual(after.session.user, { id: before.session.user.id, name: 'Kept Name', kind: 'guest' });
  const readerAgain = await connect(t, url, { site: 'shop', guestKey: keyOf(reader) });
  assert.deepEqual(readerAgain.session.user, reader.session.user, 'an unstored guest keeps its provisional name too');
  const adaAgain = await connect(t, url, { site: 'shop', token: token(fresh) });
  assert.equal(adaAgain.session.user.id, ada.session.user.id);
});

/** The guest key a connected test client used. */
function keyOf(connected: { socket: { auth: unknown } }): string {
  return (connected.socket.auth as { guestKey: string }).guestKey;
}

test('a token whose sub is an email never shows the email to other visitors', async (t) => {
  const { url } = await startServer(t);
  const site = await createSite(url, { id: 'mail', name: 'Mail', origins: ['http://localhost:*'] });
  const email = 'alice.private@example.com';
  const claims = { sub: email, name: 'Alice', site: 'mail', exp: nowSeconds() + 300 };
  const bob = await connect(t, url, { site: 'mail', guestKey: guestKey() });
  const seen: unknown[] = [];
  bob.socket.onAny((event: string, ...args: unknown[]) => seen.push([event, ...args]));
  seen.push(bob.session);
  seen.push(await bob.socket.emitWithAck('room:join', { room: 'lobby' }));

  const alice = await connect(t, url, { site: 'mail', token: signToken(claims, site.secret) });
  assert.equal(alice.session.user.id.includes('alice'), false, 'not in her own id either');
  assert.match(alice.session.user.id, /^u_[A-Za-z0-9_-]{16,}$/);
  const aliceJoined = waitFor(bob.socket, 'presence:update', (u) => u.joined?.users.some((j) => j.id === alice.session.user.id) ?? false);
  await alice.socket.emitWithAck('room:join', { room: 'lobby' });
  const delivered = waitFor(bob.socket, 'message:new');
  await alice.socket.emitWithAck('message:send', { room: 'lobby', text: 'hi', clientId: clientId() });
  await delivered;
  seen.push(await bob.socket.emitWithAck('dm:send', { to: alice.session.user.id, text: 'hello', clientId: clientId() }));
  seen.push(await bob.socket.emitWithAck('message:history', { room: 'lobby' }));
  seen.push(await bob.socket.emitWithAck('dm:history', { with: alice.session.user.id }));
  const rejoin = await connect(t, url, { site: 'mail', guestKey: guestKey() });
  seen.push(await rejoin.socket.emitWithAck('room:join', { room: 'lobby' }));

  // Bob saw alice join (and so the checks below saw her as others see her).
  await aliceJoined;
  const everything = JSON.stringify(seen);
  assert.ok(everything.includes(alice.session.user.id), 'the checks saw alice');
  assert.equal(everything.toLowerCase().includes('alice.private'), false, `the email leaked: ${everything}`);
});

test('an identified user whose token name is unusable is not named after the sub', async (t) => {
  const { url } = await startServer(t);
  const site = await createSite(url, { id: 'mail2', name: 'Mail', origins: ['http://localhost:*'] });
  const token = signToken({ sub: 'carol@example.com', name: '\u200B', site: 'mail2', exp: nowSeconds() + 300 }, site.secret);
  const carol = await connect(t, url, { site: 'mail2', token });
  assert.equal(JSON.stringify(carol.session.user).includes('carol'), false, JSON.stringify(carol.session.user));
});
