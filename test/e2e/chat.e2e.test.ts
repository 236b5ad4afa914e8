/**
 * Two visitors on the demo site (a third-party page on its own origin that
 * embeds the widget with a script tag) chat through the real server, each in
 * their own browser context (so: two different guests).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { launchBrowser, startServer, waitFor, watchProblems, type RunningServer } from './harness.js';

describe('demo page with two visitors', () => {
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

  /** A new visitor (own context, own storage) on the demo page, once its lobby can send. */
  async function visit(): Promise<{ page: Page; lobby: Locator; support: Locator; problems: string[] }> {
    const context = await browser.newContext();
    contexts.push(context);
    const page = await context.newPage();
    const problems = watchProblems(page);
    // Anything the page's Content-Security-Policy blocks is a problem too.
    await page.addInitScript(() => {
      document.addEventListener('securitypolicyviolation', (e) => {
        console.error(`CSP violation: ${e.violatedDirective} ${e.blockedURI}`);
      });
    });
    await page.goto(server.demoUrl);
    const lobby = page.locator('chat-room[room="lobby"]');
    const support = page.locator('chat-room[room="support"]');
    await waitFor('the lobby composer to be ready', () => lobby.locator('[part~="input"]').isEnabled(), 15_000);
    return { page, lobby, support, problems };
  }

  /** Texts of the system notices (join / leave / rename lines) in one widget. */
  async function notices(widget: Locator): Promise<string[]> {
    return widget.locator('[part~="notice"]').allInnerTexts();
  }

  it('is a third-party page: the widget script and the socket come from the chat server origin', async () => {
    const { page, lobby, support, problems } = await visit();

    const demoOrigin = new URL(server.demoUrl).origin;
    const chatOrigin = new URL(server.url).origin;
    assert.notEqual(demoOrigin, chatOrigin, 'the demo must be served from another origin than the chat server');
    assert.equal(new URL(page.url()).origin, demoOrigin);

    const scriptSrc = await page.locator('script[src$="/chat-room.js"]').getAttribute('src');
    assert.equal(scriptSrc, `${chatOrigin}/chat-room.js`, '%CHAT_SERVER% is replaced by the chat server URL');

    // Both rooms upgraded and rendered in shadow DOM, each with its own theme.
    assert.equal(await page.evaluate(() => customElements.get('chat-room') !== undefined), true);
    for (const widget of [lobby, support]) {
      assert.equal(await widget.evaluate((el) => el.shadowRoot !== null), true);
      await widget.locator('[part~="header"]').waitFor();
    }
    const headerBackground = (widget: Locator) =>
      widget.locator('[part~="header"]').evaluate((el) => getComputedStyle(el).backgroundColor);
    assert.notEqual(await headerBackground(lobby), await headerBackground(support), 'the two rooms are themed differently');

    await page.close();
    assert.deepEqual(problems, []);
  });

  it('is served under a strict Content-Security-Policy: no inline script or style, no eval', async () => {
    const policy = (await fetch(server.demoUrl)).headers.get('content-security-policy') ?? '';
    assert.match(policy, /script-src 'self' http:\/\/127\.0\.0\.1:\d+(;|$)/);
    assert.match(policy, /style-src 'self'(;|$)/);
    // Images from the chat server and avatars from https hosts; nothing else (no http: hosts, no blob:).
    assert.match(policy, /img-src 'self' data: blob: http:\/\/127\.0\.0\.1:\d+ https:(;|$)/);
    assert.doesNotMatch(policy, /unsafe-inline|unsafe-eval|\*/);
    // The chat below runs under it; any violation would be reported as a problem of the page.
  });

  it('delivers a message typed by one visitor to the other, with joined and left notices', async () => {
    // Bob arrives first and waits in the lobby.
    const bob = await visit();

    // Alice arrives (as a guest: "Guest 1234", shown in her header): Bob is told.
    const alice = await visit();
    const aliceName = await waitFor('Alice\'s guest name in her header', async () =>
      (await alice.lobby.locator('[part~="user"]').innerText()).trim(),
    );
    const bobName = (await bob.lobby.locator('[part~="user"]').innerText()).trim();
    assert.notEqual(aliceName, bobName, 'two browser contexts are two different guests');
    await waitFor(`"${aliceName} joined" on Bob's page`, async () =>
      (await notices(bob.lobby)).includes(`${aliceName} joined`),
    );

    // Alice types in her lobby; it appears in Bob's lobby (and not in his support room).
    const text = `Anyone riding the canal path on Saturday? ${Date.now()}`;
    const input = alice.lobby.locator('[part~="input"]');
    await input.fill(text);
    await input.press('Enter');
    await alice.lobby.locator('[part~="message"]', { hasText: text }).waitFor({ timeout: 10_000 });
    await bob.lobby.locator('[part~="message"]', { hasText: text }).waitFor({ timeout: 10_000 });
    assert.equal(await bob.support.locator('[part~="message"]', { hasText: text }).count(), 0);
    assert.equal(await input.inputValue(), '', 'the composer is cleared after sending');

    // Alice leaves: after the presence grace period (~3 s), Bob is told.
    assert.deepEqual(alice.problems, []);
    const closedAt = Date.now();
    await alice.page.close();
    await waitFor(
      `"${aliceName} left" on Bob's page`,
      async () => (await notices(bob.lobby)).includes(`${aliceName} left`),
      15_000,
    );
    assert.ok(Date.now() - closedAt >= 2_000, 'the leave is announced only after the grace period');

    assert.deepEqual(bob.problems, []);
  });
});
