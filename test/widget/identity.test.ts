import { expect } from '@esm-bundle/chai';
import { normalizeServer } from '../../widget/client/connection.js';
import { pendingStorageKey } from '../../widget/client/pending-store.js';
import type { UserExport } from '../../protocol/index.js';
import type { ChatRoom } from '../../widget/index.js';
import type { ChatRoomErrorDetail } from '../../widget/events.js';
import { $, $$, STRICT_SERVER, adminApi, afterFailedImageLoad, cleanup, connected, freshGuest, messageTexts, mount, rawClient, rawJoin, rawSend, uniqueRoom, waitFor } from './helpers.js';

/** A site of its own for these tests, so its secret is known and signs tokens. */
let site: { id: string; secret: string };

before(async () => {
  const id = `wtr-${Math.random().toString(36).slice(2, 8)}`;
  const { site: created } = (await adminApi('POST', '/sites', { id, name: 'Identity tests', origins: [location.origin] })) as {
    site: { id: string; secret: string };
  };
  site = created;
});

const base64url = (bytes: Uint8Array): string => btoa(String.fromCharCode(...bytes)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
const encode = (value: unknown): string => base64url(new TextEncoder().encode(JSON.stringify(value)));

/** An HS256 identity token as the site's backend signs it. */
async function token(claims: Record<string, unknown>, secret = site.secret): Promise<string> {
  const signed = `${encode({ alg: 'HS256', typ: 'JWT' })}.${encode({ site: site.id, exp: Math.floor(Date.now() / 1000) + 600, ...claims })}`;
  const key = await crypto.subtle.importKey('raw', new TextEncoder().encode(secret), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
  return `${signed}.${base64url(new Uint8Array(await crypto.subtle.sign('HMAC', key, new TextEncoder().encode(signed))))}`;
}

function errors(el: ChatRoom): string[] {
  const codes: string[] = [];
  el.addEventListener('chat-room-error', (e) => codes.push((e as CustomEvent<ChatRoomErrorDetail>).detail.code));
  return codes;
}

describe('<chat-room> identity and moderation', () => {
  afterEach(cleanup);

  it('signs in with user-token, switches users with identify() and goes back to a guest with logout()', async () => {
    const room = uniqueRoom();
    const el = await mount({ site: site.id, room, 'user-token': await token({ sub: 'ada', name: 'Ada Lovelace' }) });
    await connected(el);
    expect(el.user).to.include({ name: 'Ada Lovelace', kind: 'user' });
    // An opaque id, never the sub.
    expect(el.user!.id).to.match(/^u_[A-Za-z0-9_-]{22}$/);
    const adaId = el.user!.id;
    await el.send('from Ada');

    el.identify(await token({ sub: 'grace', name: 'Grace Hopper' }));
    await waitFor(() => el.user?.name === 'Grace Hopper' && el.connectionState === 'connected', 'Grace');
    expect(el.user!.id).to.not.equal(adaId);
    await connected(el);
    expect(el.user!.name).to.equal('Grace Hopper');
    // The history is the room's, but nothing of Ada's session (her own marks) stays in view.
    expect($$(el, '[part~="message-own"]')).to.have.length(0);

    el.logout();
    await waitFor(() => el.user?.kind === 'guest', 'a guest again');
    expect(el.hasAttribute('user-token')).to.equal(false);
  });

  it('shows why a bad or expired token is refused', async () => {
    const el = await mount({ site: site.id, room: uniqueRoom(), 'user-token': await token({ sub: 'x', name: 'Xavier' }, 'not-the-secret') });
    const codes = errors(el);
    await waitFor(() => el.connectionError?.code === 'token_invalid', 'token_invalid');
    expect($(el, '[part="composer-status"]')!.textContent).to.contain('sign-in is not valid');
    el.identify(await token({ sub: 'x', name: 'Xavier', exp: Math.floor(Date.now() / 1000) - 3600 }));
    await waitFor(() => el.connectionError?.code === 'token_expired', 'token_expired');
    expect(codes).to.include('token_expired');
  });

  it('shows moderator actions to moderators only, and a deletion reaches every member as a tombstone', async () => {
    const room = uniqueRoom();
    const member = await mount({ site: site.id, room, 'user-token': await token({ sub: 'm1', name: 'Member One' }) });
    await connected(member);
    await member.send('please delete me');
    const mod = await mount({ site: site.id, room, 'user-token': await token({ sub: 'mod', name: 'Moderator', role: 'moderator' }) });
    await connected(mod);
    await waitFor(() => messageTexts(mod).includes('please delete me'), 'message at the moderator');
    // A member may delete their own message, never another's.
    await mod.send('a word from the moderator');
    await waitFor(() => messageTexts(member).includes('a word from the moderator'), 'the moderator’s message at the member');
    await waitFor(() => $(member, '[part~="message-own"] [part="delete"]'), 'a delete on the member’s own message');
    const others = $$(member, '[part~="message"]:not([part~="message-own"])');
    expect(others.length, 'the moderator’s message').to.be.greaterThan(0);
    expect(others.flatMap((m) => [...m.querySelectorAll('[part="delete"]')]), 'no delete on another’s message').to.have.length(0);
    const del = await waitFor(() => $(mod, '[part~="message"] [part="delete"]'), 'delete button');
    del.click();
    for (const el of [member, mod]) {
      await waitFor(() => $(el, '[part~="deleted"]'), 'tombstone');
      expect(messageTexts(el)).to.not.include('please delete me');
      expect($(el, '[part~="deleted"]')!.textContent).to.contain('Message deleted');
    }
    // Members see no mute or ban buttons; the moderator does, for others only.
    ($(member, '[part="online"]') as HTMLButtonElement).click();
    ($(mod, '[part="online"]') as HTMLButtonElement).click();
    await member.updateComplete;
    await mod.updateComplete;
    expect($$(member, '[part="mute"], [part="ban"]')).to.have.length(0);
    await waitFor(() => $$(mod, '[part="mute"]').length === 1, 'one mute button (for the member)');
  });

  it('a moderator mute makes the member’s send fail at once, and a ban ends their session with the reason', async () => {
    const room = uniqueRoom();
    const member = await mount({ site: site.id, room, 'user-token': await token({ sub: 'm2', name: 'Member Two' }) });
    await connected(member);
    const mod = await mount({ site: site.id, room, 'user-token': await token({ sub: 'mod2', name: 'Mod Two', role: 'moderator' }) });
    await connected(mod);
    ($(mod, '[part="online"]') as HTMLButtonElement).click();
    (await waitFor(() => $(mod, '[part="mute"]'), 'mute button')).click();
    await waitFor(async () => {
      const sent = await member.send('still here?').then(() => 'sent', (e: { code: string }) => e.code);
      return sent === 'muted';
    }, 'muted');
    await waitFor(() => $(member, '[data-state="failed"]'), 'failed bubble');

    (await waitFor(() => $(mod, '[part="ban"]'), 'ban button')).click();
    await waitFor(() => member.connectionError?.code === 'banned', 'banned');
    expect(member.connectionState).to.equal('error');
    expect($(member, '[part="composer-status"]')!.textContent).to.contain('banned');
  });

  it('lets a moderator erase a user through the element (others are refused); the export is the admin API’s', async () => {
    const room = uniqueRoom();
    const member = await mount({ site: site.id, room, 'user-token': await token({ sub: 'm3', name: 'Member Three' }) });
    await connected(member);
    await member.send('my data 1');
    await member.send('my data 2');
    const mod = await mount({ site: site.id, room, 'user-token': await token({ sub: 'mod3', name: 'Mod Three', role: 'moderator' }) });
    await connected(mod);
    const memberId = member.user!.id;
    expect('exportUser' in mod, 'no export from the element').to.equal(false);

    const notErased = await member.eraseUser(mod.user!.id).then(() => 'erased', (e: { code: string }) => e.code);
    expect(notErased).to.equal('forbidden');

    const data = (await adminApi('GET', `/sites/${site.id}/users/${encodeURIComponent(memberId)}/export`)) as unknown as UserExport;
    expect(data.user!.name).to.equal('Member Three');
    expect(data.messages.map((m) => m.text)).to.deep.equal(['my data 1', 'my data 2']);
    expect(await mod.eraseUser(memberId)).to.deep.equal({ messages: 2, profile: true });
    await waitFor(() => $$(mod, '[part~="deleted"]').length === 2, 'tombstones at the moderator');
    expect(messageTexts(mod)).to.not.include('my data 1');
    // The open page forgets the author too, not only a reload.
    expect(mod.messages.map((m) => m.from.id)).to.deep.equal(['erased', 'erased']);
    expect(mod.shadowRoot!.textContent).to.not.include('Member Three');
  });

  it('shows rate limiting on the messages it holds back, and keeps them to send later', async () => {
    // The default limit is 10 messages per 10 s per socket, with a burst of 5 more.
    freshGuest(STRICT_SERVER);
    const el = await mount({ server: STRICT_SERVER, room: uniqueRoom() });
    await connected(el);
    for (let i = 1; i <= 18; i++) void el.send(`burst ${i}`).catch(() => undefined);
    const limited = await waitFor(
      () => $$(el, '[data-state="sending"] [part="delivery"]').find((line) => line.textContent!.includes('too fast')),
      'a held-back message saying why',
      8000,
    );
    expect(limited.textContent).to.contain('You are sending too fast');
    await waitFor(() => el.messages.length === 15, 'the first 15 stored');
    expect($$(el, '[data-state="sending"]')).to.have.length(3);
    expect($$(el, '[data-state="failed"]'), 'held back, not failed').to.have.length(0);
    el.remove();
    // What it still holds would go out on this page's next visit: not part of later tests.
    localStorage.removeItem(pendingStorageKey(normalizeServer(STRICT_SERVER), 'demo'));
  });
});

describe('<chat-room> and hostile text', () => {
  afterEach(cleanup);

  const corpus = [
    '<script>window.__xss = 1</script>',
    '<img src=x onerror="window.__xss = 2">',
    '<svg onload="window.__xss = 3"><script>window.__xss = 4</script></svg>',
    '<a href="javascript:window.__xss = 5">click</a>',
    'javascript:window.__xss=6',
    '<iframe src="javascript:window.__xss = 7"></iframe>',
    '&lt;script&gt;window.__xss = 8&lt;/script&gt;',
    '%3Cscript%3Ewindow.__xss=9%3C/script%3E',
    '\\u003cscript\\u003ewindow.__xss=10\\u003c/script\\u003e',
    '<div style="background:url(javascript:window.__xss=11)">x</div>',
    '"><img src=x onerror=window.__xss=12>',
    '<math><mtext><table><mglyph><style><img src=x onerror=window.__xss=13>',
    'http://example.com/"onmouseover="window.__xss=14',
    '<details open ontoggle="window.__xss=15">',
    '{{constructor.constructor("window.__xss=16")()}}',
    '${window.__xss=17}',
  ];

  it('renders a corpus of XSS payloads as text: no script runs, no element is created', async () => {
    const room = uniqueRoom('xss');
    const other = await rawClient('Mallory');
    await rawJoin(other, room);
    await rawSend(other, room, ...corpus);
    const el = await mount({ room });
    await connected(el);
    await waitFor(() => el.messages.length === corpus.length, 'all payloads');
    await afterFailedImageLoad();
    expect((window as unknown as { __xss?: number }).__xss, 'a payload ran').to.equal(undefined);
    const texts = $$(el, '[part~="message"] [part="text"]');
    expect(texts.map((n) => n.textContent)).to.deep.equal(corpus.map((c) => c.trim()));
    for (const node of texts) {
      for (const child of node.querySelectorAll('*')) {
        expect(child.localName, `element made from "${node.textContent}"`).to.equal('a');
        expect((child as HTMLAnchorElement).protocol).to.match(/^https?:$/);
        expect(child.getAttributeNames().sort()).to.deep.equal(['href', 'rel', 'target']);
      }
    }
  });
});
