/**
 * Changes replay (protocol 4's `rev`): an element that was offline while a
 * message was edited, another reacted to and a third deleted shows all three
 * once it reconnects (the join's page alone would leave the held ones as they
 * were), and again after a reload. The server goes away through the test
 * proxy, for real.
 */
import { expect } from '@esm-bundle/chai';
import type { ChatMessage } from '../../protocol/index.js';
import type { ChatRoom } from '../../widget/index.js';
import { cleanup, connected, freshGuest, messageTexts, mount, rawClient, rawJoin, rawSend, uniqueRoom, waitFor, type RawSocket } from './helpers.js';
import { openProxy } from './proxy.js';

const held = (el: ChatRoom, id: string): ChatMessage | undefined => el.messages.find((m) => m.id === id);

async function ok<T>(ack: Promise<{ ok: true; data: T } | { ok: false; error: { code: string } }>): Promise<T> {
  const answer = await ack;
  if (!answer.ok) throw new Error(answer.error.code);
  return answer.data;
}

/** What the element must show once it has every change: m1 edited, m2 with one ❤️, m3 a tombstone its reply's quote knows of. */
function showsAllThree(el: ChatRoom, [m1, m2, m3]: ChatMessage[], reply: ChatMessage): boolean {
  return (
    held(el, m1!.id)?.text === 'one, edited' &&
    !!held(el, m1!.id)?.editedAt &&
    held(el, m2!.id)?.reactions?.[0]?.emoji === '❤️' &&
    held(el, m2!.id)?.reactions?.[0]?.count === 1 &&
    !!held(el, m3!.id)?.deleted &&
    !!held(el, reply.id)?.replyTo?.deleted
  );
}

describe('rich messages: changes replay after a reconnect', function (this: { timeout(ms: number): void }) {
  this.timeout(40_000);
  afterEach(cleanup);

  it('shows an edit, a reaction and a deletion made while it was offline, after it reconnects and after a reload', async () => {
    const room = uniqueRoom('rich-replay');
    const proxy = await openProxy();
    await proxy.up();
    freshGuest(proxy.url);
    const other: RawSocket = await rawClient('Replay Other');
    await rawJoin(other, room);
    const sent = await rawSend(other, room, 'one', 'two', 'three');
    const [m1, m2, m3] = sent as [ChatMessage, ChatMessage, ChatMessage];

    const el = await mount({ server: proxy.url, room });
    await connected(el);
    await waitFor(() => el.messages.length === 3, 'the three messages');
    const reply = await el.reply(m3.id, 'answering three');
    expect(held(el, reply.id)!.replyTo).to.include({ id: m3.id, excerpt: 'three' });

    await proxy.down();
    await waitFor(() => el.connectionState !== 'connected', 'offline');
    await ok(other.emitWithAck('message:edit', { room, messageId: m1.id, text: 'one, edited' }));
    await ok(other.emitWithAck('message:react', { room, messageId: m2.id, emoji: '❤️', on: true }));
    await ok(other.emitWithAck('message:delete', { room, messageId: m3.id }));
    // Nothing of it reached the offline element.
    expect(held(el, m1.id)!.text).to.equal('one');
    expect(showsAllThree(el, sent, reply)).to.equal(false);

    await proxy.up();
    await connected(el);
    await waitFor(() => showsAllThree(el, sent, reply), 'all three changes replayed');
    expect(held(el, m3.id)!.text).to.equal('');
    expect(held(el, reply.id)!.replyTo!.excerpt).to.equal('');
    await waitFor(() => messageTexts(el).includes('one, edited'), 'the edit on screen');
    expect(messageTexts(el)).to.not.include('three');

    // Live again: a change after the replay arrives as before.
    await ok(other.emitWithAck('message:react', { room, messageId: m1.id, emoji: '🎉', on: true }));
    await waitFor(() => held(el, m1.id)?.reactions?.[0]?.emoji === '🎉', 'a live change after the replay');

    // A reload (a new element, the same guest) gets the current state from its join.
    el.remove();
    const again = await mount({ server: proxy.url, room });
    await connected(again);
    await waitFor(() => showsAllThree(again, sent, reply), 'all three after a reload');
    await proxy.down();
  });
});
