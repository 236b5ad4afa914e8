/**
 * Every text the widget shows is readable: at least 4.5:1 against what is
 * behind it (WCAG 2 AA), in both themes, computed from the colours Chromium
 * paints; the heartbeat's round-trip time is not shown unless the page asks.
 */
import { expect } from '@esm-bundle/chai';
import type { ChatRoom } from '../../widget/index.js';
import { normalizeServer } from '../../widget/client/connection.js';
import { pendingStorageKey } from '../../widget/client/pending-store.js';
import { $, $$, STRICT_SERVER, cleanup, connected, freshGuest, messageTexts, mount, rawClient, rawJoin, rawSend, uniqueRoom, waitFor } from './helpers.js';

type Rgba = [number, number, number, number];

function parseColor(value: string): Rgba {
  const m = /^rgba?\(([\d.]+), ([\d.]+), ([\d.]+)(?:, ([\d.]+))?\)$/.exec(value);
  if (!m) throw new Error(`unexpected colour ${value}`);
  return [Number(m[1]), Number(m[2]), Number(m[3]), m[4] === undefined ? 1 : Number(m[4])];
}

/** `top` painted over the opaque `under`, with `top`'s alpha times `alpha`. */
function over(top: Rgba, under: Rgba, alpha = 1): Rgba {
  const a = top[3] * alpha;
  return [0, 1, 2].map((i) => top[i]! * a + under[i]! * (1 - a)).concat(1) as Rgba;
}

function luminance([r, g, b]: Rgba): number {
  const lin = (v: number) => ((v /= 255) <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4);
  return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b);
}

/** The WCAG 2 contrast ratio of two opaque colours. */
function contrast(a: Rgba, b: Rgba): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (hi + 0.05) / (lo + 0.05);
}

function parentOf(node: Element): Element | null {
  return node.parentElement ?? ((node.getRootNode() as ShadowRoot).host || null);
}

/**
 * The text's colour and the colour right behind it as painted: every
 * ancestor's background composited over the page (white canvas), then each
 * ancestor's opacity fading the result into what lies under it.
 */
function painted(el: Element): { text: Rgba; back: Rgba } {
  const chain: Element[] = [];
  for (let n: Element | null = el; n; n = parentOf(n)) chain.unshift(n);
  const under: Rgba[] = [];
  let backdrop: Rgba = [255, 255, 255, 1];
  for (const n of chain) {
    under.push(backdrop);
    backdrop = over(parseColor(getComputedStyle(n).backgroundColor), backdrop);
  }
  let text = over(parseColor(getComputedStyle(el).color), backdrop);
  let back = backdrop;
  for (let i = chain.length - 1; i >= 0; i--) {
    const opacity = Number(getComputedStyle(chain[i]!).opacity);
    text = over(text, under[i]!, opacity);
    back = over(back, under[i]!, opacity);
  }
  return { text, back };
}

/** Elements that show text of their own (disabled controls are exempt in WCAG). */
function visibleTexts(el: ChatRoom): HTMLElement[] {
  return $$(el, '*').filter((n) => {
    const own = [...n.childNodes].some((c) => c.nodeType === Node.TEXT_NODE && c.textContent!.trim());
    const value = (n instanceof HTMLInputElement || n instanceof HTMLTextAreaElement) && n.value.trim();
    if (!own && !value) return false;
    // Fully transparent text (a message's toolbar until hover or focus) is not seen: it is checked where it shows.
    if (n.closest(':disabled') || !n.checkVisibility({ visibilityProperty: true, opacityProperty: true })) return false;
    const box = n.getBoundingClientRect();
    return box.width > 1 && box.height > 1;
  });
}

/** Texts below 4.5:1, as `text: ratio`. */
function lowContrast(el: ChatRoom): string[] {
  return visibleTexts(el).flatMap((n) => {
    const { text, back } = painted(n);
    const ratio = contrast(text, back);
    const label = (n.getAttribute('part') ?? n.className) + ' ' + JSON.stringify((n.textContent || (n as HTMLInputElement).value).trim().slice(0, 30));
    return ratio < 4.5 ? [`${label}: ${ratio.toFixed(2)}`] : [];
  });
}

