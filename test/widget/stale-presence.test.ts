/** While the connection is down, the online count and member list say they are the last known ones; fresh again after reconnect. */
import { expect } from '@esm-bundle/chai';
import { $, cleanup, connected, mount, rawClient, rawJoin, uniqueRoom, waitFor } from './helpers.js';
import { openProxy } from './proxy.js';
import type { ChatRoom } from '../../widget/index.js';

const text = (node: HTMLElement | null) => node?.textContent?.replace(/\s+/g, ' ').trim() ?? '';
const chip = (el: ChatRoom) => $(el, '[part~="online"]');
const panelHeading = (el: ChatRoom) => $(el, '[part="members"] h2');

describe('stale presence', function (this: { timeout(ms: number): void }) {
  this.timeout(30_000);
  afterEach(cleanup);

  it('marks the count and the member list as last known during an outage, and current after reconnect', async () => {
    const proxy = await openProxy();
    await proxy.up();
    const room = uniqueRoom('stale');
    const other = await rawClient('Stale Other');
    await rawJoin(other, room);
    const el = await mount({ server: proxy.url, room });
    await connected(el);
    await waitFor(() => el.onlineCount === 2, 'two online');
    chip(el)!.click();
    await el.updateComplete;
    expect(text(chip(el))).to.not.include('last known');
    expect(text(panelHeading(el))).to.not.include('last known');

    await proxy.down();
    await waitFor(() => el.connectionState !== 'connected', 'the outage noticed');
    await el.updateComplete;
    expect(text(chip(el))).to.include('2 online').and.include('last known');
    expect(chip(el)!.dataset.stale).to.equal('true');
    expect(text(panelHeading(el))).to.include('last known');

    await proxy.up();
    await connected(el);
    await waitFor(() => !text(chip(el)).includes('last known'), 'the count current again', 5_000);
    expect(chip(el)!.dataset.stale).to.equal('false');
    expect(text(panelHeading(el))).to.not.include('last known');
    expect(el.onlineCount).to.equal(2);
    await proxy.down();
  });
});
