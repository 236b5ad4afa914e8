import { expect } from '@esm-bundle/chai';
import { openConnections } from '../../widget/client/registry.js';
import type { ChatRoom } from '../../widget/index.js';
import type { ChatRoomConnectionDetail, ChatRoomTokenExpiringDetail } from '../../widget/events.js';
import { adminApi, cleanup, connected, messageTexts, mount, uniqueRoom, waitFor } from './helpers.js';

/** The server accepts a token until 60 s (its clock-skew allowance) after `exp`. */
const SKEW_S = 60;

let site: { id: string; secret: string };

before(async () => {
  const id = `wtr-${Math.random().toString(36).slice(2, 8)}`;
  const { site: created } = (await adminApi('POST', '/sites', { id, name: 'Renewal tests', origins: [location.origin] })) as {
    site: { id: string; secret: string };
  };
  site = created;
});

const base64url = (bytes: Uint8Array): string => btoa(String.fromCharCode(...bytes)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
const encode = (value: unknown): string => base64url(new TextEncoder().encode(JSON.stringify(value)));

/** An HS256 token that the server accepts for about `validS` seconds more. */
async function token(claims: Record<string, unknown>, validS: number): Promise<string> {
  const exp = Math.floor(Date.now() / 1000) + validS - SKEW_S;
  const signed = `${encode({ alg: 'HS256', typ: 'JWT' })}.${encode({ site: site.id, name: 'Ada', exp, ...claims })}`;
  const key = await crypto.subtle.importKey('raw', new TextEncoder().encode(site.secret), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
  return `${signed}.${base64url(new Uint8Array(await crypto.subtle.sign('HMAC', key, new TextEncoder().encode(signed))))}`;
}

function connectionStates(el: ChatRoom): string[] {
  const states: string[] = [];
  el.addEventListener('chat-room-connection', (e) => {
    const { state, error } = (e as CustomEvent<ChatRoomConnectionDetail>).detail;
    states.push(error ? `${state}:${error.code}` : state);
  });
  return states;
}

describe('<chat-room> token renewal', () => {
  afterEach(cleanup);

  it('fires chat-room-token-expiring before the end; identify(newToken) keeps the connection, the messages and the room', async () => {
    const room = uniqueRoom();
    const el = await mount({ site: site.id, room, 'user-token': await token({ sub: 'ada' }, 5) });
    await connected(el);
    await el.send('before renewal');
    const conn = openConnections().find((c) => c.site === site.id)!;
    expect(conn.session?.role).to.equal('member');

    const expiring = await new Promise<ChatRoomTokenExpiringDetail>((resolve) =>
      el.addEventListener('chat-room-token-expiring', (e) => resolve(e.detail), { once: true }),
    );
    expect(expiring.expiresAt).to.be.greaterThan(Date.now());
    const states = connectionStates(el);
    const renewed = await token({ sub: 'ada', name: 'Ada L.', role: 'moderator' }, 600);
    el.identify(renewed);
    await waitFor(() => conn.session?.role === 'moderator', 'the renewed role');
    expect(conn.token).to.equal(renewed);
    expect(el.user?.name).to.equal('Ada L.');

    // Past the first token's end: the same connection object, never reconnected, the history still in view.
    await waitFor(() => Date.now() > expiring.expiresAt + 500, 'the first token ends', 10_000);
    await el.send('after renewal');
    expect(openConnections().filter((c) => c.site === site.id)).to.deep.equal([conn]);
    expect(states).to.deep.equal([]);
    expect(el.connectionState).to.equal('connected');
    expect(messageTexts(el)).to.include.members(['before renewal', 'after renewal']);
  });

  it('without a renewal the session ends with token_expired, and the host sees why', async () => {
    const el = await mount({ site: site.id, room: uniqueRoom(), 'user-token': await token({ sub: 'grace' }, 3) });
    await connected(el);
    const states = connectionStates(el);
    await waitFor(() => el.connectionError?.code === 'token_expired', 'token_expired', 8000);
    expect(states).to.include('error:token_expired');
  });
});
