/**
 * A wrong or absent server: the widget says it cannot reach it within 10 s,
 * offers Retry, keeps trying and recovers by itself once the server is there.
 */
import { expect } from '@esm-bundle/chai';
import { $, cleanup, connected, mount, waitFor } from './helpers.js';
import { openProxy } from './proxy.js';
import type { ChatRoom } from '../../widget/index.js';

const statusText = (el: ChatRoom) => $(el, '[part="composer-status"]')?.textContent?.replace(/\s+/g, ' ').trim() ?? '';
const retryButton = (el: ChatRoom) =>
  [...el.shadowRoot!.querySelectorAll<HTMLButtonElement>('[part="composer-status"] button')].find((b) => /Retry|重试/.test(b.textContent!));

describe('unreachable server', function (this: { timeout(ms: number): void }) {
  this.timeout(40_000);
  afterEach(cleanup);

  it('says so within 10 s on a closed port, with Retry, and recovers by itself when the server comes up', async () => {
    const proxy = await openProxy();
    const el = await mount({ server: proxy.url, room: 'lobby' });
    await waitFor(() => statusText(el).includes("Can't reach the chat server"), 'the unreachable notice', 10_000);
    expect(retryButton(el)?.textContent?.trim(), 'a Retry button').to.equal('Retry');
    expect(el.connectionState).to.equal('connecting');
    // The composer still takes messages: they are sent once the server is back.
    expect(($(el, '[part="input"]') as HTMLTextAreaElement).disabled).to.equal(false);
    await proxy.up();
    await waitFor(() => el.connectionState === 'connected', 'connected by itself', 15_000);
    await connected(el);
    expect(statusText(el)).to.not.include("Can't reach");
    await proxy.down();
  });

  it('Retry tries again at once', async () => {
    const proxy = await openProxy();
    const el = await mount({ server: proxy.url, room: 'lobby' });
    await waitFor(() => retryButton(el), 'the Retry button', 10_000);
    await proxy.up();
    retryButton(el)!.click();
    // By now Socket.IO's backoff waits 4–10 s between attempts: connecting within 2 s is the Retry's doing.
    await waitFor(() => el.connectionState === 'connected', 'connected after Retry', 2_000);
    await proxy.down();
  });

  it('says so for an unknown host, in the UI language', async () => {
    const el = await mount({ server: 'http://chat-room-test.invalid', room: 'lobby', lang: 'zh-CN' });
    await waitFor(() => statusText(el).includes('无法连接到聊天服务器'), 'the unreachable notice in Chinese', 10_000);
    expect(retryButton(el)?.textContent?.trim()).to.equal('重试');
  });
});
