/**
 * A server under test in its own process, started from source by tsx: the
 * project's CLI or the bare server. Exposes its pid (for /proc), can be
 * SIGKILLed and restarted on the same port and data dir, and is killed when
 * this process exits. The approach of test/support/server-process.ts, with the
 * pid and the bare server added.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { RATE_LIMIT_SCALE } from './config.js';
import type { ServerKind } from './ipc.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const LISTEN_TIMEOUT_MS = 30_000;
const STOP_GRACE_MS = 5_000;
/** After a SIGKILL the port can stay busy for a moment. */
const ADDRINUSE_RETRIES = 20;
const ADDRINUSE_DELAY_MS = 100;
/** Only the tail of the output is kept, for error messages. */
const LOG_TAIL_CHARS = 20_000;

const live = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of live) child.kill('SIGKILL');
});

/** Kills every server still running (SIGKILL): for a run that is being abandoned. */
export function killAllServers(): void {
  for (const child of live) child.kill('SIGKILL');
}

export interface BenchServerOptions {
  /** Extra node flags for the server process (e.g. `--cpu-prof`). */
  nodeArgs?: string[];
}

export class BenchServer {
  port = 0;
  private child: ChildProcess | undefined;
  private log = '';
  readonly dataDir: string;

  private constructor(
    readonly kind: ServerKind,
    private readonly options: BenchServerOptions,
  ) {
    this.dataDir = mkdtempSync(join(tmpdir(), `chat-room-bench-${kind}-`));
  }

  static async start(kind: ServerKind, options: BenchServerOptions = {}): Promise<BenchServer> {
    const server = new BenchServer(kind, options);
    try {
      await server.launch();
    } catch (error) {
      rmSync(server.dataDir, { recursive: true, force: true });
      throw error;
    }
    return server;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  get pid(): number {
    const pid = this.child?.pid;
    if (pid === undefined) throw new Error(`${this.kind} server is not running`);
    return pid;
  }

  output(): string {
    return this.log;
  }

  /** SIGKILL; resolves once the process has exited. */
  async kill(): Promise<void> {
    const child = this.child;
    if (!child || !running(child)) return;
    const exited = exitOf(child);
    child.kill('SIGKILL');
    await exited;
  }

  /** Starts again on the same port and data dir; resolves once listening. */
  async restart(): Promise<void> {
    if (this.child && running(this.child)) throw new Error('restart(): still running, kill() it first');
    await this.launch();
  }

  /** SIGTERM (SIGKILL after a grace period, so a CPU profile gets written), then removes the data dir. */
  async stop(): Promise<void> {
    const child = this.child;
    if (child && running(child)) {
      const exited = exitOf(child);
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), STOP_GRACE_MS);
      await exited;
      clearTimeout(timer);
    }
    rmSync(this.dataDir, { recursive: true, force: true });
  }

  private args(): string[] {
    const node = [...(this.options.nodeArgs ?? []), '--import', 'tsx'];
    if (this.kind === 'bare') return [...node, 'bench/bare-server.ts', '--port', String(this.port)];
    return [
      ...node,
      'server/cli.ts',
      '--port',
      String(this.port),
      '--no-demo',
      '--data-dir',
      this.dataDir,
      '--log-level',
      'info',
      '--rate-limit-scale',
      String(RATE_LIMIT_SCALE),
    ];
  }

  private async launch(): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      const failedRun = await this.spawnOnce();
      if (failedRun === undefined) return;
      if (this.port === 0 || attempt >= ADDRINUSE_RETRIES || !failedRun.includes('EADDRINUSE')) {
        throw new Error(`${this.kind} server exited before listening:\n${this.log}`);
      }
      await new Promise((resolve) => setTimeout(resolve, ADDRINUSE_DELAY_MS));
    }
  }

  /** One spawn: undefined once listening, or the output of a run that exited before listening. */
  private spawnOnce(): Promise<string | undefined> {
    const child = spawn(process.execPath, this.args(), { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    this.child = child;
    live.add(child);
    child.once('exit', () => live.delete(child));

    let thisRun = '';
    const record = (chunk: string): void => {
      thisRun = (thisRun + chunk).slice(-LOG_TAIL_CHARS);
      this.log = (this.log + chunk).slice(-LOG_TAIL_CHARS);
    };
    // Both pipes are always drained: a full pipe would stall the server.
    child.stderr!.setEncoding('utf8').on('data', record);

    return new Promise((resolve, reject) => {
      let buffered = '';
      let done = false;
      const timer = setTimeout(() => {
        done = true;
        child.kill('SIGKILL');
        reject(new Error(`${this.kind} server printed no "listening" line within ${LISTEN_TIMEOUT_MS / 1000} s:\n${this.log}`));
      }, LISTEN_TIMEOUT_MS);

      child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
        record(chunk);
        if (done) return;
        buffered += chunk;
        let newline: number;
        while ((newline = buffered.indexOf('\n')) >= 0) {
          const url = listeningUrl(buffered.slice(0, newline).trim());
          buffered = buffered.slice(newline + 1);
          if (url === undefined) continue;
          done = true;
          clearTimeout(timer);
          this.port = Number(new URL(url).port);
          resolve(undefined);
          return;
        }
      });
      child.once('close', (code, signal) => {
        if (done) return;
        done = true;
        clearTimeout(timer);
        this.log += `[exited with ${code ?? signal} before listening]\n`;
        resolve(thisRun);
      });
    });
  }
}

function listeningUrl(line: string): string | undefined {
  if (!line.startsWith('{')) return undefined;
  try {
    const record = JSON.parse(line) as { msg?: unknown; url?: unknown };
    return record.msg === 'listening' && typeof record.url === 'string' ? record.url : undefined;
  } catch {
    return undefined;
  }
}

function running(child: ChildProcess): boolean {
  return child.exitCode === null && child.signalCode === null;
}

function exitOf(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => child.once('exit', () => resolve()));
}
