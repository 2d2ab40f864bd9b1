import { asc, eq } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { auditEvents, outboxMessages, partnerOrganisations, type EmailPayload } from "#db/schema/index";
import { terminatePartner } from "~/domain/partners/lifecycle.server";
import { daysUntil, reminderStageFor, sendRenewalReminders } from "~/domain/partners/renewals.server";
import { changePartnerTerms } from "~/domain/partners/terms.server";
import type { AdjustableClock } from "~/lib/clock";
import type { AppContext } from "~/lib/context.server";
import { adjustableClockFor, createPartner, createTestContext, createUser } from "../support/context";
import { createTestDatabase, resetDatabase, type TestDatabase } from "../support/db";

// Renewal reminders (issue 17 point 1): 30 and then 7 days before a
// partnership's renewal date, to the brand's admins and the partner's owner,
// each once per renewal date, on record.

let database: TestDatabase;
let app: AppContext;
let clock: AdjustableClock;
beforeAll(async () => {
  database = await createTestDatabase();
  app = createTestContext(database.db);
});
afterAll(() => database.close());
beforeEach(async () => {
  await resetDatabase(database.db);
  clock = adjustableClockFor(app);
});

const DAY = 86_400_000;
const ADMIN_ACTOR = { id: null, label: "ada@brand.test" };
const isoDay = (at: Date) => at.toISOString().slice(0, 10);
/** The calendar day `days` from the clock's today. */
const dayIn = (days: number) => isoDay(new Date(clock.now().getTime() + days * DAY));

async function partnerRenewingIn(days: number, name = "Northwind") {
  const partner = await createPartner(app, { name, email: `owner@${name.toLowerCase()}.test` });
  await database.db
    .update(partnerOrganisations)
    .set({ renewalDate: dayIn(days) })
    .where(eq(partnerOrganisations.id, partner.org.id));
  return partner;
}

const emails = async () => (await database.db.select().from(outboxMessages).orderBy(asc(outboxMessages.id))).map((m) => m.payload as EmailPayload);
const reminders = () => database.db.select().from(auditEvents).where(eq(auditEvents.action, "partner.renewal_reminded")).orderBy(asc(auditEvents.id));

describe("the reminder stages", () => {
  it("counts whole calendar days and picks the nearest stage not yet passed", () => {
    expect(daysUntil("2027-01-31", "2027-01-01")).toBe(30);
    expect(daysUntil("2027-03-01", "2027-02-28")).toBe(1);
    expect([45, 31, 30, 12, 8, 7, 1, 0, -1].map(reminderStageFor)).toEqual([null, null, 30, 30, 30, 7, 7, 7, null]);
  });
});

describe("sendRenewalReminders", () => {
  it("reminds admins and the owner 30 days before, then 7, once each", async () => {
    await createUser(database.db, { role: "admin", email: "ada@brand.test", name: "Ada" });
    await createUser(database.db, { role: "brand_reviewer", email: "bo@brand.test" });
    const { org } = await partnerRenewingIn(40);
    await createPartner(app, { org, role: "member", email: "member@northwind.test" });

    expect(await sendRenewalReminders(app)).toBe(0);
    clock.advance(10 * DAY);
    expect(await sendRenewalReminders(app)).toBe(1);
    expect(await sendRenewalReminders(app)).toBe(0);
    const first = await emails();
    expect(first.map((m) => m.to).sort()).toEqual(["ada@brand.test", "owner@northwind.test"]);
    expect(first.find((m) => m.to === "ada@brand.test")!.subject).toMatch(/^Northwind renews on /);
    expect(first.find((m) => m.to === "ada@brand.test")!.text).toContain("(in 30 days)");
    expect(first.find((m) => m.to === "ada@brand.test")!.text).toContain(`/admin/partners/${org.id}`);
    expect(first.find((m) => m.to === "owner@northwind.test")!.subject).toMatch(/^Your partnership renews on /);

    clock.advance(22 * DAY); // 8 days left: still the 30-day stage, already sent
    expect(await sendRenewalReminders(app)).toBe(0);
    clock.advance(DAY); // 7 days left
    expect(await sendRenewalReminders(app)).toBe(1);
    expect(await sendRenewalReminders(app)).toBe(0);
    clock.advance(7 * DAY); // the day itself: nothing more
    expect(await sendRenewalReminders(app)).toBe(0);

    expect((await emails()).length).toBe(4);
    expect(
      (await reminders()).map((e) => [e.subjectId, e.actorId, (e.data as { stage: number }).stage, (e.data as { recipients: number }).recipients]),
    ).toEqual([
      [org.id, null, 30, 2],
      [org.id, null, 7, 2],
    ]);
  });

  it("sends one reminder, not two, to a partnership first seen within the last stage", async () => {
    await createUser(database.db, { role: "admin", email: "ada@brand.test" });
    const { org } = await partnerRenewingIn(5);
    expect(await sendRenewalReminders(app)).toBe(1);
    expect(await sendRenewalReminders(app)).toBe(0);
    const [row] = await database.db.select().from(partnerOrganisations).where(eq(partnerOrganisations.id, org.id));
    expect(row!.renewalRemindedDays).toBe(7);
  });

  it("starts over when the renewal date changes, and leaves terminated partnerships and past dates alone", async () => {
    await createUser(database.db, { role: "admin", email: "ada@brand.test" });
    const { org } = await partnerRenewingIn(20);
    const ended = await partnerRenewingIn(10, "Contoso");
    await terminatePartner(app, ADMIN_ACTOR, ended.org.id, { reason: "Ended by agreement.", confirmation: "Contoso" }, "https://cobrand.test");
    await partnerRenewingIn(-3, "Fabrikam");
    expect(await sendRenewalReminders(app)).toBe(1);

    // Renewed for a year: a new date, reminded again when its time comes.
    await changePartnerTerms(
      app,
      ADMIN_ACTOR,
      org.id,
      { intent: "change_terms", tier: "standard", commercialModel: "revenue_share", rate: 10, renewalDate: dayIn(25), reason: "Renewed." },
      "https://cobrand.test",
    );
    expect(await sendRenewalReminders(app)).toBe(1);
    expect((await reminders()).map((e) => (e.data as { renewalDate: string }).renewalDate)).toEqual([dayIn(20), dayIn(25)]);
  });
});
