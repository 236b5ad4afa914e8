/**
 * The chat server in a child process (`server/cli.ts` run by tsx), so a test
 * can kill it the hard way (SIGKILL: no shutdown, no flush) and start it again
 * on the same port with the same data dir, as a crash and a supervisor
 * restart would. The benchmark starts its servers (and the bare Socket.IO
 * one, through `command`) with it too.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestContext } from 'node:test';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));
const LISTEN_TIMEOUT_MS = 20_000;
const STOP_GRACE_MS = 5_000;
/** After a SIGKILL the port can stay busy for a moment; spawns that hit EADDRINUSE are retried this often. */
const ADDRINUSE_RETRIES = 10;
const ADDRINUSE_DELAY_MS = 250;
/** Only the tail of the output is kept (a benchmark's server prints a lot), for error messages. */
const LOG_TAIL_CHARS = 200_000;

export interface ServerProcessOptions {
  /** Data dir to use (kept on stop); a fresh temp dir (removed on stop) otherwise. */
  dataDir?: string;
  /** Extra CLI flags, after the defaults (so they win). */
  args?: string[];
  /** Extra environment, over the test's own. */
  env?: Record<string, string>;
  /** Flags for node itself, before the script (e.g. `--cpu-prof`). */
  nodeArgs?: string[];
  /** Another script and its arguments instead of the chat server CLI (`args` then does not apply). */
  command?: (port: number) => string[];
  /** Names the server in error messages. Default "chat". */
  label?: string;
}

/**
 * Stops `server` gracefully when the test ends, after the test's other
 * cleanup. A failed stop throws, which fails the test but also skips the
 * hooks after it; registered first, it would skip the clients' cleanup and
 * their reconnecting sockets would keep the run alive forever. So the stop is
 * registered from a hook: node:test runs hooks added while it runs the others
 * after them (Node 20).
 */
export function stopAtEnd(t: TestContext, server: ServerProcess): void {
  t.after(() => {
    t.after(() => server.stop());
  });
}

/** Children still running, killed if the test process exits without stopping them. */
const live = new Set<ChildProcess>();
process.once('exit', killAllServers);

/** SIGKILLs every server still running: for a run that is being abandoned. */
export function killAllServers(): void {
  for (const child of live) child.kill('SIGKILL');
}

export class ServerProcess {
  readonly dataDir: string;
  /** 0 until the first start has printed its address; then kept for restarts. */
  port = 0;

  private child: ChildProcess | undefined;
  private log = '';
  private readonly ownsDataDir: boolean;

