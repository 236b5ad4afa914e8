/** Page rules that match the <chat-room> element itself (`*`, `chat-room`) do not reach the widget's text. */
import { expect } from '@esm-bundle/chai';
import type { ChatRoom } from '../../widget/index.js';
import { $, cleanup, mount, uniqueRoom } from './helpers.js';

const LOUD_RULES = `
  * { letter-spacing: 4px; text-transform: uppercase; line-height: 3; font-family: cursive; font-style: italic; word-spacing: 20px; text-align: right; }
  chat-room { color: rgb(255, 0, 0); font-size: 40px; white-space: pre; text-shadow: 2px 2px red; }
`;

/** The styles that show whether page rules leaked in, for the title, the composer and the status line. */
function textStyles(el: ChatRoom): string[] {
  return ['[part="title"]', '[part="input"]', '[part="base"]'].map((selector) => {
    const s = getComputedStyle($(el, selector)!);
    return [s.letterSpacing, s.textTransform, s.lineHeight, s.fontFamily, s.fontStyle, s.wordSpacing, s.textAlign, s.color, s.fontSize, s.whiteSpace, s.textShadow].join(' | ');
  });
}

describe('<chat-room> on a page whose rules match the element', () => {
  let style: HTMLStyleElement | undefined;
  afterEach(() => {
    style?.remove();
    cleanup();
  });

  it('looks the same as on a calm page', async () => {
    const calm = textStyles(await mount({ room: uniqueRoom(), theme: 'light' }));
    cleanup();
    style = document.createElement('style');
    style.textContent = LOUD_RULES;
    document.head.append(style);
    const el = await mount({ room: uniqueRoom(), theme: 'light' });
    expect(getComputedStyle(el).letterSpacing, 'the rule does match the host').to.equal('4px');
    expect(textStyles(el)).to.deep.equal(calm);
  });

  it('still takes custom properties and ::part rules from the page', async () => {
    style = document.createElement('style');
    style.textContent = `${LOUD_RULES} chat-room { --chat-room-accent: rgb(1, 2, 3); } chat-room::part(title) { letter-spacing: 1px; }`;
    document.head.append(style);
    const el = await mount({ room: uniqueRoom(), theme: 'light' });
    expect(getComputedStyle($(el, '[part="title"]')!).letterSpacing).to.equal('1px');
    expect(getComputedStyle($(el, '[part="base"]')!).getPropertyValue('--_accent').trim()).to.equal('rgb(1, 2, 3)');
  });
});
