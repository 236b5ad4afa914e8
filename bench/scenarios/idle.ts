/**
 * Idle connections: the resident memory of a freshly started server before
 * and after `connections` sockets connected and joined (`rooms` rooms), each
 * then left idle (only Engine.IO heartbeats). Readings are medians of several
 * taken after settling. RSS holds garbage not yet collected too; for the live
 * heap and what it is made of, see bench/heap-per-connection.ts. Presence
 * frames are counted, not decoded (bench/presence-frames.ts), so the driver
 * keeps up with the server's.
 */
import { closeAll, connectAll } from '../clients.js';
import { IDLE } from '../config.js';
import { countingParser } from '../presence-frames.js';
import type { Target } from '../target.js';
import { cpuMs, openFilesLimit, rssKb } from '../proc.js';
import { nowMs, sleep } from '../stats.js';

export interface IdleResult {
  /** Asked for (`IDLE.connections`). */
  wanted: number;
  /** Opened and joined within `IDLE.connectTimeoutMs`; the figures are per connection opened. */
  connections: number;
  rooms: number;
  rssBeforeKb: number;
  rssAfterKb: number;
  kbPerConnection: number;
  /** Connected and joined per second while opening them, `IDLE.batch` at a time. */
  connectsPerSec: number;
  serverCpuMsPerConnection: number;
  /** Driver CPU per connection opened and joined: what the client side costs. */
  driverCpuMsPerConnection: number;
  /** The driver's RSS growth per connection (socket.io-client, one engine each), read with the server's second reading. */
  driverKbPerConnection: number;
  /** presence:update, room:notice and typing frames the clients received while the rooms filled. */
  presenceFrames: number;
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

/** Each socket is a file descriptor on both ends: say so plainly rather than fail with EMFILE halfway. */
function checkOpenFiles(pid: number, connections: number): void {
  const need = connections + IDLE.spareFiles;
  for (const [who, limit] of [['driver', openFilesLimit()], ['server', openFilesLimit(pid)]] as const) {
    if (limit < need) {
      throw new Error(`idle: the ${who} may open ${limit} files, ${need} are needed (raise it with \`ulimit -n ${need}\` before \`npm run bench\`)`);
    }
  }
}

function driverCpuMs(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
}

export async function idle({ url, pid }: Target): Promise<IdleResult> {
  const { connections: wanted, rooms, settleBeforeMs, settleAfterMs, connectTimeoutMs } = IDLE;
  checkOpenFiles(pid, wanted);
  await sleep(settleBeforeMs);
  const rssBeforeKb = await steadyRss(pid);
  const driverRssBefore = process.memoryUsage().rss;
  let presenceFrames = 0;
  const parser = countingParser(() => presenceFrames++);
  const cpu0 = cpuMs(pid);
  const driver0 = driverCpuMs();
  const t0 = nowMs();
  const sockets = await connectAll(url, Array.from({ length: wanted }, (_, i) => `idle-${i % rooms}`), {
    parser,
    batch: IDLE.batch,
    deadline: Date.now() + connectTimeoutMs,
  });
  try {
    const connections = sockets.length;
    const connectMs = nowMs() - t0;
    const cpu1 = cpuMs(pid);
    const driver1 = driverCpuMs();
    await sleep(settleAfterMs);
    const rssAfterKb = await steadyRss(pid);
    const driverRssAfter = process.memoryUsage().rss;
    return {
      wanted,
      connections,
      rooms,
      rssBeforeKb,
      rssAfterKb,
      kbPerConnection: (rssAfterKb - rssBeforeKb) / connections,
      connectsPerSec: (connections * 1000) / connectMs,
      serverCpuMsPerConnection: (cpu1 - cpu0) / connections,
      driverCpuMsPerConnection: (driver1 - driver0) / connections,
      driverKbPerConnection: (driverRssAfter - driverRssBefore) / 1024 / connections,
      presenceFrames,
    };
  } finally {
    closeAll(sockets);
  }
}
