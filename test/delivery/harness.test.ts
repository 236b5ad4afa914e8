/**
 * The delivery tests' own machinery, checked against real sockets and a real
 * server process: if the proxy did not really hold, cut or swallow traffic, or
 * the server were not really killed, these fail.
 */
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import net, { type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { TcpProxy } from '../support/tcp-proxy.js';
import { ServerProcess } from '../../bench/support/server-process.js';

/** Polls `check` until true, failing after `timeoutMs`. */
async function until(what: string, check: () => boolean, timeoutMs = 3000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(10);
  }
}

interface Upstream {
  port: number;
  /** Server-side sockets, in accept order, with what each received and whether it closed. */
  conns: { socket: Socket; received: Buffer[]; closed: boolean }[];
}

/** A tiny echo server that also records what it received, closed at the end of the test. */
async function echoServer(t: TestContext): Promise<Upstream> {
  const upstream: Upstream = { port: 0, conns: [] };
  const server = net.createServer((socket) => {
    const conn = { socket, received: [] as Buffer[], closed: false };
    upstream.conns.push(conn);
    socket.on('error', () => {});
    socket.on('data', (chunk: Buffer) => {
      conn.received.push(chunk);
      socket.write(chunk);
    });
    socket.on('close', () => (conn.closed = true));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  upstream.port = (server.address() as net.AddressInfo).port;
  t.after(async () => {
    for (const { socket } of upstream.conns) socket.destroy();
    await new Promise((resolve) => server.close(resolve));
  });
  return upstream;
}

async function startProxy(t: TestContext, port: number): Promise<TcpProxy> {
  const proxy = await TcpProxy.start({ port });
  t.after(() => proxy.close());
  return proxy;
}

interface Client {
  socket: Socket;
  received(): string;
  events: string[];
}

/** A client connecting through the proxy, recording what it receives and its 'end'/'close'/errors. */
function open(t: TestContext, proxy: TcpProxy): Client {
  const socket = net.connect(proxy.port, '127.0.0.1');
  const chunks: Buffer[] = [];
  const events: string[] = [];
  socket.on('data', (chunk: Buffer) => chunks.push(chunk));
  socket.on('error', (error) => events.push(`error:${(error as NodeJS.ErrnoException).code}`));
  socket.on('end', () => events.push('end'));
  socket.on('close', () => events.push('close'));
  t.after(() => socket.destroy());
  return { socket, received: () => Buffer.concat(chunks).toString('latin1'), events };
}

/** open(), once connected. */
async function connect(t: TestContext, proxy: TcpProxy): Promise<Client> {
  const client = open(t, proxy);
  await new Promise<void>((resolve, reject) => {
    client.socket.once('connect', resolve);
    client.socket.once('error', reject);
  });
  return client;
}

/** Sends `text` and waits for the echo: proof the path works both ways. */
async function roundTrip(client: Client, text: string): Promise<void> {
  const before = client.received().length;
  client.socket.write(text);
  await until(`echo of "${text}"`, () => client.received().slice(before) === text);
}

const received = (conn: Upstream['conns'][number]): string => Buffer.concat(conn.received).toString('latin1');

test('TcpProxy forwards bytes both ways, in order, big transfers included', async (t) => {
  const upstream = await echoServer(t);
  const proxy = await startProxy(t, upstream.port);
  assert.equal(proxy.url, `http://127.0.0.1:${proxy.port}`);
  assert.notEqual(proxy.port, upstream.port);

  const client = await connect(t, proxy);
  await roundTrip(client, 'hello');
  assert.equal(received(upstream.conns[0]!), 'hello');
  assert.equal(proxy.connections, 1);

  // 4 MB one way and back: more than socket buffers hold, so backpressure is exercised.
  const payload = randomBytes(4 * 1024 * 1024).toString('latin1');
  const before = client.received().length;
  client.socket.write(Buffer.from(payload, 'latin1'));
  await until('the 4 MB echo', () => client.received().length >= before + payload.length, 10_000);
  assert.ok(client.received().slice(before) === payload, 'echoed bytes differ from those sent');

  client.socket.end();
  await until('the pair to close after a clean FIN', () => proxy.connections === 0 && upstream.conns[0]!.closed);
});

test('cut() resets both sides of every connection; new connections still work', async (t) => {
  const upstream = await echoServer(t);
  const proxy = await startProxy(t, upstream.port);
  const a = await connect(t, proxy);
  const b = await connect(t, proxy);
  await roundTrip(a, 'a');
  await roundTrip(b, 'b');

  proxy.cut();
  await until('both clients to see close', () => a.events.includes('close') && b.events.includes('close'), 2000);
  await until('both server sides to close', () => upstream.conns.every((conn) => conn.closed), 2000);
  assert.ok(a.events.includes('error:ECONNRESET'), `expected a reset, got ${a.events.join(', ')}`);
  await until('no open pairs', () => proxy.connections === 0);

  const c = await connect(t, proxy);
  await roundTrip(c, 'after the cut');
});

test('pause() holds data both ways, on new connections too; resume() delivers it all in order', async (t) => {
  const upstream = await echoServer(t);
  const proxy = await startProxy(t, upstream.port);
  const client = await connect(t, proxy);
  await roundTrip(client, 'ready');

  proxy.pause();
  for (const part of ['one ', 'two ', 'three']) {
    client.socket.write(part);
    await sleep(20);
  }
  const late = await connect(t, proxy); // made while paused
  late.socket.write('late');
  await sleep(300);
  assert.equal(client.received(), 'ready', 'data reached the client while paused');
  assert.equal(received(upstream.conns[0]!), 'ready', 'data reached the server while paused');
  assert.equal(late.received(), '');
  assert.deepEqual(client.events, []);

  proxy.resume();
  await until('held data to arrive', () => client.received() === 'readyone two three' && late.received() === 'late');
  assert.equal(received(upstream.conns[0]!), 'readyone two three');
});

test("pauseDirection('toClient') lets requests through and holds the replies", async (t) => {
  const upstream = await echoServer(t);
  const proxy = await startProxy(t, upstream.port);
  const client = await connect(t, proxy);
  await roundTrip(client, 'ready');

  proxy.pauseDirection('toClient');
  client.socket.write('ping');
  await until('the server to receive ping', () => received(upstream.conns[0]!) === 'readyping', 2000);
  await sleep(300);
  assert.equal(client.received(), 'ready', 'the reply got through while toClient was paused');

  proxy.resume();
  await until('the held reply', () => client.received() === 'readyping');
});

test('blackhole() swallows data on current connections and keeps them open; new ones work', async (t) => {
  const upstream = await echoServer(t);
  const proxy = await startProxy(t, upstream.port);
  const client = await connect(t, proxy);
  await roundTrip(client, 'ready');

  proxy.blackhole();
  client.socket.write('into the void');
  upstream.conns[0]!.socket.write('from the server');
  await sleep(500);
  assert.equal(client.received(), 'ready', 'data reached the client through the blackhole');
  assert.equal(received(upstream.conns[0]!), 'ready', 'data reached the server through the blackhole');
  assert.deepEqual(client.events, [], 'the client saw its connection end');
  assert.equal(upstream.conns[0]!.closed, false, 'the server saw its connection end');

  // Even a close on one side is not passed on: the server keeps a half-open connection.
  client.socket.destroy();
  await sleep(200);
  assert.equal(upstream.conns[0]!.closed, false, 'the close got through the blackhole');

  const fresh = await connect(t, proxy);
  await roundTrip(fresh, 'a new connection');
});

test('offline() cuts current connections and refuses new ones; online() restores', async (t) => {
  const upstream = await echoServer(t);
  const proxy = await startProxy(t, upstream.port);
  const before = await connect(t, proxy);
  await roundTrip(before, 'ready');

  proxy.offline();
  await until('the current connection to close', () => before.events.includes('close'), 2000);
  // The reset can come before or after the client's 'connect': either way it ends in 'close'.
  const refused = open(t, proxy);
  refused.socket.write('anyone?');
  await until('the new connection to close', () => refused.events.includes('close'), 1000);
  assert.equal(refused.received(), '');
  assert.equal(upstream.conns.length, 1, 'a connection reached the server while offline');

  proxy.online();
  const after = await connect(t, proxy);
  await roundTrip(after, 'back online');
});

test('a target that is down closes the client side without throwing; target can be changed', async (t) => {
  const upstream = await echoServer(t);
  // A port that was just free: nothing listens there.
  const probe = net.createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const deadPort = (probe.address() as net.AddressInfo).port;
  await new Promise((resolve) => probe.close(resolve));

  const proxy = await startProxy(t, deadPort);
  const client = await connect(t, proxy);
  client.socket.write('hello?');
  await until('the client to be closed', () => client.events.includes('close'), 2000);
  await until('no open pairs', () => proxy.connections === 0);

  proxy.target = { host: '127.0.0.1', port: upstream.port };
  await roundTrip(await connect(t, proxy), 'retargeted');
});

test('ServerProcess: SIGKILL, restart on the same port and data dir, stop cleans up', async (t) => {
  const server = await ServerProcess.start();
  t.after(() => server.stop());
  const health = async (): Promise<number> =>
    (await fetch(`${server.url}/healthz`, { signal: AbortSignal.timeout(3000) })).status;

  const port = server.port;
  assert.ok(port > 0);
  assert.equal(await health(), 200, server.output());
  assert.ok(readdirSync(server.dataDir).length > 0, 'the server wrote nothing to its data dir');
  const marker = join(server.dataDir, 'marker');
  writeFileSync(marker, 'kept');

  await server.kill();
  await assert.rejects(health(), 'the server still answers after kill()');
  // SIGKILL, not SIGTERM: the server had no chance to log its shutdown.
  assert.doesNotMatch(server.output(), /shutting down/);

  await server.restart();
  assert.equal(server.port, port);
  assert.equal(await health(), 200, server.output());
  assert.ok(existsSync(marker), 'the data dir was not kept across the restart');

  await server.stop();
  assert.match(server.output(), /"msg":"stopped"/, 'stop() did not shut down gracefully');
  assert.equal(existsSync(server.dataDir), false, 'stop() left the temp data dir');
  await assert.rejects(health());
});

test('ServerProcess keeps a data dir it was given', async (t) => {
  const dataDir = mkdtempSync(join(tmpdir(), 'chat-room-given-'));
  t.after(() => rmSync(dataDir, { recursive: true, force: true }));
  const server = await ServerProcess.start({ dataDir });
  t.after(() => server.stop());
  assert.equal(server.dataDir, dataDir);
  await server.stop();
  assert.ok(existsSync(dataDir), 'stop() removed a data dir it did not create');
});
