import nodemailer from "nodemailer";
import type { EmailPayload } from "#db/schema/index";

export type DeliveryResult = "sent" | "kept";
export type MailMode = "smtp" | "keep";

/** How email leaves with this configuration: by SMTP, or kept in the outbox for admins. */
export function mailModeOf(config: { smtpUrl: string | null }): MailMode {
  return config.smtpUrl ? "smtp" : "keep";
}

/** What admins choose in Settings → Email: the name mail comes from and where replies go. The address stays MAIL_FROM's. */
export type Sender = { name: string | null; replyTo: string | null };

/** The display name of an address such as `Cobrand <no-reply@x.test>`, replaced; the address kept. */
export function fromWithName(from: string, name: string | null): string | { name: string; address: string } {
  if (!name) return from;
  const address = /<([^<>]+)>\s*$/.exec(from)?.[1] ?? from.trim();
  return { name, address };
}

export interface Mailer {
  readonly mode: MailMode;
  deliver(message: EmailPayload, sender?: Sender): Promise<DeliveryResult>;
  close(): void;
}

/**
 * With SMTP_URL, email leaves through nodemailer. Without it (the embedded
 * default) messages are kept in the outbox, where admins read them.
 */
export function createMailer(options: { smtpUrl: string | null; from: string }): Mailer {
  if (!options.smtpUrl) {
    return { mode: "keep", deliver: async () => "kept", close: () => {} };
  }
  const transport = nodemailer.createTransport(options.smtpUrl);
  return {
    mode: "smtp",
    async deliver(message, sender) {
      await transport.sendMail({
        from: fromWithName(options.from, sender?.name ?? null),
        ...(sender?.replyTo ? { replyTo: sender.replyTo } : {}),
        to: message.to,
        subject: message.subject,
        text: message.text,
        html: message.html,
      });
      return "sent";
    },
    close: () => transport.close(),
  };
}
