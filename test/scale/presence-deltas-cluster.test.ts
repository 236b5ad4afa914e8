/**
 * Presence deltas across the two nodes of a cluster: members on either node
 * follow a small room by deltas, whichever node announces a window, and all
 * end with the room's list; one that loses an update fetches the list anew.
 * Runs when REDIS_URL is set.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { test } from 'node:test';
import { Redis } from 'ioredis';
import { SqliteStore } from '../../server/storage/sqlite-store.js';
import type { Running } from '../server/helpers.js';
import { startServer, tempDir } from '../server/helpers.js';
import { deltaScenario } from '../server/presence-delta-scenario.js';

const { REDIS_URL } = process.env;

if (!REDIS_URL) {
  test('presence deltas in a cluster', { skip: 'not run: set REDIS_URL (.ci/run does)' }, () => {});
} else {
  test('members on two nodes follow a small room by deltas and converge', { timeout: 60_000 }, async (t) => {
    const prefix = `chat-deltas-${randomBytes(4).toString('hex')}:`;
    const store = SqliteStore.open(await tempDir(t));
    const connections = [new Redis(REDIS_URL), new Redis(REDIS_URL)] as const;
    const nodes: Running[] = [];
    for (const redis of connections) nodes.push(await startServer(t, { store, cluster: { redis, prefix } }));
    t.after(async () => {
      for (const node of nodes) for (const nsp of node.server.io._nsps.values()) void nsp.adapter.close();
      const keys = await connections[0].keys(`${prefix}*`);
      if (keys.length) await connections[0].del(...keys);
      for (const connection of connections) connection.disconnect();
      await store.close();
    });
    const result = await deltaScenario(t, nodes.map((n) => n.url), 'deltas');
    t.diagnostic(JSON.stringify(result));
    assert.ok(result.deltas > result.lists, `mostly deltas: ${JSON.stringify(result)}`);
  });
}
