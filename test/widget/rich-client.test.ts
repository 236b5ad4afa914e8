/**
 * The connection layer's rich part (widget/client/rich-*.ts) without the
 * element: replies kept by the outbox across an offline spell and a reload,
 * the change replay paging past one `message:changes` page, `reveal()` for a
 * quote's original, and the pure rules for quotes, own reactions and blocks.
 */
import { expect } from '@esm-bundle/chai';
import { CHANGES_MAX_LIMIT, REPLY_EXCERPT_MAX, type ChatMessage, type MessageChanged, type UserInfo } from '../../protocol/index.js';
import { createChannel } from '../../widget/client/channel.js';
import { createGuestKey } from '../../widget/client/guest-key.js';
import { RoomConversation } from '../../widget/client/room-conversation.js';
import { excerpt, quoteOf, tombstone, visibleTo, withMyReactions, withoutBlocked } from '../../widget/client/rich-messages.js';
import { memoryStorage } from '../../widget/client/storage.js';
import { SERVER, cleanup, rawClient, rawJoin, rawSend, uniqueRoom, waitFor } from './helpers.js';

const ann: UserInfo = { id: 'g_ann', name: 'Ann', kind: 'guest' };
const bob: UserInfo = { id: 'g_bob', name: 'Bob', kind: 'guest' };
const cat: UserInfo = { id: 'g_cat', name: 'Cat', kind: 'guest' };

const msg = (seq: number, from = ann, extra: Partial<ChatMessage> = {}): ChatMessage => ({
  id: `m${seq}`,
  seq,
  room: 'r',
  clientId: `c${seq}`,
  from,
  text: `t${seq}`,
  at: seq,
  ...extra,
});

/** A conversation on its own channel (its own guest), connected and loaded. */
async function joined(room: string, storage = memoryStorage(), guestKey = createGuestKey()) {
  const channel = createChannel({ server: SERVER, site: 'demo', guestKey, storage });
  const conversation = new RoomConversation(channel, room);
  conversation.start();
  channel.conn.connect();
  await waitFor(() => conversation.status === 'ready' && conversation.loaded, 'joined');
  return { channel, conn: channel.conn, conversation };
}

describe('rich messages: quotes, own reactions and blocks', () => {
  it('quotes the first line of the original, at most REPLY_EXCERPT_MAX code points, and nothing of a deleted one', () => {
    expect(excerpt('first\r\nsecond')).to.equal('first');
    expect(excerpt('😀'.repeat(REPLY_EXCERPT_MAX + 5))).to.equal('😀'.repeat(REPLY_EXCERPT_MAX));
    expect(quoteOf(msg(1, ann, { text: 'a\nb' }))).to.deep.equal({ id: 'm1', seq: 1, from: ann, excerpt: 'a' });
    expect(quoteOf(msg(1, ann, { text: '', deleted: true }))).to.deep.equal({ id: 'm1', seq: 1, from: ann, excerpt: '', deleted: true });
  });

  it('leaves a tombstone nothing but its place, with the author an erase gives it', () => {
    const full = msg(4, ann, { replyTo: quoteOf(msg(1)), reactions: [{ emoji: '👍', count: 1, users: [bob] }], myReactions: ['👍'], mentions: [bob], rev: 3 });
    const erased = { id: 'erased', name: '', kind: 'guest' } as const;
    expect(tombstone(full, { room: 'r', id: 'm4', seq: 4, rev: 7, from: erased })).to.deep.equal({
      id: 'm4',
      room: 'r',
      seq: 4,
      clientId: 'c4',
      at: 4,
      text: '',
      deleted: true,
      from: erased,
      rev: 7,
    });
  });

  it('keeps your own reactions through a broadcast, and moves them by your own reaction only', () => {
    const held = msg(1, ann, { myReactions: ['👍'] });
    const change = (reaction?: MessageChanged['reaction']): MessageChanged => ({
      room: 'r',
      rev: 2,
      message: msg(1, ann, { reactions: [{ emoji: '👍', count: 2, users: [ann, bob] }], rev: 2 }),
      ...(reaction ? { reaction } : {}),
    });
    expect(withMyReactions(change({ user: bob.id, emoji: '🎉', on: true }), held, ann.id).myReactions).to.deep.equal(['👍']);
    expect(withMyReactions(change({ user: ann.id, emoji: '🎉', on: true }), held, ann.id).myReactions).to.deep.equal(['👍', '🎉']);
    expect(withMyReactions(change({ user: ann.id, emoji: '👍', on: false }), held, ann.id)).to.not.have.property('myReactions');
    expect(withMyReactions(change(), held, ann.id).myReactions).to.deep.equal(['👍']);
  });

  it('takes blocked users out of messages and reactions, counts included', () => {
    const blocked = new Set([bob.id]);
    const reactions = [
      { emoji: '👍', count: 3, users: [ann, bob, cat] },
      { emoji: '😂', count: 1, users: [bob] },
      { emoji: '🎉', count: 12, users: [cat] },
    ];
    expect(withoutBlocked(reactions, blocked)).to.deep.equal([
      { emoji: '👍', count: 2, users: [ann, cat] },
      { emoji: '🎉', count: 12, users: [cat] },
    ]);
    const plain = msg(3, cat);
    const shown = visibleTo([msg(1, ann, { reactions: [reactions[1]!] }), msg(2, bob), plain], blocked);
    expect(shown.map((m) => m.id)).to.deep.equal(['m1', 'm3']);
    expect(shown[0]).to.not.have.property('reactions');
    expect(shown[1]).to.equal(plain);
  });
});

