#!/usr/bin/env node
// `chat-room-server`: the CLI of the self-hosted chat server (server/cli.ts),
// run from its compiled form in lib/. Flags: `chat-room-server --help`.
import { existsSync } from 'node:fs';

const cli = new URL('../lib/server/cli.js', import.meta.url);
if (!existsSync(cli)) {
  console.error(
    'chat-room-server: the server is not built yet (lib/server/cli.js is missing).\n' +
      'Run `npm run build` in the chat-room package first (`npm start` builds and starts).',
  );
  process.exit(1);
}
await import(cli.href);
