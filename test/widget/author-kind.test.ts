import { expect } from '@esm-bundle/chai';
import type { ChatRoom } from '../../widget/index.js';
import { $, $$, adminApi, cleanup, connected, mount, rawClient, rawJoin, rawSend, uniqueRoom, waitFor } from './helpers.js';

/** A site of its own, so its secret is known and signs tokens. */
let site: { id: string; secret: string };

before(async () => {
  const id = `wtr-kind-${Math.random().toString(36).slice(2, 8)}`;
  ({ site } = (await adminApi('POST', '/sites', { id, name: 'Author kinds', origins: [location.origin] })) as { site: typeof site });
});

const base64url = (bytes: Uint8Array): string => btoa(String.fromCharCode(...bytes)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
const encode = (value: unknown): string => base64url(new TextEncoder().encode(JSON.stringify(value)));

async function token(claims: Record<string, unknown>): Promise<string> {
  const signed = `${encode({ alg: 'HS256', typ: 'JWT' })}.${encode({ site: site.id, exp: Math.floor(Date.now() / 1000) + 600, ...claims })}`;
  const key = await crypto.subtle.importKey('raw', new TextEncoder().encode(site.secret), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
  return `${signed}.${base64url(new Uint8Array(await crypto.subtle.sign('HMAC', key, new TextEncoder().encode(signed))))}`;
}

/** The accessible name of the signed-in mark next to each author line / member, or '' where there is none. */
function marks(rows: HTMLElement[], name: (row: HTMLElement) => string): Record<string, string> {
  return Object.fromEntries(rows.map((row) => [name(row), row.querySelector('[part="signed-in"]')?.getAttribute('aria-label') ?? '']));
}

describe('<chat-room> guest or signed-in author', () => {
  afterEach(cleanup);

  it('marks signed-in authors in the message list and the member list, and not guests', async () => {
    const room = uniqueRoom();
    const viewer = await mount({ site: site.id, room });
    await connected(viewer);
    const member = await mount({ site: site.id, room, 'user-token': await token({ sub: 'ada', name: 'Ada Lovelace' }) });
    await connected(member);
    await member.send('from a member');
    const guest = await rawClient('Guest Gus', site.id);
    await rawJoin(guest, room);
    await rawSend(guest, room, 'from a guest');

    await waitFor(() => $$(viewer, '[part~="message"] [part="author"]').length === 2, 'two author lines');
    const authorLines = $$(viewer, '[part~="message"] .meta');
    expect(marks(authorLines, (row) => row.querySelector('[part="author"]')!.textContent!)).to.deep.equal({
      'Ada Lovelace': 'Signed in',
      'Guest Gus': '',
    });
    const mark = authorLines[0]!.querySelector<HTMLElement>('[part="signed-in"]')!;
    expect(mark.getAttribute('role')).to.equal('img');
    expect(getComputedStyle(mark).display).to.not.equal('none');

    await waitFor(() => viewer.onlineCount === 3, 'three members');
    $(viewer, '[part="online"]')!.click();
    await viewer.updateComplete;
    const members = marks($$(viewer, '[part="member"]'), (row) => row.querySelector('.name')!.textContent!);
    expect(members['Ada Lovelace']).to.equal('Signed in');
    expect(members['Guest Gus']).to.equal('');
    expect(members[viewer.user!.name]).to.equal('');
  });

  it('names the mark in Simplified Chinese and lets the page color it', async () => {
    const room = uniqueRoom();
    const member = await mount({ site: site.id, room, 'user-token': await token({ sub: 'lin', name: 'Lin' }) });
    await connected(member);
    await member.send('你好');
    const viewer: ChatRoom = await mount({ site: site.id, room, lang: 'zh-CN', style: '--chat-room-signed-in: rgb(1, 2, 3)' });
    const mark = await waitFor(() => $(viewer, '[part="signed-in"]'), 'mark');
    expect(mark.getAttribute('aria-label')).to.equal('已登录');
    expect(getComputedStyle(mark).color).to.equal('rgb(1, 2, 3)');
  });
});
