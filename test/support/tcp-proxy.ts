/**
 * A real TCP proxy between clients and a server, driven by the test, to make
 * network faults the way the network makes them: connections cut (reset),
 * traffic held back (paused), connections that go silent without a FIN or RST
 * (blackholed), and a server that cannot be reached at all (offline).
 *
 * Every byte goes through real kernel sockets on 127.0.0.1; nothing in the
 * client or server is mocked. Each accepted connection gets its own upstream
 * connection to `target`, and the two are forwarded by hand (not `pipe()`),
 * so that holding, flushing and dropping stay under the proxy's control.
 */
import net, { type Socket } from 'node:net';

export type Direction = 'toServer' | 'toClient';

/** Queued in place of data to forward a FIN (half-close) in order, after the data before it. */
const END = Symbol('end');
type Item = Buffer | typeof END;

/** One direction of a proxied pair: reads `from`, writes `to`. */
class Flow {
  /** Data read while the direction was held, forwarded in order on resume. */
  private queue: Item[] = [];
  private waitingForDrain = false;

  constructor(
    private readonly from: Socket,
    private readonly to: Socket,
    private readonly held: () => boolean,
    private readonly dropped: () => boolean,
  ) {}

  push(item: Item): void {
    if (this.dropped()) return;
    // Behind queued data even when no longer held, so the order never changes.
    if (this.held() || this.queue.length > 0) this.queue.push(item);
    else this.forward(item);
  }

  flush(): void {
    while (this.queue.length > 0 && !this.held() && !this.dropped()) this.forward(this.queue.shift()!);
  }

  drop(): void {
    this.queue = [];
  }

  private forward(item: Item): void {
    if (this.to.destroyed || this.to.writableEnded) return;
    if (item === END) {
      this.to.end();
      return;
    }
    // Backpressure: stop reading the sender until the receiver has drained,
    // so a big transfer through the proxy does not pile up in memory.
    if (!this.to.write(item) && !this.waitingForDrain) {
      this.waitingForDrain = true;
      this.from.pause();
      this.to.once('drain', () => {
        this.waitingForDrain = false;
        this.from.resume();
      });
    }
  }
}

class Pair {
  /** Set by blackhole(): data and FINs are swallowed, closes are not passed on. */
  blackholed = false;
  readonly toServer: Flow;
  readonly toClient: Flow;

  constructor(
    readonly client: Socket,
    readonly upstream: Socket,
    proxy: TcpProxy,
  ) {
    this.toServer = new Flow(client, upstream, () => proxy.isHeld('toServer'), () => this.blackholed);
    this.toClient = new Flow(upstream, client, () => proxy.isHeld('toClient'), () => this.blackholed);
  }

  /** Both sockets closed at once, with a real RST where the socket is connected. */
  reset(): void {
    resetSocket(this.client);
    resetSocket(this.upstream);
  }

  flush(): void {
    this.toServer.flush();
    this.toClient.flush();
  }
}

/** Sends an RST (not a FIN), as a broken network path or a dropped NAT entry would. */
function resetSocket(socket: Socket): void {
  if (socket.destroyed) return;
  // resetAndDestroy() only works on a TCP handle that is still there; otherwise plain destroy.
  try {
    socket.resetAndDestroy();
  } catch {
    socket.destroy();
  }
}

export class TcpProxy {
  readonly port: number;
  /** Where new connections go; change it to point the proxy at another server. */
  target: { host: string; port: number };

  private readonly server: net.Server;
  private readonly pairs = new Set<Pair>();
  private readonly holding = { toServer: false, toClient: false };
  private refusing = false;

  private constructor(server: net.Server, port: number, target: { host: string; port: number }) {
    this.server = server;
    this.port = port;
    this.target = target;
  }

