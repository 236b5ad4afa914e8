/**
 * The element's rich-message API between two `<chat-room>` elements on one
 * page (two guests: one talks to the server directly, the other through a
 * proxy, so each has its own connection and guest key), against the real
 * server: replies with their quotes, reactions with counts and your own
 * `myReactions`, edits, deleting your own, the errors, mentions and blocks.
 */
import { expect } from '@esm-bundle/chai';
import type { ChatMessage } from '../../protocol/index.js';
import type { ChatRoom } from '../../widget/index.js';
import type { ChatRoomError } from '../../widget/client/errors.js';
import { cleanup, connected, freshGuest, messageTexts, mount, uniqueName, uniqueRoom, waitFor } from './helpers.js';
import { openProxy } from './proxy.js';

/** The message `id` as the element holds it. */
const held = (el: ChatRoom, id: string): ChatMessage | undefined => el.messages.find((m) => m.id === id);

/** The error code a rejected call rejects with. */
async function codeOf(call: Promise<unknown>): Promise<string> {
  try {
    await call;
  } catch (e) {
    return (e as ChatRoomError).code;
  }
  throw new Error('expected a rejection');
}

/** Two guests in one room: `a` straight to the server, `b` through an open proxy. */
async function twoElements(prefix: string): Promise<{ a: ChatRoom; b: ChatRoom; room: string }> {
  const room = uniqueRoom(prefix);
  const proxy = await openProxy();
  await proxy.up();
  freshGuest(proxy.url);
  const a = await mount({ room, nickname: uniqueName('Ann') });
  const b = await mount({ room, nickname: uniqueName('Bob'), server: proxy.url });
  await Promise.all([connected(a), connected(b)]);
  await waitFor(() => a.user && b.user, 'both users known');
  expect(a.user!.id).to.not.equal(b.user!.id);
  return { a, b, room };
}

