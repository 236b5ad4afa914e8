/** The full emoji picker: loaded on first use, searched and picked by keyboard, served by us (no network URL). */
import { expect } from '@esm-bundle/chai';
import { sendKeys, setViewport } from '@web/test-runner-commands';
import type { ChatRoom } from '../../widget/index.js';
import { openEmojiPicker } from '../../widget/rich/open-emoji-picker.js';
import { RECENT_EMOJI_KEY } from '../../widget/rich/recent-emoji.js';
import { $, $$, cleanup, mount, uniqueRoom, waitFor } from './helpers.js';

const loaded = (name: string): boolean => performance.getEntriesByType('resource').some((e) => e.name.includes(name));

async function press(el: ChatRoom, key: string): Promise<void> {
  await sendKeys({ press: key });
  await el.updateComplete;
}

describe('emoji picker', () => {
  before(() => localStorage.removeItem(RECENT_EMOJI_KEY));
  afterEach(cleanup);

  it('loads on first use, finds by name and picks with the keyboard into the composer', async () => {
    const el = await mount({ room: uniqueRoom('emoji') });
    const button = $(el, '[part="emoji-button"]')!;
    expect(button.getAttribute('aria-label')).to.equal('Emoji');
    expect(loaded('emoji-data'), 'the emoji list is not loaded before it is asked for').to.equal(false);
    button.focus();
    await press(el, 'Enter');
    const picker = await waitFor(() => $(el, '[part="emoji-picker"]'), 'picker');
    expect(loaded('emoji-data'), 'loaded on first use').to.equal(true);
    expect(picker.matches(':popover-open')).to.equal(true);
    const search = $(el, '[part="emoji-picker-search"]') as HTMLInputElement;
    expect(el.shadowRoot!.activeElement === search, 'focus in the search box').to.equal(true);
    expect($(el, '[part="emoji-picker-tab"][aria-selected="true"]')!.getAttribute('aria-label')).to.equal('Smileys & emotion');

    await sendKeys({ type: 'thumbs' });
    const names = () => $$(el, '[part="emoji-picker-option"]').map((o) => o.textContent);
    expect(names()).to.include('👍').and.include('👎');
    expect(search.hasAttribute('aria-activedescendant') && search.getAttribute('aria-activedescendant') !== '').to.equal(false);
    await press(el, 'ArrowDown');
    const options = $$(el, '[part="emoji-picker-option"]');
    expect(search.getAttribute('aria-activedescendant')).to.equal(options[0]!.id);
    expect(options[0]!.getAttribute('aria-selected')).to.equal('true');
    await press(el, 'ArrowRight');
    expect(search.getAttribute('aria-activedescendant')).to.equal(options[1]!.id);
    await press(el, 'ArrowLeft');
    const first = options[0]!.textContent!;
    await press(el, 'Enter');
    await waitFor(() => !$(el, '[part="emoji-picker"]'), 'picker closed');
    const input = $(el, '[part="input"]') as HTMLTextAreaElement;
    expect(input.value).to.equal(first);
    expect(el.shadowRoot!.activeElement === input, 'focus back in the input').to.equal(true);
    expect(JSON.parse(localStorage.getItem(RECENT_EMOJI_KEY)!)).to.deep.equal([first]);

    // Reopened, it starts on the recent emoji; Escape closes it and gives focus back to the button.
    button.click();
    await waitFor(() => $(el, '[part="emoji-picker"]'), 'picker again');
    expect($(el, '[part="emoji-picker-tab"][aria-selected="true"]')!.getAttribute('aria-label')).to.equal('Recently used');
    expect(names()).to.deep.equal([first]);
    await press(el, 'Escape');
    await waitFor(() => !$(el, '[part="emoji-picker"]'), 'closed by Escape');
    expect(el.shadowRoot!.activeElement === button, 'focus back on the button').to.equal(true);
  });

  it('answers a reaction: openEmojiPicker(anchor, onPick) gives the emoji picked, and fits a phone screen', async () => {
    await setViewport({ width: 375, height: 667 });
    try {
      const anchor = document.createElement('button');
      anchor.textContent = '+';
      document.body.append(anchor);
      let picked = '';
      const handle = await openEmojiPicker(anchor, (emoji) => (picked = emoji), { lang: 'zh' });
      const search = handle.element.querySelector('input')!;
      expect(search.getAttribute('aria-label')).to.equal('搜索表情（英文）');
      const box = handle.element.getBoundingClientRect();
      expect(box.left >= 0 && box.right <= 375 && box.top >= 0 && box.bottom <= 667, `inside the window: ${JSON.stringify(box)}`).to.equal(true);
      const tabs = [...handle.element.querySelectorAll<HTMLElement>('[role="tab"]')];
      tabs.find((t) => t.getAttribute('aria-label') === '旗帜')!.click();
      const flag = handle.element.querySelector<HTMLElement>('[role="option"][aria-label="flag: Japan"]')!;
      flag.click();
      await waitFor(() => picked, 'picked');
      expect(picked).to.equal('🇯🇵');
      expect(handle.element.isConnected, 'closed once picked').to.equal(false);
      anchor.remove();
    } finally {
      await setViewport({ width: 800, height: 600 });
    }
  });

  it('is served by us: its data holds no network URL and opening it fetches nothing from elsewhere', async () => {
    // Imported here, not at the top: the first test checks that nothing loads the list before the picker opens.
    const { EMOJI_GROUPS } = await import('../../widget/rich/emoji-data.js');
    const text = EMOJI_GROUPS.map(([, list]) => list).join('|');
    expect(text).not.to.match(/https?:|\/\/|url\(|<img|src=/i);
    const entries = EMOJI_GROUPS.flatMap(([, list]) => list.split('|'));
    expect(entries.length).to.be.greaterThan(1800);
    expect(EMOJI_GROUPS.map(([g]) => g)).to.deep.equal(['smileys', 'people', 'animals', 'food', 'activities', 'travel', 'objects', 'symbols', 'flags']);
    const anchor = document.createElement('button');
    document.body.append(anchor);
    const handle = await openEmojiPicker(anchor, () => undefined);
    expect(!!handle.element.querySelector('img, link, [src], [style*="url"]'), 'no image or link elements').to.equal(false);
    const foreign = performance
      .getEntriesByType('resource')
      .map((e) => e.name)
      .filter((u) => !u.startsWith(location.origin) && !u.startsWith(new URL(window.__CHAT_SERVER__).origin) && !u.startsWith(new URL(window.__CHAT_STRICT_SERVER__).origin));
    expect(foreign).to.deep.equal([]);
    handle.close();
    anchor.remove();
  });
});
