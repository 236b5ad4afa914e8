/**
 * A server under benchmark in its own process, started from source by tsx:
 * the project's CLI (rate limits raised, so the limiter is not what is
 * measured) or the bare Socket.IO server. The process handling (SIGKILL,
 * restart on the same port and data dir, kill on exit) is `ServerProcess`
 * in bench/support/, which the delivery and scale tests borrow (bench never
 * imports test/; tests may import anything).
 */
import { ServerProcess } from './support/server-process.js';
import { RATE_LIMIT_SCALE } from './config.js';
import type { ServerKind } from './target.js';

export { killAllServers } from './support/server-process.js';

export interface BenchServerOptions {
  /** Extra node flags for the server process (e.g. `--cpu-prof`). */
  nodeArgs?: string[];
  /** The project server's data dir (kept on stop), e.g. one seeded beforehand; a fresh one otherwise. */
  dataDir?: string;
}

export interface BenchServer extends ServerProcess {
  readonly kind: ServerKind;
}

export async function startBenchServer(kind: ServerKind, options: BenchServerOptions = {}): Promise<BenchServer> {
  const server = await ServerProcess.start({
    label: kind,
    ...(options.nodeArgs ? { nodeArgs: options.nodeArgs } : {}),
    ...(options.dataDir ? { dataDir: options.dataDir } : {}),
    ...(kind === 'bare'
      ? { command: (port: number) => ['bench/bare-server.ts', '--port', String(port)] }
      : { args: ['--rate-limit-scale', String(RATE_LIMIT_SCALE)] }),
  });
  return Object.assign(server, { kind });
}
