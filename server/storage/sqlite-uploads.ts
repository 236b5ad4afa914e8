/** The SQLite driver's uploads (see `ChatStore.addUpload` and the rest). */
import type Database from 'better-sqlite3';
import { prepareAll } from './sqlite-prepared.js';
import type { PreparedGroup } from './sqlite-prepared.js';
import type { ReleasedUploads, UploadRecord } from './store.js';
import { newUploadRow, toUpload, uploadStatements } from './upload-statements.js';

export class SqliteUploads {
  private readonly st: PreparedGroup<typeof uploadStatements>;
  private readonly releaseTx: (site: string, before: number, take: number) => ReleasedUploads;

  constructor(db: Database.Database) {
    const st = (this.st = prepareAll(db, uploadStatements));
    this.releaseTx = db.transaction((site: string, before: number, take: number): ReleasedUploads => {
      const rows = st.released.all({ site, before, take });
      for (const row of rows) st.remove.run({ site, id: row.id });
      const addresses = [...new Set(rows.map((row) => row.image_id))];
      return { removed: rows.length, unreferenced: addresses.filter((a) => !st.imageHeld.get({ site, image_id: a })) };
    });
  }

  add(site: string, upload: UploadRecord): void {
    this.st.insert.run(newUploadRow(site, upload));
  }

  get(site: string, id: string): UploadRecord | undefined {
    const row = this.st.get.get({ site, id });
    return row && toUpload(row);
  }

  claim(site: string, id: string, user: string, clientId: string): boolean {
    return this.st.claim.run({ site, id, user_id: user, client_id: clientId }).changes > 0;
  }

  setMessage(site: string, id: string, messageId: string): void {
    this.st.setMessage.run({ site, id, message_id: messageId });
  }

  bytes(site: string): number {
    return Number(this.st.bytes.get({ site })?.total ?? 0);
  }

  release(site: string, before: number, take: number): ReleasedUploads {
    return this.releaseTx(site, before, take);
  }
}
