import { describe, expect, it } from "vitest";
import { formatDate, formatDateTime } from "~/lib/dates";
import { applicationInfoRequestedEmail, applicationRejectedEmail } from "~/domain/notifications/emails.server";

// Non-breaking spaces are part of the format (they keep a date whole when it wraps); compare as a reader sees it.
const asRead = (text: string) => text.replaceAll("\u00a0", " ");

describe("dates as people read them", () => {
  const moment = new Date("2026-12-03T14:05:42Z");

  it("shows a moment with its day, time and the time zone it is in", () => {
    expect(asRead(formatDateTime(moment))).toBe("3 Dec 2026, 14:05 UTC");
    // A serialised date (what a page gets from its loader) reads the same.
    expect(formatDateTime(moment.toISOString())).toBe(formatDateTime(moment));
  });

  it("shows a day in UTC, whatever the time of day", () => {
    expect(asRead(formatDate(moment))).toBe("3 Dec 2026");
    expect(asRead(formatDate("2026-12-31T23:59:00Z"))).toBe("31 Dec 2026");
  });

  it("keeps the day and the time whole when a line wraps", () => {
    expect(formatDateTime(moment)).toBe("3\u00a0Dec\u00a02026, 14:05\u00a0UTC");
  });

  it("gives emails the same format as the pages", () => {
    const applicant = { to: "maria@example.com", programName: "Acme", contactName: "Maria", reference: "APP-1" };
    const info = applicationInfoRequestedEmail({ ...applicant, message: "Which regions?", url: "https://acme.test/apply/amend", expiresAt: moment });
    expect(asRead(info.text)).toContain("The link expires on 3 Dec 2026, 14:05 UTC.");
    expect(info.text).not.toContain("GMT");
    const rejected = applicationRejectedEmail({ ...applicant, reason: "Other", note: null, reapplyFrom: moment });
    expect(asRead(rejected.text)).toContain("apply again from 3 Dec 2026.");
  });
});
