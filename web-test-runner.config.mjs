// Widget tests: real Chromium (the system one; nothing is downloaded) against
// real chat servers started here on free ports with fresh data dirs: one with
// rate limits raised (every test comes from one address), one with the
// defaults (for the rate-limit test).
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { esbuildPlugin } from '@web/dev-server-esbuild';
import { chromeLauncher } from '@web/test-runner-chrome';
import { a11ySnapshotPlugin } from '@web/test-runner-commands/plugins';

const servers = [];
/** Switchable TCP proxies to the test server, by port (tests take the server away and bring it back). */
const proxies = new Map();
const dataDirs = [];
/** Tabs put in front of a test's page to hide it, by page. */
const covers = new Map();
/** The admin API's token on the test server (tests mute users through it). */
const adminToken = `wtr-${randomBytes(24).toString('base64url')}`;

/** Starts `server/cli.ts` and resolves with its URL from the `listening` log line. */
function startServer(extraArgs) {
  const dataDir = mkdtempSync(join(tmpdir(), 'chat-room-wtr-'));
  dataDirs.push(dataDir);
  const server = spawn(
    process.execPath,
    ['--import', 'tsx', 'server/cli.ts', '--port', '0', '--no-demo', '--data-dir', dataDir, '--log-level', 'info', '--admin-token', adminToken, ...extraArgs],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  servers.push(server);
  server.log = '';
  return new Promise((resolve, reject) => {
    let buffer = '';
    const timer = setTimeout(() => reject(new Error(`chat server did not start:\n${buffer}`)), 20_000);
    const onData = (chunk) => {
      server.log = (server.log + chunk).slice(-100_000);
      buffer += chunk;
      let nl;
      while ((nl = buffer.indexOf('\n')) >= 0) {
        const line = buffer.slice(0, nl);
        buffer = buffer.slice(nl + 1);
        if (process.env.CHAT_SERVER_LOG) process.stderr.write(`[server] ${line}\n`);
        try {
          const entry = JSON.parse(line);
          if (entry.msg === 'listening' && entry.url) {
            clearTimeout(timer);
            resolve(entry.url);
          } else if (entry.level === 'error') process.stderr.write(`[server] ${line}\n`);
        } catch {
          if (line.trim()) process.stderr.write(`[server] ${line}\n`);
        }
      }
    };
    server.stdout.setEncoding('utf8').on('data', onData);
    server.stderr.setEncoding('utf8').on('data', onData);
    server.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`chat server exited with ${code}:\n${buffer}`));
    });
  });
}

/**
 * `chat-proxy`: `{ action: 'open' }` answers the URL of a new proxy to the
 * test server, closed (nothing listens on its port); `up` makes it listen,
 * `down` closes it and cuts every connection through it.
 */
async function proxyCommand({ action, port }) {
  if (action === 'open') {
    const proxy = { port: 0, server: null, sockets: new Set() };
    const probe = createServer();
    await new Promise((resolve) => probe.listen(0, '127.0.0.1', resolve));
    proxy.port = probe.address().port;
    await new Promise((resolve) => probe.close(resolve));
    proxies.set(proxy.port, proxy);
    return { url: `http://127.0.0.1:${proxy.port}`, port: proxy.port };
  }
  const proxy = proxies.get(port);
  if (!proxy) throw new Error(`no proxy on port ${port}`);
  if (action === 'up' && !proxy.server) {
    const target = new URL(serverUrl);
    proxy.server = createServer((client) => {
      const upstream = connect(Number(target.port), target.hostname);
      for (const s of [client, upstream]) {
        proxy.sockets.add(s);
        s.on('close', () => proxy.sockets.delete(s));
        s.on('error', () => {
          client.destroy();
          upstream.destroy();
        });
      }
      client.pipe(upstream).pipe(client);
    });
    await new Promise((resolve, reject) => proxy.server.once('error', reject).listen(proxy.port, '127.0.0.1', resolve));
  } else if (action === 'down' && proxy.server) {
    const server = proxy.server;
    proxy.server = null;
    for (const s of proxy.sockets) s.destroy();
    await new Promise((resolve) => server.close(resolve));
  }
  return { url: `http://127.0.0.1:${proxy.port}`, port: proxy.port };
}

/** Graceful stop: SIGTERM, then an exit with code 0 within 5 s, or the run fails with the server's output. */
async function stopServer() {
  for (const proxy of proxies.values()) {
    for (const s of proxy.sockets) s.destroy();
    proxy.server?.close();
  }
  const failures = [];
  await Promise.all(
    servers.map(async (server) => {
      if (server.exitCode !== null || server.signalCode !== null) return;
      const exited = new Promise((resolve) => server.once('exit', (code, signal) => resolve({ code, signal })));
      server.kill('SIGTERM');
      let timer;
      const status = await Promise.race([exited, new Promise((resolve) => (timer = setTimeout(resolve, 5_000)))]);
      clearTimeout(timer);
      if (status === undefined) {
        server.kill('SIGKILL');
        failures.push(`chat server did not exit within 5 s of SIGTERM (SIGKILLed):\n${server.log}`);
      } else if (status.code !== 0) {
        failures.push(`chat server exited with ${status.code ?? status.signal} on SIGTERM, not 0:\n${server.log}`);
      }
    }),
  );
  removeDataDirs();
  if (failures.length > 0) {
    stopFailed = true;
    throw new Error(failures.join('\n\n'));
  }
}

