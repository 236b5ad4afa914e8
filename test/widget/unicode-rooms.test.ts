/** Room names in any script, guest names in the UI's language, and a refused join that says so (issue 10, defect 7). */
import { expect } from '@esm-bundle/chai';
import { ROOM_NAME_MAX_LENGTH, ROOM_NAME_PATTERN } from '../../protocol/index.js';
import type { ChatRoom } from '../../widget/index.js';
import { roomFromPath } from '../../widget/room-name.js';
import { $, adminApi, cleanup, connected, messageTexts, mount, rawClient, rawJoin, rawSend, waitFor } from './helpers.js';

/** A site of its own: a fresh guest (nothing stored under this page's key yet) and an allow-list of rooms. */
let site: string;
/** An open site whose first visitor from this page is the zh-CN element. */
let zhSite: string;

before(async () => {
  const suffix = Math.random().toString(36).slice(2, 8);
  site = `wtr-uni-${suffix}`;
  zhSite = `wtr-zh-${suffix}`;
  await adminApi('POST', '/sites', { id: site, name: 'Unicode rooms', origins: [location.origin], roomPolicy: 'allow-list', rooms: ['大厅', 'page:/大厅/帖子', 'café'] });
  await adminApi('POST', '/sites', { id: zhSite, name: '中文', origins: [location.origin] });
});

function statusText(el: ChatRoom): string {
  return $(el, '[part="status"]')!.textContent!.trim();
}

describe('<chat-room> rooms in any script', () => {
  afterEach(cleanup);

  it('joins room="大厅" and chats there with another visitor', async () => {
    const el = await mount({ site, room: '大厅' });
    await connected(el);
    expect($(el, '[part="title"]')!.textContent!.trim()).to.equal('大厅');
    const other = await rawClient('Other visitor', site);
    await rawJoin(other, '大厅');
    const sent = await el.send('你好，大厅');
    expect(sent.room).to.equal('大厅');
    await rawSend(other, '大厅', '欢迎');
    await waitFor(() => messageTexts(el).includes('欢迎'), 'the reply');
    expect(messageTexts(el)).to.include('你好，大厅');
  });

  it('joins a decomposed room name as its composed room', async () => {
    const el = await mount({ site, room: 'cafe\u0301' });
    await connected(el);
    expect(el.roomName).to.equal('caf\u00e9');
    const other = await rawClient('Other visitor', site);
    await rawJoin(other, 'caf\u00e9');
    await rawSend(other, 'caf\u00e9', 'bonjour');
    await waitFor(() => messageTexts(el).includes('bonjour'), 'a message of the composed room');
  });

  it('room="auto" on a non-ASCII path joins the page’s room named in its own script', async () => {
    const before = location.href;
    history.replaceState(null, '', '/大厅/帖子/');
    try {
      expect(location.pathname).to.equal('/%E5%A4%A7%E5%8E%85/%E5%B8%96%E5%AD%90/');
      const el = await mount({ site, room: 'auto' });
      expect(el.roomName).to.equal('page:/大厅/帖子');
      await connected(el);
    } finally {
      history.replaceState(null, '', before);
    }
  });

  it('room="auto" names long and oddly encoded paths validly, cut in code points, distinct per page', () => {
    const long = roomFromPath('/' + '\u{20000}'.repeat(100));
    expect(long).to.match(ROOM_NAME_PATTERN);
    expect([...long].length).to.equal(ROOM_NAME_MAX_LENGTH);
    expect(long).to.not.equal(roomFromPath('/' + '\u{20000}'.repeat(101)));
    // A broken escape spoils only itself; a decomposed path is its composed room; invisible characters become "-".
    expect(roomFromPath('/%E5%A4%A7%E5%8E%85/%E5')).to.match(/^page:\/大厅\/-E5~/);
    expect(roomFromPath('/cafe%CC%81')).to.equal('page:/caf\u00e9');
    expect(roomFromPath('/a%E2%80%AEb')).to.match(/^page:\/a-b~/);
  });

  it('a refused join shows its error in the header, never "Online", and send() rejects with its code', async () => {
    const el = await mount({ site, room: 'not-on-the-list' });
    // Sent before the join is answered: settles once it is.
    const early = el.send('too early').then(
      () => 'sent',
      (e: Error & { code?: string }) => e.code,
    );
    await waitFor(() => $(el, '[part="composer-status"].error'), 'the join error');
    expect(await early).to.equal('room_not_allowed');
    expect(statusText(el)).to.contain('You may not join this room.');
    expect(statusText(el)).to.not.contain('Online');
    expect($(el, '[part="status"]')!.dataset.state).to.equal('error');
    let code: string | undefined;
    await el.send('after the refusal').catch((e: Error & { code?: string }) => (code = e.code));
    expect(code).to.equal('room_not_allowed');
  });

  it('a guest of an element in zh-CN gets a 访客 name', async () => {
    const el = await mount({ site: zhSite, room: '大厅', lang: 'zh-CN' });
    await connected(el);
    expect(el.user!.name).to.match(/^访客 \d{6}$/);
    await el.send('我是访客');
    expect(el.user!.name).to.match(/^访客 \d+$/);
  });
});
