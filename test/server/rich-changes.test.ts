import assert from 'node:assert/strict';
import { test } from 'node:test';
import { connect, guestKey } from './helpers.js';
import { ROOM, codeOf, richRoom, say } from './rich-helpers.js';

test('changes made while a member was away replay in one message:changes page; seqs stay gapless', async (t) => {
  const { url, user } = await richRoom(t);
  const key = guestKey();
  const alice = await user('alice');
  const away = await connect(t, url, { guestKey: key });
  const joined = await away.socket.emitWithAck('room:join', { room: ROOM });
  assert.ok(joined.ok);
  const [edited, reacted, deleted, untouched] = [await say(alice.socket, 'tpyo'), await say(alice.socket, 'react'), await say(alice.socket, 'delete me'), await say(alice.socket, 'stays')];
  const before = await away.socket.emitWithAck('room:join', { room: ROOM });
  assert.ok(before.ok);
  const lastRev = before.data.lastRev;
  away.socket.disconnect();

  assert.ok((await alice.socket.emitWithAck('message:edit', { room: ROOM, messageId: edited.id, text: 'typo' })).ok);
  assert.ok((await alice.socket.emitWithAck('message:react', { room: ROOM, messageId: reacted.id, emoji: '👍', on: true })).ok);
  assert.ok((await alice.socket.emitWithAck('message:delete', { room: ROOM, messageId: deleted.id })).ok);

  const back = await connect(t, url, { guestKey: key });
  assert.equal(codeOf(await back.socket.emitWithAck('message:changes', { room: ROOM, after: lastRev })), 'not_in_room');
  const rejoined = await back.socket.emitWithAck('room:join', { room: ROOM });
  assert.ok(rejoined.ok);
  assert.ok(rejoined.data.lastRev > lastRev);
  const page = await back.socket.emitWithAck('message:changes', { room: ROOM, after: lastRev });
  assert.ok(page.ok, JSON.stringify(page));
  assert.equal(page.data.hasMore, false);
  assert.equal(page.data.lastRev, rejoined.data.lastRev);
  const byId = new Map(page.data.messages.map((m) => [m.id, m]));
  assert.deepEqual([...byId.keys()].slice().sort(), [edited.id, reacted.id, deleted.id].slice().sort());
  assert.equal(byId.get(edited.id)?.text, 'typo');
  assert.deepEqual(byId.get(reacted.id)?.reactions?.map((r) => [r.emoji, r.count]), [['👍', 1]]);
  assert.equal(byId.get(deleted.id)?.deleted, true);
  // In the order of their last change, each rev above the one asked from.
  const revs = page.data.messages.map((m) => m.rev!);
  assert.deepEqual(revs, revs.slice().sort((a, b) => a - b));
  assert.ok(revs.every((rev) => rev > lastRev));

  // Nothing after the last one; changes never took a seq.
  const none = await back.socket.emitWithAck('message:changes', { room: ROOM, after: page.data.lastRev });
  assert.ok(none.ok && none.data.messages.length === 0 && !none.data.hasMore);
  const history = await back.socket.emitWithAck('message:history', { room: ROOM });
  assert.ok(history.ok);
  assert.deepEqual(history.data.messages.map((m) => m.seq), [edited.seq, reacted.seq, deleted.seq, untouched.seq]);
  assert.deepEqual([edited.seq, reacted.seq, deleted.seq, untouched.seq], [1, 2, 3, 4]);
  assert.equal((await say(alice.socket, 'next')).seq, 5);
});

test('message:changes pages with limit and hasMore, and answers the reader’s myReactions', async (t) => {
  const { user } = await richRoom(t);
  const alice = await user('alice');
  const bob = await user('bob');
  const messages = [await say(alice.socket, 'one'), await say(alice.socket, 'two'), await say(alice.socket, 'three')];
  for (const message of messages) assert.ok((await bob.socket.emitWithAck('message:react', { room: ROOM, messageId: message.id, emoji: '👀', on: true })).ok);
  const first = await bob.socket.emitWithAck('message:changes', { room: ROOM, after: 0, limit: 2 });
  assert.ok(first.ok);
  assert.equal(first.data.messages.length, 2);
  assert.equal(first.data.hasMore, true);
  assert.deepEqual(first.data.messages.map((m) => m.myReactions), [['👀'], ['👀']]);
  const rest = await alice.socket.emitWithAck('message:changes', { room: ROOM, after: first.data.lastRev, limit: 2 });
  assert.ok(rest.ok);
  assert.deepEqual(rest.data.messages.map((m) => m.id), [messages[2]!.id]);
  assert.equal(rest.data.hasMore, false);
  assert.ok(!rest.data.messages[0]?.myReactions?.length);
});
