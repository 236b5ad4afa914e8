import assert from 'node:assert/strict';
import { test } from 'node:test';
import { REACTION_EMOJI_MAX } from '../../protocol/index.js';
import { ALLOWED_ORIGIN, api, connect, createSite, nowSeconds, record, sentinel, signToken, waitFor } from './helpers.js';
import { ROOM, codeOf, richRoom, say } from './rich-helpers.js';

/** RGI emoji, distinct: more than REACTION_EMOJI_MAX of them. */
const EMOJI = ['😀', '😁', '😂', '🤣', '😃', '😄', '😅', '😆', '😉', '😊', '😋', '😎', '😍', '😘', '🥰', '😗', '😙', '🥲', '😚', '🙂', '🤗', '🤩'];

test('reactions count who reacted with what; every member hears message:changed with the reaction, without myReactions', async (t) => {
  const { user, guest } = await richRoom(t);
  const alice = await user('alice');
  const bob = await user('bob');
  const carol = await guest({ nickname: 'Carol' });
  const message = await say(alice.socket, 'cake?');
  const react = (who = bob, emoji = '👍', on = true) => who.socket.emitWithAck('message:react', { room: ROOM, messageId: message.id, emoji, on });

  const heard = waitFor(carol.socket, 'message:changed');
  const first = await react();
  assert.ok(first.ok, JSON.stringify(first));
  const changed = await heard;
  assert.deepEqual(changed.reaction, { user: bob.session.user.id, emoji: '👍', on: true });
  assert.deepEqual(changed.message.reactions, [{ emoji: '👍', count: 1, users: [bob.session.user] }]);
  assert.equal(changed.message.myReactions, undefined);
  assert.ok(changed.rev > 0 && changed.message.rev === changed.rev);
  assert.deepEqual(first.data.message.myReactions, ['👍']);

  // Carol, a guest who never posted, reacts too: she is stored and named.
  const second = await react(carol);
  assert.ok(second.ok);
  assert.deepEqual(second.data.message.reactions, [{ emoji: '👍', count: 2, users: [bob.session.user, carol.session.user] }]);
  const party = await react(bob, '🎉');
  assert.ok(party.ok);

  // Each reader's own reactions, in answers only.
  const page = await bob.socket.emitWithAck('message:history', { room: ROOM });
  assert.ok(page.ok);
  assert.deepEqual(page.data.messages[0]?.myReactions?.slice().sort(), ['🎉', '👍']);
  assert.deepEqual(page.data.messages[0]?.reactions?.map((r) => [r.emoji, r.count]), [['👍', 2], ['🎉', 1]]);
  const aliceJoin = await alice.socket.emitWithAck('room:join', { room: ROOM });
  assert.ok(aliceJoin.ok);
  assert.ok(!aliceJoin.data.messages[0]?.myReactions?.length);
  assert.equal(aliceJoin.data.lastRev, party.data.rev);
  assert.ok((await react(carol, '👍', false)).ok);

  // Removed: the count drops.
  const after = await bob.socket.emitWithAck('message:history', { room: ROOM });
  assert.ok(after.ok);
  assert.deepEqual(after.data.messages[0]?.reactions?.map((r) => [r.emoji, r.count]), [['👍', 1], ['🎉', 1]]);
});

test('reacting twice, or removing what is not there, writes and broadcasts nothing and answers the message as it is', async (t) => {
  const { user } = await richRoom(t);
  const alice = await user('alice');
  const bob = await user('bob');
  const message = await say(alice.socket, 'hi');
  const react = (emoji: string, on: boolean) => bob.socket.emitWithAck('message:react', { room: ROOM, messageId: message.id, emoji, on });
  const once = await react('❤️', true);
  assert.ok(once.ok);
  const changes = record(alice.socket, 'message:changed');
  const twice = await react('❤️', true);
  const absent = await react('😮', false);
  assert.ok(twice.ok && absent.ok);
  assert.equal(twice.data.rev, once.data.rev);
  assert.equal(absent.data.rev, once.data.rev);
  assert.deepEqual(twice.data.message.reactions, once.data.message.reactions);
  await sentinel(bob.socket, alice.socket, ROOM);
  assert.deepEqual(changes, []);
});

test('more than REACTION_EMOJI_MAX distinct emoji is too_many_reactions; an existing emoji still counts', async (t) => {
  const { user } = await richRoom(t);
  const alice = await user('alice');
  const bob = await user('bob');
  const message = await say(alice.socket, 'react to me');
  const react = (who: typeof alice, emoji: string) => who.socket.emitWithAck('message:react', { room: ROOM, messageId: message.id, emoji, on: true });
  for (const emoji of EMOJI.slice(0, REACTION_EMOJI_MAX)) assert.ok((await react(alice, emoji)).ok, emoji);
  assert.equal(codeOf(await react(alice, EMOJI[REACTION_EMOJI_MAX]!)), 'too_many_reactions');
  const joining = await react(bob, EMOJI[0]!);
  assert.ok(joining.ok);
  assert.equal(joining.data.message.reactions?.length, REACTION_EMOJI_MAX);
  assert.equal(joining.data.message.reactions?.[0]?.count, 2);
});

test('reactions are refused for text, deleted messages, messages of other rooms and muted users; allowed in read-only rooms', async (t) => {
  const { url, secret, user } = await richRoom(t);
  const alice = await user('alice');
  const bob = await user('bob');
  const message = await say(alice.socket, 'hello');
  const react = (messageId: string, emoji = '👍', room = ROOM) => bob.socket.emitWithAck('message:react', { room, messageId, emoji, on: true });
  for (const text of ['x', ':)', '👍👍', '<b>hi</b>']) assert.equal(codeOf(await react(message.id, text)), 'invalid_emoji');
  assert.equal(codeOf(await react('nope')), 'unknown_message');
  assert.equal(codeOf(await react(message.id, '👍', 'other')), 'not_in_room');
  const gone = await say(alice.socket, 'gone');
  assert.ok((await alice.socket.emitWithAck('message:delete', { room: ROOM, messageId: gone.id })).ok);
  assert.equal(codeOf(await react(gone.id)), 'message_deleted');
  const muted = await api(url, 'POST', '/sites/demo/bans', { token: secret, body: { userId: bob.session.user.id, kind: 'mute', durationMs: 60_000 } });
  assert.equal(muted.status, 201);
  assert.equal(codeOf(await react(message.id)), 'muted');

  const site = await createSite(url, { id: 'news', name: 'News', origins: [ALLOWED_ORIGIN], readOnlyRooms: [ROOM] });
  const signed = (sub: string, role?: string) =>
    signToken({ sub, name: sub, site: 'news', exp: nowSeconds() + 300, ...(role ? { role } : {}) }, site.secret);
  const editor = await connect(t, url, { site: 'news', token: signed('editor', 'moderator') });
  const reader = await connect(t, url, { site: 'news', token: signed('reader') });
  for (const { socket } of [editor, reader]) assert.ok((await socket.emitWithAck('room:join', { room: ROOM })).ok);
  const news = await say(editor.socket, 'news');
  assert.ok((await reader.socket.emitWithAck('message:react', { room: ROOM, messageId: news.id, emoji: '🎉', on: true })).ok);
});
