/**
 * Fills rooms of the `demo` site straight through the project's SQLite store
 * (group commits of a few thousand appends), before the server that will use
 * the data dir starts: a room of 100,000 messages in seconds instead of the
 * minutes it would take through sockets. The rooms belong to the `demo` site,
 * registered here as the server registers it.
 */
import { SiteRegistry } from '../server/services/sites.js';
import { SqliteStore } from '../server/storage/sqlite-store.js';
import { SITE } from './config.js';

const BATCH = 5_000;
const from = { id: 'g_benchseedbenchseedbe', name: 'Seeder', kind: 'guest' as const };

/** `rooms` maps a room name to its number of messages. */
export async function seedRooms(dataDir: string, rooms: ReadonlyMap<string, number>): Promise<void> {
  const store = SqliteStore.open(dataDir);
  try {
    // Registered first, as the server would: registering a site clears rows left under its id.
    await new SiteRegistry(store).ensureDemoSite();
    for (const [room, count] of rooms) {
      for (let start = 1; start <= count; start += BATCH) {
        const appends: Promise<unknown>[] = [];
        for (let i = start; i < Math.min(start + BATCH, count + 1); i++) {
          appends.push(store.appendMessage(SITE, { room, clientId: `seed-${room}-${i}`, from, text: `seeded message ${i}`, at: Date.now() }));
        }
        await Promise.all(appends);
      }
    }
  } finally {
    await store.close();
  }
}
