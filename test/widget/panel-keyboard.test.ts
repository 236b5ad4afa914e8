/** Defect 4: panels opened from the keyboard take focus, hide what is behind them from Tab, and close with Escape. */
import { expect } from '@esm-bundle/chai';
import { sendKeys } from '@web/test-runner-commands';
import type { ChatRoom } from '../../widget/index.js';
import { $, $$, cleanup, connected, mount, rawClient, rawJoin, rawSend, uniqueRoom, waitFor } from './helpers.js';

/** The focused element inside the widget (null when focus is elsewhere on the page). */
function focused(el: ChatRoom): Element | null {
  return document.activeElement === el ? el.shadowRoot!.activeElement : null;
}

/** What has focus, named by its part (or tag): compared as text, since chai hangs formatting a live element. */
function focusName(el: ChatRoom): string {
  const at = focused(el);
  return at ? (at.getAttribute('part') ?? at.localName) : `outside (${document.activeElement?.localName})`;
}

/** Presses a key as the user would and lets the widget render what it caused. */
async function press(el: ChatRoom, key: string): Promise<void> {
  await sendKeys({ press: key });
  await el.updateComplete;
}

/** A room with a message (so the list behind the panel holds something focusable) and another member. */
async function roomWithPeer(): Promise<ChatRoom> {
  const room = uniqueRoom('keys');
  // A guest's name is reserved once it posts: each test has its own Kim.
  const other = await rawClient(`Kim ${room.slice(-6)}`);
  await rawJoin(other, room);
  await rawSend(other, room, 'see https://example.com');
  const el = await mount({ room });
  await connected(el);
  await waitFor(() => el.onlineCount === 2 && $(el, '[part="messages"] a'), 'peer and message');
  return el;
}

async function openMembers(el: ChatRoom): Promise<HTMLElement> {
  $(el, '[part="online"]')!.focus();
  await press(el, 'Enter');
  return waitFor(() => $(el, '[part="members"]'), 'member list');
}

describe('keyboard in panels', () => {
  afterEach(cleanup);

  it('moves focus into the member list and makes the message list behind it inert', async () => {
    const el = await roomWithPeer();
    const panel = await openMembers(el);
    expect(panel.contains(focused(el)), 'focus inside the member list').to.equal(true);
    const behind = $(el, '[part="messages"]')!;
    expect(behind.inert, 'message list inert').to.equal(true);
    // Tab around the whole widget: it never lands in the hidden list.
    const seen: Element[] = [];
    for (let i = 0; i < 8; i++) {
      await press(el, 'Tab');
      const at = focused(el);
      if (at) seen.push(at);
      expect(!!at && behind.contains(at), `Tab ${i + 1} landed behind the panel on ${focusName(el)}`).to.equal(false);
    }
    expect(seen.some((n) => panel.contains(n)), 'Tab reaches the panel').to.equal(true);
  });

  it('closes the member list with Escape from anywhere in the widget and returns focus to its opener', async () => {
    const el = await roomWithPeer();
    await openMembers(el);
    // From inside the panel.
    await press(el, 'Escape');
    expect(!!$(el, '[part="members"]'), 'member list open').to.equal(false);
    expect(focusName(el)).to.equal('online');
    expect($(el, '[part="messages"]')!.inert).to.equal(false);
    // From the composer, with the panel open.
    await openMembers(el);
    $(el, '[part="input"]')!.focus();
    await press(el, 'Escape');
    expect(!!$(el, '[part="members"]'), 'member list open').to.equal(false);
    expect(focusName(el)).to.equal('online');
  });

  it('keeps an Escape it used from the page, and passes on one it did not', async () => {
    const el = await roomWithPeer();
    let seen = 0;
    const count = (e: KeyboardEvent): void => {
      if (e.key === 'Escape' && !e.defaultPrevented) seen++;
    };
    document.addEventListener('keydown', count);
    try {
      await openMembers(el);
      await press(el, 'Escape');
      expect(seen, 'Escape that closed the list reached the page').to.equal(0);
      await press(el, 'Escape');
      expect(seen, 'Escape with nothing open reached the page').to.equal(1);
    } finally {
      document.removeEventListener('keydown', count);
    }
  });

  it('closes the rename form with Escape from anywhere and returns focus to your name', async () => {
    const el = await roomWithPeer();
    const chip = await waitFor(() => $(el, '[part="user"]'), 'user chip');
    chip.focus();
    await press(el, 'Enter');
    const form = await waitFor(() => $(el, '[part="rename"]'), 'rename form');
    expect(form.contains(focused(el)), 'focus in the rename form').to.equal(true);
    $(el, '[part="input"]')!.focus();
    await press(el, 'Escape');
    expect(!!$(el, '[part="rename"]'), 'rename form open').to.equal(false);
    expect(focusName(el)).to.equal('user');
  });

  it('leaves a private chat with Escape and returns focus to where it was opened', async () => {
    const el = await roomWithPeer();
    const panel = await openMembers(el);
    const kim = $$(el, '[part="member"]').find((m) => m.textContent!.includes('Kim '))!;
    expect(panel.contains(kim), 'member in the panel').to.equal(true);
    kim.focus();
    await press(el, 'Enter');
    await waitFor(() => $(el, '[part="back"]'), 'private chat');
    expect(focusName(el)).to.equal('input');
    await press(el, 'Escape');
    expect(!!$(el, '[part="back"]'), 'still in the private chat').to.equal(false);
    expect($(el, '[part="title"]')!.textContent).to.contain(el.roomName);
    expect(focusName(el)).to.equal('online');
  });

  it('closes one layer per Escape: the member list over a private chat first, then the chat', async () => {
    const el = await roomWithPeer();
    await openMembers(el);
    $$(el, '[part="member"]').find((m) => m.textContent!.includes('Kim '))!.focus();
    await press(el, 'Enter');
    await waitFor(() => $(el, '[part="back"]'), 'private chat');
    await openMembers(el);
    await press(el, 'Escape');
    expect(!!$(el, '[part="members"]'), 'member list open').to.equal(false);
    expect(!!$(el, '[part="back"]'), 'still in the private chat').to.equal(true);
    await press(el, 'Escape');
    expect(!!$(el, '[part="back"]'), 'still in the private chat').to.equal(false);
  });
});
