/**
 * A visitor writes while the chat server is unreachable, reloads the page, and
 * the messages still go out once — when the server is reachable again. The
 * page loads the widget script straight from the server; its socket goes
 * through a TCP proxy the test switches off and on.
 */
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import type { Browser, Locator, Page } from 'playwright-core';
import { io } from 'socket.io-client';
import type { ChatMessage } from '../../protocol/index.js';
import { TcpProxy } from '../support/tcp-proxy.js';
import { launchBrowser, startServer, waitFor, type RunningServer } from './harness.js';

describe('offline, reload, online', () => {
  let server: RunningServer;
  let proxy: TcpProxy;
  let browser: Browser;
  /** A third-party page on its own origin (the demo site allows any 127.0.0.1 port), embedding the widget. */
  let site: Server;
  let pageUrl: string;

  before(async () => {
    server = await startServer();
    proxy = await TcpProxy.start({ port: Number(new URL(server.url).port) });
    browser = await launchBrowser();
    site = createServer((req, res) => {
      const room = new URL(req.url ?? '/', 'http://x').searchParams.get('room') ?? 'lobby';
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end(`<!doctype html><html lang="en"><head><script src="${server.url}/chat-room.js"></script></head>
        <body><chat-room server="${proxy.url}" room="${room}"></chat-room></body></html>`);
    });
    await new Promise<void>((resolve) => site.listen(0, '127.0.0.1', resolve));
    pageUrl = `http://127.0.0.1:${(site.address() as AddressInfo).port}/article.html`;
  });

  after(async () => {
    await browser?.close();
    await proxy?.close();
    await server?.stop();
    await new Promise((resolve) => site?.close(resolve));
  });

  async function open(page: Page, room: string): Promise<Locator> {
    await page.goto(`${pageUrl}?room=${room}`);
    return page.locator('chat-room');
  }

  const state = (widget: Locator) => widget.evaluate((el) => (el as HTMLElement & { connectionState: string }).connectionState);

  it('delivers messages written offline exactly once after a reload and the return of the server', async () => {
    const room = `reload-${Date.now().toString(36)}`;
    const page = await (await browser.newContext()).newPage();
    let widget = await open(page, room);
    await waitFor('connected', async () => (await state(widget)) === 'connected', 15_000);

    proxy.offline();
    await waitFor('the widget to see the connection gone', async () => (await state(widget)) !== 'connected', 15_000);
    const texts = ['written offline 1', 'written offline 2', 'written offline 3'];
    const input = widget.locator('[part~="input"]');
    for (const text of texts) {
      await input.fill(text);
      await input.press('Enter');
    }
    const pending = () => widget.locator('[part~="message-own"][data-state="sending"] [part="text"]').allInnerTexts();
    await waitFor('three pending bubbles', async () => (await pending()).length === 3, 5000);
    assert.match(await widget.locator('[part="delivery"]').first().innerText(), /Waiting for the connection/);

    await page.reload();
    widget = page.locator('chat-room');
    await waitFor('the pending messages restored after the reload', async () => (await pending()).length === 3, 10_000);
    assert.deepEqual(await pending(), texts);
    assert.notEqual(await state(widget), 'connected');

    proxy.online();
    const sent = () => widget.locator('[part~="message-own"][data-state="sent"] [part="text"]').allInnerTexts();
    await waitFor('the messages sent', async () => (await sent()).length === 3 && (await pending()).length === 0, 20_000);
    assert.deepEqual(await sent(), texts);

    // Stored once each, in the order written.
    const stored = await storedMessages(server.url, room);
    assert.deepEqual(stored.map((m) => m.text), texts);
    assert.equal(new Set(stored.map((m) => m.clientId)).size, 3);
    await page.close();
  });
});

async function storedMessages(url: string, room: string): Promise<ChatMessage[]> {
  const socket = io(`${url}/s/demo`, { transports: ['websocket'], forceNew: true, reconnection: false, extraHeaders: { origin: 'http://127.0.0.1:4173' } });
  try {
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', resolve);
      socket.once('connect_error', reject);
    });
    const join = (await socket.emitWithAck('room:join', { room })) as { ok: boolean; data: { messages: ChatMessage[] } };
    assert.ok(join.ok);
    return join.data.messages;
  } finally {
    socket.disconnect();
  }
}
