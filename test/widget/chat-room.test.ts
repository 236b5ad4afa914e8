import { expect } from '@esm-bundle/chai';
import { sendKeys } from '@web/test-runner-commands';
import { openConnections } from '../../widget/client/registry.js';
import type { ChatRoom } from '../../widget/index.js';
import {
  $,
  $$,
  afterFailedImageLoad,
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

async function type(el: ChatRoom, text: string): Promise<void> {
  ($(el, '[part="input"]') as HTMLTextAreaElement).focus();
  await sendKeys({ type: text });
}

describe('<chat-room>', () => {
  afterEach(cleanup);

  it('renders the header, message list and composer parts', async () => {
    const el = await mount({ room: uniqueRoom() });
    for (const part of ['base', 'header', 'title', 'online', 'status', 'messages', 'typing', 'composer', 'input', 'send']) {
      expect($(el, `[part~="${part}"]`), part).to.not.equal(null);
    }
    const log = $(el, '[part="messages"]')!;
    expect(log.getAttribute('role')).to.equal('log');
    await connected(el);
    expect($(el, '[part="status"]')!.dataset.state).to.equal('connected');
    expect($(el, '[part="title"]')!.textContent).to.contain(el.room);
  });

  it('sends a message typed in the composer when Enter is pressed', async () => {
    const el = await mount({ room: uniqueRoom() });
    await connected(el);
    const got = new Promise<CustomEvent>((r) => el.addEventListener('chat-room-message', r as EventListener, { once: true }));
    await type(el, 'hello from the composer');
    await sendKeys({ press: 'Enter' });
    const event = await got;
    expect(event.detail.message.text).to.equal('hello from the composer');
    expect(event.detail.own).to.equal(true);
    await waitFor(() => $(el, '[part~="message-own"][data-id]'), 'own message');
    expect(messageTexts(el)).to.deep.equal(['hello from the composer']);
    expect(($(el, '[part="input"]') as HTMLTextAreaElement).value).to.equal('');
  });

  it('inserts a newline on Shift+Enter instead of sending', async () => {
    const el = await mount({ room: uniqueRoom() });
    await connected(el);
    await type(el, 'line one');
    await sendKeys({ down: 'Shift' });
    await sendKeys({ press: 'Enter' });
    await sendKeys({ up: 'Shift' });
    await sendKeys({ type: 'line two' });
    const input = $(el, '[part="input"]') as HTMLTextAreaElement;
    expect(input.value).to.equal('line one\nline two');
    expect(messageTexts(el)).to.deep.equal([]);
    await sendKeys({ press: 'Enter' });
    await waitFor(() => messageTexts(el).length === 1, 'sent');
    expect(($(el, '[part~="message"] [part="text"]') as HTMLElement).innerText).to.equal('line one\nline two');
  });

  it('shows an own message as pending until the server acknowledges it', async () => {
    const el = await mount({ room: uniqueRoom() });
    await connected(el);
    const sent = el.send('pending first');
    await el.updateComplete;
    const pending = $(el, '[part~="message-own"][data-state="sending"]');
    expect(pending, 'pending bubble').to.not.equal(null);
    expect(pending!.textContent).to.contain('pending first');
    const message = await sent;
    await el.updateComplete;
    expect($(el, '[data-state="sending"]')).to.equal(null);
    expect($(el, `[part~="message-own"][data-id="${message.id}"]`)).to.not.equal(null);
  });

  it('refuses empty and oversize messages before sending', async () => {
    const el = await mount({ room: uniqueRoom() });
    await connected(el);
    let code = '';
    await el.send('   ').catch((e: { code: string }) => (code = e.code));
    expect(code).to.equal('message_empty');
    await el.send('x'.repeat(2001)).catch((e: { code: string }) => (code = e.code));
    expect(code).to.equal('message_too_long');
    expect(messageTexts(el)).to.deep.equal([]);
  });

  it('receives messages sent by another visitor', async () => {
    const room = uniqueRoom();
    const el = await mount({ room });
    await connected(el);
    const other = await rawClient('Visitor Two');
    await rawJoin(other, room);
    await rawSend(other, room, 'hi from elsewhere');
    await waitFor(() => messageTexts(el).includes('hi from elsewhere'), 'remote message');
    const item = $$(el, '[part~="message"]').at(-1)!;
    expect(item.getAttribute('part')).to.not.contain('message-own');
    expect(item.querySelector('[part="author"]')!.textContent).to.equal('Visitor Two');
    await waitFor(() => el.onlineCount === 2, 'presence count 2');
    expect($(el, '[part="online"]')!.textContent).to.contain('2');
  });

  it('shows the history on join and loads older messages when scrolled to the top', async () => {
    const room = uniqueRoom('history');
    const other = await rawClient();
    await rawJoin(other, room);
    const texts = Array.from({ length: 60 }, (_, i) => `history ${i + 1}`);
    await rawSend(other, room, ...texts);
    const el = await mount({ room });
    // The live region's state in the very render that first shows the history (a mutation record, not a later look).
    let liveWhenHistoryShown: string | null | undefined;
    const observer = new MutationObserver(() => {
      if (liveWhenHistoryShown === undefined && messageTexts(el).length > 0) {
        liveWhenHistoryShown = $(el, '[part="messages"]')!.getAttribute('aria-live');
      }
    });
    observer.observe(el.shadowRoot!, { childList: true, subtree: true });
    await connected(el);
    await waitFor(() => messageTexts(el).length === 50, '50 latest');
    observer.disconnect();
    expect(messageTexts(el)[0]).to.equal('history 11');
    expect(messageTexts(el).at(-1)).to.equal('history 60');
    const log = $(el, '[part="messages"]')!;
    await waitFor(() => log.scrollHeight > log.clientHeight && log.scrollTop > 0, 'scrolled to bottom');
    expect(liveWhenHistoryShown, 'history is not announced').to.equal('off');
    await waitFor(() => log.getAttribute('aria-live') === 'polite', 'live region on once the history is in');
    const offset = () =>
      $(el, '[part~="message"][data-seq="11"]')!.getBoundingClientRect().top - log.getBoundingClientRect().top;
    log.scrollTop = 0;
    const before = offset();
    await waitFor(() => messageTexts(el).length === 60, 'older page');
    await el.updateComplete;
    expect(messageTexts(el)[0]).to.equal('history 1');
    expect($(el, '[part="load-older"]')).to.equal(null);
    // What the reader was looking at stays in place: the list scrolled by the inserted height.
    expect(log.scrollTop).to.be.greaterThan(0);
    expect(Math.abs(offset() - before)).to.be.lessThan(40);
  });

  it('does not announce the history: the live region turns on only after it is rendered', async () => {
    const room = uniqueRoom();
    const other = await rawClient();
    await rawJoin(other, room);
    await rawSend(other, room, 'old one');
    const el = await mount({ room });
    const log = $(el, '[part="messages"]')!;
    const states: string[] = [];
    const seen = new MutationObserver(() => {
      if (log.querySelector('[part~="message"]')) states.push(log.getAttribute('aria-live')!);
    });
    seen.observe(log, { childList: true, subtree: true, attributes: true });
    await waitFor(() => messageTexts(el).length === 1, 'history');
    expect(states[0]).to.equal('off');
    await waitFor(() => log.getAttribute('aria-live') === 'polite', 'live region on');
    seen.disconnect();
  });

  it('switches rooms when the room attribute changes', async () => {
    const [a, b] = [uniqueRoom('a'), uniqueRoom('b')];
    const other = await rawClient();
    await rawJoin(other, b);
    await rawSend(other, b, 'only in b');
    const el = await mount({ room: a });
    await connected(el);
    await el.send('only in a');
    await waitFor(() => messageTexts(el).includes('only in a'), 'message in a');
    el.room = b;
    await waitFor(() => messageTexts(el).includes('only in b'), 'history of b');
    expect(messageTexts(el)).to.deep.equal(['only in b']);
    expect($(el, '[part="title"]')!.textContent).to.contain(b);
    expect(el.getAttribute('room')).to.equal(b);
    // Messages of the old room no longer arrive.
    const o2 = await rawClient();
    await rawJoin(o2, a);
    await rawSend(o2, a, 'late in a');
    await rawSend(other, b, 'live in b');
    await waitFor(() => messageTexts(el).includes('live in b'), 'live b');
    expect(messageTexts(el)).to.not.include('late in a');
  });

  it('lets the host page theme it through --chat-room-* custom properties', async () => {
    const el = await mount({ room: uniqueRoom(), theme: 'light' });
    const send = $(el, '[part="send"]')!;
    const before = getComputedStyle(send).backgroundColor;
    el.style.setProperty('--chat-room-accent', 'rgb(10, 170, 119)');
    expect(getComputedStyle(send).backgroundColor).to.equal('rgb(10, 170, 119)');
    expect(before).to.not.equal('rgb(10, 170, 119)');
  });

  it('switches to dark colors with theme="dark"', async () => {
    const el = await mount({ room: uniqueRoom(), theme: 'light' });
    const base = $(el, '[part="base"]')!;
    const light = getComputedStyle(base).backgroundColor;
    el.theme = 'dark';
    await el.updateComplete;
    expect(getComputedStyle(base).backgroundColor).to.not.equal(light);
  });

  it('does not inherit loud text styles from the host page', async () => {
    const loud = document.createElement('div');
    loud.style.cssText =
      'color: rgb(255, 0, 0); font-size: 40px; letter-spacing: 9px; text-transform: uppercase; white-space: nowrap; font-style: italic; text-align: center; line-height: 5;';
    document.body.append(loud);
    const el = await mount({ room: uniqueRoom(), theme: 'light' }, loud);
    const title = getComputedStyle($(el, '[part="title"]')!);
    expect(title.color).to.not.equal('rgb(255, 0, 0)');
    expect(title.fontSize).to.not.equal('40px');
    expect(title.letterSpacing).to.equal('normal');
    expect(title.textTransform).to.equal('none');
    expect(title.fontStyle).to.equal('normal');
    expect(getComputedStyle($(el, '[part="input"]')!).fontSize).to.equal('16px');
  });

  it('renders an XSS payload as literal text', async () => {
    const room = uniqueRoom();
    const el = await mount({ room });
    await connected(el);
    const w = window as unknown as { __xss?: boolean };
    const payload = '<img src=x onerror="window.__xss=true"><script>window.__xss=true</script> javascript:alert(1)';
    const other = await rawClient('<b>bold</b>');
    await rawJoin(other, room);
    await rawSend(other, room, payload);
    await el.send('<svg onload="window.__xss=true">');
    await waitFor(() => messageTexts(el).length === 2, 'both messages');
    await afterFailedImageLoad();
    expect(messageTexts(el)).to.deep.equal([payload, '<svg onload="window.__xss=true">']);
    const log = $(el, '[part="messages"]')!;
    expect(log.querySelector('img, script, svg, b')).to.equal(null);
    expect(log.querySelector('a')).to.equal(null);
    expect(w.__xss).to.equal(undefined);
  });

  it('makes http(s) links clickable and safe', async () => {
    const el = await mount({ room: uniqueRoom() });
    await connected(el);
    await el.send('see https://example.com/a?b=1, or javascript:alert(1)');
    await waitFor(() => $(el, '[part~="message"] a'), 'link');
    const links = $$(el, '[part~="message"] a') as HTMLAnchorElement[];
    expect(links).to.have.length(1);
    expect(links[0]!.href).to.equal('https://example.com/a?b=1');
    expect(links[0]!.target).to.equal('_blank');
    expect(links[0]!.rel).to.equal('noopener noreferrer nofollow');
  });

  it('shows Simplified Chinese strings with lang="zh-CN"', async () => {
    const el = await mount({ room: uniqueRoom(), lang: 'zh-CN' });
    expect($(el, '[part="send"]')!.textContent!.trim()).to.equal('发送');
    expect(($(el, '[part="input"]') as HTMLTextAreaElement).placeholder).to.equal('输入消息…');
    await connected(el);
    expect($(el, '[part="status"]')!.textContent).to.contain('在线');
  });

  it('follows the language of an ancestor element', async () => {
    const wrapper = document.createElement('section');
    wrapper.lang = 'zh';
    document.body.append(wrapper);
    const el = await mount({ room: uniqueRoom() }, wrapper);
    expect($(el, '[part="send"]')!.textContent!.trim()).to.equal('发送');
    el.lang = 'en';
    await el.updateComplete;
    expect($(el, '[part="send"]')!.textContent!.trim()).to.equal('Send');
  });

  it('shares one connection between elements on the same server and site', async () => {
    const room = uniqueRoom();
    const a = await mount({ room });
    const b = await mount({ room: uniqueRoom() });
    const c = await mount({ room });
    await Promise.all([connected(a), connected(b), connected(c)]);
    expect(openConnections()).to.have.length(1);
    expect(a.user!.id).to.equal(b.user!.id);
    await a.send('seen by c');
    await waitFor(() => messageTexts(c).includes('seen by c'), 'c receives');
    // Removing one element keeps the room joined for the other.
    a.remove();
    const other = await rawClient();
    await rawJoin(other, room);
    await rawSend(other, room, 'still here');
    await waitFor(() => messageTexts(c).includes('still here'), 'c still in room');
  });

  it('shows why it cannot send when the site is unknown', async () => {
    const el = await mount({ room: uniqueRoom(), site: 'no-such-site' });
    await waitFor(() => el.connectionState === 'error', 'error state');
    expect(el.connectionError!.code).to.equal('unknown_site');
    const status = $(el, '[part="composer-status"]')!;
    expect(status.hidden).to.equal(false);
    expect(status.textContent).to.contain('no-such-site');
    expect(($(el, '[part="send"]') as HTMLButtonElement).disabled).to.equal(true);
    expect(($(el, '[part="input"]') as HTMLTextAreaElement).disabled).to.equal(true);
  });

  it('announces join, leave and rename notices', async () => {
    const room = uniqueRoom();
    const el = await mount({ room });
    await connected(el);
    const other = await rawClient('Notice Person');
    await rawJoin(other, room);
    await waitFor(() => $$(el, '[part="notice"]').some((n) => n.textContent!.includes('Notice Person joined')), 'join');
    const renamed = await other.emitWithAck('user:rename', { name: 'Renamed Person' });
    expect(renamed.ok).to.equal(true);
    await waitFor(() => $$(el, '[part="notice"]').some((n) => n.textContent!.includes('is now Renamed Person')), 'rename');
  });

  it('renames the user from the header form', async () => {
    const el = await mount({ room: uniqueRoom() });
    await connected(el);
    await waitFor(() => $(el, '[part="user"]'), 'user chip');
    $(el, '[part="user"]')!.click();
    await el.updateComplete;
    const input = $(el, '[part="rename"] input') as HTMLInputElement;
    expect(el.shadowRoot!.activeElement).to.equal(input);
    const name = `Tester ${Math.random().toString(36).slice(2, 6)}`;
    input.value = name;
    ($(el, '[part="rename"]') as HTMLFormElement).requestSubmit();
    await waitFor(() => el.user?.name === name, 'renamed');
    await waitFor(() => $(el, '[part="user"]')?.textContent?.includes(name), 'header shows new name');
    expect($(el, '[part="rename"]')).to.equal(null);
  });

  it('opens a private conversation from the member list', async () => {
    const room = uniqueRoom();
    const el = await mount({ room });
    await connected(el);
    const other = await rawClient('Private Pat');
    await rawJoin(other, room);
    await waitFor(() => el.onlineCount === 2, 'two members');
    $(el, '[part="online"]')!.click();
    await el.updateComplete;
    const member = $$(el, '[part="member"]').find((m) => m.textContent!.includes('Private Pat'))!;
    member.click();
    await waitFor(() => $(el, '[part="back"]'), 'dm view');
    expect($(el, '[part="title"]')!.textContent).to.contain('Private Pat');
    await connected(el);
    const received = new Promise<{ text: string }>((r) => other.once('dm:new', r));
    await type(el, 'psst');
    await sendKeys({ press: 'Enter' });
    expect((await received).text).to.equal('psst');
    await waitFor(() => messageTexts(el).includes('psst'), 'dm shown');
    // A reply arrives in the open conversation.
    const ack = await other.emitWithAck('dm:send', { to: el.user!.id, text: 'hi back', clientId: crypto.randomUUID() });
    expect(ack.ok).to.equal(true);
    await waitFor(() => messageTexts(el).includes('hi back'), 'reply shown');
    $(el, '[part="back"]')!.click();
    await el.updateComplete;
    expect(messageTexts(el)).to.not.include('psst');
  });

  it('marks unread private messages when another user writes', async () => {
    const el = await mount({ room: uniqueRoom() });
    await connected(el);
    await waitFor(() => el.user, 'user');
    const other = await rawClient('Dee Em');
    const got = new Promise<CustomEvent>((r) => el.addEventListener('chat-room-dm', r as EventListener, { once: true }));
    await other.emitWithAck('dm:send', { to: el.user!.id, text: 'knock knock', clientId: crypto.randomUUID() });
    expect((await got).detail.message.text).to.equal('knock knock');
    await el.updateComplete;
    expect($(el, '[part="online"] .badge')!.textContent).to.equal('1');

  });

  it('shows the typing line while another visitor types', async () => {
    const room = uniqueRoom();
    const el = await mount({ room });
    await connected(el);
    const other = await rawClient('Typist');
    await rawJoin(other, room);
    other.emit('typing:set', { room, typing: true });
    await waitFor(() => $(el, '[part="typing"]')!.textContent!.includes('Typist is typing'), 'typing line');
    other.emit('typing:set', { room, typing: false });
    await waitFor(() => $(el, '[part="typing"]')!.textContent!.trim() === '', 'typing cleared');
  });

  it('disconnects and reconnects on request', async () => {
    const el = await mount({ room: uniqueRoom() });
    await connected(el);
    el.disconnect();
    await el.updateComplete;
    expect(el.connectionState).to.equal('disconnected');
    expect($(el, '[part="composer-status"]')!.hidden).to.equal(false);
    el.connect();
    await connected(el);
  });
});
