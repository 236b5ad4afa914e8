import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MENTIONS_MAX } from '../../protocol/index.js';
import { clientId } from './helpers.js';
import { ROOM, codeOf, richRoom, say } from './rich-helpers.js';

test('a mention names its user with their current name, after a rename too', async (t) => {
  const { user, guest } = await richRoom(t);
  const alice = await user('alice');
  const bob = await guest({ nickname: 'Bobby' });
  // A rename stores the guest: from then on a mention can name him.
  assert.ok((await bob.socket.emitWithAck('user:rename', { name: 'Bob' })).ok);
  const bobId = bob.session.user.id;
  const message = await say(alice.socket, `hi <@${bobId}>, and <@${bobId}> again`);
  assert.equal(message.text, `hi <@${bobId}>, and <@${bobId}> again`);
  assert.deepEqual(message.mentions?.map((u) => [u.id, u.name]), [[bobId, 'Bob']]);
  assert.ok((await bob.socket.emitWithAck('user:rename', { name: 'Robert' })).ok);
  const page = await alice.socket.emitWithAck('message:history', { room: ROOM });
  assert.ok(page.ok);
  assert.deepEqual(page.data.messages[0]?.mentions?.map((u) => [u.id, u.name]), [[bobId, 'Robert']]);
});

test('a token naming no user of the site stays text; an edit reads the mentions again', async (t) => {
  const { user } = await richRoom(t);
  const alice = await user('alice');
  const bob = await user('bob');
  const message = await say(alice.socket, 'ping <@u_nobody-here> and <@erased> and <@bad id>');
  assert.ok(!message.mentions?.length);
  assert.equal(message.text, 'ping <@u_nobody-here> and <@erased> and <@bad id>');
  const edited = await alice.socket.emitWithAck('message:edit', { room: ROOM, messageId: message.id, text: `ping <@${bob.session.user.id}>` });
  assert.ok(edited.ok);
  assert.deepEqual(edited.data.message.mentions?.map((u) => u.id), [bob.session.user.id]);
});

test('more than MENTIONS_MAX distinct mentions is too_many_mentions, for sends and edits', async (t) => {
  const { user, server } = await richRoom(t);
  const alice = await user('alice');
  const many = Array.from({ length: MENTIONS_MAX + 1 }, (_, i) => `<@u_someone${i}>`).join(' ');
  const exactly = Array.from({ length: MENTIONS_MAX }, (_, i) => `<@u_someone${i}>`).join(' ');
  assert.equal(codeOf(await alice.socket.emitWithAck('message:send', { room: ROOM, text: many, clientId: clientId() })), 'too_many_mentions');
  assert.equal(await server.store.lastSeq('demo', ROOM), 0);
  // The same user named twice counts once.
  const message = await say(alice.socket, `${exactly} <@u_someone0>`);
  assert.equal(codeOf(await alice.socket.emitWithAck('message:edit', { room: ROOM, messageId: message.id, text: many })), 'too_many_mentions');
});
