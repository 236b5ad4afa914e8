/**
 * Rich messages driven through the UI of two `<chat-room>` elements on one
 * page (two guests: one straight to the server, one through a proxy), against
 * the real server: Reply from a message's toolbar and the quote on the other
 * side, whose click loads older history, scrolls to the original and
 * highlights it; a reaction from the quick row; Edit and Delete of one's own
 * message from the toolbar; a mention picked from the `@` list.
 */
import { expect } from '@esm-bundle/chai';
import { emulateMedia, sendKeys } from '@web/test-runner-commands';
import { HISTORY_PAGE_SIZE, QUICK_REACTIONS, type ChatMessage } from '../../protocol/index.js';
import type { ChatRoom } from '../../widget/index.js';
import { $, $$, cleanup, connected, freshGuest, mount, rawClient, rawJoin, rawSend, uniqueName, uniqueRoom, waitFor } from './helpers.js';
import { openProxy } from './proxy.js';

const input = (el: ChatRoom) => $(el, '[part="input"]') as HTMLTextAreaElement;

/** The rendered message of `id` in `el`, once it is there. */
const rendered = (el: ChatRoom, id: string, what = `message ${id}`) => waitFor(() => $(el, `[data-id="${CSS.escape(id)}"]`), what, 10_000);

/** The message `el` holds whose text is `text`. */
const heldText = (el: ChatRoom, text: string, what = text) => waitFor(() => el.messages.find((m: ChatMessage) => m.text === text), what, 10_000);

async function type(el: ChatRoom, text: string): Promise<void> {
  input(el).focus();
  await sendKeys({ type: text });
  await el.updateComplete;
}

async function press(el: ChatRoom, key: string): Promise<void> {
  await sendKeys({ press: key });
  await el.updateComplete;
}

/** A button of a message's toolbar (`reply`, `react`, `edit`, `delete`), once the rich part rendered it. */
async function action(el: ChatRoom, id: string, part: string): Promise<HTMLButtonElement> {
  return waitFor(() => $(el, `[data-id="${CSS.escape(id)}"] [part~="actions"] [part~="${part}"]`) as HTMLButtonElement | null, `${part} button`);
}

