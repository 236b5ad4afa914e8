/**
 * README: the widget checks its connection at once when the network comes
 * back (`online`) or the tab comes to the foreground (`visibilitychange`),
 * instead of at the next beat. Seen through the element's `rtt`, which only
 * an answered `session:ping` sets (and a connect clears).
 */
import { expect } from '@esm-bundle/chai';
import { PING_INTERVAL_MS } from '../../protocol/index.js';
import type { ChatRoom } from '../../widget/index.js';
import { SERVER, STRICT_SERVER, cleanup, connected, mount, uniqueRoom, waitFor } from './helpers.js';

/** Well before the scheduled beat (PING_INTERVAL_MS after connecting), so only the event can have caused a ping. */
const AT_ONCE_MS = PING_INTERVAL_MS / 2;

/** A new element on its own connection: `server` keys the shared connection, so each test names another. */
async function freshlyConnected(server: string): Promise<{ el: ChatRoom; at: number }> {
  const el = await mount({ room: uniqueRoom('wake'), server });
  await connected(el);
  const at = performance.now();
  expect(el.rtt, 'no ping answered yet on a new connection').to.equal(null);
  return { el, at };
}

describe('heartbeat on wake', () => {
  afterEach(cleanup);

  it('pings at once when the browser goes back online', async () => {
    const { el, at } = await freshlyConnected(SERVER);
    window.dispatchEvent(new Event('online'));
    await waitFor(() => el.rtt !== null, 'an answered ping', AT_ONCE_MS);
    expect(performance.now() - at).to.be.below(AT_ONCE_MS);
  });

  it('pings at once when the tab becomes visible', async () => {
    expect(document.visibilityState).to.equal('visible');
    const { el, at } = await freshlyConnected(STRICT_SERVER);
    document.dispatchEvent(new Event('visibilitychange'));
    await waitFor(() => el.rtt !== null, 'an answered ping', AT_ONCE_MS);
    expect(performance.now() - at).to.be.below(AT_ONCE_MS);
  });
});
