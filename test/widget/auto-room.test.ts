/**
 * README: `room="auto"` gives every page its own room from its path. The
 * element on a page at `/<unique>/post-1/` must be in `page:/<unique>/post-1`
 * on the server: another visitor in that room sees its message.
 */
import { expect } from '@esm-bundle/chai';
import { cleanup, connected, mount, rawClient, rawJoin, waitFor } from './helpers.js';

describe('room="auto"', () => {
  const original = location.href;
  afterEach(() => {
    cleanup();
    history.replaceState(null, '', original);
  });

  it('joins the room named after the page path on the server', async () => {
    const unique = `auto-${Math.random().toString(36).slice(2, 10)}`;
    history.replaceState(null, '', `/${unique}/post-1/${location.search}`);
    const expected = `page:/${unique}/post-1`;
    const other = await rawClient('Reader');
    await rawJoin(other, expected);
    const heard: string[] = [];
    other.on('message:new', (m) => heard.push(`${m.room} ${m.text}`));

    const el = await mount({ room: 'auto' });
    await connected(el);
    expect(el.roomName).to.equal(expected);
    await el.send('hello from the page');
    await waitFor(() => heard.length > 0, 'the message in the page room');
    expect(heard).to.deep.equal([`${expected} hello from the page`]);
  });
});
