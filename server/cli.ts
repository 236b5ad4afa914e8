/**
 * `chat-room-server`: reads flags and environment, starts the server, logs one
 * `listening` line (JSON, with `url` and `demoUrl`) and shuts down cleanly on
 * SIGTERM/SIGINT. `chat-room-server site …` manages sites instead (see
 * site-cli.ts). Importing this module runs it.
 */
import cluster from 'node:cluster';
import { parseArgs } from 'node:util';
import { Redis } from 'ioredis';
import { PRESENCE_LIST_MAX } from '../protocol/index.js';
import { createChatServer } from './chat-server.js';
import { adminTokenProblem } from './http/admin-auth.js';
import { DEFAULT_RATE_LIMITS, scaleRateLimits } from './security/rate-limits.js';
import { LOG_LEVELS, createLogger, isLogLevel } from './logger.js';
import { SITE_HELP, SiteUsageError, runSiteCommand } from './site-cli.js';
import { DirectoryMediaFiles } from './media/media-files.js';
import { PostgresStore } from './storage/postgres-store.js';
import { runWorkers } from './workers.js';

const HELP = `Usage: chat-room-server [options]
       chat-room-server site <add|list|show|remove|rotate-secret> …   (see site --help)

Starts the chat-room server: Socket.IO chat, the widget at /chat-room.js,
and (unless in production) the \`demo\` site and a demo page on a second port.

Options (each also read from the environment variable shown):
  --port <n>          Port to listen on (PORT, default 8080; 0 picks a free one)
  --host <addr>       Address to bind (HOST, default 127.0.0.1; 0.0.0.0 for all)
  --data-dir <path>   Where the SQLite database lives (CHAT_ROOM_DATA_DIR, default ./data)
  --media-dir <path>  Where uploaded images live (CHAT_ROOM_MEDIA_DIR; default <data-dir>/media,
                      or in PostgreSQL with --database-url); a directory every node mounts serves a cluster
  --demo-port <n>     Port of the demo site (CHAT_ROOM_DEMO_PORT, default port+1; 0 picks a free one)
  --no-demo           Do not serve the demo page (the \`demo\` site is still made)
  --production        No \`demo\` site and no demo page (also NODE_ENV=production)
  --demo              Both even in production
  --public-url <url>  URL browsers use to reach this server (CHAT_ROOM_PUBLIC_URL,
                      default http://<host>:<port>)
  --admin-token <t>   Bearer token of the admin API's site management, 32 or more
                      characters (CHAT_ROOM_ADMIN_TOKEN; without one it answers 403)
  --trust-proxy [hops]  Behind this many reverse proxies (default 1 when given):
                      the client's address is the X-Forwarded-For entry that
                      many from the right (CHAT_ROOM_TRUST_PROXY=<hops>)
  --database-url <url>  Keep everything in PostgreSQL instead of SQLite (DATABASE_URL)
  --db-schema <name>  PostgreSQL schema to use (CHAT_ROOM_DB_SCHEMA, default: the
                      connection's search path)
  --redis-url <url>   Run as one node of a cluster: rooms, presence, rate limits
                      and bans shared through Redis (REDIS_URL)
  --redis-prefix <p>  Prefix of every Redis key (CHAT_ROOM_REDIS_PREFIX, default chat-room:)
  --workers <n>       Server processes on this machine (CHAT_ROOM_WORKERS, default 1);
                      more than one needs --redis-url and --database-url
  --rate-limit-scale <x>  Multiply every rate limit by x, e.g. 10 for many users
                      behind one address, 1000 for a benchmark
                      (CHAT_ROOM_RATE_LIMIT_SCALE, default 1)
  --min-client-protocol <n>  Refuse widgets older than protocol n (client_outdated:
                      they reload their page when the visitor is not busy); raise
                      it after a breaking protocol change
                      (CHAT_ROOM_MIN_CLIENT_PROTOCOL, default 1: every widget)
  --big-room-size <n>  Rooms of at most n members list them all in every presence
                      update, name who joins and leaves and relay each typist;
                      bigger rooms get counts, a paged member list and typing
                      summaries (CHAT_ROOM_BIG_ROOM_SIZE, 1-${PRESENCE_LIST_MAX}, default ${PRESENCE_LIST_MAX})
  --log-level <lvl>   ${LOG_LEVELS.join(' | ')} (LOG_LEVEL, default info)
  -h, --help          Show this help
`;

class UsageError extends Error {}

/** A stop that takes longer is stuck; well under systemd's TimeoutStopSec=20 in docs/DEPLOY.md. */
const SHUTDOWN_TIMEOUT_MS = 10_000;

function port(value: string | undefined, name: string): number | undefined {
  if (value === undefined || value === '') return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new UsageError(`${name} must be a port number (0-65535), got "${value}"`);
  return n;
}

