import { expect } from '@esm-bundle/chai';
import { sendKeys } from '@web/test-runner-commands';
import { normalizeServer } from '../../widget/client/connection.js';
import { guestKeyStorageKey } from '../../widget/client/guest-key.js';
import type { ChatRoom } from '../../widget/index.js';
import type { ChatRoomUnreadDetail } from '../../widget/events.js';
import {
  $,
  $$,
  SERVER,
  adminApi,
  cleanup,
  connected,
  messageTexts,
  mount,
  rawClient,
  rawJoin,
  rawSend,
  uniqueRoom,
  waitFor,
} from './helpers.js';

async function typeAndSend(el: ChatRoom, text: string): Promise<void> {
  ($(el, '[part="input"]') as HTMLTextAreaElement).focus();
  await sendKeys({ type: text });
  await sendKeys({ press: 'Enter' });
}

/** The guest key this page's widgets use on the test server. */
function pageGuestKey(): string {
  return localStorage.getItem(guestKeyStorageKey(normalizeServer(SERVER), 'demo'))!;
}

describe('<chat-room> delivery states', () => {
  afterEach(cleanup);

  it('shows the last own message as sent once the server stored it', async () => {
    const el = await mount({ room: uniqueRoom() });
    await connected(el);
    await typeAndSend(el, 'first');
    await typeAndSend(el, 'second');
    await waitFor(() => $$(el, '[part~="message-own"][data-state="sent"]').length === 2, 'two sent');
    const delivery = $$(el, '[part~="message-own"] [part="delivery"]');
    expect(delivery, 'only the last own message carries the line').to.have.length(1);
    expect(delivery[0]!.textContent).to.contain('Sent');
    expect(delivery[0]!.closest('[data-id]')!.textContent).to.contain('second');
  });

  it('marks a refused message failed, and retries it with the same clientId once it may be sent', async () => {
    const room = uniqueRoom();
    const el = await mount({ room });
    await connected(el);
    const { ban } = (await adminApi('POST', '/sites/demo/bans', { userId: el.user!.id, kind: 'mute', durationMs: 60_000 })) as {
      ban: { id: string };
    };
    let failed: HTMLElement;
    try {
      await typeAndSend(el, 'while muted');
      failed = await waitFor(() => $(el, '[part~="message-failed"][data-state="failed"]'), 'failed bubble');
      expect(failed.textContent).to.contain('Not sent');
      expect(failed.querySelector('[part="retry"]')).to.not.equal(null);
      expect(failed.querySelector('[part="discard"]')).to.not.equal(null);
    } finally {
      await adminApi('DELETE', `/sites/demo/bans/${ban.id}`);
    }
    const clientId = failed.dataset.clientId!;
    (failed.querySelector('[part="retry"]') as HTMLButtonElement).click();
    const sent = await waitFor(() => $(el, '[part~="message-own"][data-state="sent"]'), 'sent after retry');
    expect(sent.textContent).to.contain('while muted');
    expect($(el, '[data-state="failed"]')).to.equal(null);
    expect(el.messages.map((m) => [m.text, m.clientId])).to.deep.equal([['while muted', clientId]]);

    const reader = await rawClient('Reader');
    const joined = await reader.emitWithAck('room:join', { room });
    expect(joined.ok && joined.data.messages.map((m) => m.clientId)).to.deep.equal([clientId]);
  });

  it('discards a failed message', async () => {
    const el = await mount({ room: uniqueRoom() });
    await connected(el);
    const { ban } = (await adminApi('POST', '/sites/demo/bans', { userId: el.user!.id, kind: 'mute', durationMs: 60_000 })) as {
      ban: { id: string };
    };
    try {
      await typeAndSend(el, 'never mind');
      const failed = await waitFor(() => $(el, '[data-state="failed"]'), 'failed bubble');
      (failed.querySelector('[part="discard"]') as HTMLButtonElement).click();
      await waitFor(() => !$(el, '[data-state="failed"]'), 'gone');
      expect(messageTexts(el)).to.deep.equal([]);
    } finally {
      await adminApi('DELETE', `/sites/demo/bans/${ban.id}`);
    }
  });

  it('counts what was missed while away, marks where it starts, and clears the count at the end of the list', async () => {
    const room = uniqueRoom('away');
    const other = await rawClient('Chatty');
    await rawJoin(other, room);
    await rawSend(other, room, 'seen 1', 'seen 2');
    const first = await mount({ room });
    await connected(first);
    await waitFor(() => first.messages.length === 2, 'history');
    // The delivery ack reaches the server (batched): the same guest sees its cursor on joining.
    const self = await rawClient(undefined, 'demo', pageGuestKey());
    await waitFor(async () => {
      const join = await self.emitWithAck('room:join', { room });
      return join.ok && join.data.cursor === 2;
    }, 'cursor stored');
    self.disconnect();
    first.remove();
    await waitFor(() => first.connectionState === 'disconnected', 'page closed');

    const missed = Array.from({ length: 60 }, (_, i) => `missed ${i + 1}`);
    await rawSend(other, room, ...missed);

    const counts: number[] = [];
    const host = document.createElement('div');
    host.addEventListener('chat-room-unread', (e) => counts.push((e as CustomEvent<ChatRoomUnreadDetail>).detail.count));
    document.body.append(host);
    const el = await mount({ room }, host);
    // Beyond one history page: the 60 after the cursor; the two seen ones stay behind "load earlier".
    await waitFor(() => el.unread === 60 && el.messages.length === 60, 'all 60 missed').catch((e: Error) => {
      throw new Error(`${e.message}: unread ${el.unread}, held ${el.messages.length} (${el.messages[0]?.seq}..${el.messages.at(-1)?.seq})`);
    });
    expect(el.messages.map((m) => m.text)).to.deep.equal(missed);
    await el.updateComplete;
    const divider = await waitFor(() => $(el, '[part="unread-divider"]'), 'divider');
    expect((divider.nextElementSibling as HTMLElement).textContent).to.contain('missed 1');
    const list = $(el, '[part="messages"]')!;
    const top = divider.getBoundingClientRect().top - list.getBoundingClientRect().top;
    expect(top, 'the first unread is at the top of the list').to.be.within(-10, 40);
    expect($(el, '[part="jump"]')!.textContent).to.contain('60 new');
    expect(counts).to.include(60);

    list.scrollTop = list.scrollHeight;
    await waitFor(() => el.unread === 0, 'read at the bottom');
    await waitFor(() => counts.at(-1) === 0, 'event with 0');
  });

  it('shows the round-trip time of the heartbeat in the connection state', async () => {
    const el = await mount({ room: uniqueRoom() });
    await connected(el);
    const rtt = await waitFor(() => $(el, '[part="rtt"]'), 'rtt', 8000);
    expect(rtt.textContent).to.match(/^\d+ ms$/);
    expect(el.rtt).to.be.a('number');
    expect($(el, '[part="status"]')!.title).to.match(/round trip \d+ ms/);
  });
});
