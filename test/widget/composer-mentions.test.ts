/** `@` in the composer: a keyboard-driven member list (ARIA combobox) whose choice goes to the server as `<@userId>`. */
import { expect } from '@esm-bundle/chai';
import { sendKeys } from '@web/test-runner-commands';
import { PRESENCE_LIST_MAX, type ChatMessage } from '../../protocol/index.js';
import type { ChatRoom } from '../../widget/index.js';
import { MentionMap, mentionQuery } from '../../widget/rich/mention-text.js';
import { $, $$, cleanup, connected, mount, rawClient, rawJoin, uniqueRoom, waitFor, type RawSocket } from './helpers.js';

function input(el: ChatRoom): HTMLTextAreaElement {
  return $(el, '[part="input"]') as HTMLTextAreaElement;
}

async function type(el: ChatRoom, text: string): Promise<void> {
  input(el).focus();
  await sendKeys({ type: text });
  await el.updateComplete;
}

async function press(el: ChatRoom, key: string): Promise<void> {
  await sendKeys({ press: key });
  await el.updateComplete;
}

/** A room with two other members, Zara and Zoltan (names unique to the test), and `el` in it. */
async function roomWithPeers(): Promise<{ el: ChatRoom; zara: RawSocket; zaraId: string; zoltanId: string; tag: string }> {
  const room = uniqueRoom('mention');
  const tag = room.slice(-5);
  const zara = await rawClient(`Zara ${tag}`);
  const zoltan = await rawClient(`Zoltan ${tag}`);
  await rawJoin(zara, room);
  await rawJoin(zoltan, room);
  const el = await mount({ room });
  await connected(el);
  await waitFor(() => el.members.length === 3, 'three members');
  const zaraId = el.members.find((m) => m.name === `Zara ${tag}`)!.id;
  const zoltanId = el.members.find((m) => m.name === `Zoltan ${tag}`)!.id;
  return { el, zara, zaraId, zoltanId, tag };
}

