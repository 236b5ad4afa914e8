/**
 * `chat-room-server`: reads flags and environment, starts the server, logs one
 * `listening` line (JSON, with `url` and `demoUrl`) and shuts down cleanly on
 * SIGTERM/SIGINT. Importing this module runs it.
 */
import { parseArgs } from 'node:util';
import { createChatServer } from './chat-server.js';
import { LOG_LEVELS, createLogger, isLogLevel } from './logger.js';

const HELP = `Usage: chat-room-server [options]

Starts the chat-room server: Socket.IO chat, the widget at /chat-room.js,
and a demo site on a second port.

Options (each also read from the environment variable shown):
  --port <n>          Port to listen on (PORT, default 8080; 0 picks a free one)
  --host <addr>       Address to bind (HOST, default 127.0.0.1; 0.0.0.0 for all)
  --data-dir <path>   Where the SQLite database lives (CHAT_ROOM_DATA_DIR, default ./data)
  --demo-port <n>     Port of the demo site (CHAT_ROOM_DEMO_PORT, default port+1; 0 picks a free one)
  --no-demo           Do not serve the demo site
  --public-url <url>  URL browsers use to reach this server (CHAT_ROOM_PUBLIC_URL,
                      default http://<host>:<port>)
  --log-level <lvl>   ${LOG_LEVELS.join(' | ')} (LOG_LEVEL, default info)
  -h, --help          Show this help
`;

class UsageError extends Error {}

function port(value: string | undefined, name: string): number | undefined {
  if (value === undefined || value === '') return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new UsageError(`${name} must be a port number (0-65535), got "${value}"`);
  return n;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: 'string' },
      host: { type: 'string' },
      'data-dir': { type: 'string' },
      'demo-port': { type: 'string' },
      'no-demo': { type: 'boolean' },
      'public-url': { type: 'string' },
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
  const demoPort = values['no-demo']
    ? false
    : (port(values['demo-port'], '--demo-port') ??
      port(env.CHAT_ROOM_DEMO_PORT, 'CHAT_ROOM_DEMO_PORT') ??
      // An ephemeral main port gets an ephemeral demo port, not port 1.
      (listenPort === 0 ? 0 : listenPort + 1));
  const logger = createLogger({ level: logLevel });

  const server = createChatServer({
    port: listenPort,
    host: values.host ?? env.HOST ?? '127.0.0.1',
    dataDir: values['data-dir'] ?? env.CHAT_ROOM_DATA_DIR ?? './data',
    demoPort,
    publicUrl: values['public-url'] ?? env.CHAT_ROOM_PUBLIC_URL,
    logger,
  });
  const { url, demoUrl } = await server.listen();
  logger.info('listening', { url, demoUrl: demoUrl ?? null });

  let stopping = false;
  const stop = (signal: NodeJS.Signals): void => {
    if (stopping) return;
    stopping = true;
    logger.info('shutting down', { signal });
    server.close().then(
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
}

main().catch((err: unknown) => {
  if (err instanceof UsageError || (err instanceof TypeError && 'code' in err && String(err.code).startsWith('ERR_PARSE_ARGS'))) {
    process.stderr.write(`chat-room-server: ${err.message}\n\n${HELP}`);
    process.exit(2);
  }
  createLogger().error('failed to start', { err });
  process.exit(1);
});
