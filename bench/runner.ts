/**
 * One scenario: fresh server processes, a fresh driver process given the job
 * over IPC, and (for the storm) the kill and restart the driver asks for.
 * Everything started here is stopped when the scenario ends, fails or times out.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { SCENARIO_TIMEOUT_MS } from './config.js';
import type { DriverToRun, Job, RunToDriver, ScenarioResult } from './ipc.js';
import { startBenchServer, type BenchServerOptions } from './server-process.js';
import { nowMs } from './stats.js';
import type { ServerKind, Target } from './target.js';

const driverEntry = fileURLToPath(new URL('./driver.ts', import.meta.url));

const drivers = new Set<ChildProcess>();
process.once('exit', () => {
  for (const driver of drivers) driver.kill('SIGKILL');
});

export function killAllDrivers(): void {
  for (const driver of drivers) driver.kill('SIGKILL');
}

/** A job without its servers, which only exist once started. */
export type JobSpec = Job extends infer J ? (J extends Job ? Omit<J, 'servers'> : never) : never;

/** Runs `spec` against fresh servers of `kinds`; `options(kind)` adds node flags (profiling). */
export async function runScenario(
  kinds: ServerKind[],
  spec: JobSpec,
  options: (kind: ServerKind) => BenchServerOptions = () => ({}),
): Promise<ScenarioResult> {
  const started = await Promise.allSettled(kinds.map((kind) => startBenchServer(kind, options(kind))));
  const servers = started.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []));
  const driver = fork(driverEntry, [], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  drivers.add(driver);
  driver.once('exit', () => drivers.delete(driver));
  const tell = (message: RunToDriver): void => {
    if (driver.connected) driver.send(message);
  };
  try {
    const failed = started.find((s): s is PromiseRejectedResult => s.status === 'rejected');
    if (failed) throw failed.reason;
    const targets: Target[] = servers.map((s) => ({ kind: s.kind, url: s.url, pid: s.pid }));
    return await new Promise<ScenarioResult>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`${spec.scenario} took over ${SCENARIO_TIMEOUT_MS / 1000} s`)),
        SCENARIO_TIMEOUT_MS,
      );
      const settle = (fn: () => void): void => {
        clearTimeout(timer);
        fn();
      };
      driver.on('message', (message: DriverToRun) => {
        if (message.type === 'done') settle(() => resolve(message.outcome));
        else if (message.type === 'failed') settle(() => reject(new Error(`${spec.scenario}: ${message.error}`)));
        else if (message.type === 'kill') {
          // The storm runs on one server: SIGKILL it, say when, start it again on the same port and data dir.
          const server = servers[0]!;
          const at = nowMs();
          server
            .kill()
            .then(() => {
              tell({ type: 'killed', at });
              return server.restart();
            })
            .then(() => tell({ type: 'restarted', at: nowMs(), pid: server.pid }))
            .catch((err: unknown) => settle(() => reject(err instanceof Error ? err : new Error(String(err)))));
        }
      });
      // Late: IPC messages sent just before exiting may still be on their way.
      driver.once('exit', (code) =>
        setTimeout(() => settle(() => reject(new Error(`the driver exited (${code}) during ${spec.scenario}`))), 500),
      );
      tell({ type: 'job', job: { ...spec, servers: targets } as Job });
    });
  } catch (error) {
    const output = servers.map((s) => `--- ${s.kind} server output (tail) ---\n${s.output()}`).join('\n');
    throw new Error(`${error instanceof Error ? error.message : String(error)}\n${output}`);
  } finally {
    driver.kill('SIGKILL');
    // A server slow to stop (still busy with what it was sent) is SIGKILLed by stop(); the figures stand.
    for (const stopped of await Promise.allSettled(servers.map((s) => s.stop()))) {
      if (stopped.status === 'rejected') console.error(`bench: note, not a failure: ${String(stopped.reason).split('\n', 1)[0]}`);
    }
  }
}
