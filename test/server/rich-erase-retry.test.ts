/**
 * Two edges of rich messages: an erase announces, live, the messages that
 * lost the erased user's reactions or mentions (they took a change number);
 * and a retry of a reply whose original was deleted in between answers the
 * stored reply, as any retry does.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { clientId, record, sentinel } from './helpers.js';
import { ROOM, codeOf, richRoom, say } from './rich-helpers.js';

test('an erase broadcasts message:changed for each message that lost the user’s reactions or mentions, at the rev a replay gives', async (t) => {
  const { user } = await richRoom(t);
  const alice = await user('alice');
  const victim = await user('victim');
  const watcher = await user('watcher');
  const mod = await user('mod', { role: 'moderator' });
  const victimId = victim.session.user.id;

  const cake = await say(alice.socket, 'cake?');
  const ping = await say(alice.socket, `hi <@${victimId}>`);
  const untouched = await say(alice.socket, 'nobody reacts to this');
  for (const emoji of ['👍', '🎉']) {
    assert.ok((await victim.socket.emitWithAck('message:react', { room: ROOM, messageId: cake.id, emoji, on: true })).ok);
  }
  assert.ok((await watcher.socket.emitWithAck('message:react', { room: ROOM, messageId: cake.id, emoji: '👍', on: true })).ok);
  const join = await watcher.socket.emitWithAck('room:join', { room: ROOM });
  assert.ok(join.ok);
  const revBefore = join.data.lastRev ?? 0;

  const changed = record(watcher.socket, 'message:changed');
  const erased = await mod.socket.emitWithAck('mod:erase', { userId: victimId });
  assert.ok(erased.ok, JSON.stringify(erased));
  // Everything the erase sent the watcher has arrived by the time a later message does.
  await sentinel(alice.socket, watcher.socket, ROOM);

  assert.deepEqual(changed.map((c) => c.message.id).sort(), [cake.id, ping.id].sort());
  const cakeNow = changed.find((c) => c.message.id === cake.id)!;
  assert.deepEqual(cakeNow.message.reactions, [{ emoji: '👍', count: 1, users: [watcher.session.user] }]);
  assert.equal(cakeNow.message.myReactions, undefined, 'a broadcast carries no reader’s own reactions');
  const pingNow = changed.find((c) => c.message.id === ping.id)!;
  assert.equal(pingNow.message.text, 'hi <@erased>');
  assert.ok(!pingNow.message.mentions?.some((u) => u.id === victimId));
  for (const c of changed) {
    assert.equal(c.room, ROOM);
    assert.ok(c.rev > revBefore && c.message.rev === c.rev, JSON.stringify(c));
  }
  assert.ok(!changed.some((c) => c.message.id === untouched.id));

  // A client that was away replays the same revs.
  const replay = await watcher.socket.emitWithAck('message:changes', { room: ROOM, after: revBefore });
  assert.ok(replay.ok);
  const replayed = new Map(replay.data.messages.map((m) => [m.id, m.rev]));
  for (const c of changed) assert.equal(replayed.get(c.message.id), c.rev);
  // No payload names the erased user.
  assert.doesNotMatch(JSON.stringify(changed), new RegExp(victimId));
});

test('a retry of a reply whose original was deleted in between answers the stored reply; a new reply is refused', async (t) => {
  const { user } = await richRoom(t);
  const alice = await user('alice');
  const bob = await user('bob');
  const original = await say(alice.socket, 'the original');
  const id = clientId();
  const first = await bob.socket.emitWithAck('message:send', { room: ROOM, text: 'an answer', clientId: id, replyTo: original.id });
  assert.ok(first.ok && !first.data.duplicate, JSON.stringify(first));

  assert.ok((await alice.socket.emitWithAck('message:delete', { room: ROOM, messageId: original.id })).ok);
  const news = record(alice.socket, 'message:new');
  // The ack of the first send was lost: the widget sends the same clientId again.
  const retry = await bob.socket.emitWithAck('message:send', { room: ROOM, text: 'an answer', clientId: id, replyTo: original.id });
  assert.ok(retry.ok, JSON.stringify(retry));
  assert.equal(retry.data.duplicate, true);
  assert.equal(retry.data.message.id, first.data.message.id);
  assert.equal(retry.data.message.seq, first.data.message.seq);

  const fresh = await bob.socket.emitWithAck('message:send', { room: ROOM, text: 'another', clientId: clientId(), replyTo: original.id });
  assert.equal(codeOf(fresh), 'message_deleted');
  // Another sender's clientId is not theirs to claim.
  const alien = await alice.socket.emitWithAck('message:send', { room: ROOM, text: 'x', clientId: id, replyTo: original.id });
  assert.equal(codeOf(alien), 'message_deleted');

  // Nothing was delivered again, and the room holds the reply once.
  await sentinel(bob.socket, alice.socket, ROOM);
  assert.deepEqual(news.map((m) => m.text), ['sentinel']);
  const page = await alice.socket.emitWithAck('message:history', { room: ROOM });
  assert.ok(page.ok);
  assert.equal(page.data.messages.filter((m) => m.clientId === id).length, 1);
});
