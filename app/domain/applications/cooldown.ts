// The reapply cooldown (Settings → program rules): after a rejection, the same
// applicant waits this many days. One rule, read by the rejection email, the
// apply form's refusal, the status page and the review page, so they all name
// the same date.

const DAY_MS = 86_400_000;

/** The moment a rejected applicant may apply again: the decision plus the cooldown's days. */
export function reapplyFrom(decidedAt: Date, cooldownDays: number): Date {
  return new Date(decidedAt.getTime() + cooldownDays * DAY_MS);
}
