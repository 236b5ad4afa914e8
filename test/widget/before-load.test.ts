/**
 * The element's API before its chat is loaded: the loader defines
 * `<chat-room>` at once and loads the chat view from chunks; meanwhile the
 * read-only properties are empty, requests wait for the chat, and
 * `updateComplete` settles once it is rendered.
 */
import { expect } from '@esm-bundle/chai';
import { ChatRoom } from '../../widget/index.js';
import { $, SERVER, cleanup, uniqueRoom, waitFor } from './helpers.js';

describe('<chat-room> before its chat is loaded', () => {
  afterEach(cleanup);

  it('draws its frame at once, reads as empty, and has send() wait for the chat', async () => {
    const room = uniqueRoom('early');
    const el = document.createElement('chat-room') as ChatRoom;
    el.setAttribute('server', SERVER);
    el.room = room;
    document.body.append(el);
    // Synchronously after insertion: the frame (the chat's final size), nothing loaded yet.
    const frame = el.shadowRoot!.querySelector('[part="base"]')!;
    expect(frame.getAttribute('aria-busy')).to.equal('true');
    expect(el.getBoundingClientRect().height).to.equal(480);
    expect([el.messages, el.members, el.unread, el.connectionState, el.user, el.roomName]).to.deep.equal([[], [], 0, 'disconnected', null, '']);

    const sent = el.send('sent before the chat was there');
    await el.updateComplete;
    expect(el.roomName).to.equal(room);
    expect(el.getBoundingClientRect().height, 'nothing moved').to.equal(480);
    const message = await sent;
    expect(message.text).to.equal('sent before the chat was there');
    await waitFor(() => el.messages.some((m) => m.id === message.id), 'the message in the list');
    expect($(el, '[part~="message-own"]')).to.not.equal(null);
    el.remove();
  });

  it('takes properties set before the element was defined', async () => {
    class Late extends ChatRoom {}
    const el = document.createElement('late-chat-room') as ChatRoom;
    // An own property, as a framework sets it on an element not yet defined.
    Object.assign(el, { server: SERVER, room: uniqueRoom('late') });
    document.body.append(el);
    customElements.define('late-chat-room', Late);
    await el.updateComplete;
    expect(el.getAttribute('server')).to.equal(SERVER);
    expect(el.roomName).to.match(/^late-/);
    el.remove();
  });

  it('opens a launcher whose open property was set before the element was defined, at once', async () => {
    class LateLauncher extends ChatRoom {}
    const el = document.createElement('late-chat-launcher') as ChatRoom;
    Object.assign(el, { server: SERVER, room: uniqueRoom('late-launcher'), mode: 'launcher', open: true });
    document.body.append(el);
    customElements.define('late-chat-launcher', LateLauncher);
    expect(el.getAttribute('mode')).to.equal('launcher');
    await waitFor(() => el.shadowRoot!.querySelector('[part="panel"]')?.checkVisibility(), 'the open panel');
    await el.updateComplete;
    expect($(el, '[part~="input"]')).to.not.equal(null);
    el.close();
    el.remove();
  });
});
