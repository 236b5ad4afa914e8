/**
 * Notifications (widget/notify) on the real element, in a real Chromium page
 * hidden for real (another tab in front) with the notification permission set
 * through the browser (the `page-state` command): the title badge, the chime
 * and desktop notifications fire only for live messages of others, never for
 * history, replay or your own.
 */
import { expect } from '@esm-bundle/chai';
import { executeServerCommand, sendMouse } from '@web/test-runner-commands';
import { HISTORY_PAGE_SIZE, type ChatMessage } from '../../protocol/index.js';
import { Notifier, type NotifierOptions } from '../../widget/notify/notifier.js';
import type { ChatRoom } from '../../widget/index.js';
import { $, cleanup, connected, mount, rawClient, rawJoin, rawSend, uniqueRoom, visitAndLeave, waitFor, type RawSocket } from './helpers.js';
import { openProxy } from './proxy.js';

type Permission = 'granted' | 'denied' | 'prompt';
const pageState = (state: { hidden?: boolean; permission?: Permission }) => executeServerCommand('page-state', state);

const all: NotifierOptions = { titleBadge: true, sound: true, notify: true, lang: () => 'en' };
const TITLE = 'Notify test page';

/** Resolves when the element fires `chat-room-message` (or `chat-room-dm`) with `text`. */
function arrival(el: ChatRoom, text: string, event: 'chat-room-message' | 'chat-room-dm' = 'chat-room-message'): Promise<ChatMessage> {
  return new Promise((resolve) => {
    const seen = (e: CustomEvent<{ message: ChatMessage }>) => {
      if (e.detail.message.text !== text) return;
      el.removeEventListener(event, seen);
      resolve(e.detail.message);
    };
    el.addEventListener(event, seen);
  });
}

async function sendDirect(from: RawSocket, el: ChatRoom, text: string): Promise<ChatMessage> {
  const got = arrival(el, text, 'chat-room-dm');
  const ack = await from.emitWithAck('dm:send', { to: el.user!.id, text, clientId: crypto.randomUUID() });
  if (!ack.ok) throw new Error(ack.error.code);
  return got;
}

async function sendRoom(from: RawSocket, el: ChatRoom, room: string, text: string): Promise<void> {
  const got = arrival(el, text);
  await rawSend(from, room, text);
  await got;
}

/** A real click at the centre of `target` (a user gesture, as `requestPermission` and audio need), or at a point. */
async function click(target: Element | [number, number]): Promise<void> {
  let position = target as [number, number];
  if (target instanceof Element) {
    const r = target.getBoundingClientRect();
    position = [Math.round(r.x + r.width / 2), Math.round(r.y + r.height / 2)];
  }
  await sendMouse({ type: 'click', position });
}

/** The element in a 400 × 400 box at the top left, so a click at (600, 500) is outside it. */
async function mountBox(attrs: Record<string, string>): Promise<ChatRoom> {
  const box = document.body.appendChild(document.createElement('div'));
  box.style.cssText = 'position: absolute; left: 0; top: 0; width: 400px; height: 400px;';
  const el = await mount(attrs, box);
  el.style.setProperty('--chat-room-height', '400px');
  return el;
}
const OUTSIDE: [number, number] = [600, 500];

/** Counts what each notification did, through spies on the browser APIs (the Notifier is what is tested). */
function spyOnBrowser() {
  const spied = { oscillators: 0, running: [] as string[], asked: 0, shown: [] as FakeNotification[], focused: 0 };
  const realOscillator = BaseAudioContext.prototype.createOscillator;
  BaseAudioContext.prototype.createOscillator = function (this: BaseAudioContext) {
    spied.oscillators++;
    spied.running.push(this.state);
    return realOscillator.call(this);
  };
  const RealNotification = window.Notification;
  const realRequest = RealNotification.requestPermission.bind(RealNotification);
  // The browser's own permission state (set through CDP); constructing is recorded instead of shown.
  class FakeNotification {
    static get permission(): NotificationPermission {
      return RealNotification.permission;
    }
    static requestPermission(): Promise<NotificationPermission> {
      spied.asked++;
      return realRequest();
    }
    onclick: ((e: Event) => void) | null = null;
    closed = false;
    constructor(
      readonly title: string,
      readonly options: NotificationOptions,
    ) {
      spied.shown.push(this);
    }
    close(): void {
      this.closed = true;
    }
  }
  window.Notification = FakeNotification as unknown as typeof Notification;
  const realFocus = window.focus;
  window.focus = () => void spied.focused++;
  const restore = () => {
    BaseAudioContext.prototype.createOscillator = realOscillator;
    window.Notification = RealNotification;
    window.focus = realFocus;
  };
  return { spied, restore };
}