  private constructor(private readonly options: ServerProcessOptions) {
    this.ownsDataDir = options.dataDir === undefined;
    this.dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'chat-room-delivery-'));
  }

  static async start(options: ServerProcessOptions = {}): Promise<ServerProcess> {
    const server = new ServerProcess(options);
    try {
      await server.launch();
    } catch (error) {
      if (server.ownsDataDir) rmSync(server.dataDir, { recursive: true, force: true });
      throw error;
    }
    return server;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** The running process's id (for /proc figures). */
  get pid(): number {
    const pid = this.child?.pid;
    if (pid === undefined) throw new Error(`${this.label} server is not running`);
    return pid;
  }

  get label(): string {
    return this.options.label ?? 'chat';
  }

  /** Everything the process printed (stdout and stderr, all runs), for failure messages. */
  output(): string {
    return this.log;
  }

  /** Sends `signal` (SIGKILL unless told) and resolves once the process has exited, with how it ended. */
  async kill(signal: NodeJS.Signals = 'SIGKILL'): Promise<ExitStatus | undefined> {
    const child = this.child;
    if (!child || !running(child)) return undefined;
    const exited = exitOf(child);
    child.kill(signal);
    return exited;
  }

  /** Starts the server again on the same port and data dir; resolves once it is listening. */
  async restart(): Promise<void> {
    if (this.child && running(this.child)) throw new Error('ServerProcess.restart(): still running, kill() it first');
    this.log += `\n--- restart on port ${this.port} ---\n`;
    await this.launch();
  }

  /**
   * Stops the server gracefully: SIGTERM, and an exit with code 0 within 5 s.
   * Rejects with the process's output otherwise (a process that hangs is
   * SIGKILLed first), so a shutdown that hangs fails the test. Keeps the data dir.
   */
  async terminate(): Promise<void> {
    const child = this.child;
    if (child && running(child)) await stopGracefully(child, this.label, () => this.log);
  }

  /** `terminate()`, then removes the data dir if this created it (also when the stop failed). */
  async stop(): Promise<void> {
    try {
      await this.terminate();
    } finally {
      if (this.ownsDataDir) rmSync(this.dataDir, { recursive: true, force: true });
    }
  }

  private async launch(): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      const failedRun = await this.spawnOnce();
      if (failedRun === undefined) return;
      // Only a restart on a known port can meet the old process's port still busy.
      if (this.port === 0 || attempt >= ADDRINUSE_RETRIES || !failedRun.includes('EADDRINUSE')) {
        throw new Error(`${this.label} server exited before listening:\n${this.log}`);
      }
      await new Promise((resolve) => setTimeout(resolve, ADDRINUSE_DELAY_MS));
    }
  }

  /** One spawn: undefined once listening, or the output of a run that exited before listening. */
  private spawnOnce(): Promise<string | undefined> {
    const script = this.options.command?.(this.port) ?? [
      'server/cli.ts',
      '--port',
      String(this.port),
      '--no-demo',
      '--data-dir',
      this.dataDir,
      '--log-level',
      'info',
      '--rate-limit-scale',
      '1000',
      ...(this.options.args ?? []),
    ];
    const args = [...(this.options.nodeArgs ?? []), '--import', 'tsx', ...script];
    const child = spawn(process.execPath, args, {
      cwd: root,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, ...this.options.env },
    });
    this.child = child;
    live.add(child);
    child.once('exit', () => live.delete(child));

    let thisRun = '';
    const record = (chunk: string): void => {
      thisRun = (thisRun + chunk).slice(-LOG_TAIL_CHARS);
      this.log = (this.log + chunk).slice(-LOG_TAIL_CHARS);
    };
    child.stderr!.setEncoding('utf8').on('data', record);

    return new Promise((resolve, reject) => {
      let buffered = '';
      let done = false;
      const timer = setTimeout(() => {
        done = true;
        child.kill('SIGKILL');
        reject(new Error(`${this.label} server printed no "listening" line within ${LISTEN_TIMEOUT_MS / 1000} s:\n${this.log}`));
      }, LISTEN_TIMEOUT_MS);

      child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
        record(chunk);
        if (done) return;
        buffered += chunk;
        let newline: number;
        while ((newline = buffered.indexOf('\n')) >= 0) {
          const line = buffered.slice(0, newline).trim();
          buffered = buffered.slice(newline + 1);
          const url = listeningUrl(line);
          if (url === undefined) continue;
          done = true;
          clearTimeout(timer);
          this.port = Number(new URL(url).port);
          resolve(undefined);
          return;
        }
      });
      // 'close' rather than 'exit': all output (the EADDRINUSE error) has been read by then.
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

/** The `url` of a `{"msg":"listening",…}` log line, if `line` is one. */
function listeningUrl(line: string): string | undefined {
  if (!line.startsWith('{')) return undefined;
  try {
    const record = JSON.parse(line) as { msg?: unknown; url?: unknown };
    return record.msg === 'listening' && typeof record.url === 'string' ? record.url : undefined;
  } catch {
    return undefined; // not a JSON log line
  }
}

function running(child: ChildProcess): boolean {
  return child.exitCode === null && child.signalCode === null;
}

export interface ExitStatus {
  code: number | null;
  signal: NodeJS.Signals | null;
}

function exitOf(child: ChildProcess): Promise<ExitStatus> {
  if (!running(child)) return Promise.resolve({ code: child.exitCode, signal: child.signalCode });
  return new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
}

/**
 * SIGTERM, then waits `graceMs` for an exit with code 0. Anything else throws,
 * with `output()` in the message; a process still running then is SIGKILLed
 * first, so a failed stop leaves nothing behind.
 */
export async function stopGracefully(
  child: ChildProcess,
  label: string,
  output: () => string,
  graceMs = STOP_GRACE_MS,
): Promise<void> {
  const exited = exitOf(child);
  child.kill('SIGTERM');
  let timer: ReturnType<typeof setTimeout> | undefined;
  const hung = new Promise<undefined>((resolve) => (timer = setTimeout(() => resolve(undefined), graceMs)));
  const status = await Promise.race([exited, hung]);
  clearTimeout(timer);
  if (status === undefined) {
    child.kill('SIGKILL');
    await exited;
    throw new Error(`${label} server did not exit within ${graceMs / 1000} s of SIGTERM (SIGKILLed):\n${output()}`);
  }
  if (status.code !== 0) {
    throw new Error(`${label} server exited with ${status.code ?? status.signal} on SIGTERM, not 0:\n${output()}`);
  }
}
