/**
 * A quiet room conversation (a launcher before its first opening) in
 * Chromium against the test server: it counts the room's messages as unread
 * while its user is in nobody's presence and no cursor is stored; once
 * `setQuiet(false)`, the user appears and the cursor follows. Also the
 * reload helper for a page the server found outdated.
 */
import { expect } from '@esm-bundle/chai';
import type { JoinResult } from '../../protocol/index.js';
import type { Channel } from '../../widget/client/channel.js';
import { Connection } from '../../widget/client/connection.js';
import { CursorAcks } from '../../widget/client/cursor-acks.js';
import { createGuestKey } from '../../widget/client/guest-key.js';
import { Outbox } from '../../widget/client/outbox.js';
import { RoomConversation } from '../../widget/client/room-conversation.js';
import { OUTDATED_EVENT, reloadWhenQuiet } from '../../widget/controllers/reload-when-quiet.js';
import { SERVER, cleanup, rawClient, rawJoin, rawSend, uniqueRoom, waitFor, type RawSocket } from './helpers.js';

/** Acks go out this soon after a delivery (the widget waits a second): an absence check need not wait long. */
const ACK_DELAY_MS = 30;

const opened: Array<() => void> = [];

/** A channel over a new connection as `guestKey`, with quick acks, closed after the test. */
function channel(guestKey: string): Channel {
  const conn = new Connection({ server: SERVER, site: 'demo', guestKey });
  const built = { conn, outbox: new Outbox(conn, null), acks: new CursorAcks(conn, ACK_DELAY_MS) };
  opened.push(() => conn.disconnect());
  conn.connect();
  return built;
}

/** What the server holds for `guestKey` in `room`, read by a quiet join of its own (which stores nothing). */
async function serverView(guestKey: string, room: string): Promise<JoinResult> {
  const probe = await rawClient(undefined, 'demo', guestKey);
  const ack = await probe.emitWithAck('room:join', { room, quiet: true });
  probe.disconnect();
  if (!ack.ok) throw new Error(ack.error.code);
  return ack.data;
}

const memberIds = (socket: RawSocket, room: string) => socket.emitWithAck('room:join', { room }).then((ack) => (ack.ok ? ack.data.presence.members.map((m) => m.id) : []));

describe('quiet room conversation', () => {
  afterEach(() => {
    for (const close of opened.splice(0)) close();
    cleanup();
  });

  it('counts unread messages while nobody sees it in the room and no cursor is stored; setQuiet(false) enters', async () => {
    const room = uniqueRoom('quiet');
    const other = await rawClient('Quiet Watcher');
    await rawJoin(other, room);
    const guestKey = createGuestKey();
    const conv = new RoomConversation(channel(guestKey), room, { quiet: true });
    conv.start();
    await waitFor(() => conv.loaded && conv.conn.user, 'quiet load');
    const me = conv.conn.user!.id;
    expect(conv.quiet).to.equal(true);

    const sent = await rawSend(other, room, 'one', 'two', 'three');
    await waitFor(() => conv.unread === 3, 'three unread');
    expect(conv.messages.map((m) => m.text)).to.deep.equal(['one', 'two', 'three']);
    expect(conv.presence?.members.map((m) => m.id)).to.not.include(me);
    expect(await memberIds(other, room)).to.not.include(me);
    // Well past the ack delay: a quiet conversation acknowledged nothing.
    await new Promise((r) => setTimeout(r, ACK_DELAY_MS * 10));
    expect((await serverView(guestKey, room)).cursor).to.equal(0);

    const joined = new Promise<void>((resolve) => other.on('presence:update', (p) => p.joined?.users.some((u) => u.id === me) && resolve()));
    await conv.setQuiet(false);
    await joined;
    expect(conv.quiet).to.equal(false);
    expect(conv.presence?.members.map((m) => m.id)).to.include(me);
    expect(await memberIds(other, room)).to.include(me);
    expect(conv.unread, 'entering reads nothing by itself').to.equal(3);
    // What arrived while quiet is acknowledged now, and later messages as usual.
    await waitFor(async () => (await serverView(guestKey, room)).cursor === sent.at(-1)!.seq, 'cursor after entering');
    const [later] = await rawSend(other, room, 'four');
    await waitFor(async () => (await serverView(guestKey, room)).cursor === later!.seq, 'cursor follows');
    conv.stop();
  });

  it('joins quietly again after a reconnect while still quiet', async () => {
    const room = uniqueRoom('quiet-re');
    const other = await rawClient('Quiet Watcher');
    await rawJoin(other, room);
    const ch = channel(createGuestKey());
    const conv = new RoomConversation(ch, room, { quiet: true });
    conv.start();
    await waitFor(() => conv.status === 'ready' && ch.conn.user, 'quiet load');
    const me = ch.conn.user!.id;
    const notices: string[] = [];
    other.on('presence:update', (p) => {
      for (const u of p.joined?.users ?? []) notices.push(`join ${u.id}`);
      for (const u of p.left?.users ?? []) notices.push(`leave ${u.id}`);
    });
    ch.conn.disconnect();
    ch.conn.connect();
    await waitFor(() => ch.conn.connected && conv.status === 'ready', 'reloaded');
    await rawSend(other, room, 'after the reconnect');
    await waitFor(() => conv.unread === 1, 'counted');
    expect(await memberIds(other, room)).to.not.include(me);
    expect(notices).to.deep.equal([]);
    conv.stop();
  });
});

