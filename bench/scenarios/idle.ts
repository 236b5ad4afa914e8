/**
 * Idle connections: the resident memory of a freshly started server before
 * and after `connections` sockets connected and joined (`rooms` rooms), each
 * then left idle (only Engine.IO heartbeats). Readings are medians of several
 * taken after settling. RSS holds garbage not yet collected too; for the live
 * heap and what it is made of, see bench/heap-per-connection.ts.
 */
import { closeAll, connectAll } from '../clients.js';
import { IDLE } from '../config.js';
import type { Target } from '../target.js';
import { cpuMs, rssKb } from '../proc.js';
import { nowMs, sleep } from '../stats.js';

export interface IdleResult {
  connections: number;
  rooms: number;
  rssBeforeKb: number;
  rssAfterKb: number;
  kbPerConnection: number;
  /** Connected and joined per second while opening them, `CONNECT_BATCH` at a time. */
  connectsPerSec: number;
  serverCpuMsPerConnection: number;
}

/** Median of five readings 200 ms apart: one GC in the middle does not decide the figure. */
async function steadyRss(pid: number): Promise<number> {
  const readings: number[] = [];
  for (let i = 0; i < 5; i++) {
    readings.push(rssKb(pid));
    await sleep(200);
  }
  return readings.sort((a, b) => a - b)[2]!;
}

export async function idle({ url, pid }: Target): Promise<IdleResult> {
  const { connections, rooms, settleBeforeMs, settleAfterMs } = IDLE;
  await sleep(settleBeforeMs);
  const rssBeforeKb = await steadyRss(pid);
  const cpu0 = cpuMs(pid);
  const t0 = nowMs();
  const sockets = await connectAll(url, Array.from({ length: connections }, (_, i) => `idle-${i % rooms}`));
  try {
    const connectMs = nowMs() - t0;
    const cpu1 = cpuMs(pid);
    await sleep(settleAfterMs);
    const rssAfterKb = await steadyRss(pid);
    return {
      connections,
      rooms,
      rssBeforeKb,
      rssAfterKb,
      kbPerConnection: (rssAfterKb - rssBeforeKb) / connections,
      connectsPerSec: (connections * 1000) / connectMs,
      serverCpuMsPerConnection: (cpu1 - cpu0) / connections,
    };
  } finally {
    closeAll(sockets);
  }
}
