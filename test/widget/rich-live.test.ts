/**
 * Rich messages in a real <chat-room> against the real server: the rich
 * renderers load once connected and format what arrives, hostile text shows
 * literally, the author card opens a private conversation; and avatar
 * initials are readable on every hue.
 */
import { expect } from '@esm-bundle/chai';
import { sheet } from '../../widget/css.js';
import viewStyles from '../../widget/ui/chat-view.styles.js';
import * as rich from '../../widget/views/rich.js';
import { $, $$, afterFailedImageLoad, cleanup, connected, messageTexts, mount, rawClient, rawJoin, rawSend, uniqueRoom, waitFor } from './helpers.js';

type Rgb = [number, number, number];

const parse = (value: string): Rgb => {
  const m = /^rgba?\(([\d.]+), ([\d.]+), ([\d.]+)/.exec(value);
  if (!m) throw new Error(`unexpected colour ${value}`);
  return [Number(m[1]), Number(m[2]), Number(m[3])];
};
const luminance = ([r, g, b]: Rgb) => {
  const lin = (v: number) => ((v /= 255) <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4);
  return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b);
};
const contrast = (a: Rgb, b: Rgb) => {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (hi + 0.05) / (lo + 0.05);
};

describe('rich messages in the element', () => {
  afterEach(cleanup);

  it('draws initials readable (4.5:1) on the colour of every hue, in both themes', () => {
    const host = document.createElement('div');
    document.body.append(host);
    const root = host.attachShadow({ mode: 'open' });
    root.adoptedStyleSheets = [sheet(viewStyles), sheet(rich.styles)];
    try {
      for (const theme of ['light', 'dark']) {
        host.setAttribute('theme', theme);
        root.innerHTML = `<div class="base">${Array.from({ length: 360 }, () => '<span class="avatar">AB</span>').join('')}</div>`;
        const low: string[] = [];
        root.querySelectorAll<HTMLElement>('.avatar').forEach((avatar, hue) => {
          avatar.style.setProperty('--_hue', String(hue));
          const style = getComputedStyle(avatar);
          const ratio = contrast(parse(style.color), parse(style.backgroundColor));
          if (ratio < 4.5) low.push(`${hue}: ${ratio.toFixed(2)}`);
        });
        expect(low, theme).to.deep.equal([]);
      }
    } finally {
      host.remove();
    }
  });

  it('formats what arrives once connected, shows hostile text literally, and opens a private chat from the author card', async () => {
    const room = uniqueRoom('rich');
    const other = await rawClient('Formatting Fay');
    await rawJoin(other, room);
    await rawSend(other, room, '**bold** and _italic_ with `code` https://example.com/a_b_c');
    await rawSend(other, room, '<img src=x onerror="window.__richPwned = 1"> [x](javascript:alert(1)) data:text/html,<b>x</b>');
    const el = await mount({ room });
    await connected(el);
    await waitFor(() => $(el, '[part~="message"] strong'), 'formatted message');
    const [first, second] = $$(el, '[part~="message"]');
    expect(first!.querySelector('strong')!.textContent).to.equal('bold');
    expect(first!.querySelector('em')!.textContent).to.equal('italic');
    expect(first!.querySelector('code')!.textContent).to.equal('code');
    expect(first!.querySelector('a')!.href).to.equal('https://example.com/a_b_c');
    await afterFailedImageLoad();
    expect((window as { __richPwned?: number }).__richPwned).to.equal(undefined);
    expect(second!.querySelector('[part~="text"]')!.children).to.have.length(0);
    expect(messageTexts(el)[1]).to.equal('<img src=x onerror="window.__richPwned = 1"> [x](javascript:alert(1)) data:text/html,<b>x</b>');
    // The author's initials, and the card with "Private message" through the element's private-chat path.
    expect(first!.querySelector('[part~="avatar"]')!.textContent!.trim()).to.equal('FF');
    first!.querySelector<HTMLButtonElement>('[part~="author"]')!.click();
    const dm = await waitFor(() => $(el, '[part~="author-card"] [part~="card-dm"]'), 'author card');
    dm.click();
    await waitFor(() => $(el, '[part="back"]'), 'private chat');
    expect($(el, '[part="title"]')!.textContent).to.contain('Formatting Fay');
    other.disconnect();
  });
});
