#!/usr/bin/env node
// Screenshots of the demo for the README: docs/images/demo-light.png and
// docs/images/demo-dark.png, launcher-desktop.png and launcher-phone.png.
// Starts the built server exactly as the e2e tests do, seats two visitors
// (two browser contexts) who chat in both rooms, and photographs the page in
// a light and in a dark colour scheme; then a question through the launcher
// of the rentals page, on a desktop and on a phone; then the same launcher on
// a phone while 150 more people pour into its room (big-room-phone.png: the
// summarised joins and typists) and its member list searched
// (big-room-members-phone.png).
//
//   npm run build && node --import tsx scripts/screenshots.mjs
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { io } from 'socket.io-client';
import { PROTOCOL_VERSION } from '../protocol/index.ts';
import { launchBrowser, root, startServer, waitFor } from '../test/e2e/harness.ts';

const outDir = join(root, 'docs/images');
const viewport = { width: 1280, height: 960 };

// A crowd of 150 from one address stays within the limits.
const server = await startServer(['--rate-limit-scale', '20']);
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

  // Launcher mode: Ada asks on the rentals page (only a launcher); Sam answers from the notes page's launcher.
  const ada = await visitor('Ada', 'light', undefined, 'rentals.html', { width: 1280, height: 800 });
  await say(ada.page, 'questions', 'Is the cargo bike free this Saturday?');
  await say(sam.page, 'questions', 'It is! Book it here or at the counter, 9 to 6.');
  await ada.page.locator('chat-room[room="questions"] [part~="message"]', { hasText: 'It is!' }).waitFor();
  await settle(ada.page);
  await ada.page.screenshot({ path: join(outDir, 'launcher-desktop.png') });
  console.log('wrote docs/images/launcher-desktop.png');
  // The same visitor on a phone: the panel was left open, so it opens again, full screen.
  const adaPhone = await visitor('Ada', 'light', await ada.context.storageState(), 'rentals.html', { width: 375, height: 667 });
  await settle(adaPhone.page);
  await adaPhone.page.screenshot({ path: join(outDir, 'launcher-phone.png') });
  console.log('wrote docs/images/launcher-phone.png');

  // A live moment: 150 people join the room Ada has open; some of them type.
  const crowd = await crowdJoins(150, 'questions');
  for (const socket of crowd.slice(0, 5)) socket.emit('typing:set', { room: 'questions', typing: true });
  await waitFor('the crowd counted', () => adaPhone.page.locator('chat-room[room="questions"] [part~="online"]').textContent().then((t) => /151|152/.test(t ?? '')), 15_000);
  await adaPhone.page.waitForTimeout(1_500);
  await adaPhone.page.screenshot({ path: join(outDir, 'big-room-phone.png') });
  console.log('wrote docs/images/big-room-phone.png');
  const widget = adaPhone.page.locator('chat-room[room="questions"]');
  await widget.locator('[part~="online"]').click();
  const search = widget.locator('[part~="member-search"]');
  await search.fill('ma');
  await waitFor('the search answered', () => widget.locator('[part~="member"]', { hasText: 'Mar' }).count().then((n) => n > 0), 10_000);
  await adaPhone.page.waitForTimeout(1_000);
  await adaPhone.page.screenshot({ path: join(outDir, 'big-room-members-phone.png') });
  console.log('wrote docs/images/big-room-members-phone.png');
  for (const socket of crowd) socket.disconnect();
} finally {
  await browser.close();
  await server.stop();
}

/** A visitor in a context of their own, on a demo page, named `name`, once its rooms can send (a launcher's if open). */
async function visitor(name, colorScheme, storageState, path = '', size = viewport) {
  const context = await browser.newContext({ viewport: size, colorScheme, storageState });
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
  await page.goto(new URL(path, server.demoUrl).href);
  await page.locator('chat-room[mode="launcher"] .launcher').waitFor({ state: 'attached' });
  for (const room of await page.locator('chat-room').evaluateAll((els) => els.map((el) => el.getAttribute('room')))) {
    const widget = page.locator(`chat-room[room="${room}"]`);
    if ((await widget.getAttribute('mode')) === 'launcher' && !(await widget.evaluate((el) => el.open))) continue;
    await waitFor(`${name}'s ${room} composer`, () => widget.locator('[part~="input"]').isEnabled(), 15_000);
  }
  return { context, page };
}

async function say(page, room, text) {
  const widget = page.locator(`chat-room[room="${room}"]`);
  const input = widget.locator('[part~="input"]');
  if ((await widget.getAttribute('mode')) === 'launcher' && !(await widget.evaluate((el) => el.open))) {
    await widget.locator('.launcher').click();
    await waitFor(`the ${room} launcher's composer`, () => input.isEnabled(), 15_000);
  }
  await input.fill(text);
  await input.press('Enter');
  await widget.locator('[part~="message"]', { hasText: text }).waitFor({ timeout: 10_000 });
}

/** `count` visitors with made-up names join `room` from Node, each on a connection of their own, 25 at a time. */
async function crowdJoins(count, room) {
  const first = ['Maya', 'Marco', 'Mariam', 'Noah', 'Lena', 'Omar', 'Ines', 'Kenji', 'Zoe', 'Ravi', 'Elif', 'Tomas', 'Aiko', 'Felix', 'Nora'];
  const last = ['B.', 'C.', 'D.', 'F.', 'G.', 'H.', 'K.', 'L.', 'M.', 'P.'];
  const origin = new URL(server.demoUrl).origin;
  const sockets = [];
  for (let i = 0; i < count; i += 25) {
    await Promise.all(
      Array.from({ length: Math.min(25, count - i) }, async (_, j) => {
        const n = i + j;
        const socket = io(`${server.url}/s/demo`, {
          transports: ['websocket'],
          forceNew: true,
          query: { site: 'demo' },
          extraHeaders: { origin },
          auth: { guestKey: `crowd-${n}-0123456789abcdef`, nickname: `${first[n % first.length]} ${last[Math.floor(n / first.length) % last.length]}`, protocol: PROTOCOL_VERSION },
        });
        sockets.push(socket);
        await new Promise((resolve, reject) => socket.once('session:ready', resolve).once('connect_error', reject));
        const ack = await socket.emitWithAck('room:join', { room });
        if (!ack.ok) throw new Error(`crowd join refused: ${ack.error.code}`);
      }),
    );
  }
  return sockets;
}

/** Lets renders, scrolling and the typing line settle before a photo. */
async function settle(page) {
  await page.evaluate(() => document.activeElement instanceof HTMLElement && document.activeElement.blur());
  await page.mouse.move(0, 0);
  await page.waitForTimeout(6_000); // longer than the typing indicator's timeout
}
