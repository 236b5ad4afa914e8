/**
 * Deploys and open tabs: a page loaded before a deploy imports its lazy
 * chunks after it, from a server (or another node) that has a newer dist/.
 * Real servers on hand-made builds, one after another on the same store: on
 * SQLite (one data dir) and, when DATABASE_URL is set, on PostgreSQL (one
 * schema), as a rolling deploy of a cluster would share it.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import type { TestContext } from 'node:test';
import pg from 'pg';
import { ARCHIVE_KEEP_BUILDS, ARCHIVE_KEEP_DAYS } from '../../server/services/chunk-archive.js';
import { PostgresStore } from '../../server/storage/postgres-store.js';
import { SqliteStore } from '../../server/storage/sqlite-store.js';
import type { ChatStore } from '../../server/storage/store.js';
import { startServer, tempDir } from '../server/helpers.js';
import type { Running } from '../server/helpers.js';
import { chunkSource, decoded, rawGet, writeDist } from '../support/widget-dist.js';

const url = process.env.DATABASE_URL || undefined;
const DAY_MS = 24 * 3600 * 1000;
const TIMEOUT = 60_000;

/** One database that servers started one after another (or side by side) share. */
interface Shared {
  start(widgetBundle: string): Promise<Running>;
  /** The store past the servers, to plant builds recorded long ago. */
  openStore(): Promise<ChatStore>;
}

type SharedFactory = (t: TestContext) => Promise<Shared>;

const sqlite: SharedFactory = async (t) => {
  const dataDir = await tempDir(t);
  const stores: ChatStore[] = [];
  t.after(() => Promise.all(stores.map((store) => store.close())));
  return {
    start: (widgetBundle) => startServer(t, { dataDir, widgetBundle }),
    openStore: async () => {
      const store = SqliteStore.open(dataDir);
      stores.push(store);
      return store;
    },
  };
};

const postgres = (databaseUrl: string): SharedFactory => async (t) => {
  const schema = `chat_test_${randomBytes(6).toString('hex')}`;
  const stores: ChatStore[] = [];
  const openStore = async () => {
    const store = await PostgresStore.open({ connectionString: databaseUrl, schema, max: 4 });
    stores.push(store);
    return store;
  };
  t.after(async () => {
    await Promise.all(stores.map((store) => store.close()));
    const client = new pg.Client({ connectionString: databaseUrl });
    await client.connect();
    await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await client.end();
  });
  return {
    start: async (widgetBundle) => {
      const store = await openStore();
      const running = await startServer(t, { store, widgetBundle });
      // The caller's store outlives the server: close the server first.
      const close = async () => {
        await running.close();
        await store.close();
      };
      t.after(close);
      return { ...running, close };
    },
    openStore,
  };
};

const drivers: Array<[string, SharedFactory | undefined]> = [
  ['sqlite', sqlite],
  ['postgres', url === undefined ? undefined : postgres(url)],
];

async function get(base: string, name: string, accept = 'gzip, deflate, br') {
  return rawGet(`${base}/chunks/${name}`, { 'accept-encoding': accept });
}

