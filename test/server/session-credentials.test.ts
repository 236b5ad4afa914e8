/**
 * Sessions end with their credentials: a rotated secret (through the admin
 * API or the site CLI, another process), a removed site and an expired token
 * end the sessions they admitted; `session:renew` swaps a token in place.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { TestContext } from 'node:test';
import { TOKEN_CLOCK_SKEW_MS } from '../../server/security/token.js';
import { ALLOWED_ORIGIN, api, clientId, connect, createSite, guestKey, nowSeconds, runSiteCli, signToken, startServer, waitFor } from './helpers.js';
import type { Client } from './helpers.js';


/** A token that the server accepts for `validMs` more (its `exp` is already inside the clock-skew allowance). */
function shortToken(secret: string, site: string, claims: Record<string, unknown>, validMs: number): string {
  const exp = Math.floor((Date.now() + validMs - TOKEN_CLOCK_SKEW_MS) / 1000);
  return signToken({ site, name: 'Alice', ...claims, exp }, secret);
}

function longToken(secret: string, site: string, claims: Record<string, unknown> = {}): string {
  return signToken({ site, sub: 'alice', name: 'Alice', ...claims, exp: nowSeconds() + 3600 }, secret);
}

async function siteWithSocket(t: TestContext, url: string) {
  const site = await createSite(url, { id: `s${Math.random().toString(36).slice(2, 8)}`, name: 'Shop', origins: [ALLOWED_ORIGIN] });
  const member = await connect(t, url, { site: site.id, token: longToken(site.secret, site.id) });
  const guest = await connect(t, url, { site: site.id, guestKey: guestKey() });
  return { site, member, guest };
}

async function siteCli(dataDir: string, ...args: string[]): Promise<void> {
  const { code, err } = await runSiteCli(dataDir, ...args);
  assert.equal(code, 0, `site ${args.join(' ')}: ${err}`);
}

function ended(socket: Client, timeoutMs = 2000) {
  return waitFor(socket, 'session:ended', () => true, timeoutMs);
}

test('rotating the secret through the admin API ends identified sessions at once, not guests', async (t) => {
  const { url } = await startServer(t);
  const { site, member, guest } = await siteWithSocket(t, url);
  const end = ended(member.socket);
  const disconnected = new Promise((resolve) => member.socket.once('disconnect', resolve));
  assert.equal((await api(url, 'POST', `/sites/${site.id}/rotate-secret`)).status, 200);
  assert.equal((await end).code, 'credentials_revoked');
  await disconnected;
  // The guest was not signed with the secret: still served.
  assert.ok((await guest.socket.emitWithAck('room:join', { room: 'lobby' })).ok);
});

test('a secret rotated by the site CLI (another process) ends identified sessions within seconds', { timeout: 30_000 }, async (t) => {
  const { url, dataDir } = await startServer(t);
  const { site, member, guest } = await siteWithSocket(t, url);
  const end = ended(member.socket, 10_000);
  const start = Date.now();
  await siteCli(dataDir, 'rotate-secret', site.id);
  assert.equal((await end).code, 'credentials_revoked');
  assert.ok(Date.now() - start < 10_000);
  assert.ok((await guest.socket.emitWithAck('room:join', { room: 'lobby' })).ok);
});

test('removing a site ends its sockets, and nothing its sockets sent is stored', async (t) => {
  const { url } = await startServer(t);
  const { site, member, guest } = await siteWithSocket(t, url);
  for (const s of [member.socket, guest.socket]) assert.ok((await s.emitWithAck('room:join', { room: 'lobby' })).ok);
  const ends = Promise.all([ended(member.socket), ended(guest.socket)]);
  assert.equal((await api(url, 'DELETE', `/sites/${site.id}`)).status, 204);
  const sent = guest.socket.timeout(1000).emitWithAck('message:send', { room: 'lobby', text: 'after removal', clientId: clientId() }).catch(() => undefined);
  const renamed = guest.socket.timeout(1000).emitWithAck('user:rename', { name: 'Ghost' }).catch(() => undefined);
  assert.deepEqual((await ends).map((e) => e.code), ['unknown_site', 'unknown_site']);
  for (const answer of [await sent, await renamed]) assert.ok(answer === undefined || !answer.ok);

  // Registered again under the same id: nothing from the removed site's sockets shows up.
  await api(url, 'POST', '/sites', { body: { id: site.id, name: 'Again', origins: [ALLOWED_ORIGIN] } });
  const fresh = await connect(t, url, { site: site.id, guestKey: guestKey() });
  const joined = await fresh.socket.emitWithAck('room:join', { room: 'lobby' });
  assert.ok(joined.ok);
  assert.deepEqual(joined.data.messages.map((m) => m.text), []);
});

