/**
 * A 360 px wide widget (a phone): the title keeps its room, your name (and
 * with it rename) stays, header and composer targets are 44 px, and the
 * connection state stays announced while only its dot shows.
 */
import { expect } from '@esm-bundle/chai';
import { a11ySnapshot, findAccessibilityNode } from '@web/test-runner-commands';
import type { ChatRoom } from '../../widget/index.js';
import { $, cleanup, connected, mount, rawClient, rawJoin, uniqueName, waitFor } from './helpers.js';

interface AxNode {
  role: string;
  name: string;
  children: AxNode[];
}

/** A room name as long as a real one ("Workshop questions", "Private chat with …"), unique per test. */
const longRoom = () => `workshop-questions-${Math.random().toString(36).slice(2, 6)}`;

async function mountNarrow(room: string): Promise<ChatRoom> {
  const el = await mount({ room, theme: 'light', style: 'width: 360px' });
  await connected(el);
  await waitFor(() => $(el, '[part="online"]')!.textContent!.includes('1 online'), 'presence');
  return el;
}

/** True when the text is cut off (an ellipsis, a clamped line, a hidden overflow). */
const truncated = (node: HTMLElement) => node.scrollWidth > node.clientWidth || node.scrollHeight > node.clientHeight;

describe('<chat-room> 360 px wide', () => {
  afterEach(cleanup);

  it('shows the whole room name and keeps your name in the header', async () => {
    const room = longRoom();
    const el = await mountNarrow(room);
    const title = $(el, '[part="title"]')!;
    expect(title.textContent!.trim()).to.equal(room);
    expect(truncated(title), `title cut to ${title.clientWidth}px of ${title.scrollWidth}px`).to.equal(false);
    const user = $(el, '[part="user"]')!;
    expect(user.checkVisibility(), 'your name is shown').to.equal(true);
    expect(user.getBoundingClientRect().width).to.be.at.least(44);
    user.click();
    await el.updateComplete;
    expect(el.shadowRoot!.activeElement, 'rename opens from it').to.equal($(el, '[part="rename"] input'));
  });

  it('shows the whole private chat title', async () => {
    const room = longRoom();
    const el = await mountNarrow(room);
    const name = uniqueName('Alexandra Ivanova');
    const peer = await rawClient(name);
    await rawJoin(peer, room);
    await waitFor(() => el.members.some((m) => m.name === name), 'peer listed');
    el.openDirect(el.members.find((m) => m.name === name)!);
    await el.updateComplete;
    const title = $(el, '[part="title"]')!;
    expect(title.textContent!.trim()).to.equal(`Private chat with ${name}`);
    expect(truncated(title), `title cut to ${title.clientWidth}px of ${title.scrollWidth}px`).to.equal(false);
    expect($(el, '[part="user"]')!.checkVisibility()).to.equal(true);
  });

  it('makes header and composer targets at least 44 px', async () => {
    const el = await mountNarrow(longRoom());
    for (const part of ['online', 'user', 'input', 'send']) {
      const box = $(el, `[part~="${part}"]`)!.getBoundingClientRect();
      expect([part, Math.round(box.width) >= 44, Math.round(box.height) >= 44]).to.deep.equal([part, true, true]);
    }
    $(el, '[part="user"]')!.click();
    await el.updateComplete;
    for (const target of el.shadowRoot!.querySelectorAll('[part="rename"] input, [part="rename"] button')) {
      expect(Math.round(target.getBoundingClientRect().height), target.outerHTML).to.be.at.least(44);
    }
  });

  it('keeps the connection state in the accessibility tree', async () => {
    const el = await mountNarrow(longRoom());
    const label = $(el, '[part="status"] [role="status"]')!;
    expect(label.textContent!.trim()).to.equal('Online');
    expect(label.checkVisibility({ visibilityProperty: true }), 'not display:none or visibility:hidden').to.equal(true);
    el.id = 'narrow-a11y';
    const tree = (await a11ySnapshot({ selector: '#narrow-a11y' })) as unknown as AxNode;
    const status = findAccessibilityNode<AxNode>(tree, (n) => n.role === 'status' && (n.name === 'Online' || n.children?.some((c) => c.name === 'Online')));
    expect(status, JSON.stringify(tree)).to.not.equal(null);
  });
});
