import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteStore } from '../../server/storage/sqlite-store.js';
import { storeContract } from './contract.js';

storeContract('sqlite', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'chat-room-store-'));
  const stores = [SqliteStore.open(dir)];
  t.after(async () => {
    for (const store of stores) await store.close();
    await rm(dir, { recursive: true, force: true });
  });
  return {
    store: stores[0]!,
    // Another connection to the same file, as a second process would have.
    openAnother: async () => {
      const store = SqliteStore.open(dir);
      stores.push(store);
      return store;
    },
  };
});
