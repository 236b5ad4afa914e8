/**
 * The uploads every ChatStore driver owes (images): stored, claimed by one
 * send, carried by its message (the image replays with it), released with
 * the message's deletion, erase, prune or when never sent; per-site upload
 * limits kept. Run by sqlite.test.ts and postgres.test.ts.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { TestContext } from 'node:test';
import { ERASED_AUTHOR } from '../../protocol/index.js';
import type { ImageInfo, UserInfo } from '../../protocol/index.js';
import type { ChatStore, Site, UploadRecord } from '../../server/storage/store.js';
import type { OpenedStore } from './contract.js';

const TIMEOUT = 30_000;
const AT = 1_700_000_000_000;
const ann: UserInfo = { id: 'u_ann', name: 'Ann', kind: 'user' };

function site(id: string): Site {
  return {
    id,
    name: `Site ${id}`,
    origins: ['https://a.example'],
    allowNoOrigin: false,
    secret: `secret-${id}`,
    idKey: `id-key-${id}`,
    roomPolicy: 'open',
    rooms: [],
    readOnlyRooms: [],
    created: AT,
  };
}

function image(id: string): ImageInfo {
  return { id, url: `/media/s/${id}.png`, type: 'image/png', width: 10, height: 20, bytes: 100, thumbUrl: `/media/s/${id}.thumb.png`, thumbWidth: 10, thumbHeight: 20 };
}

function upload(id: string, address: string, created = AT): UploadRecord {
  return { id, user: ann.id, image: image(address), bytes: 150, created };
}

async function ready(store: ChatStore): Promise<void> {
  await store.addSite(site('s'));
  await store.createUser('s', { ...ann, nameKey: 'ann', skeleton: 'ann' });
}

/** Claims the upload for a send and stores the message carrying it. */
async function sendWith(store: ChatStore, uploadId: string, clientId: string): Promise<string> {
  assert.equal(await store.claimUpload('s', uploadId, ann.id, clientId), true);
  const stored = await store.getUpload('s', uploadId);
  const { message } = await store.appendMessage('s', { room: 'lobby', clientId, from: ann, text: '', at: AT, image: stored!.image });
  await store.setUploadMessage('s', uploadId, message.id);
  return message.id;
}

export function uploadContract(name: string, open: (t: TestContext) => Promise<OpenedStore>): void {
  test(`${name}: per-site upload limits are kept and cleared`, { timeout: TIMEOUT }, async (t) => {
    const { store } = await open(t);
    await store.addSite({ ...site('s'), uploadMaxBytes: 5000, uploadMaxPixels: 1_000_000, uploadQuotaBytes: 2 ** 33 });
    const kept = await store.getSite('s');
    assert.deepEqual([kept?.uploadMaxBytes, kept?.uploadMaxPixels, kept?.uploadQuotaBytes], [5000, 1_000_000, 2 ** 33]);
    await store.updateSite(site('s'));
    const cleared = await store.getSite('s');
    assert.equal(cleared?.uploadQuotaBytes, undefined);
  });

  test(`${name}: an upload is claimed by one send, its image replays with the message, bytes count`, { timeout: TIMEOUT }, async (t) => {
    const { store } = await open(t);
    await ready(store);
    await store.addUpload('s', upload('up1', 'a'.repeat(64)));
    assert.equal(await store.uploadBytes('s'), 150);
    assert.equal(await store.claimUpload('s', 'up1', 'u_other', 'c1'), false, 'not theirs');
    const messageId = await sendWith(store, 'up1', 'c1');
    assert.equal(await store.claimUpload('s', 'up1', ann.id, 'c1'), true, 'the same send again');
    assert.equal(await store.claimUpload('s', 'up1', ann.id, 'c2'), false, 'another send');
    const page = await store.history('s', 'lobby', { limit: 10 });
    assert.deepEqual(page.messages[0]?.image, image('a'.repeat(64)));
    assert.equal((await store.getUpload('s', 'up1'))?.messageId, messageId);
    // A deletion drops the image from the message and releases the upload.
    const tombstone = await store.deleteMessage('s', messageId);
    assert.equal(tombstone?.image, undefined);
    const released = await store.releaseUploads('s', 0, 100);
    assert.deepEqual(released, { removed: 1, unreferenced: ['a'.repeat(64)] });
    assert.equal(await store.uploadBytes('s'), 0);
  });

  test(`${name}: a content address stays held while another upload has it; unused uploads go after their time`, { timeout: TIMEOUT }, async (t) => {
    const { store } = await open(t);
    await ready(store);
    const same = 'b'.repeat(64);
    await store.addUpload('s', upload('keep', same));
    await store.addUpload('s', upload('old', same, AT));
    await store.addUpload('s', upload('new', 'c'.repeat(64), AT + 10_000));
    await sendWith(store, 'keep', 'c1');
    const released = await store.releaseUploads('s', AT + 1, 100);
    assert.deepEqual(released, { removed: 1, unreferenced: [] }, 'the old unused one goes; its picture is still held');
    assert.ok(await store.getUpload('s', 'new'));
    assert.ok(await store.getUpload('s', 'keep'));
  });

  test(`${name}: erase leaves no upload naming the user, and the erased messages' uploads are released`, { timeout: TIMEOUT }, async (t) => {
    const { store, tableRows } = await open(t);
    await ready(store);
    await store.addUpload('s', upload('up1', 'd'.repeat(64)));
    await sendWith(store, 'up1', 'c1');
    await store.eraseUser('s', ann.id);
    const rows = (await tableRows())['uploads'] ?? [];
    assert.equal(rows.length, 1);
    assert.ok(rows.every((row) => row['user_id'] === ERASED_AUTHOR.id));
    assert.deepEqual(await store.releaseUploads('s', 0, 100), { removed: 1, unreferenced: ['d'.repeat(64)] });
  });

  test(`${name}: pruned messages release their uploads; removing the site removes its uploads`, { timeout: TIMEOUT }, async (t) => {
    const { store } = await open(t);
    await ready(store);
    await store.addUpload('s', upload('up1', 'e'.repeat(64)));
    await sendWith(store, 'up1', 'c1');
    await store.addUpload('s', upload('up2', 'f'.repeat(64), Date.now()));
    assert.equal(await store.pruneMessages('s', AT + 1), 1);
    assert.deepEqual(await store.releaseUploads('s', 0, 100), { removed: 1, unreferenced: ['e'.repeat(64)] });
    assert.equal(await store.removeSite('s'), true);
    await store.addSite(site('s'));
    assert.equal(await store.getUpload('s', 'up2'), undefined);
  });
}
