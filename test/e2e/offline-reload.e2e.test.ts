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
import { io, type Socket } from 'socket.io-client';
import { HISTORY_PAGE_SIZE, type ChatMessage, type ClientToServerEvents, type ServerToClientEvents } from '../../protocol/index.js';
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
    // Raised limits: one test has another visitor send a page of history in a burst.
    server = await startServer(['--rate-limit-scale', '100']);
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
    const idsBeforeReload = await pendingClientIds(widget);
    assert.equal(new Set(idsBeforeReload).size, 3);

    await page.reload();
    widget = page.locator('chat-room');
    await waitFor('the pending messages restored after the reload', async () => (await pending()).length === 3, 10_000);
    assert.deepEqual(await pending(), texts);
    assert.deepEqual(await pendingClientIds(widget), idsBeforeReload, 'the reloaded page gave its pending sends new ids');
    assert.notEqual(await state(widget), 'connected');

    proxy.online();
    const sent = () => widget.locator('[part~="message-own"][data-state="sent"] [part="text"]').allInnerTexts();
    await waitFor('the messages sent', async () => (await sent()).length === 3 && (await pending()).length === 0, 20_000);
    assert.deepEqual(await sent(), texts);

    // Stored once each, in the order written, under the ids given before the reload.
    const stored = await storedMessages(server.url, room);
    assert.deepEqual(stored.map((m) => m.text), texts);
    assert.deepEqual(stored.map((m) => m.clientId), idsBeforeReload);
    await page.close();
  });

  it('stores a message once when it was stored, its ack was lost, and the page reloaded and resent it', async () => {
    const room = `ack-lost-${Date.now().toString(36)}`;
    // Whatever an earlier test left the proxy in.
    proxy.resume();
    proxy.online();
    const page = await (await browser.newContext()).newPage();
    let widget = await open(page, room);
    await waitFor('connected', async () => (await state(widget)) === 'connected', 15_000);

    // The server gets the message and stores it; its ack is held in the proxy and never reaches the page.
    proxy.pauseDirection('toClient');
    const input = widget.locator('[part~="input"]');
    await input.fill('ack lost');
    await input.press('Enter');
    await waitFor('the message stored', async () => (await storedMessages(server.url, room)).length === 1, 10_000);
    const ids = await pendingClientIds(widget);
    assert.equal(ids.length, 1, 'the page still waits for the ack');
    assert.equal((await storedMessages(server.url, room))[0]!.clientId, ids[0]);

    // The connection dies with the ack in it. While the page is away the room moves on, so the history it
    // gets on rejoining no longer holds the message: only a resend can settle it.
    proxy.offline();
    proxy.resume();
    await sendDirect(server.url, room, HISTORY_PAGE_SIZE + 10);
    await page.reload();
    widget = page.locator('chat-room');
    await waitFor('the pending send restored', async () => (await pendingClientIds(widget)).length === 1, 10_000);
    assert.deepEqual(await pendingClientIds(widget), ids);

    proxy.online();
    // A failed resend would stay, as a failed bubble with the same id.
    await waitFor('the resend acknowledged', async () => (await pendingClientIds(widget)).length === 0, 20_000);
    const stored = await storedMessages(server.url, room, true);
    assert.equal(stored.length, HISTORY_PAGE_SIZE + 11);
    assert.deepEqual(stored.filter((m) => m.clientId === ids[0]).map((m) => [m.seq, m.text]), [[1, 'ack lost']]);
    assert.doesNotMatch(server.output(), /"level":"error"/);
    await page.close();
  });
});

/** The client ids of the widget's unacknowledged sends (sending or failed), oldest first. */
function pendingClientIds(widget: Locator): Promise<string[]> {
  return widget.locator('[part~="message-own"][data-client-id]').evaluateAll((els) => els.map((el) => (el as HTMLElement).dataset.clientId!));
}

/** Messages in a join's history (the latest page); all of the room, page by page, with `all`. */
async function storedMessages(url: string, room: string, all = false): Promise<ChatMessage[]> {
  const socket = directSocket(url);
  try {
    await connected(socket);
    const join = (await socket.emitWithAck('room:join', { room })) as { ok: boolean; data: { messages: ChatMessage[] } };
    assert.ok(join.ok);
    if (!all) return join.data.messages;
    const messages: ChatMessage[] = [];
    for (let after = 0; ; ) {
      const page = await socket.emitWithAck('message:history', { room, afterSeq: after, limit: 100 });
      assert.ok(page.ok);
      messages.push(...page.data.messages);
      if (!page.data.hasMore) return messages;
      after = messages.at(-1)!.seq;
    }
  } finally {
    socket.disconnect();
  }
}

/** `count` messages from another visitor, straight to the server. */
async function sendDirect(url: string, room: string, count: number): Promise<void> {
  const socket = directSocket(url);
  try {
    await connected(socket);
    assert.ok((await socket.emitWithAck('room:join', { room })).ok);
    for (let i = 0; i < count; i++) {
      assert.ok((await socket.emitWithAck('message:send', { room, text: `meanwhile ${i}`, clientId: crypto.randomUUID() })).ok);
    }
  } finally {
    socket.disconnect();
  }
}

function directSocket(url: string): Socket<ServerToClientEvents, ClientToServerEvents> {
  return io(`${url}/s/demo`, { transports: ['websocket'], forceNew: true, reconnection: false, extraHeaders: { origin: 'http://127.0.0.1:4173' } });
}

function connected(socket: Socket): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('connect_error', reject);
  });
}
