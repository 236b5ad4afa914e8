import assert from 'node:assert/strict';
import { test } from 'node:test';
import { directConversation } from '../../protocol/index.js';
import { clientId, connect, createSite, nowSeconds, signToken, startServer } from './helpers.js';

function memberToken(sub: string, secret: string): string {
  return signToken({ sub, name: sub, site: 'members', iat: nowSeconds(), exp: nowSeconds() + 300 }, secret);
}

test('on a members-only site a guest can neither message a member nor tell which ids exist', async (t) => {
  const { url, server } = await startServer(t);
  const members = await createSite(url, { id: 'members', name: 'Members', origins: ['http://localhost:*'], roomPolicy: 'token' });
  const alice = await connect(t, url, { site: 'members', token: memberToken('alice', members.secret) });
  const guest = await connect(t, url, { site: 'members' });
  const aliceId = alice.session.user.id;

  const answers = [];
  for (const to of [aliceId, 'u_nobody-here']) {
    const sent = await guest.socket.emitWithAck('dm:send', { to, text: 'hello member', clientId: clientId() });
    const history = await guest.socket.emitWithAck('dm:history', { with: to });
    answers.push([sent.ok ? 'ok' : sent.error.code, history.ok ? 'ok' : history.error.code]);
  }
  // The same refusal whether the id exists or not: nothing to probe.
  assert.deepEqual(answers, [
    ['forbidden', 'forbidden'],
    ['forbidden', 'forbidden'],
  ]);
  assert.equal(await server.store.lastSeq('members', directConversation(aliceId, guest.session.user.id)), 0);

  // Members still talk to each other.
  const bob = await connect(t, url, { site: 'members', token: memberToken('bob', members.secret) });
  const ack = await bob.socket.emitWithAck('dm:send', { to: aliceId, text: 'hi Alice', clientId: clientId() });
  assert.ok(ack.ok, JSON.stringify(ack));
});

test('on an open site guests still send private messages', async (t) => {
  const { url } = await startServer(t);
  const a = await connect(t, url);
  const b = await connect(t, url);
  const ack = await a.socket.emitWithAck('dm:send', { to: b.session.user.id, text: 'hi', clientId: clientId() });
  assert.ok(ack.ok, JSON.stringify(ack));
});
