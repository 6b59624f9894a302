import net from "node:net";

interface Pair {
  readonly client: net.Socket;
  readonly upstream: net.Socket;
  clientPackets: number;
}

/**
 * A TCP proxy on 127.0.0.1 (ephemeral port) in front of a database server, for cutting client
 * connections the way a network fault does: `cutRandom()` destroys one client connection (with a
 * TCP RST half the time, a plain close otherwise) and its server side, so the server ends the
 * backend and the driver sees its socket fail.
 *
 * It cuts only connections past their handshake (the client has sent at least three packets:
 * startup or handshake response, then statements), the ones a server-side kill could reach too.
 * Cutting handshakes as well mostly measures how fast the server accepts connections: at one cut
 * every 20 ms, a PostgreSQL that forks a backend per connection on a loaded 2-core machine never
 * finishes enough handshakes for the workload to progress.
 *
 * ```ts
 * const proxy = await TcpProxy.start("127.0.0.1", 5432);
 * const engine = createAsyncEngine(`postgresql://postgres@127.0.0.1:${proxy.port}/test`);
 * proxy.cutRandom();
 * ```
 */
export class TcpProxy {
  readonly #server: net.Server;
  readonly #pairs = new Set<Pair>();
  cuts = 0;

  private constructor(server: net.Server) {
    this.#server = server;
  }

  static async start(targetHost: string, targetPort: number): Promise<TcpProxy> {
    const server = net.createServer();
    const proxy = new TcpProxy(server);
    server.on("connection", (client) => proxy.#pipe(client, targetHost, targetPort));
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(0, "127.0.0.1", () => resolve());
    });
    return proxy;
  }

  get port(): number {
    return (this.#server.address() as net.AddressInfo).port;
  }

  /** Client connections currently passing through. */
  get open(): number {
    return this.#pairs.size;
  }

  /** Cuts one random open connection; false when there is none. */
  cutRandom(): boolean {
    const pairs = [...this.#pairs].filter((pair) => pair.clientPackets >= 3);
    const pair = pairs[Math.floor(Math.random() * pairs.length)];
    if (!pair) return false;
    this.#cut(pair, Math.random() < 0.5);
    this.cuts++;
    return true;
  }

  async close(): Promise<void> {
    for (const pair of this.#pairs) this.#cut(pair, false);
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }

  #pipe(client: net.Socket, host: string, port: number): void {
    const upstream = net.connect(port, host);
    const pair: Pair = { client, upstream, clientPackets: 0 };
    client.on("data", () => void pair.clientPackets++);
    this.#pairs.add(pair);
    const end = () => this.#cut(pair, false);
    // Errors are the faults this proxy makes or passes on; each one ends the pair.
    client.on("error", end).on("close", end);
    upstream.on("error", end).on("close", end);
    client.pipe(upstream);
    upstream.pipe(client);
  }

  #cut(pair: Pair, reset: boolean): void {
    if (!this.#pairs.delete(pair)) return;
    if (reset && !pair.client.destroyed) pair.client.resetAndDestroy();
    else pair.client.destroy();
    pair.upstream.destroy();
  }
}