describe('rich messages: the connection layer against the server', function (this: { timeout(ms: number): void }) {
  this.timeout(60_000);
  afterEach(cleanup);

  it('keeps what a reply answers while offline and across a reload, and sends it with the reply', async () => {
    const room = uniqueRoom('rich-outbox');
    const storage = memoryStorage();
    const guestKey = createGuestKey();
    const { conn, conversation } = await joined(room, storage, guestKey);
    const original = await conversation.send('the original');
    conn.disconnect();
    const sending = conversation.send('the reply', original.id);
    expect(conversation.pending.map((p) => p.replyTo)).to.deep.equal([original.id]);
    sending.catch(() => undefined);
    conversation.stop();

    // A reload: a new channel of the same guest over the same storage finds the pending reply and sends it as a reply.
    const channel = createChannel({ server: SERVER, site: 'demo', guestKey, storage });
    const reloaded = new RoomConversation(channel, room);
    reloaded.start();
    expect(reloaded.pending.map((p) => [p.text, p.replyTo])).to.deep.equal([['the reply', original.id]]);
    channel.conn.connect();
    await waitFor(() => reloaded.messages.some((m) => m.text === 'the reply'), 'the reply delivered');
    const reply = reloaded.messages.find((m) => m.text === 'the reply')!;
    expect(reply.replyTo).to.include({ id: original.id, excerpt: 'the original' });
    expect(reloaded.pending).to.deep.equal([]);
    reloaded.stop();
    channel.conn.disconnect();
  });

  it('replays changes page by page while the server has more', async () => {
    const room = uniqueRoom('rich-pages');
    const other = await rawClient('Pages Other');
    await rawJoin(other, room);
    const count = CHANGES_MAX_LIMIT + 10;
    const sent: ChatMessage[] = [];
    for (let i = 0; i < count; i += 30) {
      const texts = Array.from({ length: Math.min(30, count - i) }, (_, k) => `m${i + k}`);
      sent.push(...(await rawSend(other, room, ...texts)));
    }
    const { conn, conversation } = await joined(room);
    const held = conversation.messages.map((m) => m.id);
    expect(held.length).to.be.greaterThan(0);
    conn.disconnect();
    // Every message changes once, oldest first: the held ones (the latest) are in the last revs, beyond the first page.
    for (let i = 0; i < count; i += 30) {
      await Promise.all(
        sent.slice(i, i + 30).map(async (m) => {
          const ack = await other.emitWithAck('message:react', { room, messageId: m.id, emoji: '👍', on: true });
          if (!ack.ok) throw new Error(ack.error.code);
        }),
      );
    }
    conn.connect();
    await waitFor(() => conversation.messages.every((m) => m.reactions?.[0]?.count === 1), 'every held message reacted to', 15_000);
    expect(conversation.rich!.rev).to.be.at.least(count);
    conversation.stop();
    conn.disconnect();
  });

  it('reveals a quote’s original by loading older pages, and says when it cannot', async () => {
    const room = uniqueRoom('rich-reveal');
    const other = await rawClient('Reveal Other');
    await rawJoin(other, room);
    for (let i = 0; i < 150; i += 50) await rawSend(other, room, ...Array.from({ length: 50 }, (_, k) => `r${i + k + 1}`));
    const { conn, conversation } = await joined(room);
    const rich = await conversation.loadRich();
    const first = conversation.messages[0]!.seq;
    expect(first).to.be.greaterThan(3);
    expect(await rich.reveal(3)).to.equal(true);
    expect(conversation.messages.some((m) => m.seq === 3)).to.equal(true);
    expect(await rich.reveal(0)).to.equal(false);
    expect(await rich.reveal(first)).to.equal(true);
    conversation.stop();
    conn.disconnect();
  });
});
