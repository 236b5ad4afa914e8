import assert from 'node:assert/strict';
import { test } from 'node:test';
import { IMAGE_MAX_BYTES, IMAGE_MAX_PIXELS } from '../../protocol/index.js';
import { SqliteStore } from '../../server/storage/sqlite-store.js';
import { api, connect, createSite, runSiteCli, startServer, tempDir } from './helpers.js';

test('the admin API sets a site\'s upload limits and a ticket carries them; bad values are refused', async (t) => {
  const { url } = await startServer(t);
  const site = await createSite(url, { id: 'pics', name: 'Pics', origins: ['http://localhost:1234'], uploadMaxBytes: 50_000, uploadMaxPixels: 2_000_000 });
  const shown = await api(url, 'GET', '/sites/pics');
  assert.deepEqual([(shown.body.site as Record<string, unknown>).uploadMaxBytes, (shown.body.site as Record<string, unknown>).uploadMaxPixels], [50_000, 2_000_000]);
  const { socket } = await connect(t, url, { site: site.id });
  assert.ok((await socket.emitWithAck('room:join', { room: 'lobby' })).ok);
  const ticket = await socket.emitWithAck('media:ticket', { room: 'lobby' });
  assert.ok(ticket.ok);
  assert.deepEqual([ticket.data.maxBytes, ticket.data.maxPixels], [50_000, 2_000_000]);
  const bad = await api(url, 'POST', '/sites', { body: { id: 'bad', name: 'Bad', origins: [], uploadMaxBytes: 1.5 } });
  assert.equal(bad.status, 400);
  const demo = await connect(t, url);
  assert.ok((await demo.socket.emitWithAck('room:join', { room: 'lobby' })).ok);
  const defaults = await demo.socket.emitWithAck('media:ticket', { room: 'lobby' });
  assert.ok(defaults.ok);
  assert.deepEqual([defaults.data.maxBytes, defaults.data.maxPixels], [IMAGE_MAX_BYTES, IMAGE_MAX_PIXELS]);
});

test('the site CLI takes --upload-max-bytes, --upload-max-pixels and --upload-quota-bytes', async (t) => {
  const dataDir = await tempDir(t);
  const made = await runSiteCli(dataDir, 'add', 'pics', '--name', 'Pics', '--origin', 'https://a.example', '--upload-max-bytes', '200000', '--upload-max-pixels', '1000000', '--upload-quota-bytes', '0');
  assert.equal(made.code, 0, made.err);
  const refused = await runSiteCli(dataDir, 'add', 'other', '--name', 'Other', '--origin', 'https://a.example', '--upload-max-bytes', '12');
  assert.notEqual(refused.code, 0);
  assert.match(refused.err, /--upload-max-bytes/);
  const store = SqliteStore.open(dataDir);
  t.after(() => store.close());
  const site = await store.getSite('pics');
  assert.deepEqual([site?.uploadMaxBytes, site?.uploadMaxPixels, site?.uploadQuotaBytes], [200_000, 1_000_000, 0]);
});
