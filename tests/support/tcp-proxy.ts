import net from "node:net";

/**
 * A TCP proxy on a loopback port in front of `target` (PostgreSQL, here), to
 * take the service away from an app without touching the service itself:
 * `cut` drops every open connection and refuses new ones as a stopped server
 * would (they are accepted and closed at once); `restore` lets them through
 * again on the same port.
 */
export class TcpProxy {
  private readonly open = new Set<net.Socket>();
  private down = false;
  private readonly server = net.createServer((client) => {
    if (this.down) return void client.destroy();
    const upstream = net.connect(this.target.port, this.target.host);
    client.on("data", (chunk: Buffer) => (this.bytesUp += chunk.length));
    for (const [from, to] of [
      [client, upstream],
      [upstream, client],
    ] as const) {
      this.open.add(from);
      from.on("error", () => to.destroy());
      from.on("close", () => {
        this.open.delete(from);
        to.destroy();
      });
      from.pipe(to);
    }
  });
  port = 0;
  /** Bytes the clients have sent through the proxy: to cut in the middle of an upload. */
  bytesUp = 0;

  constructor(private readonly target: { host: string; port: number }) {}

  async start(): Promise<void> {
    this.server.listen(0, "127.0.0.1");
    await new Promise<void>((resolve) => this.server.once("listening", resolve));
    this.port = (this.server.address() as net.AddressInfo).port;
  }

  /** `url` (a postgres:// URL) pointed at the proxy instead. */
  through(url: string): string {
    const proxied = new URL(url);
    proxied.hostname = "127.0.0.1";
    proxied.port = String(this.port);
    return proxied.toString();
  }

  cut(): void {
    this.down = true;
    for (const socket of this.open) socket.destroy();
  }

  restore(): void {
    this.down = false;
  }

  close(): Promise<void> {
    this.cut();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}
