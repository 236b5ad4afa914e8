/**
 * Moves SQLite's WAL checkpoints off the event loop. By default the
 * connection that commits also checkpoints (every 1,000 WAL pages): it copies
 * the pages into the database file and fsyncs both files, and while it waits
 * for the disk no socket of the process is read or written — tens of
 * milliseconds on a busy disk, taken on by every message in flight. Here a
 * worker thread with its own connection checkpoints every few hundred
 * milliseconds instead, and the event loop's connection only checkpoints
 * itself when the WAL has grown far past that (the worker could not keep up:
 * a passive checkpoint cannot restart the WAL while commits keep coming).
 * Commits, and what is durable when, do not change.
 */
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import type Database from 'better-sqlite3';
import type { Logger } from '../logger.js';

/** How often the worker checkpoints. */
export const CHECKPOINT_INTERVAL_MS = 200;
/** SQLite's own default (1,000 pages) while the worker is not running. */
const DEFAULT_AUTOCHECKPOINT_PAGES = 1000;
/** The event loop's backstop while it is: about 40 MB of WAL with 4 KB pages. */
const BACKSTOP_AUTOCHECKPOINT_PAGES = 10_000;

interface CheckpointWorkerData {
  /** better-sqlite3's entry point, resolved here: the worker's code has no module location of its own. */
  driver: string;
  file: string;
  intervalMs: number;
}

type CheckpointWorkerReport = { error: string };

/**
 * The worker's whole program: its own connection, a passive checkpoint every
 * `intervalMs` (it never takes the writer's lock, so the event loop's commits
 * go on while it copies pages and waits for the disk), and a clean close when
 * told. Plain CommonJS source, so it runs the same from lib/ and from source
 * through tsx (whose hooks do not reach worker threads on Node 20).
 */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.file, { fileMustExist: true });
const timer = setInterval(() => {
  try {
    db.pragma('wal_checkpoint(PASSIVE)');
  } catch (err) {
    parentPort.postMessage({ error: err instanceof Error ? err.message : String(err) });
  }
}, workerData.intervalMs);
parentPort.once('message', () => {
  clearInterval(timer);
  db.close();
  parentPort.close();
});
`;

export class WalCheckpointer {
  private readonly worker: Worker;
  private readonly exited: Promise<void>;

  /** Starts checkpointing `file` (the database of `db`, in WAL mode) from a worker thread. */
  constructor(
    private readonly db: Database.Database,
    file: string,
    private readonly logger?: Logger,
    intervalMs = CHECKPOINT_INTERVAL_MS,
  ) {
    const workerData: CheckpointWorkerData = { driver: createRequire(import.meta.url).resolve('better-sqlite3'), file, intervalMs };
    this.worker = new Worker(WORKER_SOURCE, { eval: true, workerData });
    db.pragma(`wal_autocheckpoint = ${BACKSTOP_AUTOCHECKPOINT_PAGES}`);
    // A thread that only checkpoints must not keep the process alive.
    this.worker.unref();
    this.worker.on('message', (report: CheckpointWorkerReport) => {
      if ('error' in report) this.logger?.warn('WAL checkpoint failed', { err: report.error });
    });
    this.worker.on('error', (err) => this.logger?.error('WAL checkpoint thread failed; checkpointing on the event loop', { err }));
    this.exited = new Promise((resolve) =>
      this.worker.once('exit', () => {
        this.fallBack();
        resolve();
      }),
    );
  }

  /** Stops the worker (its connection closed) before the store closes its own. */
  async close(): Promise<void> {
    // Held open until the worker's connection is closed, or the process could exit first.
    this.worker.ref();
    this.worker.postMessage('close');
    await this.exited;
  }

  private fallBack(): void {
    if (this.db.open) this.db.pragma(`wal_autocheckpoint = ${DEFAULT_AUTOCHECKPOINT_PAGES}`);
  }
}