function hops(value: string | undefined, name: string): number | undefined {
  if (value === undefined || value === '') return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 100) throw new UsageError(`${name} must be a number of proxy hops (0-100), got "${value}"`);
  return n;
}

/** `--trust-proxy` without a number means one hop (it took none before hops were counted). */
function withProxyHops(args: string[]): string[] {
  return args.map((arg, i) => (arg === '--trust-proxy' && !/^\d+$/.test(args[i + 1] ?? '') ? '--trust-proxy=1' : arg));
}

function protocolVersion(value: string | undefined, name: string): number | undefined {
  if (value === undefined || value === '') return undefined;
  const n = Number(value);
  if (!Number.isSafeInteger(n) || n < 1) throw new UsageError(`${name} must be a protocol version (a whole number, 1 or more), got "${value}"`);
  return n;
}

function roomSize(value: string | undefined, name: string): number | undefined {
  if (value === undefined || value === '') return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > PRESENCE_LIST_MAX) throw new UsageError(`${name} must be a whole number from 1 to ${PRESENCE_LIST_MAX}, got "${value}"`);
  return n;
}

function positive(value: string | undefined, name: string): number | undefined {
  if (value === undefined || value === '') return undefined;
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new UsageError(`${name} must be a positive number, got "${value}"`);
  return n;
}

