#!/usr/bin/env node
// Screenshots of the demo for the README: docs/images/demo-light.png and
// docs/images/demo-dark.png. Starts the built server exactly as the e2e tests
// do, seats two visitors (two browser contexts) who chat in both rooms, and
// photographs the page in a light and in a dark colour scheme.
//
//   npm run build && node --import tsx scripts/screenshots.mjs
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { launchBrowser, root, startServer, waitFor } from '../test/e2e/harness.ts';

const outDir = join(root, 'docs/images');
const viewport = { width: 1280, height: 960 };

const server = await startServer();
const browser = await launchBrowser();
try {
  // Sam is already in both rooms.
  const sam = await visitor('Sam', 'light');
  // Maya arrives, light scheme.
  const maya = await visitor('Maya', 'light');

  await say(sam.page, 'lobby', 'Anyone up for the canal path loop on Saturday?');
  await say(maya.page, 'lobby', 'Yes! Leaving the shop at 9, coffee at the lock.');
  await say(sam.page, 'lobby', 'Count me in. Bringing the new lights.');
  await say(maya.page, 'support', 'My rear brake squeals in the wet. Pads or rotor?');
  await say(sam.page, 'support', 'Usually the pads. Bring it by, a pad swap takes 10 minutes.');
  await settle(maya.page);

  mkdirSync(outDir, { recursive: true });
  await maya.page.screenshot({ path: join(outDir, 'demo-light.png'), fullPage: true });
  console.log('wrote docs/images/demo-light.png');

  // The same visitor (same storage, so same guest) with a dark OS preference:
  // the page's own dark styles, and the lobby (theme auto) follows it.
  const mayaNight = await visitor('Maya', 'dark', await maya.context.storageState());
  await waitFor('history in the dark page', () =>
    mayaNight.page.locator('chat-room[room="lobby"] [part~="message"]').count().then((n) => n >= 3),
  );
  await settle(mayaNight.page);
  await mayaNight.page.screenshot({ path: join(outDir, 'demo-dark.png'), fullPage: true });
  console.log('wrote docs/images/demo-dark.png');
} finally {
  await browser.close();
  await server.stop();
}

/** A visitor in a context of their own, on the demo page, named `name`, once both rooms can send. */
async function visitor(name, colorScheme, storageState) {
  const context = await browser.newContext({ viewport, colorScheme, storageState });
  const page = await context.newPage();
  // Give every <chat-room> a nickname as the parser creates it, before the
  // deferred widget script upgrades it (so no "Guest 1234 is now Maya").
  await page.addInitScript((nickname) => {
    new MutationObserver((records) => {
      for (const record of records) {
        for (const node of record.addedNodes) {
          if (node.nodeName === 'CHAT-ROOM') node.setAttribute('nickname', nickname);
        }
      }
    }).observe(document, { childList: true, subtree: true });
  }, name);
  await page.goto(server.demoUrl);
  for (const room of ['lobby', 'support']) {
    await waitFor(`${name}'s ${room} composer`, () =>
      page.locator(`chat-room[room="${room}"] [part~="input"]`).isEnabled(), 15_000);
  }
  return { context, page };
}

async function say(page, room, text) {
  const widget = page.locator(`chat-room[room="${room}"]`);
  const input = widget.locator('[part~="input"]');
  await input.fill(text);
  await input.press('Enter');
  await widget.locator('[part~="message"]', { hasText: text }).waitFor({ timeout: 10_000 });
}

/** Lets renders, scrolling and the typing line settle before a photo. */
async function settle(page) {
  await page.evaluate(() => document.activeElement instanceof HTMLElement && document.activeElement.blur());
  await page.mouse.move(0, 0);
  await page.waitForTimeout(6_000); // longer than the typing indicator's timeout
}
