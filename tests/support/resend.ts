import { expect } from "vitest";

const MINUTE = 60_000;

export type ResendAttempt = { status: number; text: string };

/**
 * Walks one invitation through the resend limits: one per 5 minutes, five in
 * 24 hours. Time moves through `at` (a clock offset from now), never by
 * sleeping; `emails` counts outbox rows, which a refused resend must not add.
 */
export async function expectResendLimits(options: {
  resend: () => Promise<ResendAttempt>;
  emails: () => Promise<number>;
  at: (offsetMs: number) => void;
  accepted: number;
}): Promise<void> {
  const { resend, emails, at, accepted } = options;
  const refused = async (message: string) => {
    const before = await emails();
    const attempt = await resend();
    expect(attempt.status).toBe(429);
    expect(attempt.text).toContain(message);
    expect(await emails()).toBe(before);
  };
  const sent = async () => {
    const before = await emails();
    expect((await resend()).status).toBe(accepted);
    expect(await emails()).toBe(before + 1);
  };

  at(0);
  await sent();
  await refused("You can resend this invitation in 5 minutes.");
  at(4 * MINUTE);
  await refused("You can resend this invitation in 1 minute.");
  for (const minutes of [6, 12, 18, 24]) {
    at(minutes * MINUTE);
    await sent();
  }
  at(30 * MINUTE);
  await refused("This invitation was resent 5 times in the last 24 hours.");
  at(24 * 60 * MINUTE + MINUTE);
  await sent();
}
