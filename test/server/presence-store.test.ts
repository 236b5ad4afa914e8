/**
 * The presence stores' pending changes, which one update per window carries:
 * a join and a leave of one user within a window cancel out (either order),
 * a rename updates a pending join, an erase names nobody, and joins are
 * named only in a listed room and when few. The same checks for the
 * in-memory store and (with REDIS_URL) the Redis one.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { test } from 'node:test';
import type { TestContext } from 'node:test';
import { Redis } from 'ioredis';
import type { UserInfo } from '../../protocol/index.js';
import { MemoryPresence } from '../../server/presence/memory-presence.js';
import type { PresenceStore } from '../../server/presence/presence.js';
import { RedisPresence } from '../../server/presence/redis-presence.js';

const { REDIS_URL } = process.env;
const LIMITS = { listMax: 5, namedMax: 3 };
const user = (name: string): UserInfo => ({ id: `g_${name.toLowerCase()}`, name, kind: 'guest' });
const [ann, bob, cat, dan, eve, fay] = ['Ann', 'Bob', 'Cat', 'Dan', 'Eve', 'Fay'].map(user) as [UserInfo, UserInfo, UserInfo, UserInfo, UserInfo, UserInfo];

async function storeOf(t: TestContext, mode: 'memory' | 'redis'): Promise<PresenceStore> {
  if (mode === 'memory') return new MemoryPresence();
  const redis = new Redis(REDIS_URL!);
  const prefix = `presence-store-${randomUUID()}:`;
  const store = new RedisPresence(redis, prefix);
  await store.start();
  t.after(async () => {
    await store.close();
    const keys = await redis.keys(`${prefix}*`);
    if (keys.length) await redis.del(...keys);
    redis.disconnect();
  });
  return store;
}

async function leave(store: PresenceStore, who: UserInfo, socket: string): Promise<void> {
  await store.removeSocket('site', 'room', who.id, socket);
  assert.ok(await store.removeIfIdle('site', 'room', who.id));
}

for (const mode of ['memory', 'redis'] as const) {
  const skip = mode === 'redis' && !REDIS_URL ? 'not run: set REDIS_URL' : false;

  test(`${mode}: a window's joins and leaves, netted`, { skip }, async (t) => {
    const store = await storeOf(t, mode);
    await store.addSocket('site', 'room', ann, 's-ann');
    await store.addSocket('site', 'room', bob, 's-bob');
    const first = await store.takeChanges('site', 'room', LIMITS);
    assert.deepEqual(first?.joined, { count: 2, users: [ann, bob] });
    assert.deepEqual(first?.members, [ann, bob]);
    assert.equal(await store.takeChanges('site', 'room', LIMITS), undefined, 'taken once: another node finds nothing');

    // Cat joins and leaves within the window; Bob leaves and comes back; Dan joins and is renamed.
    await store.addSocket('site', 'room', cat, 's-cat');
    await leave(store, cat, 's-cat');
    await leave(store, bob, 's-bob');
    await store.addSocket('site', 'room', bob, 's-bob2');
    await store.addSocket('site', 'room', dan, 's-dan');
    const danny = { ...dan, name: 'Aaron' };
    assert.deepEqual(await store.updateUser('site', danny), [{ room: 'room', count: 3 }]);
    const second = await store.takeChanges('site', 'room', LIMITS);
    assert.deepEqual(second?.joined, { count: 1, users: [danny] });
    assert.deepEqual(second?.left, { count: 0, users: [] });
    assert.deepEqual(second?.members?.map((m) => m.name), ['Aaron', 'Ann', 'Bob'], 'sorted by the new name');
    assert.ok(second!.version > first!.version);
  });

  test(`${mode}: an erase takes the user out without naming them`, { skip }, async (t) => {
    const store = await storeOf(t, mode);
    await store.addSocket('site', 'room', ann, 's-ann');
    await store.addSocket('site', 'room', cat, 's-cat');
    await store.takeChanges('site', 'room', LIMITS);
    await store.addSocket('site', 'room', bob, 's-bob');
    await leave(store, cat, 's-cat');
    assert.deepEqual(await store.forget('site', bob.id), ['room']);
    assert.deepEqual(await store.forget('site', cat.id), [], 'not a member any more');
    const update = await store.takeChanges('site', 'room', LIMITS);
    assert.equal(update?.count, 1);
    assert.deepEqual(update?.joined, { count: 0, users: [] });
    assert.deepEqual(update?.left, { count: 1, users: [cat] });
    assert.ok(!JSON.stringify(update).includes(bob.id));
  });

  test(`${mode}: joins are counted, not named, when many or in a big room; big rooms list nobody`, { skip }, async (t) => {
    const store = await storeOf(t, mode);
    for (const [i, who] of [ann, bob, cat, dan].entries()) await store.addSocket('site', 'room', who, `s${i}`);
    const many = await store.takeChanges('site', 'room', LIMITS);
    assert.deepEqual(many?.joined, { count: 4, users: [] }, 'more than namedMax');
    assert.equal(many?.members?.length, 4);
    await store.addSocket('site', 'room', eve, 's4');
    await store.addSocket('site', 'room', fay, 's5');
    const big = await store.takeChanges('site', 'room', LIMITS);
    assert.equal(big?.count, 6);
    assert.deepEqual(big?.joined, { count: 2, users: [] }, 'a big room names nobody');
    assert.deepEqual(big?.members, []);
    const snapshot = await store.snapshot('site', 'room', LIMITS.listMax);
    assert.deepEqual([snapshot.count, snapshot.members], [6, []]);
    const page = await store.page('site', 'room', { prefix: '', limit: 4 });
    assert.deepEqual(page.members.map((m) => m.name), ['Ann', 'Bob', 'Cat', 'Dan']);
    const rest = await store.page('site', 'room', { prefix: '', after: page.last!, limit: 4 });
    assert.deepEqual([rest.members.map((m) => m.name), rest.last], [['Eve', 'Fay'], undefined]);
  });
}
