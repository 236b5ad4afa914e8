/**
 * A message that mentions you notifies like a private message: a desktop
 * notification even while the page is visible, once (not also as a room
 * message), its `<@id>` tokens shown as names. Real element, real server,
 * the browser's notification permission set through CDP; constructing a
 * notification is recorded instead of shown.
 */
import { expect } from '@esm-bundle/chai';
import { executeServerCommand } from '@web/test-runner-commands';
import type { ChatMessage } from '../../protocol/index.js';
import type { ChatRoom } from '../../widget/index.js';
import { Notifier } from '../../widget/notify/notifier.js';
import { cleanup, connected, mount, rawClient, rawJoin, rawSend, uniqueRoom, waitFor } from './helpers.js';

const pageState = (state: { hidden?: boolean; permission?: 'granted' | 'prompt' }) => executeServerCommand('page-state', state);

/** Records the notifications the page constructs. */
function recordNotifications(): { shown: { title: string; options: NotificationOptions }[]; restore(): void } {
  const shown: { title: string; options: NotificationOptions }[] = [];
  const Real = window.Notification;
  class Recorded {
    static get permission(): NotificationPermission {
      return Real.permission;
    }
    onclick: ((e: Event) => void) | null = null;
    constructor(title: string, options: NotificationOptions) {
      shown.push({ title, options });
    }
    close(): void {}
  }
  window.Notification = Recorded as unknown as typeof Notification;
  return { shown, restore: () => (window.Notification = Real) };
}

function arrival(el: ChatRoom, text: string): Promise<ChatMessage> {
  return new Promise((resolve) => {
    const seen = (e: CustomEvent<{ message: ChatMessage }>) => {
      if (e.detail.message.text.startsWith(text)) {
        el.removeEventListener('chat-room-message', seen);
        resolve(e.detail.message);
      }
    };
    el.addEventListener('chat-room-message', seen);
  });
}

describe('rich messages: mentions notify like private messages', function (this: { timeout(ms: number): void }) {
  this.timeout(30_000);
  let notifier: Notifier | null = null;
  let restore = () => {};

  afterEach(async () => {
    notifier?.destroy();
    notifier = null;
    restore();
    await pageState({ hidden: false, permission: 'prompt' });
    cleanup();
  });

  it('shows a mention while the page is visible, once, with names for the mention tokens; a plain room message not', async () => {
    const recorded = recordNotifications();
    restore = recorded.restore;
    await pageState({ permission: 'granted' });
    const room = uniqueRoom('mention-notify');
    const el = await mount({ room });
    notifier = new Notifier(el, { titleBadge: false, sound: false, notify: true, lang: () => 'en' });
    await connected(el);
    await waitFor(() => el.user, 'user');
    // Only users the site knows can be mentioned: a guest is, once they have written.
    await el.send('here');
    const other = await rawClient('Mention Other');
    await rawJoin(other, room);

    let got = arrival(el, 'plain');
    await rawSend(other, room, 'plain words');
    await got;
    expect(recorded.shown).to.deep.equal([]);

    got = arrival(el, 'look');
    await rawSend(other, room, `look <@${el.user!.id}>!`);
    await got;
    expect(recorded.shown.map((n) => [n.title, n.options.body, n.options.tag])).to.deep.equal([
      [`Mention Other in ${room}`, `look @${el.user!.name}!`, `chat-room:${room}`],
    ]);

    // Hidden, a mention is still one notification (the room message is not notified besides).
    await pageState({ hidden: true });
    got = arrival(el, 'again');
    await rawSend(other, room, `again <@${el.user!.id}>`);
    await got;
    expect(recorded.shown).to.have.length(2);
  });
});