async function main(): Promise<void> {
  if (process.argv[2] === 'site') {
    process.exitCode = await runSiteCommand(
      process.argv.slice(3),
      (text) => process.stdout.write(text),
      (text) => process.stderr.write(text),
    );
    return;
  }
  const { values } = parseArgs({
    args: withProxyHops(process.argv.slice(2)),
    options: {
      port: { type: 'string' },
      host: { type: 'string' },
      'data-dir': { type: 'string' },
      'media-dir': { type: 'string' },
      'demo-port': { type: 'string' },
      'no-demo': { type: 'boolean' },
      demo: { type: 'boolean' },
      production: { type: 'boolean' },
      'public-url': { type: 'string' },
      'admin-token': { type: 'string' },
      'trust-proxy': { type: 'string' },
      'rate-limit-scale': { type: 'string' },
      'database-url': { type: 'string' },
      'db-schema': { type: 'string' },
      'redis-url': { type: 'string' },
      'redis-prefix': { type: 'string' },
      workers: { type: 'string' },
      'min-client-protocol': { type: 'string' },
      'big-room-size': { type: 'string' },
      'log-level': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  });
  if (values.help) {
    process.stdout.write(HELP);
    return;
  }

  const env = process.env;
  const logLevel = values['log-level'] ?? env.LOG_LEVEL ?? 'info';
  if (!isLogLevel(logLevel)) throw new UsageError(`--log-level must be one of ${LOG_LEVELS.join(', ')}`);
  const listenPort = port(values.port, '--port') ?? port(env.PORT, 'PORT') ?? 8080;
  const demo = values.demo ?? !(values.production ?? env.NODE_ENV === 'production');
  const demoPort = values['no-demo'] || !demo
    ? false
    : (port(values['demo-port'], '--demo-port') ??
      port(env.CHAT_ROOM_DEMO_PORT, 'CHAT_ROOM_DEMO_PORT') ??
      // An ephemeral main port gets an ephemeral demo port, not port 1.
      (listenPort === 0 ? 0 : listenPort + 1));
  const logger = createLogger({ level: logLevel });
  const scale = positive(values['rate-limit-scale'] ?? env.CHAT_ROOM_RATE_LIMIT_SCALE, '--rate-limit-scale');
  const databaseUrl = values['database-url'] ?? (env.DATABASE_URL || undefined);
  const redisUrl = values['redis-url'] ?? (env.REDIS_URL || undefined);
  const adminToken = values['admin-token'] ?? (env.CHAT_ROOM_ADMIN_TOKEN || undefined);
  const tokenProblem = adminToken === undefined ? undefined : adminTokenProblem(adminToken);
  if (tokenProblem) throw new UsageError(tokenProblem);
  const minClientProtocol =
    protocolVersion(values['min-client-protocol'], '--min-client-protocol') ??
    protocolVersion(env.CHAT_ROOM_MIN_CLIENT_PROTOCOL, 'CHAT_ROOM_MIN_CLIENT_PROTOCOL');
  const bigRoomSize = roomSize(values['big-room-size'], '--big-room-size') ?? roomSize(env.CHAT_ROOM_BIG_ROOM_SIZE, 'CHAT_ROOM_BIG_ROOM_SIZE');
  const retentionIntervalMs = positive(env.CHAT_ROOM_RETENTION_INTERVAL_MS, 'CHAT_ROOM_RETENTION_INTERVAL_MS');
  const workers = positive(values.workers ?? env.CHAT_ROOM_WORKERS, '--workers') ?? 1;
  if (!Number.isInteger(workers)) throw new UsageError('--workers must be a whole number');
  if (workers > 1 && (!databaseUrl || !redisUrl)) {
    throw new UsageError('--workers above 1 needs --redis-url and --database-url: the workers share rooms through them');
  }
  if (workers > 1 && cluster.isPrimary) return runWorkers(workers, logger);

  const schema = values['db-schema'] ?? (env.CHAT_ROOM_DB_SCHEMA || undefined);
  const store = databaseUrl
    ? await PostgresStore.open({ connectionString: databaseUrl, ...(schema ? { schema } : {}) })
    : undefined;
  const redis = redisUrl ? new Redis(redisUrl) : undefined;
  const mediaDir = values['media-dir'] ?? (env.CHAT_ROOM_MEDIA_DIR || undefined);
  const mediaFiles = mediaDir ? new DirectoryMediaFiles(mediaDir) : store?.mediaFiles();
  const server = createChatServer({
    ...(store ? { store } : {}),
    ...(mediaFiles ? { mediaFiles } : {}),
    ...(redis ? { cluster: { redis, prefix: values['redis-prefix'] ?? env.CHAT_ROOM_REDIS_PREFIX ?? 'chat-room:' } } : {}),
    port: listenPort,
    host: values.host ?? env.HOST ?? '127.0.0.1',
    dataDir: values['data-dir'] ?? env.CHAT_ROOM_DATA_DIR ?? './data',
    demoPort,
    publicUrl: values['public-url'] ?? env.CHAT_ROOM_PUBLIC_URL,
    adminToken,
    demoSite: demo,
    trustProxy: hops(values['trust-proxy'], '--trust-proxy') ?? hops(env.CHAT_ROOM_TRUST_PROXY, 'CHAT_ROOM_TRUST_PROXY') ?? 0,
    ...(minClientProtocol === undefined ? {} : { minClientProtocol }),
    ...(bigRoomSize === undefined ? {} : { bigRoomSize }),
    ...(scale === undefined ? {} : { rateLimits: scaleRateLimits(DEFAULT_RATE_LIMITS, scale) }),
    // Not a flag: the hourly retention run, shortened so a test can see it repeat (docs/DEPLOY.md).
    ...(retentionIntervalMs === undefined ? {} : { retentionIntervalMs }),
    logger,
  });
  const { url, demoUrl } = await server.listen();
  let stopping = false;
  const stop = (signal: NodeJS.Signals): void => {
    if (stopping) return;
    stopping = true;
    logger.info('shutting down', { signal });
    // Not unref'd: a close that never settles must fail loudly, not let an emptied event loop exit 0 with the database open.
    setTimeout(() => {
      logger.error('shutdown timed out', { afterMs: SHUTDOWN_TIMEOUT_MS });
      process.exit(1);
    }, SHUTDOWN_TIMEOUT_MS);
    server
      .close()
      .then(async () => {
        await store?.close();
        redis?.disconnect();
      })
      .then(
      () => {
        logger.info('stopped');
        process.exit(0);
      },
      (err: unknown) => {
        logger.error('shutdown failed', { err });
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  // Only now: a supervisor (or a test) may send SIGTERM as soon as it reads this line.
  logger.info('listening', { url, demoUrl: demoUrl ?? null });
  // The JSON line is for machines; a person who ran `npm start` in a terminal gets it in words.
  if (process.stdout.isTTY && cluster.isPrimary) process.stdout.write(greeting(url, demoUrl, demo));
}

function greeting(url: string, demoUrl: string | undefined, demoSite: boolean): string {
  const site = demoSite ? 'demo' : 'YOUR-SITE';
  const lines = [
    '',
    `chat-room is running at ${url}`,
    `  The widget:  ${url}/chat-room.js`,
    `  Embed it:    <script src="${url}/chat-room.js"></script>`,
    `               <chat-room site="${site}" room="lobby"></chat-room>`,
  ];
  if (!demoSite) lines.push('  Add your site first: chat-room-server site add YOUR-SITE --name "…" --origin https://your.site');
  if (demoUrl) lines.push(`  Try it:      open ${demoUrl} in two browser windows and chat between them.`);
  lines.push('  Stop it with Ctrl+C.', '');
  return lines.join('\n');
}

main().catch((err: unknown) => {
  const parseError = err instanceof TypeError && 'code' in err && String(err.code).startsWith('ERR_PARSE_ARGS');
  if (err instanceof UsageError || err instanceof SiteUsageError || parseError) {
    const help = process.argv[2] === 'site' ? SITE_HELP : HELP;
    process.stderr.write(`chat-room-server: ${err.message}\n\n${help}`);
    process.exit(2);
  }
  createLogger().error('failed to start', { err });
  process.exit(1);
});
