/**
 * Images in a cluster: uploaded through one node, served by another. Two
 * in-process nodes, each with its own data directory, share PostgreSQL (a
 * schema of this test's own: messages, uploads and the `media_files` table)
 * and Redis (a key prefix of its own); both are removed after.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { test } from 'node:test';
import { Redis } from 'ioredis';
import pg from 'pg';
import sharp from 'sharp';
import { PostgresStore } from '../../server/storage/postgres-store.js';
import { clientId, connect, demoSecret, nowSeconds, signToken, startServer, waitFor } from '../server/helpers.js';
import { jpegWithGps, ticketFor, upload, uploaded } from '../server/image-helpers.js';

const { REDIS_URL, DATABASE_URL } = process.env;

if (!REDIS_URL || !DATABASE_URL) {
  test('images in a cluster', { skip: 'not run: set REDIS_URL and DATABASE_URL (.ci/run does)' }, () => {});
} else {
  test('an image uploaded through one node is sent to and served by another', { timeout: 30_000 }, async (t) => {
    const tag = randomBytes(4).toString('hex');
    const prefix = `chat-images-${tag}:`;
    const schema = `images_cluster_${tag}`;
    const store = await PostgresStore.open({ connectionString: DATABASE_URL, schema });
    const connections = [new Redis(REDIS_URL), new Redis(REDIS_URL)] as const;
    const mediaFiles = store.mediaFiles();
    const nodeA = await startServer(t, { store, mediaFiles, cluster: { redis: connections[0], prefix } });
    const nodeB = await startServer(t, { store, mediaFiles, cluster: { redis: connections[1], prefix } });
    t.after(async () => {
      for (const node of [nodeA, nodeB]) for (const nsp of node.server.io._nsps.values()) void nsp.adapter.close();
      const keys = await connections[0].keys(`${prefix}*`);
      if (keys.length) await connections[0].del(...keys);
      for (const connection of connections) connection.disconnect();
      await store.close();
      const admin = new pg.Client({ connectionString: DATABASE_URL });
      await admin.connect();
      await admin.query(`DROP SCHEMA ${admin.escapeIdentifier(schema)} CASCADE`);
      await admin.end();
    });
    const secret = await demoSecret(nodeA.server);
    const token = (sub: string) => signToken({ sub, name: sub, site: 'demo', exp: nowSeconds() + 300 }, secret);
    const alice = await connect(t, nodeA.url, { token: token('alice') });
    const bob = await connect(t, nodeB.url, { token: token('bob') });
    for (const { socket } of [alice, bob]) assert.ok((await socket.emitWithAck('room:join', { room: 'lobby' })).ok);

    const { uploadId, image } = uploaded(await upload(nodeA.url, await ticketFor(alice.socket, 'lobby'), await jpegWithGps(300, 200)));
    const heard = waitFor(bob.socket, 'message:new', (m) => m.image !== undefined, 5000);
    const sent = await alice.socket.emitWithAck('message:send', { room: 'lobby', text: 'from node A', clientId: clientId(), image: uploadId });
    assert.ok(sent.ok, JSON.stringify(sent));
    assert.deepEqual((await heard).image, image);

    for (const path of [image.url, image.thumbUrl]) {
      const response = await fetch(new URL(path, nodeB.url));
      assert.equal(response.status, 200);
      assert.equal(response.headers.get('content-type'), 'image/jpeg');
      const meta = await sharp(Buffer.from(await response.arrayBuffer())).metadata();
      assert.equal(meta.exif, undefined);
    }
    // Deleted through node A: node B stops serving the file.
    assert.ok((await alice.socket.emitWithAck('message:delete', { room: 'lobby', messageId: sent.data.message.id })).ok);
    let status = 200;
    for (let i = 0; i < 50 && status === 200; i++) {
      status = (await fetch(new URL(image.url, nodeB.url))).status;
      if (status === 200) await new Promise((r) => setTimeout(r, 20));
    }
    assert.equal(status, 404);
  });
}
