import assert from 'node:assert/strict';
import { test } from 'node:test';
import { identifiedUserId } from '../../server/identity.js';
import {
  client,
  connect,
  connectError,
  createSite,
  demoSecret,
  guestKey,
  nowSeconds,
  signToken,
  startServer,
} from './helpers.js';

function claims(extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { sub: 'alice-42', name: 'Alice Liddell', site: 'demo', iat: nowSeconds(), exp: nowSeconds() + 300, ...extra };
}

test('a valid token makes the visitor the identified user with the token name and role', async (t) => {
  const { url, server } = await startServer(t);
  const secret = await demoSecret(server);
  const token = signToken(claims({ avatar: 'https://img.example/a.png', role: 'moderator' }), secret);
  const { session } = await connect(t, url, { token, nickname: 'Someone Else', guestKey: guestKey() });
  // The public id is opaque: an HMAC of the sub under the site's id key.
  const id = identifiedUserId((await server.store.getSite('demo'))!.idKey, 'alice-42');
  assert.deepEqual(session.user, { id, name: 'Alice Liddell', kind: 'user', avatar: 'https://img.example/a.png' });
  assert.equal(session.role, 'moderator');
  // `aud` works as well as `site`, and the same sub is the same user.
  const again = await connect(t, url, { token: signToken(claims({ site: undefined, aud: 'demo' }), secret) });
  assert.equal(again.session.user.id, id);
  assert.equal(again.session.role, 'member');
  const guest = await connect(t, url);
  assert.equal(guest.session.role, 'member');
  assert.equal(guest.session.user.kind, 'guest');
});

test('forged, tampered, alg-none, expired and wrong-site tokens are refused with their codes', async (t) => {
  const { url, server } = await startServer(t);
  const secret = await demoSecret(server);
  const other = await createSite(url, { id: 'other', name: 'Other', origins: ['http://localhost:*'] });
  const valid = signToken(claims(), secret);
  const [header, payload, signature] = valid.split('.') as [string, string, string];
  const tamperedPayload = Buffer.from(JSON.stringify(claims({ role: 'moderator' }))).toString('base64url');
  const none = (body: Record<string, unknown>) =>
    `${Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url')}.${Buffer.from(JSON.stringify(body)).toString('base64url')}.`;

  const cases: Array<[string, unknown, string]> = [
    ['signed with another secret', signToken(claims(), 'not-the-site-secret'), 'token_invalid'],
    ['payload changed after signing', `${header}.${tamperedPayload}.${signature}`, 'token_invalid'],
    ['signature changed', `${header}.${payload}.${signature.slice(0, -2)}AA`, 'token_invalid'],
    ['alg none without signature', none(claims()), 'token_invalid'],
    ['alg none with the real signature', `${none(claims()).slice(0, -1)}${signature}`, 'token_invalid'],
    ['another algorithm', signToken(claims(), secret, { alg: 'HS512', typ: 'JWT' }), 'token_invalid'],
    ['no exp', signToken(claims({ exp: undefined }), secret), 'token_invalid'],
    ['bad role', signToken(claims({ role: 'admin' }), secret), 'token_invalid'],
    ['javascript: avatar', signToken(claims({ avatar: 'javascript:alert(1)' }), secret), 'token_invalid'],
    ['not a JWT', 'hello', 'token_invalid'],
    ['not a string', 42, 'token_invalid'],
    ['expired', signToken(claims({ exp: nowSeconds() - 3600 }), secret), 'token_expired'],
    ['for another site', signToken(claims({ site: 'other' }), other.secret), 'token_wrong_site'],
    ['for no site', signToken(claims({ site: undefined }), secret), 'token_wrong_site'],
  ];
  for (const [what, token, code] of cases) {
    const err = await connectError(client(t, url, { token: token as string }));
    assert.equal(err.message, code, what);
    assert.equal(err.data?.code, code, what);
  }
  // An expired token that is also forged is "invalid", not "expired": expiry is told only for genuine tokens.
  const err = await connectError(client(t, url, { token: signToken(claims({ exp: 1 }), 'wrong') }));
  assert.equal(err.data?.code, 'token_invalid');
});

test("a guest cannot take an identified user's name or one that imitates it", async (t) => {
  const { url, server } = await startServer(t);
  const secret = await demoSecret(server);
  await connect(t, url, { token: signToken(claims({ name: 'Alice' }), secret) });
  const guest = await connect(t, url);
  for (const name of ['Alice', 'alice', 'ALICE', 'Ａｌｉｃｅ', 'A.l.i.c.e', 'Alíce', 'A1ice', 'Al1ce ✨', 'Аlice']) {
    const ack = await guest.socket.emitWithAck('user:rename', { name });
    assert.equal(ack.ok ? 'ok' : ack.error.code, 'nickname_taken', name);
  }
  assert.ok((await guest.socket.emitWithAck('user:rename', { name: 'Alicia' })).ok);
  const impostor = await connect(t, url, { nickname: 'alice' });
  assert.match(impostor.session.user.name, /^Guest \d+$/);
});

test('identified users keep their token name: renaming is forbidden', async (t) => {
  const { url, server } = await startServer(t);
  const { socket } = await connect(t, url, { token: signToken(claims(), await demoSecret(server)) });
  const ack = await socket.emitWithAck('user:rename', { name: 'Bob' });
  assert.equal(ack.ok ? 'ok' : ack.error.code, 'forbidden');
});

test("a token's rooms claim and a token-only site limit where the user may go", async (t) => {
  const { url } = await startServer(t);
  const members = await createSite(url, { id: 'members', name: 'Members', origins: ['http://localhost:*'], roomPolicy: 'token' });
  const guest = await connect(t, url, { site: 'members' });
  const refused = await guest.socket.emitWithAck('room:join', { room: 'lobby' });
  assert.equal(refused.ok ? 'ok' : refused.error.code, 'room_not_allowed');
  const token = signToken(claims({ site: 'members', rooms: ['lobby'] }), members.secret);
  const user = await connect(t, url, { site: 'members', token });
  assert.ok((await user.socket.emitWithAck('room:join', { room: 'lobby' })).ok);
  const other = await user.socket.emitWithAck('room:join', { room: 'staff' });
  assert.equal(other.ok ? 'ok' : other.error.code, 'room_not_allowed');
});
