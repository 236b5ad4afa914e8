/**
 * `<chat-room mode="launcher">` on the demo site (a third-party origin under a
 * strict CSP) through the real server: what a launcher page loads and when,
 * the badge, presence, opening and closing by mouse and keyboard, phones, and
 * the open state across reloads.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { launchBrowser, startServer, waitFor, watchProblems, type RunningServer } from './harness.js';

describe('launcher mode', () => {
  let server: RunningServer;
  let browser: Browser;
  const contexts: BrowserContext[] = [];

  before(async () => {
    server = await startServer();
    browser = await launchBrowser();
  });

  after(async () => {
    await Promise.all(contexts.map((context) => context.close().catch(() => undefined)));
    await browser?.close();
    await server?.stop();
  });

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

  /** A new visitor (own context and storage) on a demo page; CSP violations count as problems. */
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
    await page.goto(new URL(path, server.demoUrl).href);
    const launcher = page.locator('chat-room[mode="launcher"]');
    const button = launcher.locator('[part="launcher"]');
    await button.waitFor();
    return { page, launcher, button, panel: launcher.locator('[part="panel"]'), problems, requests, sockets };
  }

  const uiChunks = (requests: string[]) => requests.filter((url) => /\/chunks\/ui-[\w-]+\.js$/.test(url));
  const badgeText = (v: Visit) => v.launcher.locator('[part="badge"]').evaluate((el) => ((el as HTMLElement).hidden ? '' : el.textContent));

  /** A room member on an inline page (routed to a localhost origin the demo site accepts), in room `questions`. */
  async function inlineMember(): Promise<{ page: Page; room: Locator }> {
    const context = await browser.newContext();
    contexts.push(context);
    const page = await context.newPage();
    await page.route('http://localhost:9/**', (route) =>
      route.fulfill({
        contentType: 'text/html',
        body: `<!doctype html><html lang="en"><script src="${server.url}/chat-room.js"></script><chat-room site="demo" room="questions"></chat-room></html>`,
      }),
    );
    await page.goto('http://localhost:9/member.html');
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
    const member = await inlineMember();
    const v = await visit();
    await waitFor('the badge part to connect', () => v.sockets.length > 0, 15_000);
    const online = () => member.room.evaluate((el) => (el as HTMLElement & { onlineCount: number }).onlineCount);
    await new Promise((resolve) => setTimeout(resolve, 500));
    assert.equal(await online(), 1, 'a launcher that was never opened is not online in the room');

    for (const text of ['one', 'two', 'three']) await member.room.evaluate((el, t) => (el as HTMLElement & { send(t: string): Promise<unknown> }).send(t), text);
    await waitFor('the badge to count 3', async () => (await badgeText(v)) === '3');
    assert.equal(await v.button.getAttribute('aria-label'), 'Open chat, 3 unread');

    await v.button.click();
    await waitFor('the member to see the visitor join', async () => (await online()) === 2);
    await waitFor('the opened chat to show the messages', async () => (await v.launcher.locator('[part~="text"]').allInnerTexts()).join() === 'one,two,three');
    await waitFor('the badge to clear', async () => (await badgeText(v)) === '');

    await v.button.click();
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
    await page.route('http://localhost:9/**', (route) =>
      route.fulfill({
        contentType: 'text/html',
        body: `<!doctype html><html lang="en"><script src="${server.url}/chat-room.js"></script><chat-room mode="launcher" connect="open" site="demo" room="questions"></chat-room></html>`,
      }),
    );
    await page.goto('http://localhost:9/consent.html');
    await page.waitForLoadState('load');
    await page.evaluate(() => new Promise((resolve) => requestIdleCallback(() => setTimeout(resolve, 2000))));
    assert.deepEqual(sockets, [], 'no connection before the visitor opens the chat');
    await page.locator('chat-room [part="launcher"]').click();
    await waitFor('a connection once opened', () => sockets.length === 1);
    await waitFor('the chat to be ready', () => page.locator('chat-room [part~="input"]').isEnabled(), 15_000);
    assert.deepEqual(problems, []);
  });
});
