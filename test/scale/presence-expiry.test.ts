/**
 * The Redis presence store keeps nothing for a room that emptied once its
 * update took the changes: no member, index, socket, version or change key
 * (a stranger can name any number of rooms), and a
 * room that fills again counts its versions on from above the old ones.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { test } from 'node:test';
import { Redis } from 'ioredis';
import type { UserInfo } from '../../protocol/index.js';
import { RedisPresence } from '../../server/presence/redis-presence.js';

async function keys(redis: Redis, prefix: string): Promise<string[]> {
  const found: string[] = [];
  let cursor = '0';
  do {
    const [next, batch] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
    found.push(...batch);
    cursor = next;
  } while (cursor !== '0');
  return found.map((key) => key.slice(prefix.length)).sort();
}

const LIMITS = { listMax: 100, namedMax: 3 };

if (!process.env.REDIS_URL) {
  test('Redis presence expiry', { skip: 'not run: set REDIS_URL (.ci/run does)' }, () => {});
} else {
  test('a room that empties leaves no Redis keys behind, and its versions keep growing', async (t) => {
    const redis = new Redis(process.env.REDIS_URL!);
    const prefix = `presence-expiry-${randomUUID()}:`;
    t.after(async () => {
      const left = await keys(redis, prefix);
      if (left.length > 0) await redis.del(...left.map((key) => prefix + key));
      redis.disconnect();
    });
    const presence = new RedisPresence(redis, prefix);
    await presence.start();
    const node = await keys(redis, prefix);

    const alice: UserInfo = { id: 'g_alice', name: 'Alice', kind: 'guest' };
    const bob: UserInfo = { id: 'g_bob', name: 'Bob', kind: 'guest' };
    await presence.addSocket('site', 'lobby', alice, 's1');
    await presence.addSocket('site', 'lobby', bob, 's2');
    await presence.updateUser('site', { ...alice, name: 'Alicia' });
    const before = (await presence.snapshot('site', 'lobby', 10)).version;

    for (const [user, socket] of [[alice, 's1'], [bob, 's2']] as const) {
      assert.equal((await presence.removeSocket('site', 'lobby', user.id, socket)).remaining, 0);
      assert.ok(await presence.removeIfIdle('site', 'lobby', user.id));
    }
    // A rename of someone no longer in any room writes nothing either.
    assert.deepEqual(await presence.updateUser('site', alice), []);
    // The room's changes wait for its update; once one is sent, nothing is left.
    const update = await presence.takeChanges('site', 'lobby', LIMITS);
    assert.equal(update?.count, 0);
    assert.equal(update?.joined.count, 0, 'both joined and left within the window');
    assert.equal(update?.left.count, 0);
    assert.deepEqual(await keys(redis, prefix), node, 'only the node heartbeat is left');

    await presence.addSocket('site', 'lobby', bob, 's3');
    const after = (await presence.snapshot('site', 'lobby', 10)).version;
    assert.ok(after > before, `${after} after ${before}`);
    await presence.removeSocket('site', 'lobby', bob.id, 's3');
    await presence.removeIfIdle('site', 'lobby', bob.id);
    assert.equal((await presence.takeChanges('site', 'lobby', LIMITS))?.count, 0);
    await presence.close();
    assert.deepEqual(await keys(redis, prefix), []);
  });
}
