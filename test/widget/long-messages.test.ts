/** Defect 9: a very long message is collapsed to a few lines behind a "Show more" button. */
import { expect } from '@esm-bundle/chai';
import { sendKeys } from '@web/test-runner-commands';
import type { ChatRoom } from '../../widget/index.js';
import { $, $$, cleanup, connected, mount, rawClient, rawJoin, rawSend, uniqueRoom, waitFor } from './helpers.js';

const LONG_LINES = Array.from({ length: 40 }, (_, i) => `line ${i + 1}`).join('\n');
/** No line breaks at all: long only because of the widget's width. */
const LONG_PARAGRAPH = 'word '.repeat(400).trim();

/** Mounts a widget in a room where another visitor already posted `texts`. */
async function roomWith(texts: string[], attrs: Record<string, string> = {}): Promise<ChatRoom> {
  const room = uniqueRoom('long');
  const other = await rawClient('Long Writer');
  await rawJoin(other, room);
  await rawSend(other, room, ...texts);
  const el = await mount({ room, ...attrs });
  await connected(el);
  await waitFor(() => $$(el, '[part~="message"]').length === texts.length, 'messages');
  // Formatting comes with a part loaded once connected, which renders the texts anew: hold them after it.
  await waitFor(() => $(el, '[part~="avatar"]'), 'messages formatted');
  await el.updateComplete;
  return el;
}

/** The message whose text starts with `start`. */
function message(el: ChatRoom, start: string): HTMLElement {
  return $$(el, '[part~="message"]').find((m) => m.querySelector('[part~="text"]')!.textContent!.trim().startsWith(start))!;
}

function lineHeight(node: Element): number {
  return parseFloat(getComputedStyle(node).lineHeight);
}

