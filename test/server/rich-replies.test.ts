import assert from 'node:assert/strict';
import { test } from 'node:test';
import { REPLY_EXCERPT_MAX } from '../../protocol/index.js';
import { clientId, waitFor } from './helpers.js';
import { ROOM, codeOf, richRoom, say } from './rich-helpers.js';

test('a reply carries a quote of its original: id, seq, author and the first line, cut to REPLY_EXCERPT_MAX', async (t) => {
  const { user, guest } = await richRoom(t);
  const alice = await user('alice', { avatar: 'https://img.example/alice.png' });
  const bob = await guest({ nickname: 'Bob' });
  const original = await say(alice.socket, `${'a'.repeat(REPLY_EXCERPT_MAX + 10)}\nsecond line`);
  // The sender's avatar is stored with the message.
  assert.equal(original.from.avatar, 'https://img.example/alice.png');
  const heard = waitFor(alice.socket, 'message:new', (m) => m.text === 'agreed');
  const reply = await say(bob.socket, 'agreed', { replyTo: original.id });
  assert.deepEqual(reply.replyTo, { id: original.id, seq: original.seq, from: original.from, excerpt: 'a'.repeat(REPLY_EXCERPT_MAX) });
  assert.deepEqual((await heard).replyTo, reply.replyTo);
  const history = await alice.socket.emitWithAck('message:history', { room: ROOM });
  assert.ok(history.ok);
  assert.deepEqual(history.data.messages.at(-1)?.replyTo, reply.replyTo);
});

test('a reply to no message of the room is unknown_message, to a deleted one message_deleted, and stores nothing', async (t) => {
  const { user, server } = await richRoom(t);
  const alice = await user('alice');
  const elsewhere = await alice.socket.emitWithAck('room:join', { room: 'other' });
  assert.ok(elsewhere.ok);
  const other = await alice.socket.emitWithAck('message:send', { room: 'other', text: 'in another room', clientId: clientId() });
  assert.ok(other.ok);
  const gone = await say(alice.socket, 'soon gone');
  assert.ok((await alice.socket.emitWithAck('message:delete', { room: ROOM, messageId: gone.id })).ok);
  const send = (replyTo: string) => alice.socket.emitWithAck('message:send', { room: ROOM, text: 'reply', clientId: clientId(), replyTo });
  assert.equal(codeOf(await send('no-such-id')), 'unknown_message');
  assert.equal(codeOf(await send(other.data.message.id)), 'unknown_message');
  assert.equal(codeOf(await send(gone.id)), 'message_deleted');
  assert.equal(await server.store.lastSeq('demo', ROOM), gone.seq);
});

test('the quote follows its original: an edit shows in it, a deletion empties it', async (t) => {
  const { user } = await richRoom(t);
  const alice = await user('alice');
  const bob = await user('bob');
  const original = await say(alice.socket, 'first words');
  const reply = await say(bob.socket, 'answer', { replyTo: original.id });
  assert.ok((await alice.socket.emitWithAck('message:edit', { room: ROOM, messageId: original.id, text: 'better words' })).ok);
  const read = async () => {
    const page = await bob.socket.emitWithAck('message:history', { room: ROOM });
    assert.ok(page.ok);
    return page.data.messages.find((m) => m.id === reply.id)!;
  };
  assert.equal((await read()).replyTo?.excerpt, 'better words');
  assert.ok((await alice.socket.emitWithAck('message:delete', { room: ROOM, messageId: original.id })).ok);
  const quote = (await read()).replyTo;
  assert.equal(quote?.deleted, true);
  assert.equal(quote?.excerpt, '');
});