describe('mention autocomplete', () => {
  afterEach(cleanup);

  it('opens a listbox on @, moves with the arrow keys, inserts @Name and sends the <@id> token', async () => {
    const { el, zara, zaraId, zoltanId, tag } = await roomWithPeers();
    const received = new Promise<ChatMessage>((resolve) => zara.on('message:new', (m) => resolve(m)));
    await type(el, 'hi @Z');
    const list = await waitFor(() => $(el, '[part="mention-list"] [role="listbox"]'), 'mention list');
    const box = input(el);
    expect(box.getAttribute('aria-expanded')).to.equal('true');
    expect(box.getAttribute('aria-controls')).to.equal(list.id);
    const options = () => $$(el, '[part~="mention-option"]');
    expect(options().map((o) => o.textContent!.trim())).to.deep.equal([`Zara ${tag}`, `Zoltan ${tag}`]);
    expect(box.getAttribute('aria-activedescendant')).to.equal(options()[0]!.id);
    await type(el, 'o');
    expect(options().map((o) => o.textContent!.trim()), 'narrowed by the prefix').to.deep.equal([`Zoltan ${tag}`]);
    await press(el, 'Backspace');
    await press(el, 'ArrowDown');
    expect(options()[1]!.getAttribute('aria-selected')).to.equal('true');
    expect(box.getAttribute('aria-activedescendant')).to.equal(options()[1]!.id);
    await press(el, 'ArrowDown');
    expect(options()[0]!.getAttribute('aria-selected'), 'wraps around').to.equal('true');
    await press(el, 'Enter');
    expect(box.value, 'the visitor sees the name').to.equal(`hi @Zara ${tag} `);
    expect(!!$(el, '[part="mention-list"]'), 'list closed').to.equal(false);
    expect(box.getAttribute('aria-expanded')).to.equal('false');
    expect(box.hasAttribute('aria-activedescendant')).to.equal(false);
    // A second mention with Tab, then the message goes out with Enter.
    await type(el, 'and @zol');
    await waitFor(() => options().length === 1, 'Zoltan offered');
    await press(el, 'Tab');
    await type(el, '!');
    expect(box.value).to.equal(`hi @Zara ${tag} and @Zoltan ${tag} !`);
    await press(el, 'Enter');
    const stored = await received;
    expect(stored.text, 'what the server stored').to.equal(`hi <@${zaraId}> and <@${zoltanId}> !`);
    await waitFor(() => el.messages.some((m) => m.text === stored.text), 'in the element messages');
  });

  it('Escape closes the list without sending; a changed name goes out as plain text', async () => {
    const { el, zara, tag } = await roomWithPeers();
    const received = new Promise<ChatMessage>((resolve) => zara.on('message:new', (m) => resolve(m)));
    await type(el, '@Zar');
    await waitFor(() => $(el, '[part="mention-list"]'), 'mention list');
    await press(el, 'Escape');
    expect(!!$(el, '[part="mention-list"]')).to.equal(false);
    expect(input(el).value).to.equal('@Zar');
    await type(el, 'a');
    await waitFor(() => $(el, '[part="mention-list"]'), 'open again');
    await press(el, 'Enter');
    expect(input(el).value).to.equal(`@Zara ${tag} `);
    // The visitor edits the inserted name: it is no longer a mention.
    await press(el, 'Backspace');
    await press(el, 'Backspace');
    await type(el, 'X');
    await press(el, 'Enter');
    const stored = await received;
    expect(stored.text).to.equal(`@Zara ${tag.slice(0, -1)}X`);
    expect(stored.text).not.to.contain('<@');
  });

  it('in a big room asks the server for the members matching what follows @', async function (this: { timeout(ms: number): void }) {
    this.timeout(40_000);
    const room = uniqueRoom('mention-big');
    const tag = `Q${room.slice(-4)}`;
    // Above the big-room size, presence carries counts only: the list must come from `presence:list`.
    for (let i = 0; i < PRESENCE_LIST_MAX + 5; i += 15) {
      await Promise.all(
        Array.from({ length: Math.min(15, PRESENCE_LIST_MAX + 5 - i) }, async (_, j) => rawJoin(await rawClient(`${tag} ${String(i + j).padStart(3, '0')}`), room)),
      );
    }
    const el = await mount({ room });
    await connected(el);
    await waitFor(() => el.onlineCount > PRESENCE_LIST_MAX && el.members.length < el.onlineCount, 'a big room');
    await type(el, `@${tag}`);
    const options = await waitFor(() => {
      const found = $$(el, '[part~="mention-option"]');
      return found.length === 8 && found;
    }, 'eight members from the server', 10_000);
    expect(options.map((o) => o.textContent!.trim())).to.deep.equal(Array.from({ length: 8 }, (_, i) => `${tag} ${String(i).padStart(3, '0')}`));
    await press(el, 'ArrowDown');
    await press(el, 'Enter');
    expect(input(el).value).to.equal(`@${tag} 001 `);
    await press(el, 'Enter');
    const sent = await waitFor(() => el.messages.find((m) => m.text.startsWith('<@')), 'stored');
    expect(sent.text).to.match(/^<@g_[A-Za-z0-9_-]+>$/);
  });

  it('sends at most MENTIONS_MAX distinct mentions as tokens; finds the @ being typed; decodes a stored text', () => {
    const map = new MentionMap();
    let draft = '';
    for (let i = 0; i < 21; i++) draft += `${map.add({ id: `g_user${i}`, name: `P${i}`, kind: 'guest' })} `;
    expect(map.count(draft)).to.equal(21);
    const sent = map.encode(draft);
    expect(sent.match(/<@g_user\d+>/g)!.length, 'at most 20 tokens').to.equal(20);
    expect(sent.endsWith('@P20 ')).to.equal(true);
    expect(mentionQuery('mail me at a@b', 14), 'an @ inside a word is no mention').to.equal(null);
    expect(mentionQuery('hey @An', 7)).to.deep.equal({ start: 4, query: 'An' });
    expect(map.decode('hi <@g_user3> and <@g_gone>', [{ id: 'g_user3', name: 'P3', kind: 'guest' }])).to.equal('hi @P3 and <@g_gone>');
  });
});
