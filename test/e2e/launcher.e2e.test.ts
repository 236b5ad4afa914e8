/**
 * `<chat-room mode="launcher">` on the demo site (a third-party origin under a
 * strict CSP) through the real server: what a launcher page loads and when,
 * the badge, presence, opening and closing by mouse and keyboard, phones, and
 * the open state across reloads.
 */
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { launchBrowser, startServer, waitFor, watchProblems, type RunningServer } from './harness.js';

describe('launcher mode', () => {
  let server: RunningServer;
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  /** Another site on its own origin, serving the page it was given, under the demo's Content-Security-Policy. */
  let site: Server;
  let siteUrl: string;
  const pages = new Map<string, string>();

  before(async () => {
    // Every visitor here comes from one address: raise the per-address connection limits.
    server = await startServer(['--rate-limit-scale', '20']);
    browser = await launchBrowser();
    const policy = (await fetch(server.demoUrl)).headers.get('content-security-policy') ?? '';
    site = createServer((req, res) => {
      const body = pages.get(req.url ?? '');
      // No favicon: nothing, rather than a 404 the page reports as a problem.
      res.writeHead(body ? 200 : req.url === '/favicon.ico' ? 204 : 404, { 'content-type': 'text/html; charset=utf-8', 'content-security-policy': policy });
      res.end(body ?? '');
    });
    await new Promise<void>((resolve) => site.listen(0, '127.0.0.1', resolve));
    siteUrl = `http://127.0.0.1:${(site.address() as AddressInfo).port}`;
  });

  after(async () => {
    await Promise.all(contexts.map((context) => context.close().catch(() => undefined)));
    await browser?.close();
    await server?.stop();
    await new Promise((resolve) => site?.close(resolve));
  });

  /** A page of that site: the script tag and `elements`. */
  function sitePage(path: string, elements: string): string {
    pages.set(path, `<!doctype html><html lang="en"><head><script src="${server.url}/chat-room.js"></script></head><body>${elements}</body></html>`);
    return siteUrl + path;
  }

  interface Visit {
    page: Page;
    launcher: Locator;
    button: Locator;
    panel: Locator;
    problems: string[];
    /** Every URL the page requested, in order. */
    requests: string[];
    /** WebSocket connections the page opened. */
    sockets: string[];
  }

  /** A new visitor (own context and storage) on a demo page (or any URL); CSP violations count as problems. */
  async function visit(path = 'rentals.html', viewport = { width: 1280, height: 800 }, context?: BrowserContext): Promise<Visit> {
    if (!context) {
      context = await browser.newContext({ viewport });
      contexts.push(context);
    }
    const page = await context.newPage();
    const problems = watchProblems(page);
    const requests: string[] = [];
    const sockets: string[] = [];
    page.on('request', (request) => requests.push(request.url()));
    page.on('websocket', (socket) => sockets.push(socket.url()));
    await page.addInitScript(() => {
      document.addEventListener('securitypolicyviolation', (e) => console.error(`CSP violation: ${e.violatedDirective} ${e.blockedURI}`));
    });
    await page.goto(/^https?:/.test(path) ? path : new URL(path, server.demoUrl).href);
    const launcher = page.locator('chat-room[mode="launcher"]');
    const button = launcher.locator('[part="launcher"]');
    await button.waitFor();
    return { page, launcher, button, panel: launcher.locator('[part="panel"]'), problems, requests, sockets };
  }

  const uiChunks = (requests: string[]) => requests.filter((url) => /\/chunks\/ui-[\w-]+\.js$/.test(url));
  /** What the badge shows ('' when it shows nothing: hidden at 0, and while the panel is open). */
  const badgeText = (v: Visit) => v.launcher.locator('[part="badge"]').evaluate((el) => (el.checkVisibility() ? el.textContent : ''));

  /** A room member on an inline page of another site (the demo site accepts local origins), in `room`. */
  async function inlineMember(name: string): Promise<{ page: Page; room: Locator }> {
    const context = await browser.newContext();
    contexts.push(context);
    const page = await context.newPage();
    const problems = watchProblems(page);
    await page.goto(sitePage(`/member-${name}.html`, `<chat-room site="demo" room="${name}"></chat-room>`));
    after(() => assert.deepEqual(problems, []));
    const room = page.locator('chat-room');
    await waitFor('the member to be connected', () => room.locator('[part~="input"]').isEnabled(), 15_000);
    return { page, room };
  }

  it('loads the loader, then (idle) the badge part, and the chat UI only when the visitor reaches for it', async () => {
    const v = await visit();
    // Idle: the badge part connects, quietly.
    await waitFor('the badge part to connect', () => v.sockets.length > 0, 15_000);
    assert.deepEqual(uiChunks(v.requests), [], 'no UI chunk before any interaction');
    assert.equal(await v.launcher.evaluate((el) => el.shadowRoot!.querySelector('[part="base"]')), null, 'no chat rendered yet');
    await v.button.hover();
    await waitFor('the UI chunk on hover', () => uiChunks(v.requests).length === 1);
    assert.equal(await v.panel.isVisible(), false, 'hovering loads, it does not open');
    await v.button.click();
    await v.launcher.locator('[part~="input"]').waitFor();
    assert.equal(uiChunks(v.requests).length, 1, 'each chunk is loaded once');
    assert.equal(v.sockets.length, 1, 'the badge part and the chat share one connection');
    assert.deepEqual(v.problems, []);
  });

  it('counts messages from another page on its badge, and is not in the room until it is opened', async () => {
    // A room of its own: visitors of the other tests stay online in the demo's room.
    const member = await inlineMember('badge-test');
    const v = await visit(sitePage('/badge-test.html', '<chat-room mode="launcher" site="demo" room="badge-test"></chat-room>'));
    await waitFor('the badge part to connect', () => v.sockets.length > 0, 15_000);
    const online = () => member.room.evaluate((el) => (el as HTMLElement & { onlineCount: number }).onlineCount);
    await waitFor('the member to see itself online', async () => (await online()) === 1).catch(async (e: unknown) => {
      throw new Error(`${String(e)}: ${await member.room.evaluate((el) => JSON.stringify(el.shadowRoot!.textContent))}`);
    });
    // The badge's quiet join has been answered once its count can move: a first message from the member.
    await member.room.evaluate((el) => (el as HTMLElement & { send(t: string): Promise<unknown> }).send('zero'));
    await waitFor('the badge to count the first message', async () => (await badgeText(v)) === '1');
    assert.equal(await online(), 1, 'a launcher that was never opened is not online in the room');

    for (const text of ['one', 'two']) await member.room.evaluate((el, t) => (el as HTMLElement & { send(t: string): Promise<unknown> }).send(t), text);
    await waitFor('the badge to count 3', async () => (await badgeText(v)) === '3');
    assert.equal(await v.button.getAttribute('aria-label'), 'Open chat, 3 unread');

    await v.button.click();
    await waitFor('the member to see the visitor join', async () => (await online()) === 2);
    await waitFor('the opened chat to show the messages', async () => (await v.launcher.locator('[part~="text"]').allInnerTexts()).join() === 'zero,one,two');
    await waitFor('the badge to clear', async () => (await badgeText(v)) === '');
    await waitFor('the chat to have read them', async () => (await v.launcher.evaluate((el) => (el as HTMLElement & { unread: number }).unread)) === 0);

    await v.button.click();
    assert.equal(await badgeText(v), '', 'read while open: nothing on the badge once closed');
    await member.room.evaluate((el) => (el as HTMLElement & { send(t: string): Promise<unknown> }).send('four'));
    await waitFor('a message to a closed panel to be counted', async () => (await badgeText(v)) === '1');
    assert.deepEqual(v.problems, []);
  });

  it('opens and closes by mouse and by keyboard; Escape closes it and focus returns to the button', async () => {
    const v = await visit();
    const events: string[] = [];
    await v.page.exposeFunction('record', (type: string) => events.push(type));
    await v.launcher.evaluate((el) => {
      for (const type of ['chat-room-open', 'chat-room-close']) el.addEventListener(type, () => (window as unknown as { record(t: string): void }).record(type));
    });
    const focusedPart = () => v.launcher.evaluate((el) => el.shadowRoot!.activeElement?.getAttribute('part') ?? null);

    await v.button.click();
    assert.equal(await v.panel.isVisible(), true);
    assert.equal(await v.button.getAttribute('aria-expanded'), 'true');
    await waitFor('focus in the composer', async () => (await focusedPart()) === 'input');
    await v.button.click();
    assert.equal(await v.panel.isVisible(), false);

    await v.button.focus();
    await v.page.keyboard.press('Enter');
    await waitFor('focus in the composer', async () => (await focusedPart()) === 'input');
    // The member list first (the chat's own panel), then the launcher's.
    await v.launcher.locator('[part="online"]').click();
    await v.launcher.locator('[part="members"]').waitFor();
    await v.page.keyboard.press('Escape');
    assert.equal(await v.launcher.locator('[part="members"]').count(), 0, 'Escape closed the member list');
    assert.equal(await v.panel.isVisible(), true, 'and left the launcher open');
    await v.page.keyboard.press('Escape');
    assert.equal(await v.panel.isVisible(), false);
    assert.equal(await focusedPart(), 'launcher');
    await v.page.keyboard.press('Space');
    assert.equal(await v.panel.isVisible(), true);
    assert.deepEqual(events, ['chat-room-open', 'chat-room-close', 'chat-room-open', 'chat-room-close', 'chat-room-open']);
    assert.deepEqual(v.problems, []);
  });

  it('is full-screen with a close button on a 375 px phone', async () => {
    const v = await visit('rentals.html', { width: 375, height: 667 });
    await v.button.click();
    await v.launcher.locator('[part~="input"]').waitFor();
    await v.panel.evaluate((el) => Promise.all(el.getAnimations().map((a) => a.finished)));
    const box = await v.panel.boundingBox();
    assert.deepEqual(box, { x: 0, y: 0, width: 375, height: 667 });
    const close = v.launcher.locator('[part="close"]');
    assert.equal(await close.isVisible(), true);
    await close.click();
    assert.equal(await v.panel.isVisible(), false);
    await v.page.screenshot({ path: '/tmp/launcher-phone.png' }).catch(() => undefined);
    assert.deepEqual(v.problems, []);
  });

  it('remembers open or closed across page loads of the site', async () => {
    const v = await visit();
    await v.button.click();
    await v.launcher.locator('[part~="input"]').waitFor();
    await v.page.reload();
    await v.launcher.locator('[part~="input"]').waitFor();
    assert.equal(await v.panel.isVisible(), true, 'open after a reload');
    assert.equal(await v.launcher.evaluate((el) => (el as HTMLElement & { open: boolean }).open), true);
    await v.button.click();
    await v.page.reload();
    await v.button.waitFor();
    await new Promise((resolve) => setTimeout(resolve, 300));
    assert.equal(await v.panel.isVisible(), false, 'closed after a reload');
    assert.deepEqual(v.problems, []);
  });

  it('works beside inline rooms on one page under the strict CSP, with no violations', async () => {
    const v = await visit('index.html');
    const lobby = v.page.locator('chat-room[room="lobby"]');
    await waitFor('the lobby to be ready', () => lobby.locator('[part~="input"]').isEnabled(), 15_000);
    await lobby.locator('[part~="input"]').fill('hello from the lobby');
    await lobby.locator('[part~="input"]').press('Enter');
    await waitFor('the lobby message', async () => (await lobby.locator('[part~="text"]').allInnerTexts()).includes('hello from the lobby'));
    await v.button.click();
    await waitFor('the launcher chat to be ready', () => v.launcher.locator('[part~="input"]').isEnabled(), 15_000);
    assert.equal(uiChunks(v.requests).length, 1, 'the UI chunk is shared by every element on the page');
    assert.equal(v.sockets.length, 1, 'one connection for the three elements');
    assert.deepEqual(v.problems, []);
  });

  it('connect="open" does not connect before the first open', async () => {
    const context = await browser.newContext();
    contexts.push(context);
    const page = await context.newPage();
    const problems = watchProblems(page);
    const sockets: string[] = [];
    page.on('websocket', (socket) => sockets.push(socket.url()));
    await page.goto(sitePage('/consent.html', '<chat-room mode="launcher" connect="open" site="demo" room="questions"></chat-room>'));
    await page.waitForLoadState('load');
    await page.evaluate(() => new Promise((resolve) => requestIdleCallback(() => setTimeout(resolve, 2000))));
    assert.deepEqual(sockets, [], 'no connection before the visitor opens the chat');
    await page.locator('chat-room [part="launcher"]').click();
    await waitFor('a connection once opened', () => sockets.length === 1);
    await waitFor('the chat to be ready', () => page.locator('chat-room [part~="input"]').isEnabled(), 15_000);
    assert.deepEqual(problems, []);
  });
});