describe('reloadWhenQuiet', () => {
  let state: DocumentVisibilityState = 'visible';
  // Chromium under test is never hidden: the page's visibility is played here.
  before(() => {
    Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => state });
  });
  after(() => {
    delete (document as { visibilityState?: unknown }).visibilityState;
  });

  const hide = () => {
    state = 'hidden';
    document.dispatchEvent(new Event('visibilitychange'));
  };
  const show = () => {
    state = 'visible';
    document.dispatchEvent(new Event('visibilitychange'));
  };

  it('reloads the first time the page is hidden while quiet, after a cancelable event', () => {
    const host = document.createElement('div');
    document.body.append(host);
    let quiet = false;
    let reloads = 0;
    const events: Event[] = [];
    document.body.addEventListener(OUTDATED_EVENT, (e) => events.push(e));
    const disarm = reloadWhenQuiet({ host, isQuiet: () => quiet, reload: () => reloads++ });
    hide();
    expect(reloads, 'busy: the composer holds text').to.equal(0);
    show();
    quiet = true;
    expect(reloads, 'visible').to.equal(0);
    hide();
    expect(reloads).to.equal(1);
    expect(events).to.have.length(1);
    expect(events[0]!.cancelable && events[0]!.bubbles && events[0]!.composed).to.equal(true);
    show();
    hide();
    expect(reloads, 'once').to.equal(1);
    disarm();
    host.remove();
  });

  it('leaves the reload to a host app that cancels the event, and stops when disarmed', () => {
    const host = document.createElement('div');
    let reloads = 0;
    host.addEventListener(OUTDATED_EVENT, (e) => e.preventDefault());
    const disarm = reloadWhenQuiet({ host, isQuiet: () => true, reload: () => reloads++ });
    show();
    hide();
    expect(reloads).to.equal(0);

    const other = document.createElement('div');
    show();
    const disarmOther = reloadWhenQuiet({ host: other, isQuiet: () => true, reload: () => reloads++ });
    disarmOther();
    hide();
    expect(reloads).to.equal(0);
    disarm();
  });

  it('reloads at once when the page is already hidden and quiet', () => {
    let reloads = 0;
    state = 'hidden';
    const disarm = reloadWhenQuiet({ host: document.createElement('div'), isQuiet: () => true, reload: () => reloads++ });
    expect(reloads).to.equal(1);
    disarm();
    state = 'visible';
  });
});