describe('rich messages through the UI', function (this: { timeout(ms: number): void }) {
  this.timeout(60_000);
  afterEach(async () => {
    cleanup();
    await emulateMedia({ reducedMotion: 'no-preference' });
  });

  it('reply, quote jump, reaction, edit, delete and a mention between two elements', async () => {
    const room = uniqueRoom('rich-ui');
    const proxy = await openProxy();
    await proxy.up();
    freshGuest(proxy.url);
    const ann = await mount({ room, nickname: uniqueName('Ann'), style: 'display:block;width:420px;height:480px' });
    await connected(ann);
    const original = await ann.send('the original');
    // More than a page after it: the other side's first load does not hold the original.
    const seed = await rawClient(uniqueName('Seed'));
    await rawJoin(seed, room);
    await rawSend(seed, room, ...Array.from({ length: HISTORY_PAGE_SIZE + 20 }, (_, i) => `filler ${i + 1}`));
    const bob = await mount({ room, nickname: uniqueName('Bob'), server: proxy.url, style: 'display:block;width:420px;height:480px' });
    await connected(bob);
    await waitFor(() => ann.user && bob.user && bob.messages.some((m) => m.text === `filler ${HISTORY_PAGE_SIZE + 20}`), 'both in, Bob has the latest');
    expect(bob.messages.some((m) => m.id === original.id), 'not in Bob’s first page').to.equal(false);

    // Reply from the original's toolbar: the composer's bar, then the reply goes out with its quote.
    (await action(ann, original.id, 'reply')).click();
    await waitFor(() => $(ann, '[part~="reply-bar"]'), 'reply bar');
    await type(ann, 'an answer');
    await press(ann, 'Enter');
    const reply = await heldText(bob, 'an answer', 'the reply at Bob');
    expect(reply.replyTo?.id).to.equal(original.id);
    const quote = (await rendered(bob, reply.id)).querySelector<HTMLButtonElement>('[part~="quote"]')!;
    expect(quote.textContent).to.contain('the original');

    // The quote brings the original (older history) into view and highlights it.
    // Without motion, the jump is instant (headless Chromium does not run the smooth scroll of a nested list).
    await emulateMedia({ reducedMotion: 'reduce' });
    quote.click();
    const target = await rendered(bob, original.id, 'the original loaded at Bob');
    await waitFor(() => target.getAttribute('part')?.includes('highlight'), 'highlighted');
    const list = $(bob, '[part="messages"]')!;
    await waitFor(() => {
      const box = target.getBoundingClientRect();
      const view = list.getBoundingClientRect();
      return box.bottom > view.top && box.top < view.bottom;
    }, 'scrolled into view');

    // A reaction from Bob's quick row: Ann sees its chip with the count.
    (await action(bob, original.id, 'react')).click();
    const quick = await waitFor(() => $(bob, `[data-id="${CSS.escape(original.id)}"] [part~="quick-reactions"]`), 'quick row');
    const first = [...quick.querySelectorAll<HTMLButtonElement>('button')].find((b) => b.textContent!.trim() === QUICK_REACTIONS[0])!;
    first.click();
    const chip = await waitFor(
      () => $$(ann, `[data-id="${CSS.escape(original.id)}"] [part~="reaction"]`).find((c) => c.textContent!.includes(QUICK_REACTIONS[0])),
      'the chip at Ann',
    );
    await waitFor(() => /\b1\b/.test(chip.textContent!), 'count 1');

    // Ann edits her reply from its toolbar: Bob sees the new text, marked edited.
    const mine = await heldText(ann, 'an answer', 'the reply at Ann');
    (await action(ann, mine.id, 'edit')).click();
    await waitFor(() => input(ann).value === 'an answer', 'the text in the input');
    input(ann).select();
    await type(ann, 'a better answer');
    await press(ann, 'Enter');
    await waitFor(() => $(bob, `[data-id="${CSS.escape(reply.id)}"] [part~="edited"]`), 'edited at Bob');
    expect(bob.messages.find((m) => m.id === reply.id)!.text).to.equal('a better answer');

    // And deletes it: a tombstone at Bob.
    (await action(ann, mine.id, 'delete')).click();
    await waitFor(() => $(bob, `[data-id="${CSS.escape(reply.id)}"] [part~="deleted"]`), 'tombstone at Bob');

    // Bob mentions Ann, picked from the @ list: highlighted for her.
    const annName = ann.user!.name;
    await type(bob, `hey @${annName.slice(0, 3)}`);
    await waitFor(() => $$(bob, '[part~="mention-option"]').some((o) => o.textContent!.trim() === annName), 'Ann offered');
    await press(bob, 'Enter');
    expect(input(bob).value).to.equal(`hey @${annName} `);
    await press(bob, 'Enter');
    const mention = await waitFor(() => ann.messages.find((m) => m.text === `hey <@${ann.user!.id}>`), 'the mention at Ann');
    const shown = await rendered(ann, mention.id);
    await waitFor(() => shown.getAttribute('part')?.includes('mentioned'), 'marked mentioned');
    expect(shown.querySelector('[part~="mention-me"]')!.textContent).to.equal(`@${annName}`);
  });

  it('blocks the author from their card: their messages leave the blocker’s view', async () => {
    const room = uniqueRoom('rich-ui-block');
    const proxy = await openProxy();
    await proxy.up();
    freshGuest(proxy.url);
    const ann = await mount({ room, nickname: uniqueName('Ann') });
    const bob = await mount({ room, nickname: uniqueName('Bob'), server: proxy.url });
    await Promise.all([connected(ann), connected(bob)]);
    const noise = await ann.send('noise from Ann');
    const author = await waitFor(() => $(bob, `[data-id="${CSS.escape(noise.id)}"] [part~="author"]`) as HTMLButtonElement | null, 'Ann’s message at Bob');
    author.click();
    const block = await waitFor(() => $(bob, '[part~="author-card"] [part~="card-block"]') as HTMLButtonElement | null, 'Block in the card');
    block.click();
    await waitFor(() => !bob.messages.some((m) => m.id === noise.id) && !$(bob, `[data-id="${CSS.escape(noise.id)}"]`), 'hidden at Bob');
    expect(ann.messages.some((m) => m.id === noise.id), 'Ann still sees her own').to.equal(true);
  });
});
