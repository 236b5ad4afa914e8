/**
 * The member list shows each member's avatar before their name: a signed-in
 * user's https `avatar` from their token as an image over their initials, a
 * guest's initials alone; styled (round, the list's smaller size) by the rich
 * part's styles.
 */
import { expect } from '@esm-bundle/chai';
import { $, $$, adminApi, cleanup, connected, mount, rawClient, rawJoin, uniqueRoom, waitFor } from './helpers.js';

let site: { id: string; secret: string };

before(async () => {
  const id = `wtr-mavatar-${Math.random().toString(36).slice(2, 8)}`;
  ({ site } = (await adminApi('POST', '/sites', { id, name: 'Member avatars', origins: [location.origin] })) as { site: typeof site });
});

const base64url = (bytes: Uint8Array): string => btoa(String.fromCharCode(...bytes)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
const encode = (value: unknown): string => base64url(new TextEncoder().encode(JSON.stringify(value)));

async function token(claims: Record<string, unknown>): Promise<string> {
  const signed = `${encode({ alg: 'HS256', typ: 'JWT' })}.${encode({ site: site.id, exp: Math.floor(Date.now() / 1000) + 600, ...claims })}`;
  const key = await crypto.subtle.importKey('raw', new TextEncoder().encode(site.secret), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
  return `${signed}.${base64url(new Uint8Array(await crypto.subtle.sign('HMAC', key, new TextEncoder().encode(signed))))}`;
}

describe('<chat-room> member list avatars', () => {
  afterEach(cleanup);

  it('shows a signed-in member’s avatar image and a guest’s initials before their names', async () => {
    const room = uniqueRoom('member-avatars');
    const avatar = 'https://avatars.invalid/ada.png';
    const viewer = await mount({ site: site.id, room, 'user-token': await token({ sub: 'ada', name: 'Ada Lovelace', avatar }) });
    await connected(viewer);
    const guest = await rawClient('Guest Gus', site.id);
    await rawJoin(guest, room);
    await waitFor(() => viewer.onlineCount === 2, 'two members');

    $(viewer, '[part="online"]')!.click();
    const rows = await waitFor(() => {
      const found = $$(viewer, '[part="member"]');
      return found.length === 2 && found.every((row) => row.querySelector('[part~="avatar"]')) ? found : null;
    }, 'both members with avatars');
    const byName = new Map(rows.map((row) => [row.querySelector('.name')!.textContent!, row]));

    const ada = byName.get('Ada Lovelace')!.querySelector<HTMLElement>('[part~="avatar"]')!;
    expect(ada.textContent!.trim()).to.equal('AL');
    expect(ada.querySelector('img')!.getAttribute('src')).to.equal(avatar);
    expect(ada.getAttribute('aria-hidden')).to.equal('true');
    const gus = byName.get('Guest Gus')!.querySelector<HTMLElement>('[part~="avatar"]')!;
    expect(gus.textContent!.trim()).to.equal('GG');
    expect(gus.querySelector('img')).to.equal(null);

    // Styled: round, the list's size, before the name and not stretched.
    const style = getComputedStyle(gus);
    expect(style.borderRadius).to.equal('50%');
    expect(gus.getBoundingClientRect().width).to.equal(24);
    expect(gus.getBoundingClientRect().right).to.be.at.most(byName.get('Guest Gus')!.querySelector('.name')!.getBoundingClientRect().left);
  });
});
