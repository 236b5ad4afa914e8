import assert from 'node:assert/strict';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import sharp from 'sharp';
import { THUMBNAIL_MAX_SIDE } from '../../protocol/index.js';
import { clientId, sleep, waitFor } from './helpers.js';
import { errorCode, jpegWithGps, png, ticketFor, upload, uploaded } from './image-helpers.js';
import { ROOM, codeOf, richRoom, say } from './rich-helpers.js';

async function mediaFiles(dataDir: string): Promise<string[]> {
  try {
    return await readdir(join(dataDir, 'media', 'demo'));
  } catch {
    return [];
  }
}

test('an uploaded image is sent with a message: the room receives it, history replays it, a retry is one message', async (t) => {
  const { user, url, server } = await richRoom(t);
  const alice = await user('alice');
  const bob = await user('bob');
  const ticket = await ticketFor(alice.socket);
  assert.equal(ticket.url, '/media/demo/uploads');
  const { uploadId, image } = uploaded(await upload(url, ticket, await png(1200, 600)));
  assert.equal(image.type, 'image/png');
  assert.deepEqual([image.width, image.height], [1200, 600]);
  assert.deepEqual([image.thumbWidth, image.thumbHeight], [THUMBNAIL_MAX_SIDE, THUMBNAIL_MAX_SIDE / 2]);
  assert.match(image.url, /^\/media\/demo\/[0-9a-f]{64}\.png$/);

  const heard = waitFor(bob.socket, 'message:new', (m) => m.image !== undefined);
  const id = clientId();
  const sent = await alice.socket.emitWithAck('message:send', { room: ROOM, text: '', clientId: id, image: uploadId });
  assert.ok(sent.ok, JSON.stringify(sent));
  assert.deepEqual((await heard).image, image);
  assert.equal((await heard).text, '');
  const again = await alice.socket.emitWithAck('message:send', { room: ROOM, text: '', clientId: id, image: uploadId });
  assert.ok(again.ok);
  assert.equal(again.data.duplicate, true);
  assert.equal(await server.store.lastSeq('demo', ROOM), sent.data.message.seq);
  const page = await bob.socket.emitWithAck('message:history', { room: ROOM });
  assert.ok(page.ok);
  assert.deepEqual(page.data.messages.at(-1)?.image, image);

  // Another send may not take it, nor may another user.
  const reuse = await alice.socket.emitWithAck('message:send', { room: ROOM, text: 'again', clientId: clientId(), image: uploadId });
  assert.equal(codeOf(reuse), 'unknown_upload');
  const theirs = uploaded(await upload(url, await ticketFor(alice.socket), await png(10, 10)));
  assert.equal(codeOf(await bob.socket.emitWithAck('message:send', { room: ROOM, text: 'x', clientId: clientId(), image: theirs.uploadId })), 'unknown_upload');
});

test('served images carry nosniff, a sandboxing CSP, immutable caching and cross-origin CORP; GPS and comments are gone', async (t) => {
  const { user, url } = await richRoom(t);
  const alice = await user('alice');
  const original = await jpegWithGps();
  const before = await sharp(original).metadata();
  assert.ok(before.exif, 'the test picture has EXIF');
  const { image } = uploaded(await upload(url, await ticketFor(alice.socket), original));
  for (const path of [image.url, image.thumbUrl]) {
    const response = await fetch(new URL(path, url));
    assert.equal(response.status, 200);
    assert.equal(response.headers.get('content-type'), 'image/jpeg');
    assert.equal(response.headers.get('x-content-type-options'), 'nosniff');
    assert.equal(response.headers.get('content-security-policy'), "default-src 'none'; sandbox");
    assert.equal(response.headers.get('cache-control'), 'public, max-age=31536000, immutable');
    assert.equal(response.headers.get('cross-origin-resource-policy'), 'cross-origin');
    const bytes = Buffer.from(await response.arrayBuffer());
    const meta = await sharp(bytes).metadata();
    assert.equal(meta.exif, undefined);
    assert.equal(meta.xmp, undefined);
    assert.ok(!bytes.includes('secret place'));
    assert.ok(!bytes.includes('TestCam'));
  }
  assert.equal((await fetch(new URL('/media/demo/' + 'a'.repeat(64) + '.png', url))).status, 404);
});