describe('<chat-room> readable text', () => {
  afterEach(cleanup);

  it('keeps the round-trip time out of sight unless the page shows it', async () => {
    const el = await mount({ room: uniqueRoom() });
    await connected(el);
    await waitFor(() => el.rtt !== null, 'a heartbeat', 8000);
    await el.updateComplete;
    const rtt = $(el, '[part="rtt"]')!;
    expect(rtt.textContent).to.match(/^\d+ ms$/);
    expect(rtt.checkVisibility(), 'hidden by default').to.equal(false);
    const style = document.createElement('style');
    style.textContent = 'chat-room::part(rtt) { display: inline; }';
    document.head.append(style);
    try {
      expect(rtt.checkVisibility(), 'shown through ::part').to.equal(true);
    } finally {
      style.remove();
    }
  });

  for (const theme of ['light', 'dark']) {
    it(`has no text below 4.5:1 in the ${theme} theme`, async () => {
      const room = uniqueRoom('contrast');
      const other = await rawClient('Alexandra Ivanova');
      await rawJoin(other, room);
      await rawSend(other, room, 'Is the workshop open on Saturday?', 'And where do I see the link https://example.com?');
      const el = await mount({ room, theme });
      await connected(el);
      await waitFor(() => messageTexts(el).length === 2, 'history');
      await el.send('Yes, 9 to 6.');
      await waitFor(() => $(el, '[part~="message-own"][data-state="sent"]'), 'sent');
      await waitFor(() => el.rtt !== null, 'a heartbeat', 8000);
      const late = await rawClient('Late Visitor');
      await rawJoin(late, room);
      await waitFor(() => $(el, '[part="notice"]'), 'notice');
      const dm = await other.emitWithAck('dm:send', { to: el.user!.id, text: 'psst', clientId: crypto.randomUUID() });
      expect(dm.ok).to.equal(true);
      await waitFor(() => $(el, '[part="online"] .badge'), 'unread badge');
      other.emit('typing:set', { room, typing: true });
      await waitFor(() => $(el, '[part="typing"]')!.textContent!.trim(), 'typing line');
      await el.updateComplete;
      const checked = visibleTexts(el).map((n) => n.getAttribute('part') ?? n.className);
      expect(checked, 'the room view is checked').to.include.members(['title', 'author', 'time', 'day', 'notice', 'typing', 'delivery', 'badge']);
      expect(lowContrast(el), 'room view').to.deep.equal([]);

      // A message's toolbar, shown while a control in it has the keyboard's focus.
      (await waitFor(() => $(el, '[part~="message"] [part~="actions"] button'), 'message toolbar')).focus();
      await waitFor(() => visibleTexts(el).some((n) => n.closest('[part~="actions"]')), 'toolbar shown');
      expect(lowContrast(el), 'message toolbar').to.deep.equal([]);

      $(el, '[part="online"]')!.click();
      await waitFor(() => $(el, '[part="members"]'), 'member list');
      expect(lowContrast(el), 'member list').to.deep.equal([]);

      el.disconnect();
      await waitFor(() => !$(el, '[part="composer-status"]')!.hidden, 'composer status');
      expect(lowContrast(el), 'disconnected').to.deep.equal([]);
    });
  }

  it('keeps messages held back for sending readable in both themes', async () => {
    // The default limit is 10 messages per 10 s per socket, with a burst of 5 more: the rest wait.
    freshGuest(STRICT_SERVER);
    const el = await mount({ server: STRICT_SERVER, room: uniqueRoom(), theme: 'light' });
    try {
      await connected(el);
      for (let i = 1; i <= 18; i++) void el.send(`burst ${i}`).catch(() => undefined);
      await waitFor(() => el.messages.length === 15 && $$(el, '[data-state="sending"]').length === 3, 'three held back', 8000);
      expect(lowContrast(el), 'light').to.deep.equal([]);
      el.theme = 'dark';
      await el.updateComplete;
      expect(lowContrast(el), 'dark').to.deep.equal([]);
    } finally {
      el.remove();
      // What it still holds would go out on this page's next visit: not part of later tests.
      localStorage.removeItem(pendingStorageKey(normalizeServer(STRICT_SERVER), 'demo'));
    }
  });
});
