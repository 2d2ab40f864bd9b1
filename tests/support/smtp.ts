import type { AddressInfo } from "node:net";
import { SMTPServer } from "smtp-server";

export type TestSmtpServer = {
  port: number;
  /** The SMTP_URL (or a mailer's smtpUrl) that reaches it. */
  url: string;
  /** The raw text of each email accepted, in order. */
  received: string[];
  close(): Promise<void>;
};

/**
 * A real SMTP server on loopback, without TLS or authentication, that keeps
 * each email it accepts. `port` 0 takes a free one; pass the port and the
 * `received` of a server closed before to bring "the same" server back.
 */
export async function startSmtpServer(options: { port?: number; received?: string[] } = {}): Promise<TestSmtpServer> {
  const received = options.received ?? [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS"],
    logger: false,
    onData(stream, _session, callback) {
      let raw = "";
      stream.on("data", (chunk: Buffer) => (raw += chunk.toString("utf8")));
      stream.on("end", () => {
        received.push(raw);
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, "127.0.0.1", resolve));
  const { port } = server.server.address() as AddressInfo;
  return { port, url: `smtp://127.0.0.1:${port}`, received, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}