describe('notifications (title badge, sound, desktop)', function (this: { timeout(ms: number): void }) {
  this.timeout(40_000);
  let notifier: Notifier | null = null;
  let restore = () => {};

  beforeEach(() => {
    document.title = TITLE;
  });

  afterEach(async () => {
    notifier?.destroy();
    notifier = null;
    restore();
    await pageState({ hidden: false, permission: 'prompt' });
    cleanup();
  });

  it('the title badge shows the unread count only while hidden, once a new message of someone else came; never for history or own', async () => {
    const room = uniqueRoom('badge');
    const other = await rawClient('Badge Other');
    await rawJoin(other, room);
    await rawSend(other, room, 'seen');
    // A visit that reads the room stores this guest's cursor; the two after it are unread history for the next visit.
    await visitAndLeave(room);
    await rawSend(other, room, 'missed 1', 'missed 2');

    await pageState({ hidden: true });
    expect(document.visibilityState).to.equal('hidden');
    const el = await mount({ room });
    notifier = new Notifier(el, { ...all, sound: false, notify: false });
    await connected(el);
    await waitFor(() => el.unread === 2, 'the unread history counted');
    await el.updateComplete;
    expect(document.title, 'unread history').to.equal(TITLE);

    const own = arrival(el, 'mine');
    await el.send('mine');
    await own;
    expect(document.title, 'own message').to.equal(TITLE);

    await sendRoom(other, el, room, 'live 1');
    await waitFor(() => document.title === `(3) ${TITLE}`, 'the badge with the unread count');
    await sendDirect(other, el, 'psst');
    expect(document.title, 'a private message counts too').to.equal(`(4) ${TITLE}`);

    await pageState({ hidden: false });
    expect(document.visibilityState).to.equal('visible');
    await waitFor(() => document.title === TITLE, 'restored when visible');
    await waitFor(() => el.unread === 0, 'read once visible');
    await sendRoom(other, el, room, 'while visible');
    await el.updateComplete;
    expect(document.title, 'visible').to.equal(TITLE);

    // A title the page sets meanwhile is kept under the badge; destroying the notifier restores it.
    await pageState({ hidden: true });
    document.title = 'Renamed page';
    await sendRoom(other, el, room, 'live 2');
    await waitFor(() => document.title === '(1) Renamed page', 'badge over the new title');
    notifier.destroy();
    expect(document.title).to.equal('Renamed page');
  });

  it('none fires for history, replay after a reconnect, own messages or while visible; the chime needs an interaction first', async () => {
    const { spied, restore: undo } = spyOnBrowser();
    restore = undo;
    await pageState({ permission: 'granted' });
    const proxy = await openProxy();
    await proxy.up();
    const room = uniqueRoom('quiet');
    const other = await rawClient('Quiet Other');
    await rawJoin(other, room);
    await rawSend(other, room, 'history 1', 'history 2');
    // Mounted while hidden, the notifier attached before it connects: the history loads while the page is hidden.
    await pageState({ hidden: true });
    const el = await mountBox({ server: proxy.url, room });
    notifier = new Notifier(el, all);
    await connected(el);
    await waitFor(() => el.messages.length === 2, 'history');
    await sendRoom(other, el, room, 'before any interaction');
    expect(spied.oscillators, 'no chime before the visitor interacted').to.equal(0);
    expect(spied.shown.map((n) => n.options.body)).to.deep.equal(['before any interaction']);
    expect(document.title).to.equal(`(1) ${TITLE}`);

    await pageState({ hidden: false });
    await click(OUTSIDE);
    await sendRoom(other, el, room, 'while visible');
    const own = arrival(el, 'mine');
    await el.send('mine');
    await own;

    await pageState({ hidden: true });
    const ownHidden = arrival(el, 'mine, hidden');
    await el.send('mine, hidden');
    await ownHidden;
    await proxy.down();
    await waitFor(() => el.connectionState !== 'connected', 'the outage noticed');
    // More than a page: the reload replays the latest page at once, then fetches the older ones in the gap.
    const missed = Array.from({ length: HISTORY_PAGE_SIZE + 10 }, (_, i) => `missed ${i + 1}`);
    await rawSend(other, room, ...missed);
    const replayed = Promise.all([arrival(el, missed[0]!), arrival(el, missed.at(-1)!)]);
    await proxy.up();
    await replayed;
    await el.updateComplete;
    expect(spied.oscillators, 'visible, own or replayed: no chime').to.equal(0);
    expect(spied.shown.length, 'visible, own or replayed: no notification').to.equal(1);
    expect(document.title, 'replay does not show the badge').to.equal(TITLE);

    await sendRoom(other, el, room, 'live, hidden');
    expect(spied.oscillators).to.equal(1);
    expect(spied.running).to.deep.equal(['running']);
    expect(spied.shown.map((n) => n.options.body)).to.deep.equal(['before any interaction', 'live, hidden']);
    await waitFor(() => document.title === `(${missed.length + 1}) ${TITLE}`, 'the badge (the replayed ones are unread too)');

    // Switched on after the visitor interacted, the chime works at once.
    notifier.update({ ...all, sound: false });
    notifier.update(all);
    await sendRoom(other, el, room, 'chime again');
    expect(spied.oscillators).to.equal(2);
    await proxy.down();
  });

  it('asks for the notification permission only from a click inside the widget, once', async () => {
    const { spied, restore: undo } = spyOnBrowser();
    restore = undo;
    expect(Notification.permission).to.equal('default');
    const room = uniqueRoom('ask');
    const el = await mountBox({ room });
    notifier = new Notifier(el, { ...all, sound: false, titleBadge: false });
    await connected(el);
    const other = await rawClient('Ask Other');
    await rawJoin(other, room);
    await waitFor(() => el.user, 'user');
    await sendDirect(other, el, 'hello?');
    expect(spied.asked, 'not on load nor on a message').to.equal(0);
    expect(spied.shown).to.have.length(0);

    await click(OUTSIDE);
    expect(spied.asked, 'a click outside the widget').to.equal(0);
    await click($(el, '[part="messages"]')!);
    expect(spied.asked, 'a click inside the widget').to.equal(1);
    await click($(el, '[part="messages"]')!);
    expect(spied.asked, 'asked once').to.equal(1);

    // Refused: never asked, nothing shown.
    notifier.destroy();
    await pageState({ permission: 'denied' });
    notifier = new Notifier(el, { ...all, sound: false, titleBadge: false });
    await click($(el, '[part="messages"]')!);
    await sendDirect(other, el, 'hello again?');
    expect(spied.asked).to.equal(1);
    expect(spied.shown).to.have.length(0);
  });

  it('with permission: a private message notifies even while visible and its click opens the chat; room messages only while hidden', async () => {
    const { spied, restore: undo } = spyOnBrowser();
    restore = undo;
    await pageState({ permission: 'granted' });
    const room = uniqueRoom('notify');
    const el = await mount({ room });
    notifier = new Notifier(el, { ...all, sound: false, titleBadge: false });
    await connected(el);
    await waitFor(() => el.user, 'user');
    const other = await rawClient('Notify Other');
    await rawJoin(other, room);

    const secret = await sendDirect(other, el, 'a secret');
    expect(spied.shown).to.have.length(1);
    const dm = spied.shown[0]!;
    expect([dm.title, dm.options.body, dm.options.tag]).to.deep.equal(['Notify Other (private message)', 'a secret', `chat-room-dm:${secret.from.id}`]);
    dm.onclick!(new Event('click'));
    expect(spied.focused).to.equal(1);
    expect(dm.closed).to.equal(true);
    await waitFor(() => $(el, '[part="back"]'), 'the private chat open');
    expect($(el, '[part="title"]')!.textContent).to.contain('Notify Other');
    el.closeDirect();

    await sendRoom(other, el, room, 'visible room message');
    expect(spied.shown, 'room message while visible').to.have.length(1);

    await pageState({ hidden: true });
    await sendRoom(other, el, room, 'hidden room message');
    expect(spied.shown).to.have.length(2);
    const roomNote = spied.shown[1]!;
    expect([roomNote.title, roomNote.options.body, roomNote.options.tag]).to.deep.equal([`Notify Other in ${room}`, 'hidden room message', `chat-room:${room}`]);
    // Clicking focuses the tab and shows the chat (`show()`: a launcher opens its panel).
    expect(el.open).to.equal(false);
    roomNote.onclick!(new Event('click'));
    expect(spied.focused).to.equal(2);
    expect(el.open).to.equal(true);
  });
});
