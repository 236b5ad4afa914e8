/** `chat-room-server site add --room` takes rooms in any script, stored in NFC (issue 10, defect 7). */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runSiteCli, tempDir } from './helpers.js';

const site = runSiteCli;

test('site add stores Unicode rooms in NFC and refuses invisible characters with exit code 2', async (t) => {
  const dataDir = await tempDir(t);
  const common = ['--name', 'Café', '--origin', 'https://a.example', '--room-policy', 'allow-list', '--public-url', 'https://chat.example.com'];
  const added = await site(dataDir, 'add', 'cafe', ...common, '--room', 'cafe\u0301', '--room', '大厅', '--read-only-room', '大厅');
  assert.equal(added.code, 0, added.err);
  assert.ok(added.out.includes('room="caf\u00e9"'), added.out);
  const { sites } = JSON.parse((await site(dataDir, 'list', '--json')).out) as { sites: Array<{ rooms: string[]; readOnlyRooms: string[] }> };
  assert.deepEqual(sites[0]!.rooms, ['caf\u00e9', '大厅']);
  assert.deepEqual(sites[0]!.readOnlyRooms, ['大厅']);

  const refused = await site(dataDir, 'add', 'bidi', ...common, '--room', 'a\u202Eb');
  assert.equal(refused.code, 2);
  assert.match(refused.err, /--room: not a valid room name/);
});