describe('rich messages: the element API', function (this: { timeout(ms: number): void }) {
  this.timeout(30_000);
  afterEach(cleanup);

  it('replies with a quote, reacts and unreacts with counts and your own reactions, edits and deletes your own', async () => {
    const { a, b } = await twoElements('rich-api');
    const original = await a.send('first line\nsecond line');
    await waitFor(() => held(b, original.id), 'the original at b');

    const reply = await b.reply(original.id, 'an answer');
    expect(reply.replyTo).to.include({ id: original.id, seq: original.seq, excerpt: 'first line' });
    expect(reply.replyTo!.from.id).to.equal(a.user!.id);
    await waitFor(() => held(a, reply.id)?.replyTo?.id === original.id, 'the reply and its quote at a');

    const reacted = await b.react(original.id, '👍');
    expect(reacted.reactions).to.have.length(1);
    expect(reacted.reactions![0]).to.include({ emoji: '👍', count: 1 });
    expect(reacted.reactions![0]!.users.map((u) => u.id)).to.deep.equal([b.user!.id]);
    expect(reacted.myReactions).to.deep.equal(['👍']);
    await waitFor(() => held(a, original.id)?.reactions?.[0]?.count === 1, 'the reaction at a');
    expect(held(a, original.id)!.myReactions ?? []).to.deep.equal([]);

    const both = await a.react(original.id, '👍');
    expect(both.reactions![0]).to.include({ emoji: '👍', count: 2 });
    expect(both.myReactions).to.deep.equal(['👍']);
    await waitFor(() => held(b, original.id)?.reactions?.[0]?.count === 2, 'two reactions at b');
    // Someone else's reaction leaves yours as they are.
    expect(held(b, original.id)!.myReactions).to.deep.equal(['👍']);

    const party = await b.react(original.id, '🎉');
    expect(party.reactions!.map((r) => r.emoji)).to.deep.equal(['👍', '🎉']);
    expect(party.myReactions).to.have.members(['👍', '🎉']);

    const undone = await a.unreact(original.id, '👍');
    expect(undone.reactions![0]).to.include({ emoji: '👍', count: 1 });
    expect(undone.myReactions ?? []).to.deep.equal([]);
    await waitFor(() => held(b, original.id)?.reactions?.[0]?.count === 1, 'one 👍 again at b');
    expect(held(b, original.id)!.myReactions).to.have.members(['👍', '🎉']);
    expect(held(a, original.id)!.myReactions ?? []).to.deep.equal([]);

    const edited = await a.edit(original.id, 'edited line\nmore');
    expect(edited.text).to.equal('edited line\nmore');
    expect(edited.editedAt).to.be.a('number');
    await waitFor(() => held(b, original.id)?.text === 'edited line\nmore', 'the edit at b');
    expect(held(b, original.id)!.editedAt).to.equal(edited.editedAt);
    // The quotes of replies follow their original.
    await waitFor(() => held(b, reply.id)?.replyTo?.excerpt === 'edited line', 'the quote at b follows the edit');
    expect(held(a, reply.id)!.replyTo!.excerpt).to.equal('edited line');
    // An edit keeps the reactions, and everyone's own.
    expect(held(b, original.id)!.reactions![0]).to.include({ emoji: '👍', count: 1 });
    expect(held(b, original.id)!.myReactions).to.have.members(['👍', '🎉']);

    const deleted = await a.deleteMessage(original.id);
    expect(deleted).to.include({ id: original.id, seq: original.seq });
    expect(deleted.rev).to.be.a('number');
    expect(held(a, original.id)).to.include({ deleted: true, text: '' });
    await waitFor(() => held(b, original.id)?.deleted, 'the tombstone at b');
    const tomb = held(b, original.id)!;
    expect(tomb.reactions).to.equal(undefined);
    expect(tomb.myReactions).to.equal(undefined);
    expect(held(b, reply.id)!.replyTo).to.include({ id: original.id, excerpt: '', deleted: true });
    expect(held(a, reply.id)!.replyTo).to.include({ deleted: true });
    expect(messageTexts(b)).to.not.include('edited line\nmore');
  });

  it('rejects what may not be done with its error code, and changes nothing', async () => {
    const { a, b } = await twoElements('rich-errors');
    const mine = await a.send('only mine');
    await waitFor(() => held(b, mine.id), 'at b');
    expect(await codeOf(b.edit(mine.id, 'not yours'))).to.equal('forbidden');
    expect(await codeOf(b.deleteMessage(mine.id))).to.equal('forbidden');
    expect(await codeOf(b.react(mine.id, 'x'))).to.equal('invalid_emoji');
    expect(await codeOf(a.edit(mine.id, '   '))).to.equal('message_empty');
    expect(await codeOf(a.edit('no-such-message', 'text'))).to.equal('unknown_message');
    expect(await codeOf(b.reply('no-such-message', 'to nothing'))).to.equal('unknown_message');
    expect(await codeOf(a.block(a.user!.id))).to.equal('self_message');
    expect(held(a, mine.id)).to.deep.equal(mine);
    expect(held(b, mine.id)!.text).to.equal('only mine');
    await a.deleteMessage(mine.id);
    expect(await codeOf(a.edit(mine.id, 'too late'))).to.equal('message_deleted');
    expect(await codeOf(b.react(mine.id, '👍'))).to.equal('message_deleted');
  });

  it('fires chat-room-mention for a message that mentions you, with the user it names', async () => {
    const { a, b } = await twoElements('rich-mention');
    const mentions: ChatMessage[] = [];
    a.addEventListener('chat-room-mention', (e) => mentions.push(e.detail.message));
    const bMentions: ChatMessage[] = [];
    b.addEventListener('chat-room-mention', (e) => bMentions.push(e.detail.message));
    await b.send('no one named here');
    const named = await b.send(`hello <@${a.user!.id}>`);
    await waitFor(() => mentions.length === 1, 'the mention at a');
    expect(mentions[0]!.id).to.equal(named.id);
    expect(mentions[0]!.mentions!.map((u) => u.id)).to.deep.equal([a.user!.id]);
    expect(mentions[0]!.mentions![0]!.name).to.equal(a.user!.name);
    // Your own message naming someone is not a mention of you.
    expect(bMentions).to.deep.equal([]);
    await waitFor(() => held(a, named.id)?.mentions?.length === 1, 'held with its mentions');
  });

  it('hides the messages and reactions of a user you block, until you unblock them', async () => {
    const { a, b } = await twoElements('rich-block');
    const mine = await a.send('from a');
    const theirs = await b.send('from b');
    await b.react(mine.id, '😂');
    await a.react(mine.id, '😂');
    await waitFor(() => held(a, mine.id)?.reactions?.[0]?.count === 2 && held(a, theirs.id), 'both at a');

    const privacy = await a.block(b.user!.id);
    expect(privacy.blocked.map((u) => u.id)).to.deep.equal([b.user!.id]);
    expect(held(a, theirs.id)).to.equal(undefined);
    const reaction = held(a, mine.id)!.reactions![0]!;
    expect(reaction).to.include({ emoji: '😂', count: 1 });
    expect(reaction.users.map((u) => u.id)).to.deep.equal([a.user!.id]);
    await waitFor(() => !messageTexts(a).includes('from b'), 'gone from the list');
    expect(messageTexts(a)).to.include('from a');

    // What they send now is neither shown nor announced; the other side sees everything as before.
    const announced: string[] = [];
    a.addEventListener('chat-room-message', (e) => announced.push(e.detail.message.text));
    const later = await b.send('still blocked');
    await waitFor(() => held(b, later.id), 'at b');
    const mark = await a.send('after the block');
    await waitFor(() => announced.includes('after the block') || held(a, mark.id), 'a later message at a');
    expect(announced).to.not.include('still blocked');
    expect(held(a, later.id)).to.equal(undefined);
    expect(held(b, mine.id)!.reactions![0]!.count).to.equal(2);

    const after = await a.unblock(b.user!.id);
    expect(after.blocked).to.deep.equal([]);
    await waitFor(() => held(a, theirs.id) && held(a, later.id), 'shown again');
    expect(held(a, mine.id)!.reactions![0]!.count).to.equal(2);
  });
});