for (const [driver, shared] of drivers) {
  const it = (title: string, body: (open: Shared, t: TestContext) => Promise<void>) =>
    shared === undefined
      ? test(`${driver}: ${title}`, { skip: 'set DATABASE_URL to run the PostgreSQL cases' }, () => {})
      : test(`${driver}: ${title}`, { timeout: TIMEOUT }, async (t) => body(await shared(t), t));

  it("after a deploy, the previous build's chunks are still served, in each coding", async (open, t) => {
    const distA = join(await tempDir(t), 'dist');
    const oldUi = chunkSource('ui A');
    const bundleA = await writeDist(
      distA,
      { 'core-aaaaaaaa.js': chunkSource('core'), 'ui-aaaaaaaa.js': oldUi, 'lazy-aaaaaaaa.js': chunkSource('lazy A') },
      ['lazy-aaaaaaaa.js'],
    );
    const a = await open.start(bundleA);
    assert.equal((await get(a.url, 'ui-aaaaaaaa.js')).status, 200);
    await a.close();
    // The old files are gone from disk, as an upgrade in place removes them.
    await rm(distA, { recursive: true });

    const bundleB = await writeDist(join(await tempDir(t), 'dist'), { 'core-aaaaaaaa.js': chunkSource('core'), 'ui-bbbbbbbb.js': chunkSource('ui B') });
    const b = await open.start(bundleB);
    assert.equal(decoded(await get(b.url, 'ui-bbbbbbbb.js')).toString(), chunkSource('ui B'), "the new build's own");

    const etags = new Set<string>();
    for (const [accept, coding] of [['gzip, deflate, br', 'br'], ['gzip', 'gzip'], ['identity', undefined]] as const) {
      const what = `archived, Accept-Encoding: ${accept}`;
      const res = await get(b.url, 'ui-aaaaaaaa.js', accept);
      assert.equal(res.status, 200, what);
      assert.equal(res.headers['content-encoding'], coding, what);
      assert.equal(decoded(res).toString(), oldUi, what);
      assert.equal(res.headers['content-type'], 'text/javascript; charset=utf-8', what);
      assert.equal(res.headers['cache-control'], 'public, max-age=31536000, immutable', what);
      assert.equal(res.headers['access-control-allow-origin'], '*', what);
      assert.equal(res.headers['cross-origin-resource-policy'], 'cross-origin', what);
      assert.match(String(res.headers.vary), /accept-encoding/i, what);
      assert.equal(Number(res.headers['content-length']), res.body.length, what);
      const etag = res.headers.etag!;
      etags.add(etag);
      const again = await rawGet(`${b.url}/chunks/ui-aaaaaaaa.js`, { 'accept-encoding': accept, 'if-none-match': etag });
      assert.equal(again.status, 304, what);
      assert.equal(again.body.length, 0, what);
    }
    assert.equal(etags.size, 3, 'one ETag per coding');
    const head = await rawGet(`${b.url}/chunks/ui-aaaaaaaa.js`, { 'accept-encoding': 'br' }, 'HEAD');
    assert.equal(head.status, 200);
    assert.equal(head.body.length, 0);
    assert.ok(Number(head.headers['content-length']) > 0);

    const lazy = await get(b.url, 'lazy-aaaaaaaa.js');
    assert.equal(lazy.status, 200, 'a chunk archived without compressed copies');
    assert.equal(lazy.headers['content-encoding'], undefined);
    assert.equal(lazy.body.toString(), chunkSource('lazy A'));
    const missing = await get(b.url, 'ui-cccccccc.js');
    assert.equal(missing.status, 404);
    assert.equal(missing.headers['cache-control'], 'no-store');
  });

  it('a rolling deploy: old and new nodes side by side each serve the other build', async (open, t) => {
    const older = await open.start(await writeDist(join(await tempDir(t), 'dist'), { 'ui-0ld0ld00.js': chunkSource('old') }));
    const newer = await open.start(await writeDist(join(await tempDir(t), 'dist'), { 'ui-new0new0.js': chunkSource('new') }));
    assert.equal(decoded(await get(newer.url, 'ui-0ld0ld00.js')).toString(), chunkSource('old'), 'the new node has the old build');
    // The old node learns of the new build on a miss, at most one names reload every 2 s.
    const deadline = Date.now() + 10_000;
    let res = await get(older.url, 'ui-new0new0.js');
    while (res.status === 404 && Date.now() < deadline) {
      assert.equal(res.headers['cache-control'], 'no-store', 'a miss meanwhile is not cached');
      await new Promise((resolve) => setTimeout(resolve, 250));
      res = await get(older.url, 'ui-new0new0.js');
    }
    assert.equal(res.status, 200, 'the old node serves the new build');
    assert.equal(decoded(res).toString(), chunkSource('new'));
  });

  it(`keeps the last ${ARCHIVE_KEEP_BUILDS} builds, each for ${ARCHIVE_KEEP_DAYS} days after a server last had it`, async (open, t) => {
    const planted = await open.openStore();
    const now = Date.now();
    const aged = (name: string) => ({ name, body: Buffer.from(chunkSource(name)) });
    await planted.recordWidgetBuild('stale', [aged('stale-aaaaaaaa.js')], now - (ARCHIVE_KEEP_DAYS + 1) * DAY_MS);
    await planted.recordWidgetBuild('recent', [aged('recent-aaaaaaaa.js')], now - (ARCHIVE_KEEP_DAYS - 1) * DAY_MS);

    const builds = ARCHIVE_KEEP_BUILDS + 1;
    const dists = [];
    for (let i = 1; i <= builds; i++) {
      dists.push(await writeDist(join(await tempDir(t), 'dist'), { [`ui-build${String(i).padStart(4, '0')}.js`]: chunkSource(`build ${i}`) }));
    }
    const first = await open.start(dists[0]!);
    assert.equal((await get(first.url, 'stale-aaaaaaaa.js')).status, 404, `seen ${ARCHIVE_KEEP_DAYS + 1} days ago: pruned at start`);
    assert.equal((await get(first.url, 'recent-aaaaaaaa.js')).status, 200, `seen ${ARCHIVE_KEEP_DAYS - 1} days ago: kept`);
    await first.close();
    let last: Running | undefined;
    for (const dist of dists.slice(1)) {
      await last?.close();
      last = await open.start(dist);
    }
    const status = async (name: string) => (await get(last!.url, name)).status;
    // Builds: "recent", then build 1 … build 11; the newest ten are builds 2 … 11.
    assert.equal(await status('recent-aaaaaaaa.js'), 404, 'the oldest of twelve');
    assert.equal(await status('ui-build0001.js'), 404, 'the second oldest of twelve');
    for (let i = 2; i <= builds; i++) assert.equal(await status(`ui-build${String(i).padStart(4, '0')}.js`), 200, `build ${i}`);
    assert.deepEqual(
      (await planted.widgetChunkNames()).sort(),
      Array.from({ length: ARCHIVE_KEEP_BUILDS }, (_, i) => `ui-build${String(i + 2).padStart(4, '0')}.js`),
      'nothing else left in the store',
    );
  });
}
