import { expect } from '@esm-bundle/chai';
import { UNREAD_CAP } from '../../protocol/index.js';
import type { ChatRoomUnreadDetail } from '../../widget/events.js';
import { $, cleanup, mount, rawClient, rawJoin, rawSend, uniqueRoom, visitAndLeave, waitFor } from './helpers.js';

describe('<chat-room> capped unread count', () => {
  afterEach(cleanup);

  it(`shows "${UNREAD_CAP}+" when more than ${UNREAD_CAP} were missed, and clears it at the end of the list`, async () => {
    const room = uniqueRoom('capped');
    const other = await rawClient('Chatty');
    await rawJoin(other, room);
    await rawSend(other, room, 'seen');
    await visitAndLeave(room);

    await rawSend(other, room, ...Array.from({ length: UNREAD_CAP + 21 }, (_, i) => `missed ${i + 1}`));

    const seen: ChatRoomUnreadDetail[] = [];
    const host = document.createElement('div');
    host.addEventListener('chat-room-unread', (e) => seen.push((e as CustomEvent<ChatRoomUnreadDetail>).detail));
    document.body.append(host);
    const el = await mount({ room }, host);
    await waitFor(() => el.messages.length === UNREAD_CAP + 21, 'all missed replayed').catch((e: Error) => {
      throw new Error(`${e.message}: unread ${el.unread}, held ${el.messages.length}`);
    });
    expect([el.unread, el.unreadCapped]).to.deep.equal([UNREAD_CAP, true]);
    await el.updateComplete;
    expect($(el, '[part="jump"]')!.textContent).to.contain(`${UNREAD_CAP}+ new`);
    expect(seen).to.deep.include({ room, count: UNREAD_CAP, capped: true });

    const list = $(el, '[part="messages"]')!;
    list.scrollTop = list.scrollHeight;
    await waitFor(() => el.unread === 0 && !el.unreadCapped, 'read at the bottom');
    await waitFor(() => seen.at(-1)?.count === 0 && seen.at(-1)?.capped === false, 'event with 0, not capped');
  });
});
