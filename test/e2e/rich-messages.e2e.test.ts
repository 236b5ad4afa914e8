/**
 * Rich messages between two visitors (two browser contexts, so two guests) on
 * a third-party page under the demo's strict Content-Security-Policy, through the built server: a reply whose quote jumps to
 * an original only older history holds; reactions with who reacted; an edit
 * and a deletion of one's own; a mention picked from the `@` list; formatting,
 * and a hostile corpus that must stay text. Then one page loses its
 * connection (a TCP proxy) while the other edits, reacts and deletes: it shows
 * all three once back, and again after a reload.
 */
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { io, type Socket } from 'socket.io-client';
import {
  HISTORY_PAGE_SIZE,
  QUICK_REACTIONS,
  type ChatMessage,
  type ClientToServerEvents,
  type ServerToClientEvents,
} from '../../protocol/index.js';
import { TcpProxy } from '../support/tcp-proxy.js';
import { launchBrowser, startServer, waitFor, watchProblems, type RunningServer } from './harness.js';

type Widget = HTMLElement & { connectionState: string; messages: ChatMessage[]; user?: { id: string; name: string } };

describe('rich messages between two visitors', () => {
  let server: RunningServer;
  let proxy: TcpProxy;
  let browser: Browser;
  let site: Server;
  let siteUrl: string;
  const contexts: BrowserContext[] = [];
  const room = `rich-${Date.now().toString(36)}`;

  let ann: { page: Page; widget: Locator; problems: string[] };
  let bob: { page: Page; widget: Locator; problems: string[] };

  before(async () => {
    // Raised limits: the test seeds more than a page of history in a burst.
    server = await startServer(['--rate-limit-scale', '100']);
    proxy = await TcpProxy.start({ port: Number(new URL(server.url).port) });
    browser = await launchBrowser();
    // The demo's policy; the proxied page may open its socket to the proxy too.
    const policy = (await fetch(server.demoUrl)).headers.get('content-security-policy') ?? '';
    const proxied = policy.replace('connect-src ', `connect-src ${proxy.url} ${proxy.url.replace(/^http/, 'ws')} `);
    site = createServer((req, res) => {
      const params = new URL(req.url ?? '/', 'http://x').searchParams;
      const chat = params.get('via') === 'proxy' ? proxy.url : server.url;
      const csp = params.get('via') === 'proxy' ? proxied : policy;
      if (req.url === '/page.css') {
        res.writeHead(200, { 'content-type': 'text/css' });
        return res.end('chat-room { display: block; width: 480px; height: 640px; }');
      }
      res.writeHead(req.url === '/favicon.ico' ? 204 : 200, { 'content-type': 'text/html; charset=utf-8', 'content-security-policy': csp });
      res.end(`<!doctype html><html lang="en"><head><script src="${server.url}/chat-room.js"></script><link rel="stylesheet" href="/page.css"></head>
        <body><chat-room server="${chat}" room="${room}"></chat-room></body></html>`);
    });
    await new Promise<void>((resolve) => site.listen(0, '127.0.0.1', resolve));
    siteUrl = `http://127.0.0.1:${(site.address() as AddressInfo).port}/article.html`;
  });

  after(async () => {
    await Promise.all(contexts.map((context) => context.close().catch(() => undefined)));
    await browser?.close();
    await proxy?.close();
    await server?.stop();
    await new Promise((resolve) => site?.close(resolve));
  });

  async function visit(via: 'direct' | 'proxy'): Promise<{ page: Page; widget: Locator; problems: string[] }> {
    const context = await browser.newContext({ reducedMotion: 'reduce' });
    contexts.push(context);
    const page = await context.newPage();
    const problems = watchProblems(page);
    await page.addInitScript(() => {
      document.addEventListener('securitypolicyviolation', (e) => console.error(`CSP violation: ${e.violatedDirective} ${e.blockedURI}`));
    });
    await page.goto(`${siteUrl}?via=${via}`);
    const widget = page.locator('chat-room');
    await waitFor('connected', async () => (await state(widget)) === 'connected', 15_000);
    await waitFor('signed in as a guest', () => widget.evaluate((el) => !!(el as Widget).user), 10_000);
    return { page, widget, problems };
  }

  const state = (widget: Locator) => widget.evaluate((el) => (el as Widget).connectionState);
  const nameOf = (widget: Locator) => widget.evaluate((el) => (el as Widget).user!.name);
  const message = (widget: Locator, id: string) => widget.locator(`[data-id="${id}"]`);
  /** The id of the message `widget` holds with this text, once it holds it. */
  const idOf = async (widget: Locator, text: string): Promise<string> =>
    (await waitFor(`"${text.slice(0, 40)}" held`, () => widget.evaluate((el, t) => (el as Widget).messages.find((m) => m.text === t)?.id ?? '', text), 10_000));

  async function send(widget: Locator, text: string): Promise<string> {
    const input = widget.locator('[part~="input"]');
    await input.fill(text);
    await input.press('Enter');
    await waitFor('the composer cleared', async () => (await input.inputValue()) === '');
    const id = await idOf(widget, text);
    await waitFor('sent', async () => (await message(widget, id).getAttribute('data-state')) !== 'sending', 10_000);
    return id;
  }

  /** Clicks a toolbar button (`reply`, `react`, `edit`, `delete`) of a message, showing the toolbar by hovering. */
  async function act(widget: Locator, id: string, part: string): Promise<void> {
    const row = message(widget, id);
    await row.scrollIntoViewIfNeeded();
    await row.hover();
    await row.locator(`[part~="actions"] [part~="${part}"]`).click();
  }

  async function react(widget: Locator, id: string, emoji: string): Promise<void> {
    await act(widget, id, 'react');
    await message(widget, id).locator('[part~="quick-reactions"] button', { hasText: emoji }).first().click();
  }

  async function edit(widget: Locator, id: string, text: string): Promise<void> {
    await act(widget, id, 'edit');
    const input = widget.locator('[part~="input"]');
    await waitFor('the text to edit in the input', async () => (await input.inputValue()) !== '');
    await input.fill(text);
    await input.press('Enter');
  }

  it('a reply quotes its original, and its quote brings the original from older history', async () => {
    ann = await visit('direct');
    const original = await send(ann.widget, 'the original');
    // More than a page after it: Bob's first load does not hold the original.
    await sendDirect(server.url, room, HISTORY_PAGE_SIZE + 20);
    bob = await visit('proxy');
    await idOf(bob.widget, `filler ${HISTORY_PAGE_SIZE + 19}`);
    assert.equal(await message(bob.widget, original).count(), 0, 'the original is not in Bob’s first page');
    await idOf(ann.widget, `filler ${HISTORY_PAGE_SIZE + 19}`);

    await act(ann.widget, original, 'reply');
    await ann.widget.locator('[part~="reply-bar"]').waitFor();
    const reply = await send(ann.widget, 'an answer');
    await idOf(bob.widget, 'an answer');
    const quote = message(bob.widget, reply).locator('[part~="quote"]');
    assert.match(await quote.innerText(), /the original/);

    await quote.click();
    const target = message(bob.widget, original);
    await target.waitFor({ timeout: 10_000 });
    await waitFor('the original highlighted', async () => /\bhighlight\b/.test((await target.getAttribute('part')) ?? ''), 5000);
    assert.ok(await target.isVisible());
    const inView = await target.evaluate((el) => {
      const list = el.closest('[part="messages"]')!.getBoundingClientRect();
      const box = el.getBoundingClientRect();
      return box.bottom > list.top && box.top < list.bottom;
    });
    assert.ok(inView, 'the original is scrolled into view');
  });

  it('reactions show their counts and who reacted on the other page', async () => {
    const original = await idOf(ann.widget, 'the original');
    const emoji = QUICK_REACTIONS[0]!;
    const [annName, bobName] = [await nameOf(ann.widget), await nameOf(bob.widget)];
    await react(bob.widget, original, emoji);
    const chipAtAnn = message(ann.widget, original).locator('[part~="reaction"]', { hasText: emoji });
    await waitFor('Bob’s reaction at Ann', async () => /1/.test(await chipAtAnn.innerText().catch(() => '')));
    assert.equal(await chipAtAnn.getAttribute('title'), bobName);
    assert.equal(await chipAtAnn.getAttribute('aria-pressed'), 'false');

    // Ann adds hers by pressing the chip: Bob sees 2, and both names.
    await chipAtAnn.click();
    const chipAtBob = message(bob.widget, original).locator('[part~="reaction"]', { hasText: emoji });
    await waitFor('two reactions at Bob', async () => /2/.test(await chipAtBob.innerText()));
    const who = (await chipAtBob.getAttribute('title')) ?? '';
    assert.deepEqual(who.split(', ').sort(), [annName, bobName].sort());
    assert.match((await chipAtBob.getAttribute('aria-label')) ?? '', new RegExp(`${emoji} 2: .*${bobName}`));
    assert.equal(await chipAtBob.getAttribute('aria-pressed'), 'true');
  });

  it('an edit shows as edited, and one’s own deletion as a tombstone', async () => {
    const reply = await idOf(ann.widget, 'an answer');
    await edit(ann.widget, reply, 'a better answer');
    const atBob = message(bob.widget, reply);
    await atBob.locator('[part~="edited"]').waitFor({ timeout: 10_000 });
    assert.match(await atBob.innerText(), /a better answer/);

    await act(ann.widget, reply, 'delete');
    await atBob.locator('[part~="deleted"]').waitFor({ timeout: 10_000 });
    assert.doesNotMatch(await atBob.innerText(), /a better answer/);
    await message(ann.widget, reply).locator('[part~="deleted"]').waitFor({ timeout: 10_000 });
  });

  it('a mention picked from the @ list is highlighted for the one mentioned', async () => {
    const [annId, annName] = await ann.widget.evaluate((el) => [(el as Widget).user!.id, (el as Widget).user!.name]);
    const input = bob.widget.locator('[part~="input"]');
    // A query is one word: the start of the last word of Ann's name ("Guest 1234") offers only her.
    await input.pressSequentially(`hey @${annName.split(' ').at(-1)!.slice(0, -1)}`);
    const option = bob.widget.locator('[part~="mention-option"]', { hasText: annName });
    await option.waitFor({ timeout: 5000 });
    await input.press('Enter');
    assert.equal(await input.inputValue(), `hey @${annName} `);
    await input.press('Enter');
    const id = await idOf(ann.widget, `hey <@${annId}>`);
    const shown = message(ann.widget, id);
    await waitFor('marked mentioned at Ann', async () => /\bmentioned\b/.test((await shown.getAttribute('part')) ?? ''));
    assert.equal(await shown.locator('[part~="mention-me"]').innerText(), `@${annName}`);
    // Bob sees the name, not highlighted for him.
    const atBob = message(bob.widget, id);
    assert.equal(await atBob.locator('[part~="mention"]').innerText(), `@${annName}`);
    assert.equal(await atBob.locator('[part~="mention-me"]').count(), 0);
  });

  it('renders formatting, and keeps a hostile corpus as text', async () => {
    const formatted = await send(ann.widget, '**bold** _italic_ `a < b` see https://example.com/page?q=1');
    const block = await send(ann.widget, '```js\nconst x = "<b>";\nif (x) {}\n```');
    const at = message(bob.widget, formatted);
    await at.waitFor({ timeout: 10_000 });
    assert.equal(await at.locator('strong').innerText(), 'bold');
    assert.equal(await at.locator('em').innerText(), 'italic');
    assert.equal(await at.locator('[part~="code"]').innerText(), 'a < b');
    const link = at.locator('a[href^="https://example.com/page"]');
    assert.equal(await link.getAttribute('rel'), 'noopener noreferrer nofollow');
    const pre = message(bob.widget, block).locator('[part~="code-block"]');
    await pre.waitFor({ timeout: 10_000 });
    assert.equal(await pre.innerText(), 'const x = "<b>";\nif (x) {}');

    const hostile = [
      '**bold _nested** unclosed_ and **never closed',
      '_**__``**_` ``` stray',
      '[click](javascript:alert(1)) javascript:alert(1) JaVaScRiPt:alert(2) data:text/html,<script>alert(3)</script>',
      '<img src=x onerror="window.__pwned=1"> <script>window.__pwned=2</script> <svg onload="window.__pwned=3">',
      '<a href="javascript:window.__pwned=4">x</a> https://ok.example/<img src=x onerror=window.__pwned=5>',
      '```\n' + '<img src=x onerror=window.__pwned=6>**x**\n'.repeat(40) + '```',
    ];
    const ids: string[] = [];
    for (const text of hostile) ids.push(await send(ann.widget, text));
    for (const [i, id] of ids.entries()) {
      const shown = message(bob.widget, id);
      await shown.waitFor({ timeout: 10_000 });
      const dom = await shown.evaluate((el) => ({
        made: [...el.querySelectorAll('img, script, svg, iframe, object, embed, math, style')].map((e) => e.tagName),
        hrefs: [...el.querySelectorAll('[href], [src]')].map((e) => e.getAttribute('href') ?? e.getAttribute('src')),
        handlers: [...el.querySelectorAll('*')].flatMap((e) => [...e.attributes].filter((a) => a.name.startsWith('on')).map((a) => a.name)),
      }));
      assert.deepEqual(dom.made, [], `no element made from message ${i}`);
      assert.deepEqual(dom.handlers, [], `no handler attribute from message ${i}`);
      for (const href of dom.hrefs) assert.match(href ?? '', /^https?:\/\//, `message ${i} links only http(s)`);
    }
    // The literal text is visible.
    const text = (i: number) => message(bob.widget, ids[i]!).innerText();
    assert.match(await text(2), /javascript:alert\(1\)/);
    assert.match(await text(2), /data:text\/html,<script>alert\(3\)<\/script>/);
    assert.match(await text(3), /<img src=x onerror="window.__pwned=1"> <script>window.__pwned=2<\/script>/);
    assert.match(await text(4), /<a href="javascript:window.__pwned=4">x<\/a>/);
    assert.match(await text(0), /never closed/);
    const huge = message(bob.widget, ids[5]!).locator('[part~="code-block"]');
    assert.equal((await huge.innerText()).split('\n').filter((l) => l === '<img src=x onerror=window.__pwned=6>**x**').length, 40);
    for (const { page } of [ann, bob]) assert.equal(await page.evaluate(() => (window as { __pwned?: number }).__pwned), undefined);
  });

  it('a page that was offline shows the edit, reaction and deletion made meanwhile, and again after a reload', async () => {
    const toEdit = await send(ann.widget, 'to be edited');
    const toReact = await send(ann.widget, 'to be reacted to');
    const toDelete = await send(ann.widget, 'to be deleted');
    await message(bob.widget, toDelete).waitFor({ timeout: 10_000 });

    proxy.offline();
    await waitFor('Bob to see the connection gone', async () => (await state(bob.widget)) !== 'connected', 15_000);
    const emoji = QUICK_REACTIONS[1]!;
    await edit(ann.widget, toEdit, 'edited while Bob was away');
    await message(ann.widget, toEdit).locator('[part~="edited"]').waitFor({ timeout: 10_000 });
    await react(ann.widget, toReact, emoji);
    await message(ann.widget, toReact).locator('[part~="reaction"]', { hasText: emoji }).waitFor({ timeout: 10_000 });
    await act(ann.widget, toDelete, 'delete');
    await message(ann.widget, toDelete).locator('[part~="deleted"]').waitFor({ timeout: 10_000 });
    // Nothing reached Bob meanwhile.
    assert.equal(await message(bob.widget, toEdit).locator('[part~="edited"]').count(), 0);

    const annName = await nameOf(ann.widget);
    const showsAll = async (what: string) => {
      await waitFor(`${what}: connected`, async () => (await state(bob.widget)) === 'connected', 20_000);
      const edited = message(bob.widget, toEdit);
      await edited.locator('[part~="edited"]').waitFor({ timeout: 10_000 });
      assert.match(await edited.innerText(), /edited while Bob was away/, what);
      const chip = message(bob.widget, toReact).locator('[part~="reaction"]', { hasText: emoji });
      await chip.waitFor({ timeout: 10_000 });
      assert.match(await chip.innerText(), /1/, what);
      assert.equal(await chip.getAttribute('title'), annName, what);
      const gone = message(bob.widget, toDelete);
      await gone.locator('[part~="deleted"]').waitFor({ timeout: 10_000 });
      assert.doesNotMatch(await gone.innerText(), /to be deleted/, what);
    };
    proxy.online();
    await showsAll('after reconnecting');
    await bob.page.reload();
    bob.widget = bob.page.locator('chat-room');
    await showsAll('after a reload');

    assert.deepEqual(ann.problems, []);
    // Bob's page reports its lost connection; nothing else, and nothing its policy blocked.
    assert.deepEqual(bob.problems.filter((p) => /CSP|uncaught/.test(p)), []);
    assert.doesNotMatch(server.output(), /"level":"error"/);
  });
});

/** `count` messages `filler 0`… from a third visitor, straight to the server. */
async function sendDirect(url: string, room: string, count: number): Promise<void> {
  const socket: Socket<ServerToClientEvents, ClientToServerEvents> = io(`${url}/s/demo`, {
    transports: ['websocket'],
    forceNew: true,
    reconnection: false,
    extraHeaders: { origin: 'http://127.0.0.1:4173' },
  });
  try {
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', resolve);
      socket.once('connect_error', reject);
    });
    assert.ok((await socket.emitWithAck('room:join', { room })).ok);
    for (let i = 0; i < count; i++) {
      assert.ok((await socket.emitWithAck('message:send', { room, text: `filler ${i}`, clientId: crypto.randomUUID() })).ok);
    }
  } finally {
    socket.disconnect();
  }
}