test('lying and hostile files are refused with their code and leave no file and no upload', async (t) => {
  const { user, url, dataDir, server } = await richRoom(t, { demoSite: true });
  const alice = await user('alice');
  const whole = await png(40, 40);
  const cases: Array<[string, Buffer, string, number]> = [
    ['HTML named .png', Buffer.from('<!doctype html><script>alert(1)</script>'), 'image_invalid', 415],
    ['SVG named .png', Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'), 'image_invalid', 415],
    ['truncated PNG', whole.subarray(0, Math.floor(whole.length / 2)), 'image_invalid', 415],
    ['PNG header, JPEG body', Buffer.concat([whole.subarray(0, 8), await jpegWithGps()]), 'image_invalid', 415],
  ];
  for (const [name, body, code, status] of cases) {
    const answer = await upload(url, await ticketFor(alice.socket), body, { type: 'image/png' });
    assert.equal(errorCode(answer), code, name);
    assert.equal(answer.status, status, name);
  }
  // A decompression bomb: a small file whose picture exceeds the site's pixels.
  const site = (await server.store.getSite('demo'))!;
  await server.store.updateSite({ ...site, uploadMaxPixels: 1_000_000 });
  await server.sites.refresh('demo');
  const bomb = await sharp({ create: { width: 2000, height: 2000, channels: 3, background: '#fff' } }).png({ compressionLevel: 9 }).toBuffer();
  assert.ok(bomb.length < 100_000);
  const ticket = await ticketFor(alice.socket);
  assert.equal(ticket.maxPixels, 1_000_000);
  const refused = await upload(url, ticket, bomb);
  assert.equal(errorCode(refused), 'image_too_many_pixels');
  assert.deepEqual(await mediaFiles(dataDir), []);
  assert.equal(await server.store.uploadBytes('demo'), 0);
});

test('too many bytes is image_too_large (413) at the site limit; the quota refuses tickets and uploads past it', async (t) => {
  const { user, url, server } = await richRoom(t);
  const alice = await user('alice');
  const site = (await server.store.getSite('demo'))!;
  await server.store.updateSite({ ...site, uploadMaxBytes: 2000 });
  await server.sites.refresh('demo');
  const big = Buffer.concat([await png(10, 10), Buffer.alloc(5000)]);
  const answer = await upload(url, await ticketFor(alice.socket), big);
  assert.equal(answer.status, 413);
  assert.equal(errorCode(answer), 'image_too_large');

  // Nothing stored yet: a ticket, but an upload that would pass the quota is refused and stores nothing.
  await server.store.updateSite({ ...site, uploadQuotaBytes: 1 });
  await server.sites.refresh('demo');
  const over = await upload(url, await ticketFor(alice.socket), await png(5, 5));
  assert.equal(over.status, 413);
  assert.equal(errorCode(over), 'upload_quota');
  assert.equal(await server.store.uploadBytes('demo'), 0);
  await server.store.updateSite(site);
  await server.sites.refresh('demo');
  uploaded(await upload(url, await ticketFor(alice.socket), await png(5, 5)));
  await server.store.updateSite({ ...site, uploadQuotaBytes: 1 });
  await server.sites.refresh('demo');
  assert.equal(codeOf(await alice.socket.emitWithAck('media:ticket', { room: ROOM })), 'upload_quota');
});

test('tickets: a forged, expired, reused or other-site ticket is ticket_invalid (401); a foreign origin is refused', async (t) => {
  const { user, url } = await richRoom(t);
  const alice = await user('alice');
  const picture = await png(8, 8);
  const ticket = await ticketFor(alice.socket);
  const [payload, signature] = ticket.token.split('.') as [string, string];
  const claims = JSON.parse(Buffer.from(payload, 'base64url').toString()) as Record<string, unknown>;
  const forged = `${Buffer.from(JSON.stringify({ ...claims, user: 'someone-else' })).toString('base64url')}.${signature}`;
  const expired = `${Buffer.from(JSON.stringify({ ...claims, exp: Date.now() - 1 })).toString('base64url')}.${signature}`;
  for (const token of [forged, expired, 'garbage', `${payload}.${'A'.repeat(signature.length)}`]) {
    const answer = await upload(url, ticket, picture, { token });
    assert.equal(answer.status, 401, token);
    assert.equal(errorCode(answer), 'ticket_invalid');
  }
  const foreign = await upload(url, ticket, picture, { origin: 'https://evil.example' });
  assert.equal(foreign.status, 403);
  assert.equal(foreign.headers.get('access-control-allow-origin'), null);
  const preflight = await fetch(new URL(ticket.url, url), {
    method: 'OPTIONS',
    headers: { Origin: 'http://localhost:1234', 'Access-Control-Request-Method': 'POST', 'Access-Control-Request-Headers': 'authorization' },
  });
  assert.equal(preflight.status, 204);
  assert.equal(preflight.headers.get('access-control-allow-origin'), 'http://localhost:1234');
  assert.match(preflight.headers.get('access-control-allow-headers') ?? '', /Authorization/);
  const evilPreflight = await fetch(new URL(ticket.url, url), { method: 'OPTIONS', headers: { Origin: 'https://evil.example', 'Access-Control-Request-Method': 'POST' } });
  assert.equal(evilPreflight.headers.get('access-control-allow-origin'), null);
  uploaded(await upload(url, ticket, picture));
  const reused = await upload(url, ticket, picture);
  assert.equal(errorCode(reused), 'ticket_invalid');
});

test('tickets are rate-limited per user, refused outside the room, and to muted users or in read-only rooms', async (t) => {
  const { user, server } = await richRoom(t, { rateLimits: { uploadsPerUser: { points: 4, durationMs: 60_000 } } });
  const alice = await user('alice');
  const mod = await user('mod', { role: 'moderator' });
  assert.equal(codeOf(await alice.socket.emitWithAck('media:ticket', { room: 'elsewhere' })), 'not_in_room');
  assert.equal(codeOf(await alice.socket.emitWithAck('media:ticket', { room: ROOM })), 'ok');
  const site = (await server.store.getSite('demo'))!;
  await server.store.updateSite({ ...site, readOnlyRooms: [ROOM] });
  await server.sites.refresh('demo');
  assert.equal(codeOf(await alice.socket.emitWithAck('media:ticket', { room: ROOM })), 'read_only');
  assert.equal(codeOf(await mod.socket.emitWithAck('media:ticket', { room: ROOM })), 'ok');
  await server.store.updateSite(site);
  await server.sites.refresh('demo');
  const muted = await mod.socket.emitWithAck('mod:ban', { userId: alice.session.user.id, kind: 'mute', durationMs: 60_000 });
  assert.ok(muted.ok, JSON.stringify(muted));
  assert.equal(codeOf(await alice.socket.emitWithAck('media:ticket', { room: ROOM })), 'muted');
  assert.equal(codeOf(await alice.socket.emitWithAck('media:ticket', { room: ROOM })), 'rate_limited');
});

test('deleting the message removes its image files and its upload once no other message holds the same picture', async (t) => {
  const { user, url, dataDir, server } = await richRoom(t);
  const alice = await user('alice');
  const picture = await png(30, 30);
  const first = uploaded(await upload(url, await ticketFor(alice.socket), picture));
  const second = uploaded(await upload(url, await ticketFor(alice.socket), picture));
  assert.equal(first.image.id, second.image.id);
  const a = await say(alice.socket, 'one', { image: first.uploadId });
  const b = await say(alice.socket, 'two', { image: second.uploadId });
  assert.equal((await mediaFiles(dataDir)).length, 2);
  assert.ok((await alice.socket.emitWithAck('message:delete', { room: ROOM, messageId: a.id })).ok);
  for (let i = 0; i < 50 && (await server.store.getUpload('demo', first.uploadId)); i++) await sleep(20);
  assert.equal(await server.store.getUpload('demo', first.uploadId), undefined);
  assert.equal((await mediaFiles(dataDir)).length, 2, 'the other message still shows it');
  assert.ok((await alice.socket.emitWithAck('message:delete', { room: ROOM, messageId: b.id })).ok);
  for (let i = 0; i < 50 && (await mediaFiles(dataDir)).length > 0; i++) await sleep(20);
  assert.deepEqual(await mediaFiles(dataDir), []);
  assert.equal(await server.store.getUpload('demo', second.uploadId), undefined);
  assert.equal((await fetch(new URL(first.image.url, url))).status, 404);
  const page = await alice.socket.emitWithAck('message:history', { room: ROOM });
  assert.ok(page.ok);
  assert.equal(page.data.messages.at(-1)?.image, undefined);
});
