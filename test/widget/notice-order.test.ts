/** Notices sit in time order among the messages, and a visitor is never told about their own joining. */
import { expect } from '@esm-bundle/chai';
import type { ChatRoom } from '../../widget/index.js';
import { $$, cleanup, connected, messageTexts, mount, rawClient, rawJoin, rawSend, uniqueName, uniqueRoom, waitFor } from './helpers.js';

/** The timeline as the reader sees it, top to bottom: message texts and notice texts. */
function timeline(el: ChatRoom): string[] {
  return $$(el, '[part~="message"] [part="text"], [part="notice"]').map((n) =>
    n.matches('[part="notice"]') ? `notice: ${n.textContent!.trim()}` : n.textContent!.trim(),
  );
}

describe('<chat-room> notices in a room with history', () => {
  afterEach(cleanup);

  it('shows no notice of your own joining, and places later notices after the history', async () => {
    const room = uniqueRoom('notices');
    const author = await rawClient(uniqueName('History Author'));
    await rawJoin(author, room);
    await rawSend(author, room, 'old one', 'old two');

    const el = await mount({ room });
    await connected(el);
    await waitFor(() => messageTexts(el).length === 2, 'history loaded');

    const visitorName = uniqueName('Late Visitor');
    const visitor = await rawClient(visitorName);
    await rawJoin(visitor, room);
    // Joins arrive in the room's next coalesced presence update (protocol 3): the message is sent after it.
    await waitFor(() => timeline(el).includes(`notice: ${visitorName} joined`), 'the join notice');
    await rawSend(author, room, 'after the visitor');
    await waitFor(() => messageTexts(el).includes('after the visitor'), 'the later message');

    expect(timeline(el)).to.deep.equal(['old one', 'old two', `notice: ${visitorName} joined`, 'after the visitor']);
    expect(timeline(el).join('\n'), 'nothing about yourself').to.not.contain(el.user!.name);
  });
});
