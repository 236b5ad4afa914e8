/**
 * A page whose widget is older than the server accepts (the operator raised
 * `--min-client-protocol` past it) reloads itself, but only at a quiet
 * moment: when the page is hidden and nothing is typed in the composer.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser } from 'playwright-core';
import { PROTOCOL_VERSION } from '../../protocol/index.js';
import { launchBrowser, startServer, waitFor, type RunningServer } from './harness.js';

describe('a page too old for the server', () => {
  let server: RunningServer;
  let browser: Browser;

  before(async () => {
    // A server that needs a protocol newer than the widget's refuses it with client_outdated.
    server = await startServer(['--min-client-protocol', String(PROTOCOL_VERSION + 1)]);
    browser = await launchBrowser();
  });

  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('reloads when hidden and quiet, and not before; a host that cancels the event keeps its page', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    let loads = 0;
    page.on('load', () => loads++);
    await page.goto(server.demoUrl);
    const lobby = page.locator('chat-room[room="lobby"]');
    await waitFor('the refusal', async () => (await lobby.evaluate((el) => (el as HTMLElement & { connectionError: { code: string } | null }).connectionError?.code)) === 'client_outdated');
    assert.equal(loads, 1);

    // Visible, and then hidden with a draft in the composer: the visitor would lose something. (The refusal
    // disables the composer; this draft stands for one typed before the server was upgraded.)
    const draft = (text: string) =>
      lobby.locator('[part~="input"]').evaluate((input, value) => {
        (input as HTMLTextAreaElement).value = value;
        input.dispatchEvent(new Event('input', { bubbles: true, composed: true }));
      }, text);
    await draft('half a thought');
    // Playwright keeps every page visible (another tab in front does not hide this one): the page is told it
    // is hidden as the browser tells it, by visibilityState and a visibilitychange event.
    const setHidden = (hidden: boolean) =>
      page.evaluate((value) => {
        Object.defineProperty(document, 'visibilityState', { configurable: true, value: value ? 'hidden' : 'visible' });
        document.dispatchEvent(new Event('visibilitychange'));
      }, hidden);
    await setHidden(true);
    await new Promise((resolve) => setTimeout(resolve, 1000));
    assert.equal(loads, 1, 'no reload while something is typed');

    // Back, the draft cleared, away again: the page reloads.
    await setHidden(false);
    await draft('');
    await setHidden(true);
    await waitFor('the reload', () => loads === 2);

    // A host app that handles it itself cancels the event: no reload.
    await waitFor('the refusal again', async () => (await lobby.evaluate((el) => (el as HTMLElement & { connectionError: { code: string } | null }).connectionError?.code)) === 'client_outdated');
    await page.evaluate(() => {
      document.addEventListener('chat-room-outdated', (e) => {
        e.preventDefault();
        document.title = 'outdated: handled by the page';
      });
    });
    await setHidden(true);
    await waitFor('the event', async () => (await page.title()) === 'outdated: handled by the page');
    await new Promise((resolve) => setTimeout(resolve, 500));
    assert.equal(loads, 2, 'cancelled: no reload');
    await context.close();
  });
});
