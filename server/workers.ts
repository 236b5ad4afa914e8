/**
 * `--workers N`: N server processes on this machine (node:cluster), sharing
 * the listening port and, through Redis and PostgreSQL, the rooms. The
 * primary only keeps them running: a worker that dies is replaced, and a
 * SIGTERM/SIGINT is passed to every worker, which drains and exits. The
 * primary exits 0 once all have stopped cleanly, 1 if one failed or hung.
 */
import cluster, { type Worker } from 'node:cluster';
import type { Logger } from './logger.js';

/** A worker that has not stopped by then is stuck (each gives itself 10 s, see cli.ts). */
const STOP_TIMEOUT_MS = 12_000;

export function runWorkers(count: number, logger: Logger): void {
  let stopping = false;
  let failed = false;
  const fork = (): void => {
    const worker = cluster.fork();
    logger.info('worker started', { pid: worker.process.pid });
  };
  for (let i = 0; i < count; i++) fork();
  cluster.on('exit', (worker: Worker, code: number | null, signal: string | null) => {
    if (stopping) {
      if (code !== 0) {
        failed = true;
        logger.error('worker did not stop cleanly', { pid: worker.process.pid, code, signal });
      }
      if (Object.keys(cluster.workers ?? {}).length === 0) {
        logger.info('stopped');
        process.exit(failed ? 1 : 0);
      }
      return;
    }
    logger.warn('worker exited; starting another', { pid: worker.process.pid, code, signal });
    fork();
  });
  const stop = (signal: NodeJS.Signals): void => {
    if (stopping) return;
    stopping = true;
    logger.info('stopping workers', { signal });
    for (const worker of Object.values(cluster.workers ?? {})) worker?.process.kill('SIGTERM');
    setTimeout(() => {
      const stuck = Object.values(cluster.workers ?? {}).filter((w) => w !== undefined);
      logger.error('workers did not stop in time', { pids: stuck.map((w) => w.process.pid), afterMs: STOP_TIMEOUT_MS });
      for (const worker of stuck) worker.process.kill('SIGKILL');
      process.exit(1);
    }, STOP_TIMEOUT_MS).unref();
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}
