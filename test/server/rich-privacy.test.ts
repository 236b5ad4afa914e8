import assert from 'node:assert/strict';
import { test } from 'node:test';
import { clientId, connect, guestKey, waitFor } from './helpers.js';
import { codeOf, richRoom } from './rich-helpers.js';

test('a block is told to every tab, refuses the blocked user’s private messages, and an unblock lifts it', async (t) => {
  const { url, user, guest } = await richRoom(t);
  const key = guestKey();
  const alice = await guest({ guestKey: key, nickname: 'Alice' });
  const aliceTab2 = await connect(t, url, { guestKey: key });
  const bob = await user('bob');
  const dm = () => bob.socket.emitWithAck('dm:send', { to: alice.session.user.id, text: 'psst', clientId: clientId() });
  assert.ok((await dm()).ok);

  const told = waitFor(aliceTab2.socket, 'user:privacy');
  const blocked = await alice.socket.emitWithAck('user:privacy', { block: bob.session.user.id });
  assert.ok(blocked.ok, JSON.stringify(blocked));
  assert.deepEqual(blocked.data, { blocked: [bob.session.user], refuseGuestDms: false });
  assert.deepEqual(await told, blocked.data);
  assert.equal(codeOf(await dm()), 'dm_refused');
  // The other way still works: a block stops what the blocked send.
  assert.ok((await alice.socket.emitWithAck('dm:send', { to: bob.session.user.id, text: 'bye', clientId: clientId() })).ok);

  const unblocked = await aliceTab2.socket.emitWithAck('user:privacy', { unblock: bob.session.user.id });
  assert.ok(unblocked.ok);
  assert.deepEqual(unblocked.data.blocked, []);
  assert.ok((await dm()).ok);
});

test('refuseGuestDms refuses guests only; session:ready carries the privacy after a reconnect', async (t) => {
  const { url, user, guest } = await richRoom(t);
  const alice = await user('alice');
  const bob = await user('bob');
  const mallory = await guest();
  assert.ok((await alice.socket.emitWithAck('user:privacy', { refuseGuestDms: true, block: mallory.session.user.id })).ok);
  assert.equal(codeOf(await mallory.socket.emitWithAck('dm:send', { to: alice.session.user.id, text: 'hi', clientId: clientId() })), 'dm_refused');
  const carol = await guest();
  assert.equal(codeOf(await carol.socket.emitWithAck('dm:send', { to: alice.session.user.id, text: 'hi', clientId: clientId() })), 'dm_refused');
  assert.ok((await bob.socket.emitWithAck('dm:send', { to: alice.session.user.id, text: 'hi', clientId: clientId() })).ok);

  alice.socket.disconnect();
  const again = await user('alice');
  assert.deepEqual(again.session.privacy, { blocked: [mallory.session.user], refuseGuestDms: true });
  const fresh = await connect(t, url);
  assert.deepEqual(fresh.session.privacy, { blocked: [], refuseGuestDms: false });
});

test('blocking oneself is self_message, an unknown user unknown_user; an online guest who never posted can be blocked', async (t) => {
  const { user, guest } = await richRoom(t);
  const alice = await user('alice');
  assert.equal(codeOf(await alice.socket.emitWithAck('user:privacy', { block: alice.session.user.id })), 'self_message');
  assert.equal(codeOf(await alice.socket.emitWithAck('user:privacy', { block: 'u_nobody' })), 'unknown_user');
  const quiet = await guest();
  const blocked = await alice.socket.emitWithAck('user:privacy', { block: quiet.session.user.id });
  assert.ok(blocked.ok);
  assert.deepEqual(blocked.data.blocked.map((u) => u.id), [quiet.session.user.id]);
  assert.equal(codeOf(await quiet.socket.emitWithAck('dm:send', { to: alice.session.user.id, text: 'hi', clientId: clientId() })), 'dm_refused');
});
