/**
 * Measurement windows: what a server process and the machine spent between
 * `open()` and `close()`, added up over the rounds a scenario measures.
 */
import { cpuMs, ioStallUs, machineBusyMs, storageWriteBytes } from './proc.js';
import { nowMs } from './stats.js';

export interface WindowTotals {
  ms: number;
  serverCpuMs: number;
  driverCpuMs: number;
  machineBusyMs: number;
  ioStallUs: number;
  storageBytes: number;
}

export function emptyTotals(): WindowTotals {
  return { ms: 0, serverCpuMs: 0, driverCpuMs: 0, machineBusyMs: 0, ioStallUs: 0, storageBytes: 0 };
}

function sample(pid: number): WindowTotals {
  const driver = process.cpuUsage();
  return {
    ms: nowMs(),
    serverCpuMs: cpuMs(pid),
    driverCpuMs: (driver.user + driver.system) / 1000,
    machineBusyMs: machineBusyMs(),
    ioStallUs: ioStallUs(),
    storageBytes: storageWriteBytes(pid),
  };
}

/** Starts a window on `pid`; the returned function ends it and adds its figures to `into`. */
export function openWindow(pid: number, into: WindowTotals): () => void {
  const start = sample(pid);
  return () => {
    const end = sample(pid);
    for (const key of Object.keys(into) as (keyof WindowTotals)[]) into[key] += end[key] - start[key];
  };
}

/** The shares of a core (and of time) the totals amount to. */
export function shares(t: WindowTotals): { serverCpuShare: number; driverCpuShare: number; otherCpuShare: number; ioStallShare: number } {
  return {
    serverCpuShare: t.serverCpuMs / t.ms,
    driverCpuShare: t.driverCpuMs / t.ms,
    // Everything else on the machine: the other server (idle meanwhile), the runner, other people's work.
    otherCpuShare: Math.max(0, t.machineBusyMs - t.serverCpuMs - t.driverCpuMs) / t.ms,
    ioStallShare: t.ioStallUs / 1000 / t.ms,
  };
}