describe('long messages', () => {
  afterEach(cleanup);

  it('collapses a message beyond a few lines and expands it from the keyboard', async () => {
    const el = await roomWith(['short one', LONG_LINES]);
    const long = message(el, 'line 1');
    const text = long.querySelector<HTMLElement>('[part~="text"]')!;
    const list = $(el, '[part="messages"]')!;
    // Collapsed: a few lines shown, far from filling the list.
    expect(text.clientHeight, 'collapsed height').to.be.below(lineHeight(text) * 10);
    expect(text.clientHeight).to.be.below(list.clientHeight / 2);
    expect(text.scrollHeight).to.be.above(text.clientHeight);
    const button = long.querySelector<HTMLButtonElement>('button[part="more"]')!;
    expect(!!button, 'show more button').to.equal(true);
    expect(button.textContent!.trim()).to.equal('Show more');
    expect(button.getAttribute('aria-expanded')).to.equal('false');
    // A short message has no button.
    expect(!!message(el, 'short one').querySelector('[part="more"]')).to.equal(false);

    button.focus();
    await sendKeys({ press: 'Enter' });
    await el.updateComplete;
    expect(button.getAttribute('aria-expanded')).to.equal('true');
    expect(button.textContent!.trim()).to.equal('Show less');
    expect(text.scrollHeight, 'whole text shown').to.be.at.most(text.clientHeight + 1);
    expect(el.shadowRoot!.activeElement === button, 'focus stays on the button').to.equal(true);

    await sendKeys({ press: 'Space' });
    await el.updateComplete;
    expect(button.getAttribute('aria-expanded')).to.equal('false');
    expect(button.textContent!.trim()).to.equal('Show more');
    expect(text.clientHeight).to.be.below(lineHeight(text) * 10);
  });

  it('collapses a long paragraph without line breaks, and not a message that fits', async () => {
    const el = await roomWith([LONG_PARAGRAPH, 'one\ntwo\nthree']);
    expect(!!message(el, 'word').querySelector('[part="more"]'), 'long paragraph collapsed').to.equal(true);
    const short = message(el, 'one');
    expect(!!short.querySelector('[part="more"]'), 'three lines are not collapsed').to.equal(false);
    const text = short.querySelector<HTMLElement>('[part~="text"]')!;
    expect(text.scrollHeight).to.be.at.most(text.clientHeight + 1);
  });

  it('says "Show more" in Chinese, and the button is themable as ::part(more)', async () => {
    const style = document.createElement('style');
    style.textContent = 'chat-room::part(more) { color: rgb(1, 2, 3); }';
    document.head.append(style);
    try {
      const el = await roomWith([LONG_LINES], { lang: 'zh-CN' });
      const button = $(el, '[part="more"]')!;
      expect(button.textContent!.trim()).to.equal('显示更多');
      expect(getComputedStyle(button).color).to.equal('rgb(1, 2, 3)');
      button.click();
      await el.updateComplete;
      expect(button.textContent!.trim()).to.equal('收起');
    } finally {
      style.remove();
    }
  });

  it('measures again when the width changes, and once a hidden widget is shown', async () => {
    const room = uniqueRoom('long');
    const other = await rawClient(`Writer ${room.slice(-6)}`);
    await rawJoin(other, room);
    // About four lines in a wide widget, far more in a narrow one.
    await rawSend(other, room, 'word '.repeat(60).trim());
    const box = document.createElement('div');
    box.style.width = '760px';
    box.hidden = true;
    document.body.append(box);
    const el = await mount({ room }, box);
    await connected(el);
    await waitFor(() => $(el, '[part~="message"]'), 'message');
    box.hidden = false;
    await waitFor(() => $(el, '[part~="message"] [part="text"]:not([data-fold])'), 'measured once shown');
    await el.updateComplete;
    expect(!!$(el, '[part="more"]'), 'fits in a wide widget').to.equal(false);
    box.style.width = '220px';
    await waitFor(() => $(el, '[part="more"]'), 'folded when narrow');
  });

  it('unfolds downwards: the text stays where the reader is, even at the end of the list', async () => {
    const el = await roomWith(['before', LONG_LINES]);
    const list = $(el, '[part="messages"]')!;
    await waitFor(() => list.scrollHeight - list.scrollTop - list.clientHeight < 2, 'at the end');
    const text = message(el, 'line 1').querySelector('[part~="text"]')!;
    const top = text.getBoundingClientRect().top;
    $(el, '[part="more"]')!.click();
    await el.updateComplete;
    await new Promise(requestAnimationFrame);
    expect(text.getBoundingClientRect().top).to.be.closeTo(top, 1);
  });

  it('keeps "Show less" in view when folding a text read to its end', async () => {
    const rows = Array.from({ length: 80 }, (_, i) => `row ${i + 1}`).join('\n');
    const el = await roomWith([rows, ...Array.from({ length: 12 }, (_, i) => `after ${i + 1}`)]);
    const button = $(el, '[part="more"]')!;
    button.click();
    await el.updateComplete;
    const list = $(el, '[part="messages"]')!;
    // The reader is at the end of the unfolded text, with more messages below it.
    button.scrollIntoView({ block: 'end' });
    await new Promise(requestAnimationFrame);
    expect(list.scrollHeight - list.scrollTop - list.clientHeight, 'messages below').to.be.above(100);
    button.focus();
    await sendKeys({ press: 'Enter' });
    await el.updateComplete;
    await new Promise(requestAnimationFrame);
    const [b, l] = [button.getBoundingClientRect(), list.getBoundingClientRect()];
    expect(b.top >= l.top - 1 && b.bottom <= l.bottom + 1, `button at ${b.top}–${b.bottom}, list ${l.top}–${l.bottom}`).to.equal(true);
  });

  it('collapses your own long message too', async () => {
    const el = await mount({ room: uniqueRoom('long') });
    await connected(el);
    await el.send(LONG_LINES);
    const button = await waitFor(() => $(el, '[part~="message-own"] [part="more"]'), 'show more on own message');
    expect(button.getAttribute('aria-expanded')).to.equal('false');
  });
  it('folds to whole lines whatever line height the page gives the text', async () => {
    const style = document.createElement('style');
    style.textContent = 'chat-room::part(text) { line-height: 31px; }';
    document.head.append(style);
    try {
      const el = await roomWith([LONG_LINES]);
      const text = message(el, 'line 1').querySelector<HTMLElement>('[part~="text"]')!;
      await waitFor(() => message(el, 'line 1').querySelector('[part="more"]'), 'show more');
      const box = getComputedStyle(text);
      const content = text.clientHeight - parseFloat(box.paddingTop) - parseFloat(box.paddingBottom);
      expect(content, 'six whole lines, no part of a seventh').to.be.closeTo(6 * 31, 1);
    } finally {
      style.remove();
    }
  });
});
