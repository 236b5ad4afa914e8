/**
 * Presence deltas in the stores: a listed room's window goes out as a delta
 * from the previous update's version (`base`) when every change can be named,
 * else as the whole list; applied to any list a client holds from `base` on,
 * a delta gives the room as it is. The same checks for the in-memory store
 * and (with REDIS_URL) the Redis one.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { test } from 'node:test';
import type { TestContext } from 'node:test';
import { Redis } from 'ioredis';
import type { UserInfo } from '../../protocol/index.js';
import { MemoryPresence } from '../../server/presence/memory-presence.js';
import type { PresenceChangeSet, PresenceStore } from '../../server/presence/presence.js';
import { RedisPresence } from '../../server/presence/redis-presence.js';
import { applied } from './presence-view.js';

const { REDIS_URL } = process.env;
const LIMITS = { listMax: 10, namedMax: 3 };
const user = (name: string): UserInfo => ({ id: `g_${name.toLowerCase()}`, name, kind: 'guest' });
const [ann, bob, cat, dan, eve] = ['Ann', 'Bob', 'Cat', 'Dan', 'Eve'].map(user) as [UserInfo, UserInfo, UserInfo, UserInfo, UserInfo];

async function storeOf(t: TestContext, mode: 'memory' | 'redis'): Promise<{ store: PresenceStore; redis?: Redis; prefix: string }> {
  const prefix = `presence-deltas-${randomUUID()}:`;
  if (mode === 'memory') return { store: new MemoryPresence(), prefix };
  const redis = new Redis(REDIS_URL!);
  const store = new RedisPresence(redis, prefix);
  await store.start();
  t.after(async () => {
    await store.close();
    const keys = await redis.keys(`${prefix}*`);
    if (keys.length) await redis.del(...keys);
    redis.disconnect();
  });
  return { store, redis, prefix };
}

async function join(store: PresenceStore, who: UserInfo, socket = `s-${who.id}`): Promise<void> {
  await store.addSocket('site', 'room', who, socket);
}

async function leave(store: PresenceStore, who: UserInfo, socket = `s-${who.id}`): Promise<void> {
  await store.removeSocket('site', 'room', who.id, socket);
  assert.ok(await store.removeIfIdle('site', 'room', who.id));
}

const take = (store: PresenceStore): Promise<PresenceChangeSet | undefined> => store.takeChanges('site', 'room', LIMITS);

for (const mode of ['memory', 'redis'] as const) {
  const skip = mode === 'redis' && !REDIS_URL ? 'not run: set REDIS_URL' : false;

  test(`${mode}: after a listed update, a window of named changes is a delta from its version`, { skip }, async (t) => {
    const { store } = await storeOf(t, mode);
    await join(store, ann);
    await join(store, bob);
    const first = (await take(store))!;
    assert.deepEqual(first.members, [ann, bob], 'the room\'s first update lists it: there is no update before to build on');
    assert.equal(first.base, undefined);

    await join(store, cat);
    await leave(store, ann);
    const second = (await take(store))!;
    assert.equal(second.members, undefined);
    assert.equal(second.base, first.version);
    assert.ok(second.version > first.version);
    assert.deepEqual([second.count, second.joined, second.left], [2, { count: 1, users: [cat] }, { count: 1, users: [ann] }]);
    assert.deepEqual(applied(first.members!, second), [bob, cat]);

    // Bob leaves and comes back renamed within one window; Cat is renamed: both are updates of listed members, named by their profile now.
    const bobby = { ...bob, name: 'Bobby' };
    await leave(store, bob);
    await join(store, bobby, 's-bob-2');
    const kitty = { ...cat, name: 'Kitty' };
    await store.updateUser('site', kitty);
    const third = (await take(store))!;
    assert.equal(third.base, second.version);
    assert.deepEqual([third.joined, third.left, third.updated], [{ count: 0, users: [] }, { count: 0, users: [] }, [bobby, kitty]]);
    assert.deepEqual(applied([bob, cat], third), (await store.snapshot('site', 'room', LIMITS.listMax)).members);
  });

  test(`${mode}: what a delta cannot name goes out as the list`, { skip }, async (t) => {
    const { store } = await storeOf(t, mode);
    await join(store, ann);
    await take(store);

    // A joiner gone again within the window: a client that saw them in a join's answer must lose them.
    await join(store, bob);
    await leave(store, bob);
    await join(store, cat);
    const gone = (await take(store))!;
    assert.deepEqual([gone.base, gone.members], [undefined, [ann, cat]]);

    // More joins than are named.
    for (const who of [bob, dan, eve, user('Fay')]) await join(store, who);
    const many = (await take(store))!;
    assert.equal(many.base, undefined);
    assert.equal(many.members?.length, 6);
    assert.deepEqual(many.joined, { count: 4, users: [] });

    // Back to a delta; then an erase names nobody and lists the room.
    await leave(store, eve);
    const back = (await take(store))!;
    assert.equal(back.base, many.version);
    assert.deepEqual(await store.forget('site', dan.id), ['room']);
    const erased = (await take(store))!;
    assert.equal(erased.base, undefined);
    assert.deepEqual(erased.members?.map((m) => m.name), ['Ann', 'Bob', 'Cat', 'Fay']);
    assert.ok(!JSON.stringify(erased).includes(dan.id));
  });

  test(`${mode}: a room above the big-room size lists nobody, and its first listed update after is the list`, { skip }, async (t) => {
    const { store } = await storeOf(t, mode);
    const crowd = Array.from({ length: LIMITS.listMax + 1 }, (_, i) => user(`U${String(i).padStart(2, '0')}`));
    for (const who of crowd) await join(store, who);
    await take(store);
    await join(store, ann);
    const big = (await take(store))!;
    assert.deepEqual([big.members, big.base], [[], undefined]);
    await leave(store, ann);
    await leave(store, crowd[0]!);
    const small = (await take(store))!;
    assert.deepEqual([small.base, small.members?.length], [undefined, LIMITS.listMax]);
  });

  test(`${mode}: random changes: every client's list, whenever it started, follows the updates exactly`, { skip }, async (t) => {
    const { store } = await storeOf(t, mode);
    const pool = Array.from({ length: 8 }, (_, i) => user(`P${i}`));
    const present = new Set<string>();
    const clients: Array<{ members: UserInfo[]; version: number }> = [];
    let seed = 7;
    const random = (n: number): number => ((seed = (seed * 1103515245 + 12345) % 2 ** 31), Math.floor(seed / 2 ** 16) % n);
    let deltas = 0;
    for (let step = 0; step < 400; step++) {
      const who = pool[random(pool.length)]!;
      const roll = random(12);
      if (roll < 4 && !present.has(who.id)) {
        // An emptied room starts its versions again from the clock: a millisecond later, they are above the old ones.
        if (present.size === 0) await new Promise((resolve) => setTimeout(resolve, 2));
        await join(store, who);
        present.add(who.id);
      } else if (roll < 7 && present.has(who.id)) {
        await leave(store, who);
        present.delete(who.id);
      } else if (roll === 7 && present.has(who.id)) {
        await store.updateUser('site', { ...who, name: `${who.name.slice(0, 2)}${step}` });
      } else if (roll === 8) {
        const snapshot = await store.snapshot('site', 'room', LIMITS.listMax);
        clients.push({ members: snapshot.members, version: snapshot.version });
      } else {
        const update = await take(store);
        if (!update) continue;
        if (update.base !== undefined) deltas++;
        const now = await store.snapshot('site', 'room', LIMITS.listMax);
        for (const client of clients) {
          if (update.version <= client.version && update.version !== 0) continue;
          client.members = update.base !== undefined && update.base > client.version ? now.members : applied(client.members, update);
          client.version = update.version;
          assert.deepEqual(client.members, now.members, `step ${step}`);
        }
      }
    }
    assert.ok(deltas > 20, `${deltas} deltas`);
  });
}

test('redis: when a window\'s changes expire untaken (their node died), the next update is the list', { skip: REDIS_URL ? false : 'not run: set REDIS_URL' }, async (t) => {
  const { store, redis, prefix } = await storeOf(t, 'redis');
  await join(store, ann);
  await take(store);
  await join(store, bob);
  // What the TTL does after PENDING_TTL_MS: the window's keys go, its base with them.
  const keys = await redis!.keys(`${prefix}pres:site:room:c*`);
  assert.ok(keys.length > 0);
  await redis!.del(...keys);
  await join(store, cat);
  const update = (await take(store))!;
  assert.equal(update.base, undefined);
  assert.deepEqual(update.members, [ann, bob, cat]);
});
