/**
 * The "obvious alternative" the project is compared with: a bare Socket.IO 4
 * room-broadcast server. Same `socket.io` package and engine settings as
 * server/attach.ts, same event names and ack shapes, but no persistence, no
 * validation, no identity, no presence, no rate limits: per-room seqs live in
 * memory and are lost when the process dies. It also serves the
 * socket.io-client bundle (Socket.IO's own `serveClient`, compressed on the
 * fly) for the load benchmark's baseline page.
 *
 *   node --import tsx bench/bare-server.ts --port 0
 *
 * Logs `{"msg":"listening","url":…}` on stdout like the project's CLI.
 */
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import { parseArgs } from 'node:util';
import { Server } from 'socket.io';
import { MAX_PAYLOAD_BYTES } from '../protocol/index.js';

// The project's engine settings (server/attach.ts), so only the handlers differ.
const ENGINE_PING_INTERVAL_MS = 10_000;
const ENGINE_PING_TIMEOUT_MS = 5_000;

type Ack = (response: unknown) => void;
interface SendPayload {
  room: string;
  text: string;
  clientId: string;
}

const { values } = parseArgs({ options: { port: { type: 'string' }, host: { type: 'string' } }, strict: true });
const host = values.host ?? '127.0.0.1';

const http = createServer();
const io = new Server(http, {
  transports: ['websocket', 'polling'],
  maxHttpBufferSize: MAX_PAYLOAD_BYTES,
  pingInterval: ENGINE_PING_INTERVAL_MS,
  pingTimeout: ENGINE_PING_TIMEOUT_MS,
  // The load benchmark's baseline page loads the client from here (/socket.io/socket.io.min.js).
  serveClient: true,
});

const seqs = new Map<string, number>();
const nsp = io.of('/s/demo');

nsp.on('connection', (socket) => {
  const from = { id: `g_${socket.id}`, name: 'Guest', kind: 'guest' };
  socket.on('room:join', ({ room }: { room: string }, ack: Ack) => {
    void socket.join(room);
    ack({ ok: true });
  });
  socket.on('message:send', ({ room, text, clientId }: SendPayload, ack: Ack) => {
    const seq = (seqs.get(room) ?? 0) + 1;
    seqs.set(room, seq);
    const message = { id: randomUUID(), room, seq, clientId, from, text, at: Date.now() };
    // Like the project: broadcast to the whole room (the sender's socket included), then ack.
    nsp.to(room).emit('message:new', message);
    ack({ ok: true, data: { message } });
  });
});

http.listen(Number(values.port ?? 0), host, () => {
  const address = http.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  process.stdout.write(
    JSON.stringify({ time: new Date().toISOString(), level: 'info', msg: 'listening', url: `http://${host}:${port}` }) + '\n',
  );
});

const stop = (): void => {
  io.close(() => process.exit(0));
  setTimeout(() => process.exit(0), 2_000).unref();
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
