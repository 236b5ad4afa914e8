import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runSiteCli, tempDir } from './helpers.js';

const site = runSiteCli;

test('site add prints the secret and an embed snippet; list, show, rotate-secret and remove manage it', async (t) => {
  const dataDir = await tempDir(t);
  const added = await site(dataDir, 'add', 'shop', '--name', 'The Shop', '--origin', 'https://shop.example', '--origin', 'http://localhost:*', '--public-url', 'https://chat.example.com/');
  assert.equal(added.code, 0, added.err);
  const secret = /^ {2}([A-Za-z0-9_-]{43})$/m.exec(added.out)?.[1];
  assert.ok(secret, added.out);
  assert.ok(added.out.includes('<script src="https://chat.example.com/chat-room.js"></script>'));
  assert.ok(added.out.includes('<chat-room server="https://chat.example.com" site="shop" room="lobby"></chat-room>'));

  const again = await site(dataDir, 'add', 'shop', '--name', 'Again', '--origin', 'https://x.example');
  assert.equal(again.code, 1);
  assert.match(again.err, /exists/);

  const listed = await site(dataDir, 'list', '--json');
  const { sites } = JSON.parse(listed.out) as { sites: Array<{ id: string; origins: string[]; secret?: string }> };
  assert.deepEqual(sites.map((s) => [s.id, s.origins, s.secret]), [['shop', ['https://shop.example', 'http://localhost:*'], undefined]]);

  const shown = await site(dataDir, 'show', 'shop');
  assert.match(shown.out, /^name: The Shop$/m);
  assert.ok(!shown.out.includes(secret));

  const rotated = await site(dataDir, 'rotate-secret', 'shop', '--json');
  const fresh = (JSON.parse(rotated.out) as { site: { secret: string } }).site.secret;
  assert.notEqual(fresh, secret);

  assert.equal((await site(dataDir, 'remove', 'shop')).code, 0);
  assert.equal((await site(dataDir, 'show', 'shop')).code, 1);
  assert.equal((await site(dataDir, 'remove', 'shop')).code, 1);
});

test('site commands refuse bad input with exit code 2', async (t) => {
  const dataDir = await tempDir(t);
  for (const args of [
    ['add', 'Bad Id', '--name', 'x', '--origin', 'https://a.example'],
    ['add', 'ok', '--origin', 'https://a.example'],
    ['add', 'ok', '--name', 'x', '--origin', 'https://a.example/path'],
    ['add', 'ok', '--name', 'x', '--origin', 'https://a.example', '--room-policy', 'closed'],
    ['frobnicate'],
    ['list', '--bogus'],
  ]) {
    const result = await site(dataDir, ...args);
    assert.equal(result.code, 2, args.join(' '));
    assert.match(result.err, /Usage: chat-room-server site/);
  }
});
