/**
 * End-to-end harness: the real chat server started from the built package
 * (`bin/chat-room-server.js`, as a site owner runs it) and the system Chromium
 * driven by playwright-core. Run `npm run build` first (`npm test` does).
 */
import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ConsoleMessage, Page } from 'playwright-core';
import { stopGracefully } from '../../bench/support/server-process.js';

export { launchBrowser } from '../../bench/support/browser.js';

export const root = fileURLToPath(new URL('../..', import.meta.url));

export interface RunningServer {
  /** Chat server origin, e.g. http://127.0.0.1:41234 (serves /chat-room.js). */
  url: string;
  /** The demo site, served by the same CLI on another port (another origin). */
  demoUrl: string;
  /** What the server wrote to stdout and stderr, for failure messages. */
  output(): string;
  stop(): Promise<void>;
}

/**
 * Starts `chat-room-server` on ephemeral ports with a fresh data dir and waits for its "listening" log line.
 * `packageRoot` is where the built package lives (a copy elsewhere proves install paths work).
 */
export async function startServer(extraArgs: string[] = [], packageRoot = root): Promise<RunningServer> {
  const bin = join(packageRoot, 'bin/chat-room-server.js');
  if (!existsSync(join(packageRoot, 'lib/server/cli.js')) || !existsSync(join(packageRoot, 'dist/chat-room.js'))) {
    throw new Error('the package is not built: run `npm run build` before the e2e tests');
  }
  const dataDir = mkdtempSync(join(tmpdir(), 'chat-room-e2e-'));
  const child = spawn(
    process.execPath,
    [bin, '--port', '0', '--demo', '--demo-port', '0', '--data-dir', dataDir, '--log-level', 'info', ...extraArgs],
    { cwd: packageRoot, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NODE_ENV: 'production' } },
  );
  let output = '';
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));

  const listening = await new Promise<{ url: string; demoUrl: string }>((resolve, reject) => {
    let buffered = '';
    const timer = setTimeout(
      () => reject(new Error(`server printed no "listening" line within 15 s:\n${output}`)),
      15_000,
    );
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      output += chunk;
      buffered += chunk;
      let newline: number;
      while ((newline = buffered.indexOf('\n')) >= 0) {
        const line = buffered.slice(0, newline).trim();
        buffered = buffered.slice(newline + 1);
        if (!line.startsWith('{')) continue;
        try {
          const record = JSON.parse(line) as { msg?: unknown; url?: unknown; demoUrl?: unknown };
          if (record.msg === 'listening' && typeof record.url === 'string' && typeof record.demoUrl === 'string') {
            clearTimeout(timer);
            resolve({ url: record.url, demoUrl: record.demoUrl });
          }
        } catch {
          // not a JSON log line
        }
      }
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`server exited (${code ?? signal}) before listening:\n${output}`));
    });
  });

  return {
    ...listening,
    output: () => output,
    /** SIGTERM; rejects with the output if the server does not exit 0 within 5 s (see stopGracefully). */
    stop: async () => {
      try {
        if (child.exitCode === null && child.signalCode === null) await stopGracefully(child, 'chat', () => output);
      } finally {
        rmSync(dataDir, { recursive: true, force: true });
      }
    },
  };
}

/**
 * Collects everything that went wrong on a page: console errors, uncaught
 * exceptions, failed requests. A request the browser aborted because the page
 * then navigated (a reload while a lazy part was on its way) is not a problem.
 */
export function watchProblems(page: Page): string[] {
  const problems: string[] = [];
  const aborted = new Set<string>();
  page.on('framenavigated', (frame) => {
    if (frame !== page.mainFrame()) return;
    for (let i = problems.length - 1; i >= 0; i--) if (aborted.has(problems[i]!)) problems.splice(i, 1);
    aborted.clear();
  });
  page.on('console', (message: ConsoleMessage) => {
    if (message.type() === 'error') problems.push(`console.error: ${message.text()}`);
  });
  page.on('pageerror', (error) => problems.push(`uncaught: ${error.message}`));
  page.on('requestfailed', (request) => {
    const problem = `request failed: ${request.method()} ${request.url()} (${request.failure()?.errorText})`;
    if (request.failure()?.errorText === 'net::ERR_ABORTED') aborted.add(problem);
    problems.push(problem);
  });
  page.on('response', (response) => {
    if (response.status() >= 400) problems.push(`HTTP ${response.status()}: ${response.url()}`);
  });
  return problems;
}

/** Polls `check` until it returns a truthy value or `timeoutMs` passes. */
export async function waitFor<T>(what: string, check: () => Promise<T> | T, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value) return value;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() > deadline) {
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${lastError ? `: ${String(lastError)}` : ''}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/**
 * A copy of the built package installed at `segments` under a fresh home
 * directory (e.g. `.npm/_npx/x/node_modules/chat-room`), with this checkout's
 * node_modules linked in: where npx and `~/.local` put it. `remove()` deletes it.
 */
export function installBuiltPackage(...segments: string[]): { installed: string; remove(): void } {
  const home = mkdtempSync(join(tmpdir(), 'chat-room-home-'));
  const installed = join(home, ...segments);
  mkdirSync(installed, { recursive: true });
  for (const part of ['package.json', 'bin', 'lib', 'dist', 'demo']) cpSync(join(root, part), join(installed, part), { recursive: true });
  symlinkSync(join(root, 'node_modules'), join(installed, 'node_modules'), 'dir');
  return { installed, remove: () => rmSync(home, { recursive: true, force: true }) };
}
