/** The PostgreSQL driver's uploads (see `ChatStore.addUpload` and the rest). */
import type pg from 'pg';
import { rows, run, transaction } from './postgres-query.js';
import type { ReleasedUploads, UploadRecord } from './store.js';
import { newUploadRow, toUpload, uploadStatements as st } from './upload-statements.js';

export class PostgresUploads {
  constructor(private readonly pool: pg.Pool) {}

  async add(site: string, upload: UploadRecord): Promise<void> {
    await run(this.pool, st.insert, newUploadRow(site, upload));
  }

  async get(site: string, id: string): Promise<UploadRecord | undefined> {
    const [row] = await rows(this.pool, st.get, { site, id });
    return row && toUpload(row);
  }

  async claim(site: string, id: string, user: string, clientId: string): Promise<boolean> {
    return (await run(this.pool, st.claim, { site, id, user_id: user, client_id: clientId })) > 0;
  }

  async setMessage(site: string, id: string, messageId: string): Promise<void> {
    await run(this.pool, st.setMessage, { site, id, message_id: messageId });
  }

  async bytes(site: string): Promise<number> {
    const [row] = await rows(this.pool, st.bytes, { site });
    return Number(row?.total ?? 0);
  }

  release(site: string, before: number, take: number): Promise<ReleasedUploads> {
    return transaction(this.pool, async (client) => {
      const found = await rows(client, st.released, { site, before, take });
      for (const row of found) await run(client, st.remove, { site, id: row.id });
      const unreferenced: string[] = [];
      for (const address of new Set(found.map((row) => row.image_id))) {
        if ((await rows(client, st.imageHeld, { site, image_id: address })).length === 0) unreferenced.push(address);
      }
      return { removed: found.length, unreferenced };
    });
  }
}
