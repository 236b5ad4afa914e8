import { expect } from '@esm-bundle/chai';
import { GUEST_KEY_PATTERN, ROOM_NAME_PATTERN, type ChatMessage } from '../../protocol/index.js';
import { createChannel } from '../../widget/client/channel.js';
import { Connection } from '../../widget/client/connection.js';
import { checkMessageText } from '../../widget/client/errors.js';
import { guestKeyStorageKey, loadGuestKey } from '../../widget/client/guest-key.js';
import { MessageLog } from '../../widget/client/message-log.js';
import { acquireChannel, openConnections, releaseChannel } from '../../widget/client/registry.js';
import { RoomConversation } from '../../widget/client/room-conversation.js';
import { memoryStorage } from '../../widget/client/storage.js';
import { loadLanguage, t, uiLanguage } from '../../widget/i18n.js';
import { say } from '../../widget/views/activity.js';
import { linkify } from '../../widget/linkify.js';
import { resolveRoom, roomFromPath } from '../../widget/room-name.js';
import { SERVER, cleanup, mount, rawClient, rawJoin, rawSend, uniqueRoom, waitFor } from './helpers.js';
import { createGuestKey } from '../../widget/client/guest-key.js';

const msg = (seq: number, id = `m${seq}`): ChatMessage => ({
  id,
  seq,
  room: 'r',
  clientId: `c${seq}`,
  from: { id: 'g_x', name: 'X', kind: 'guest' },
  text: `t${seq}`,
  at: seq,
});

describe('client helpers', () => {
  it('keeps messages deduplicated by id and sorted by seq', () => {
    const log = new MessageLog();
    expect(log.add([msg(3), msg(4)])).to.have.length(2);
    expect(log.add([msg(4), msg(1), msg(2)])).to.have.length(2);
    expect(log.messages.map((m) => m.seq)).to.deep.equal([1, 2, 3, 4]);
    expect([log.firstSeq, log.lastSeq]).to.deep.equal([1, 4]);
  });

  it('links only http(s) URLs and trims trailing punctuation', () => {
    const parts = linkify('go to https://a.example/x?y=1. (see http://b.example/p_(q)) javascript:alert(1) data:text/html,x');
    const links = parts.filter((p) => p.kind === 'link').map((p) => p.text);
    expect(links).to.deep.equal(['https://a.example/x?y=1', 'http://b.example/p_(q)']);
    expect(parts.map((p) => p.text).join('')).to.equal(
      'go to https://a.example/x?y=1. (see http://b.example/p_(q)) javascript:alert(1) data:text/html,x',
    );
  });

  it('maps page paths to valid room names', () => {
    expect(roomFromPath('/blog/post-1/')).to.equal('page:/blog/post-1');
    expect(roomFromPath('/')).to.equal('page:/');
    const odd = roomFromPath('/caf%C3%A9 menu?');
    expect(odd).to.match(ROOM_NAME_PATTERN);
    expect(odd).to.not.equal(roomFromPath('/caf%C3%A9-menu-'));
    const long = roomFromPath('/' + 'very-long-segment/'.repeat(10));
    expect(long).to.match(ROOM_NAME_PATTERN);
    expect(long.length).to.be.at.most(64);
    expect(long).to.not.equal(roomFromPath('/' + 'very-long-segment/'.repeat(11)));
    expect(resolveRoom('auto', '/x')).to.equal('page:/x');
    expect(resolveRoom('', '/x')).to.equal('lobby');
  });

  it('chooses Chinese for zh tags and English otherwise; the Chinese texts load on demand', async () => {
    expect(uiLanguage('zh-CN')).to.equal('zh');
    expect(uiLanguage('zh-Hant-TW')).to.equal('zh');
    expect(uiLanguage('fr')).to.equal('en');
    expect(say('en', 'typing2', { a: 'A', b: 'B' })).to.equal('A and B are typing…');
    expect(say('zh', 'peopleJoined', { count: 12 })).to.equal('12 人加入了');
    await loadLanguage('zh-CN');
    expect(t('zh-CN', 'send')).to.equal('发送');
  });

  it('creates a 32-character guest key once and keeps it in storage', () => {
    const storage = memoryStorage();
    const key = loadGuestKey(storage, 'http://s', 'demo');
    expect(key).to.have.length(32).and.match(GUEST_KEY_PATTERN);
    expect(loadGuestKey(storage, 'http://s', 'demo')).to.equal(key);
    expect(loadGuestKey(storage, 'http://s', 'other')).to.not.equal(key);
    storage.setItem(guestKeyStorageKey('http://s', 'demo'), 'bad key!');
    expect(loadGuestKey(storage, 'http://s', 'demo')).to.match(GUEST_KEY_PATTERN);
  });

  it('refuses empty and oversize text before sending', () => {
    expect(checkMessageText(' \n ')?.code).to.equal('message_empty');
    expect(checkMessageText('é'.repeat(2000))).to.equal(null);
    expect(checkMessageText('😀'.repeat(2001))?.code).to.equal('message_too_long');
  });
});

