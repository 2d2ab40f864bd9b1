import nodemailer from "nodemailer";
import type { EmailPayload } from "#db/schema/index";

export type DeliveryResult = "sent" | "kept";
export type MailMode = "smtp" | "keep";

/** How email leaves with this configuration: by SMTP, or kept in the outbox for admins. */
export function mailModeOf(config: { smtpUrl: string | null }): MailMode {
  return config.smtpUrl ? "smtp" : "keep";
}

export interface Mailer {
  readonly mode: MailMode;
  deliver(message: EmailPayload): Promise<DeliveryResult>;
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
    async deliver(message) {
      await transport.sendMail({
        from: options.from,
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
