/**
 * A room above the big-room size (`PRESENCE_LIST_MAX`, 100): real sockets
 * fill it, and the widget keeps its online count, summarises joins in one
 * line instead of one per person, pages and searches its member list with
 * `presence:list`, and shows who is typing from the server's summaries.
 */
import { expect } from '@esm-bundle/chai';
import { PRESENCE_LIST_MAX, PRESENCE_PAGE_SIZE, PRESENCE_WINDOW_MS, TYPING_SUMMARY_MS } from '../../protocol/index.js';
import type { ChatRoom } from '../../widget/index.js';
import { $, $$, cleanup, connected, mount, rawClient, rawJoin, uniqueName, uniqueRoom, waitFor, type RawSocket } from './helpers.js';

const CROWD = PRESENCE_LIST_MAX + 20;
/** The suffix every crowd member's name ends with, so no other test's visitor shows up in a search. */
const tag = Math.random().toString(36).slice(2, 6);

/** `n` raw sockets named `<prefix> <i> <tag>` in `room`, joined a batch at a time (not all handshakes at once). */
async function crowd(room: string, prefix: string, n: number, batch = 20): Promise<RawSocket[]> {
  const sockets: RawSocket[] = [];
  for (let i = 0; i < n; i += batch) {
    const some = await Promise.all(
      Array.from({ length: Math.min(batch, n - i) }, async (_, j) => {
        const s = await rawClient(`${prefix} ${i + j} ${tag}`);
        await rawJoin(s, room);
        return s;
      }),
    );
    sockets.push(...some);
  }
  return sockets;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const notices = (el: ChatRoom) => $$(el, '[part="notice"]').map((n) => n.textContent!.trim());
const typingLine = (el: ChatRoom) => $(el, '[part="typing"]')!.textContent!.trim();
const memberNames = (el: ChatRoom) => $$(el, '[part="member"] .name').map((s) => s.textContent!.trim());

/** How many people the summary lines say joined: "12 people joined", "Someone joined". */
function summarisedJoins(lines: string[]): number {
  return lines.reduce((sum, line) => sum + (/^Someone joined/.test(line) ? 1 : Number(/^(\d+) people joined/.exec(line)?.[1] ?? 0)), 0);
}

describe('<chat-room> in a big room', function (this: { timeout(ms: number): void }) {
  // A hundred and more real sockets on a shared 2-core machine.
  this.timeout(60_000);
  afterEach(cleanup);

  it('shows the online count, summarises a crowd joining in one line, and pages and searches the member list', async () => {
    const room = uniqueRoom('big');
    await crowd(room, 'Crowd', CROWD);
    const el = await mount({ room });
    await connected(el);
    await waitFor(() => el.onlineCount === CROWD + 1, `${CROWD + 1} online`, 10_000);
    expect($(el, '[part="online"]')!.textContent).to.contain(`${CROWD + 1} online`);
    expect(el.members, 'no member list in the updates of a big room').to.deep.equal([]);
    // The update that carried this visitor's own joining is in by now: it said nothing (no news to them).
    await sleep(PRESENCE_WINDOW_MS * 4);
    expect(notices(el), 'nothing about yourself').to.deep.equal([]);
    const before = 0;

    const latecomers = 10;
    const late = await crowd(room, 'Late', latecomers, latecomers);
    await waitFor(() => el.onlineCount === CROWD + 1 + latecomers, 'the latecomers counted', 10_000);
    await waitFor(() => summarisedJoins(notices(el).slice(before)) === latecomers, 'the joins summarised', 5_000);
    const lines = notices(el).slice(before);
    expect(lines.join('\n'), 'nobody named').to.not.contain(tag);
    expect(lines.length, 'a line per presence window, not per person').to.be.below(latecomers / 2);
    expect(lines.every((l) => /^(\d+ people|Someone) joined$/.test(l)), lines.join(' | ')).to.equal(true);

    // The member panel: the first page on opening, the next ones on demand (scrolling to the end, or the button).
    $(el, '[part="online"]')!.click();
    await waitFor(() => memberNames(el).length === PRESENCE_PAGE_SIZE, 'the first page', 10_000);
    expect(el.shadowRoot!.activeElement, 'focus in the search box').to.equal($(el, '[part="member-search"]'));
    const panel = $(el, '[part="members"]')!;
    panel.scrollTop = panel.scrollHeight;
    await waitFor(() => memberNames(el).length === 2 * PRESENCE_PAGE_SIZE, 'the second page, scrolled to', 10_000);
    const total = CROWD + 1 + latecomers;
    for (let pages = 2; memberNames(el).length < total; pages++) {
      expect(pages, 'pages').to.be.below(10);
      const shown = memberNames(el).length;
      $(el, '[part="load-more"]')!.click();
      await waitFor(() => memberNames(el).length > shown, 'the next page', 10_000);
    }
    expect(memberNames(el).length).to.equal(total);
    expect(new Set(memberNames(el)).size, 'nobody twice').to.equal(total);
    expect($(el, '[part="load-more"]'), 'no more pages').to.equal(null);
    expect(memberNames(el)).to.include(el.user!.name);

    // Searching by a name's beginning, debounced: the server answers with the matching members only.
    const search = $(el, '[part="member-search"]') as HTMLInputElement;
    search.value = 'late';
    search.dispatchEvent(new InputEvent('input', { bubbles: true, composed: true }));
    await waitFor(() => memberNames(el).length === latecomers, 'the latecomers found', 10_000);
    expect(memberNames(el).every((n) => n.startsWith('Late '))).to.equal(true);
    search.value = `late 3 ${tag}`;
    search.dispatchEvent(new InputEvent('input', { bubbles: true, composed: true }));
    await waitFor(() => memberNames(el).length === 1, 'one found', 10_000);
    expect(memberNames(el)).to.deep.equal([`Late 3 ${tag}`]);
    search.value = 'nobody-by-this-name';
    search.dispatchEvent(new InputEvent('input', { bubbles: true, composed: true }));
    await waitFor(() => !$(el, '[part="members-status"]')!.hidden && memberNames(el).length === 0, 'nobody found', 10_000);

    // Leaving is summarised too, after the server's grace period.
    const leaving = 5;
    for (const s of late.slice(0, leaving)) s.disconnect();
    await waitFor(() => el.onlineCount === total - leaving, 'the leavers counted', 15_000);
    const leftSum = (lines: string[]) =>
      lines.reduce((sum, l) => sum + (/^Someone left/.test(l) ? 1 : Number(/^(\d+) people left/.exec(l)?.[1] ?? 0)), 0);
    await waitFor(() => leftSum(notices(el)) === leaving, 'the leaves summarised', 5_000);
    expect(notices(el).join('\n'), 'nobody named').to.not.contain(tag);

    // Closing and opening again lists the room afresh, from the top, for everyone.
    $(el, '[part="online"]')!.click();
    await el.updateComplete;
    $(el, '[part="online"]')!.click();
    await waitFor(() => memberNames(el).length === PRESENCE_PAGE_SIZE, 'the first page again', 10_000);
    expect(($(el, '[part="member-search"]') as HTMLInputElement).value).to.equal('');
  });

  it('shows who is typing from the summaries: one, two, then several people', async () => {
    const room = uniqueRoom('big-typing');
    const sockets = await crowd(room, 'Typist', CROWD);
    const el = await mount({ room });
    await connected(el);
    await waitFor(() => el.onlineCount === CROWD + 1, `${CROWD + 1} online`, 10_000);
    const [a, b, c] = sockets as [RawSocket, RawSocket, RawSocket];
    const wait = TYPING_SUMMARY_MS * 5;

    a.emit('typing:set', { room, typing: true });
    await waitFor(() => typingLine(el) === `Typist 0 ${tag} is typing…`, 'one typist', wait);
    b.emit('typing:set', { room, typing: true });
    await waitFor(() => /^Typist [01] \S+ and Typist [01] \S+ are typing…$/.test(typingLine(el)), 'two typists', wait);
    c.emit('typing:set', { room, typing: true });
    await waitFor(() => typingLine(el) === 'Several people are typing…', 'three typists', wait);
    for (const s of [a, b, c]) s.emit('typing:set', { room, typing: false });
    await waitFor(() => typingLine(el) === '', 'nobody typing', wait);
  });

  it('leaves the viewer out of the typing summary that names them', async () => {
    const room = uniqueRoom('big-self');
    const sockets = await crowd(room, 'Other', CROWD);
    const el = await mount({ room });
    await connected(el);
    await waitFor(() => el.onlineCount === CROWD + 1, `${CROWD + 1} online`, 10_000);
    const input = $(el, '[part="input"]') as HTMLTextAreaElement;
    input.value = 'typing';
    input.dispatchEvent(new InputEvent('input', { bubbles: true, composed: true }));
    sockets[0]!.emit('typing:set', { room, typing: true });
    await waitFor(() => typingLine(el) === `Other 0 ${tag} is typing…`, 'the other typist only', TYPING_SUMMARY_MS * 5);
  });
});

describe('<chat-room> notices in a small room', () => {
  afterEach(cleanup);

  it('names each of a few people joining and leaving on a line of their own', async () => {
    const room = uniqueRoom('small');
    const el = await mount({ room });
    await connected(el);
    const names = [uniqueName('Arriving One'), uniqueName('Arriving Two')];
    const sockets = await Promise.all(
      names.map(async (name) => {
        const s = await rawClient(name);
        await rawJoin(s, room);
        return s;
      }),
    );
    await waitFor(() => names.every((n) => notices(el).includes(`${n} joined`)), 'both named');
    expect(el.members.map((m) => m.name)).to.include.members(names);
    sockets[0]!.disconnect();
    // Leaving is announced after the server's grace period.
    await waitFor(() => notices(el).includes(`${names[0]} left`), 'the leave', 10_000);
    expect(notices(el).filter((n) => /people|Someone/.test(n)), 'no summary in a small room').to.deep.equal([]);
  });
});