describe('Connection (against the real server)', () => {
  afterEach(cleanup);

  it('answers not_connected for requests while offline', async () => {
    const conn = new Connection({ server: SERVER, site: 'demo', guestKey: createGuestKey() });
    const ack = await conn.request('room:join', { room: 'lobby' });
    expect(ack.ok).to.equal(false);
    expect(!ack.ok && ack.error.code).to.equal('not_connected');
  });

  it('reports unknown_site for a site the server does not know', async () => {
    const conn = new Connection({ server: SERVER, site: 'nope-nope', guestKey: createGuestKey() });
    conn.connect();
    await waitFor(() => conn.state === 'error', 'error');
    expect(conn.error!.code).to.equal('unknown_site');
    conn.disconnect();
  });

  it('shares one connection per server and site and closes it after the last release', async () => {
    const storage = memoryStorage();
    const a = acquireChannel({ server: SERVER + '/', site: 'demo', storage });
    const b = acquireChannel({ server: SERVER, site: 'demo', storage });
    expect(a).to.equal(b);
    releaseChannel(a);
    expect(openConnections()).to.include(a.conn);
    releaseChannel(b);
    expect(openConnections()).to.not.include(a.conn);
    await waitFor(() => a.conn.state === 'disconnected', 'closed');
  });

  it('joins a room, replays what it missed while offline and keeps seq order', async () => {
    const room = uniqueRoom('replay');
    const channel = createChannel({ server: SERVER, site: 'demo', guestKey: createGuestKey() });
    const { conn } = channel;
    const conversation = new RoomConversation(channel, room);
    conversation.start();
    conn.connect();
    await waitFor(() => conversation.status === 'ready', 'joined');
    const other = await rawClient();
    await rawJoin(other, room);
    await rawSend(other, room, 'one');
    await waitFor(() => conversation.messages.length === 1, 'live one');
    conn.disconnect();
    await rawSend(other, room, 'two', 'three');
    conn.connect();
    await waitFor(() => conversation.messages.length === 3, 'replayed');
    expect(conversation.messages.map((m) => m.text)).to.deep.equal(['one', 'two', 'three']);
    expect(conversation.messages.map((m) => m.seq)).to.deep.equal([1, 2, 3]);
    conversation.stop();
    conn.disconnect();
  });

  it('queues a send made while offline and delivers it once on connect, with the same clientId', async () => {
    const room = uniqueRoom();
    const channel = createChannel({ server: SERVER, site: 'demo', guestKey: createGuestKey() });
    const { conn } = channel;
    const conversation = new RoomConversation(channel, room);
    conversation.start();
    const sent = conversation.send('offline hello');
    const [queued] = conversation.pending;
    expect(queued!.state).to.equal('sending');
    conn.connect();
    const message = await sent;
    expect(message.clientId).to.equal(queued!.clientId);
    await waitFor(() => conversation.messages.length === 1, 'in the log');
    expect(conversation.pending).to.have.length(0);
    expect(conversation.messages.map((m) => [m.text, m.clientId])).to.deep.equal([['offline hello', queued!.clientId]]);
    conversation.stop();
    conn.disconnect();
  });
});

describe('registration and room="auto"', () => {
  afterEach(cleanup);

  it('maps room="auto" to the page path', async () => {
    const el = await mount({ room: 'auto' });
    expect(el.roomName).to.equal(roomFromPath(location.pathname));
    expect(el.roomName).to.match(ROOM_NAME_PATTERN);
  });

  it('the script-tag entry warns instead of redefining a taken name', async () => {
    const warnings: unknown[] = [];
    const warn = console.warn;
    console.warn = (...args: unknown[]) => void warnings.push(args.join(' '));
    try {
      await import('../../widget/define.js');
    } finally {
      console.warn = warn;
    }
    expect(String(warnings[0])).to.contain('already defined');
  });
});