  static async start(
    target: { host?: string; port: number },
    options: { port?: number; host?: string } = {},
  ): Promise<TcpProxy> {
    // allowHalfOpen so that a FIN from one side is forwarded as a FIN, not
    // turned into a full close by Node before the other side has answered.
    const server = net.createServer({ allowHalfOpen: true });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => {
        server.off('error', reject);
        resolve();
      });
    });
    // An error on the listener after it is up (rare) must not crash the test process.
    server.on('error', () => {});
    const address = server.address() as net.AddressInfo;
    const proxy = new TcpProxy(server, address.port, { host: target.host ?? '127.0.0.1', port: target.port });
    server.on('connection', (client) => proxy.accept(client));
    return proxy;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** Proxied pairs with at least one socket still open. */
  get connections(): number {
    return this.pairs.size;
  }

  /** @internal Whether data in `dir` is being held back (by pause() or pauseDirection()). */
  isHeld(dir: Direction): boolean {
    return this.holding[dir];
  }

  /** Resets every current connection, both sides at once. New connections still work. */
  cut(): void {
    for (const pair of this.pairs) pair.reset();
  }

  /** Holds all data in both directions, on current and new connections, until resume(). */
  pause(): void {
    this.holding.toServer = true;
    this.holding.toClient = true;
  }

  /** Holds one direction only, e.g. 'toClient' to delay the server's acks; resume() ends it. */
  pauseDirection(dir: Direction): void {
    this.holding[dir] = true;
  }

  /** Forwards everything held, in order, and stops holding. */
  resume(): void {
    this.holding.toServer = false;
    this.holding.toClient = false;
    for (const pair of this.pairs) pair.flush();
  }

  /**
   * Current connections go silent forever: data both ways is swallowed, and
   * no FIN or RST is passed on, so each end keeps a half-open connection that
   * only a timeout (e.g. Socket.IO's ping) can detect. New connections made
   * afterwards work normally.
   */
  blackhole(): void {
    for (const pair of this.pairs) {
      pair.blackholed = true;
      pair.toServer.drop();
      pair.toClient.drop();
    }
  }

  /** While on, new connections are reset as soon as they are accepted; existing ones are untouched. */
  refuse(on: boolean): void {
    this.refusing = on;
  }

  /** The server becomes unreachable: current connections cut, new ones refused. */
  offline(): void {
    this.refuse(true);
    this.cut();
  }

  online(): void {
    this.refuse(false);
  }

  /** Stops listening and destroys every connection. */
  async close(): Promise<void> {
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    for (const pair of this.pairs) {
      pair.client.destroy();
      pair.upstream.destroy();
    }
    this.pairs.clear();
    await closed;
  }

  private accept(client: Socket): void {
    client.on('error', () => {}); // resets and broken pipes are the point here
    if (this.refusing) {
      resetSocket(client);
      return;
    }
    const upstream = net.connect({ host: this.target.host, port: this.target.port, allowHalfOpen: true });
    upstream.on('error', () => {}); // e.g. ECONNREFUSED when the server is down: 'close' handles it
    const pair = new Pair(client, upstream, this);
    this.pairs.add(pair);

    // Writes to `upstream` made before it has connected are buffered by Node.
    client.on('data', (chunk: Buffer) => pair.toServer.push(chunk));
    upstream.on('data', (chunk: Buffer) => pair.toClient.push(chunk));
    client.on('end', () => pair.toServer.push(END));
    upstream.on('end', () => pair.toClient.push(END));

    // A socket that closed without a clean FIN both ways (reset, error, failed
    // connect) breaks the pair: the other side is closed too, dropping what is
    // held, as a real broken connection would. A clean close already went
    // through as END. A blackholed pair passes nothing on, not even this.
    const onClose = (closed: Socket, other: Socket) => (hadError: boolean) => {
      if (!pair.blackholed && !other.destroyed && (hadError || !closed.readableEnded || !closed.writableEnded)) {
        // Not yet connected upstream (target down): the client just sees its connection close.
        other.destroy();
      }
      if (client.destroyed && upstream.destroyed) this.pairs.delete(pair);
    };
    client.on('close', onClose(client, upstream));
    upstream.on('close', onClose(upstream, client));
  }
}
