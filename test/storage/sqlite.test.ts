import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { SQLITE_FILE_NAME, SqliteStore } from '../../server/storage/sqlite-store.js';
import type { TestContext } from 'node:test';
import { storeContract } from './contract.js';
import type { OpenedStore } from './contract.js';
import { richContract } from './rich-contract.js';
import { uploadContract } from './upload-contract.js';

async function openSqlite(t: TestContext): Promise<OpenedStore> {
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
    tableRows: async () => {
      const db = new Database(join(dir, SQLITE_FILE_NAME), { readonly: true });
      try {
        const tables = db.prepare<[], { name: string }>("SELECT name FROM sqlite_master WHERE type = 'table'").all();
        return Object.fromEntries(
          tables.map(({ name }) => [name, db.prepare<[], Record<string, unknown>>(`SELECT * FROM "${name}"`).all()]),
        );
      } finally {
        db.close();
      }
    },
  };
}

storeContract('sqlite', openSqlite);
richContract('sqlite', openSqlite);
uploadContract('sqlite', openSqlite);
