/**
 * `--workers N`: N server processes on this machine (node:cluster), sharing
 * the listening port and, through Redis and PostgreSQL, the rooms. The
 * primary only keeps them running: a worker that dies is replaced, and a
 * SIGTERM/SIGINT is passed to every worker, which drains and exits.
 */
import cluster from 'node:cluster';
import type { Logger } from './logger.js';

export function runWorkers(count: number, logger: Logger): void {
  let stopping = false;
  for (let i = 0; i < count; i++) cluster.fork();
  cluster.on('exit', (worker, code, signal) => {
    if (stopping) {
      if (Object.keys(cluster.workers ?? {}).length === 0) process.exit(0);
      return;
    }
    logger.warn('worker exited; starting another', { pid: worker.process.pid, code, signal });
    cluster.fork();
  });
  const stop = (signal: NodeJS.Signals): void => {
    if (stopping) return;
    stopping = true;
    logger.info('stopping workers', { signal });
    for (const worker of Object.values(cluster.workers ?? {})) worker?.process.kill('SIGTERM');
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}