/** The runner logs a plugin's serverStop error and exits 0 if the tests passed; this makes it exit 1. */
let stopFailed = false;

/** For a run that is being abandoned (crash, Ctrl-C): no graceful stop to wait for. */
function abandonServers() {
  if (stopFailed) process.exitCode = 1;
  for (const server of servers) if (server.exitCode === null) server.kill('SIGKILL');
  removeDataDirs();
}

function removeDataDirs() {
  for (const dir of dataDirs) rmSync(dir, { recursive: true, force: true });
}
process.on('exit', abandonServers);

const [serverUrl, strictServerUrl] = await Promise.all([startServer(['--rate-limit-scale', '1000']), startServer([])]);

// @web/dev-server-esbuild reads the tsconfig file raw (no "extends"), so hand
// it the flattened compiler options (experimentalDecorators and friends).
const readJson = (file) => JSON.parse(readFileSync(file, 'utf8'));
const tsconfigPath = join(dataDirs[0], 'tsconfig.esbuild.json');
writeFileSync(
  tsconfigPath,
  JSON.stringify({
    compilerOptions: {
      ...readJson('tsconfig.base.json').compilerOptions,
      ...readJson('widget/tsconfig.json').compilerOptions,
    },
  }),
);

export default {
  files: ['test/widget/**/*.test.ts'],
  nodeResolve: { browser: true, exportConditions: ['browser'] },
  concurrency: 1,
  testFramework: { config: { timeout: 10_000 } },
  testsFinishTimeout: 120_000,
  browsers: [
    chromeLauncher({
      launchOptions: {
        executablePath: process.env.CHROME_PATH || '/usr/bin/chromium',
        args: [
          '--headless=new',
          '--no-sandbox',
          '--disable-gpu',
          '--disable-background-networking',
          '--disable-component-update',
          '--disable-sync',
          '--no-first-run',
          '--disable-dev-shm-usage',
        ],
      },
    }),
  ],
  plugins: [
    esbuildPlugin({ ts: true, tsconfig: tsconfigPath, target: 'es2022' }),
    // Tests read Chromium's accessibility tree (what a screen reader is given).
    a11ySnapshotPlugin(),
    { name: 'chat-server', serverStop: stopServer },
    {
      name: 'chat-proxy',
      executeCommand({ command, payload }) {
        return command === 'chat-proxy' ? proxyCommand(payload) : undefined;
      },
    },
    {
      // Tests hide their page for real (another tab in front) and set the notification permission as a visitor would.
      name: 'page-state',
      async executeCommand({ command, payload, session }) {
        if (command !== 'page-state') return undefined;
        const page = session.browser.getPage(session.id);
        if (payload.permission) {
          const origin = new URL(page.url()).origin;
          await page.browserContext().setPermission(origin, { permission: { name: 'notifications' }, state: payload.permission });
        }
        if (payload.hidden === true && !covers.has(page)) {
          const cover = await page.browserContext().newPage();
          covers.set(page, cover);
          await cover.bringToFront();
        } else if (payload.hidden === false && covers.has(page)) {
          await covers.get(page).close();
          covers.delete(page);
          await page.bringToFront();
        }
        return true;
      },
    },
    {
      // The admin API is not for browsers (no CORS): tests reach it through the runner, as a site's backend would.
      name: 'chat-admin',
      async executeCommand({ command, payload }) {
        if (command !== 'chat-admin') return undefined;
        const res = await fetch(`${serverUrl}/api${payload.path}`, {
          method: payload.method,
          headers: { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' },
          ...(payload.body === undefined ? {} : { body: JSON.stringify(payload.body) }),
        });
        const text = await res.text();
        return { status: res.status, body: text ? JSON.parse(text) : {} };
      },
    },
  ],
  testRunnerHtml: (testFramework) => `<!doctype html>
<html lang="en">
  <head><meta charset="utf-8"></head>
  <body>
    <script>window.__CHAT_SERVER__ = ${JSON.stringify(serverUrl)}; window.__CHAT_STRICT_SERVER__ = ${JSON.stringify(strictServerUrl)};</script>
    <script type="module" src="${testFramework}"></script>
  </body>
</html>`,
};

process.once('SIGINT', () => {
  abandonServers();
  process.exit(130);
});