test('a site removed by the site CLI ends its sockets within seconds, and what they sent meanwhile never reappears', { timeout: 30_000 }, async (t) => {
  const { url, dataDir } = await startServer(t);
  const { site, member, guest } = await siteWithSocket(t, url);
  assert.ok((await guest.socket.emitWithAck('room:join', { room: 'lobby' })).ok);
  // Posted once, so the guest is stored and the next send needs no new user row (which the removed site would refuse).
  assert.ok((await guest.socket.emitWithAck('message:send', { room: 'lobby', text: 'before removal', clientId: clientId() })).ok);
  const ends = Promise.all([ended(member.socket, 10_000), ended(guest.socket, 10_000)]);
  await siteCli(dataDir, 'remove', site.id);
  // The server has not read the site since: this send is still accepted (and stored under the removed id).
  const sent = await guest.socket.emitWithAck('message:send', { room: 'lobby', text: 'sent after removal', clientId: clientId() });
  assert.ok(sent.ok, 'the removal is not known yet');
  assert.deepEqual((await ends).map((e) => e.code), ['unknown_site', 'unknown_site']);

  // Registered again under the same id, it starts empty.
  assert.equal((await api(url, 'POST', '/sites', { body: { id: site.id, name: 'Again', origins: [ALLOWED_ORIGIN] } })).status, 201);
  const fresh = await connect(t, url, { site: site.id, guestKey: guestKey() });
  const joined = await fresh.socket.emitWithAck('room:join', { room: 'lobby' });
  assert.ok(joined.ok);
  assert.deepEqual(joined.data.messages.map((m) => m.text), []);
});

test('a token whose exp passes ends its session with token_expired', async (t) => {
  const { url } = await startServer(t);
  const site = await createSite(url, { id: 'exp', name: 'Exp', origins: [ALLOWED_ORIGIN] });
  const { socket, session } = await connect(t, url, { site: site.id, token: shortToken(site.secret, site.id, { sub: 'alice' }, 1500) });
  assert.equal(typeof session.expiresAt, 'number');
  assert.ok(session.expiresAt! > Date.now() && session.expiresAt! < Date.now() + 2000);
  const end = await ended(socket, 4000);
  assert.equal(end.code, 'token_expired');
});

test('session:renew before exp keeps the socket and its rooms, and applies the new role at once', async (t) => {
  const { url } = await startServer(t);
  const site = await createSite(url, { id: 'renew', name: 'Renew', origins: [ALLOWED_ORIGIN] });
  const mod = await connect(t, url, { site: site.id, token: shortToken(site.secret, site.id, { sub: 'mo', role: 'moderator' }, 1500) });
  const other = await connect(t, url, { site: site.id, guestKey: guestKey() });
  for (const s of [mod.socket, other.socket]) assert.ok((await s.emitWithAck('room:join', { room: 'lobby' })).ok);
  const id = mod.socket.id;

  const renewed = await mod.socket.timeout(2000).emitWithAck('session:renew', { token: longToken(site.secret, site.id, { sub: 'mo', name: 'Mo', role: 'member' }) });
  assert.ok(renewed.ok, JSON.stringify(renewed));
  assert.equal(renewed.data.role, 'member');
  assert.ok(renewed.data.expiresAt > Date.now() + 3_000_000);

  // Past the first token's end: still the same socket, still in the room, no longer a moderator.
  await new Promise((resolve) => setTimeout(resolve, mod.session.expiresAt! + 300 - Date.now()));
  assert.equal(mod.socket.connected, true);
  assert.equal(mod.socket.id, id);
  const sent = await mod.socket.emitWithAck('message:send', { room: 'lobby', text: 'still here', clientId: clientId() });
  assert.ok(sent.ok, 'still in the room');
  const deleted = await mod.socket.emitWithAck('mod:delete', { room: 'lobby', messageId: sent.data.message.id });
  assert.equal(deleted.ok ? 'ok' : deleted.error.code, 'forbidden');
});

test('session:renew refuses a token of another user, a bad signature, and guests', async (t) => {
  const { url } = await startServer(t);
  const site = await createSite(url, { id: 'refuse', name: 'Refuse', origins: [ALLOWED_ORIGIN] });
  const member = await connect(t, url, { site: site.id, token: longToken(site.secret, site.id) });
  const codeOf = (a: { ok: boolean; error?: { code: string } }) => (a.ok ? 'ok' : a.error!.code);
  assert.equal(codeOf(await member.socket.timeout(2000).emitWithAck('session:renew', { token: longToken(site.secret, site.id, { sub: 'bob' }) })), 'forbidden');
  assert.equal(codeOf(await member.socket.timeout(2000).emitWithAck('session:renew', { token: longToken('not-the-secret', site.id) })), 'token_invalid');
  const guest = await connect(t, url, { site: site.id, guestKey: guestKey() });
  assert.equal(codeOf(await guest.socket.timeout(2000).emitWithAck('session:renew', { token: longToken(site.secret, site.id) })), 'forbidden');
  // Refusals change nothing: the session goes on.
  assert.ok((await member.socket.emitWithAck('room:join', { room: 'lobby' })).ok);
});
