/**
 * A small round-robin TCP load balancer owned by a test: each new connection
 * goes to the next target, and a target that refuses (a killed node) is
 * skipped for the next one — as a real balancer's health check would.
 * WebSocket-only clients need no sticky sessions, so nothing else is needed.
 */
import net, { type Socket } from 'node:net';

export class TcpBalancer {
  readonly port: number;
  #next = 0;
  readonly #open = new Set<Socket>();

  private constructor(
    private readonly server: net.Server,
    readonly targets: number[],
  ) {
    this.port = (server.address() as net.AddressInfo).port;
  }

  static async start(targets: number[]): Promise<TcpBalancer> {
    const server = net.createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const balancer = new TcpBalancer(server, targets);
    server.on('connection', (client) => balancer.accept(client));
    return balancer;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  async close(): Promise<void> {
    for (const socket of this.#open) socket.destroy();
    await new Promise((resolve) => this.server.close(resolve));
  }

  private accept(client: Socket): void {
    this.#track(client);
    client.pause();
    this.#connect(client, 0);
  }

  /** Tries targets in turn from the next one; gives up (closing the client) after trying each once. */
  #connect(client: Socket, tried: number): void {
    if (tried >= this.targets.length || client.destroyed) return void client.destroy();
    const port = this.targets[this.#next++ % this.targets.length]!;
    const upstream = net.connect(port, '127.0.0.1');
    let connected = false;
    upstream.once('connect', () => {
      connected = true;
      this.#track(upstream);
      client.pipe(upstream).pipe(client);
      client.resume();
    });
    upstream.on('error', () => {
      if (!connected) this.#connect(client, tried + 1);
      else client.destroy();
    });
    upstream.on('close', () => connected && client.destroy());
    client.on('close', () => upstream.destroy());
    client.on('error', () => upstream.destroy());
  }

  #track(socket: Socket): void {
    this.#open.add(socket);
    socket.once('close', () => this.#open.delete(socket));
  }
}
