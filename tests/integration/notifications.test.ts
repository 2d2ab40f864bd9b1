import { and, asc, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { auditEvents, notificationPreferences, notifications, outboxMessages, partnerOrganisations } from "#db/schema/index";
import { notify, partnerMembers, setEmailPreferences, unreadCount } from "~/domain/notifications/notify.server";
import { setLinkStatus } from "~/domain/links/links.server";
import { pausePartner } from "~/domain/partners/lifecycle.server";
import { claimStage, decideStage } from "~/domain/review/decisions.server";
import { sendOverdueReminders } from "~/domain/review/reminders.server";
import { DomainError } from "~/lib/errors";
import { creativePartner, submittedCreative } from "../support/creatives";
import { createUser, publishPolicy, reviewerActor, sessionCookieFor, signedIn } from "../support/context";
import { postEntries } from "../support/forms";
import { get, postForm, startTestServerPerFile } from "../support/http";
import { evergreenLink, linkProgram } from "../support/links";

// In-app notifications (issue 17): each wired transition notifies the right
// people only, a person reads and opens only their own (404 otherwise),
// email preferences suppress the email but never the notification, and
// security and policy emails cannot be turned off. PGlite and, with
// TEST_DATABASE_URL, PostgreSQL.

const { server, app, clock } = await startTestServerPerFile();

const HOUR = 3_600_000;
const text = async (response: Response) => (await response.text()).replaceAll("<!-- -->", "");

async function team() {
  const admin = await signedIn(app, { role: "admin", name: "Ada Admin", email: "ada@brand.test" });
  const brand = await signedIn(app, { role: "brand_reviewer", name: "Bea Brand", email: "bea@brand.test" });
  const legal = await signedIn(app, { role: "legal_reviewer", name: "Lena Legal", email: "lena@brand.test" });
  const analyst = await signedIn(app, { role: "analyst", name: "Andy Analyst", email: "andy@brand.test" });
  return { admin, brand, legal, analyst };
}

/** Two organisations: Acme (owner and a member) and Beta (owner). */
async function partners() {
  const acme = await creativePartner(app, "Acme Media");
  const member = await createUser(app.db, {
    role: "partner",
    partnerOrgId: acme.org.id,
    partnerRole: "member",
    email: "member@acme.test",
    name: "Acme member",
  });
  const beta = await creativePartner(app, "Beta Media");
  return { acme, member, beta };
}

async function notificationsOf(userId: string) {
  return app.db.select().from(notifications).where(eq(notifications.userId, userId)).orderBy(asc(notifications.id));
}

async function allNotifications() {
  return app.db.select().from(notifications).orderBy(asc(notifications.id));
}

async function emailsTo(address: string) {
  return (await app.db.select().from(outboxMessages).orderBy(asc(outboxMessages.id))).map((m) => m.payload).filter((p) => p.to === address);
}

/** Who got notifications of `kind`, by id, sorted. */
async function recipientsOf(kind: string) {
  return [...new Set((await allNotifications()).filter((n) => n.kind === kind).map((n) => n.userId))].sort();
}

const ids = (...people: { id: string }[]) => people.map((p) => p.id).sort();

describe("what each transition notifies, and to whom", () => {
  it("a submission tells the brand stage's reviewers; a decision tells every member of the creative's organisation, and nobody else", async () => {
    const { admin, brand } = await team();
    const { acme, member, beta } = await partners();
    const { id } = await submittedCreative(app, acme);

    // Brand review is the first stage: admins and brand reviewers, not legal, not analysts, no partner.
    expect(await recipientsOf("review_assigned")).toEqual(ids(admin, brand));
    const assigned = (await notificationsOf(brand.id))[0]!;
    expect(assigned).toMatchObject({ kind: "review_assigned", href: `/admin/creatives/${id}`, subjectType: "creative", subjectId: id, readAt: null });
    expect(assigned.title).toBe(`Acme Media submitted "Spring living room" for review`);

    await claimStage(app, reviewerActor(brand), id, "brand");
    await decideStage(app, reviewerActor(brand), id, { stage: "brand", version: 1, decision: "request_changes", comment: "Show the bulb's wattage." });
    expect(await recipientsOf("creative_decision")).toEqual(ids(acme.user, member));
    const [decision] = await notificationsOf(member.id);
    expect(decision).toMatchObject({
      kind: "creative_decision",
      title: `Changes requested on "Spring living room"`,
      body: "Show the bulb's wattage.",
      href: `/partner/creatives/${id}`,
    });
    expect(await notificationsOf(beta.user.id)).toEqual([]);
  });

  it("an approval that opens the legal stage tells its reviewers (not the approver) and the partner", async () => {
    const { admin, brand, legal } = await team();
    const { acme } = await partners();
    const { id } = await submittedCreative(app, acme, { channel: "paid_social", copy: "#ad Lumen bulbs light up the living room." });
    await app.db.delete(notifications);
    await claimStage(app, reviewerActor(brand), id, "brand");
    await decideStage(app, reviewerActor(brand), id, { stage: "brand", version: 1, decision: "approve" });
    expect(await recipientsOf("review_assigned")).toEqual(ids(admin, legal));
    expect((await notificationsOf(legal.id))[0]!.title).toBe(`"Spring living room" is ready for legal review`);
    expect((await notificationsOf(acme.user.id)).map((n) => n.title)).toEqual([`Brand review approved "Spring living room"`]);

    await decideStage(app, reviewerActor(legal), id, { stage: "legal", version: 1, decision: "approve" });
    expect((await notificationsOf(acme.user.id)).map((n) => n.title)).toContain(`"Spring living room" is approved`);
  });

  it("an overdue stage notifies its assignee and the admins once in the app, while the email goes daily", async () => {
    const { admin, brand } = await team();
    const { acme } = await partners();
    const { id } = await submittedCreative(app, acme);
    await claimStage(app, reviewerActor(brand), id, "brand");
    clock.advance(49 * HOUR);
    expect(await sendOverdueReminders(app)).toBe(1);
    clock.advance(25 * HOUR);
    expect(await sendOverdueReminders(app)).toBe(1);

    expect(await recipientsOf("review_overdue")).toEqual(ids(admin, brand));
    const overdue = (await notificationsOf(brand.id)).filter((n) => n.kind === "review_overdue");
    expect(overdue).toHaveLength(1);
    expect(overdue[0]).toMatchObject({ title: `Overdue: brand review of "Spring living room"`, href: `/admin/creatives/${id}`, once: true });
    expect((await emailsTo(brand.email)).filter((e) => e.subject.startsWith("Overdue:"))).toHaveLength(2);
  });

  it("a material policy version tells every partner it gates, and no one on the brand team", async () => {
    const { admin } = await team();
    const { acme, member, beta } = await partners();
    const { policyId } = await publishPolicy(app, { title: "Program terms", body: "Be honest.", changeSummary: "First version." });
    expect(await recipientsOf("policy_published")).toEqual(ids(acme.user, member, beta.user));
    expect((await notificationsOf(member.id))[0]).toMatchObject({
      title: "Program terms changed: accept version 1 to continue",
      body: "First version.",
      href: `/partner/policies/${policyId}`,
    });
    expect(await notificationsOf(admin.id)).toEqual([]);
  });

  it("a disabled link tells its organisation's members; re-enabling it and other organisations hear nothing", async () => {
    const program = await linkProgram(app);
    const { acme, member, beta } = await partners();
    const link = await evergreenLink(app, acme);
    await evergreenLink(app, beta);
    await setLinkStatus(app, program.adminActor, link.id, { status: "disabled", reason: "The footer calls the kit free." });
    await setLinkStatus(app, program.adminActor, link.id, { status: "active", reason: "Fixed." });
    expect(await recipientsOf("link_disabled")).toEqual(ids(acme.user, member));
    expect((await notificationsOf(acme.user.id))[0]).toMatchObject({
      kind: "link_disabled",
      title: `Your link "Spring lamps" was disabled`,
      href: `/partner/links/${link.id}`,
    });
    expect(await allNotifications()).toHaveLength(2);
  });

  it("pausing a partnership tells its members, not another organisation's", async () => {
    const program = await linkProgram(app);
    const { acme, member, beta } = await partners();
    await pausePartner(app, program.adminActor, acme.org.id, { reason: "A misleading claim." }, "https://cobrand.test");
    expect(await recipientsOf("partner_status")).toEqual(ids(acme.user, member));
    expect((await notificationsOf(member.id))[0]).toMatchObject({
      title: "Acme Media's partnership is paused",
      body: "Why: A misleading claim.",
      href: "/partner",
    });
    expect(await notificationsOf(beta.user.id)).toEqual([]);
  });

  it("refuses to write a notification that links off the site", async () => {
    const { acme } = await partners();
    const recipients = await partnerMembers(app.db, acme.org.id);
    for (const href of ["https://evil.example/x", "//evil.example/x", "/\\evil.example", "partner"]) {
      await expect(
        notify(app.db, { now: new Date() }, { recipients, kind: "link_disabled", title: "x", href, subject: { type: "test", id: "1" } }),
        href,
      ).rejects.toThrow(/path of this site/);
    }
    // The database refuses one written around the domain too.
    await expect(
      app.db
        .insert(notifications)
        .values({ userId: acme.user.id, kind: "link_disabled", title: "x", href: "//evil.example", subjectType: "t", subjectId: "1" }),
    ).rejects.toThrow();
  });
});

describe("email preferences", () => {
  it("a partner who turned decision emails off gets the notification but not the email; their colleague gets both", async () => {
    const { brand } = await team();
    const { acme, member } = await partners();
    await setEmailPreferences(app, { id: member.id, label: member.email }, member, []);
    const { id } = await submittedCreative(app, acme);
    await claimStage(app, reviewerActor(brand), id, "brand");
    await decideStage(app, reviewerActor(brand), id, { stage: "brand", version: 1, decision: "reject", comment: "Not for us." });

    expect((await notificationsOf(member.id)).map((n) => n.kind)).toEqual(["creative_decision"]);
    expect((await notificationsOf(acme.user.id)).map((n) => n.kind)).toEqual(["creative_decision"]);
    expect(await emailsTo(member.email)).toEqual([]);
    expect((await emailsTo(acme.user.email)).map((e) => e.subject)).toEqual([`"Spring living room" was not approved`]);
  });

  it("security and policy emails cannot be turned off: refused when asked, and sent even against a stored choice", async () => {
    const { acme } = await partners();
    const who = { id: acme.user.id, label: acme.user.email };
    for (const kind of ["policy_published", "partner_status", "incident_shared"]) {
      const refused = await setEmailPreferences(app, who, acme.user, [kind]).catch((e: unknown) => e);
      expect(refused).toBeInstanceOf(DomainError);
      expect((refused as DomainError).message).toMatch(/always sent/);
    }
    // A row written around the domain changes nothing for a policy kind.
    await app.db.insert(notificationPreferences).values({ userId: acme.user.id, kind: "policy_published", email: false });
    await publishPolicy(app, { title: "Program terms", body: "Be honest." });
    expect((await emailsTo(acme.user.email)).map((e) => e.subject)).toEqual(["Program terms changed: accept version 1 to continue"]);
    expect((await notificationsOf(acme.user.id)).map((n) => n.kind)).toEqual(["policy_published"]);
  });

  it("the account page shows the role's kinds, saves the choice with an audit event, and refuses bad input keeping what was ticked", async () => {
    const { brand } = await team();
    const page = await text(await get(server, "/account", { Cookie: brand.cookie }));
    expect(page).toContain("Email notifications");
    expect(page).toContain("Creatives waiting for your review");
    expect(page).toContain("Overdue reviews");
    expect(page).not.toContain("Decisions on your creatives");

    const save = (values: string[]) =>
      postEntries(server, "/account", new URLSearchParams([["intent", "email_preferences"], ...values.map((v) => ["email", v] as [string, string])]), {
        Cookie: brand.cookie,
      });
    expect(page).toContain("Partner replies on incidents");
    const saved = await save(["review_assigned", "incident_reply"]);
    expect(saved.status).toBe(302);
    expect(await app.db.select().from(notificationPreferences)).toEqual([expect.objectContaining({ userId: brand.id, kind: "review_overdue", email: false })]);
    const [event] = await app.db.select().from(auditEvents).where(eq(auditEvents.action, "notification.email_preferences_updated"));
    expect(event).toMatchObject({ actorId: brand.id, subjectType: "user", subjectId: brand.id, data: { email: { review_overdue: false } } });

    for (const bad of [["creative_decision"], ["nonsense"], ["incident_opened"]]) {
      const refused = await save(["review_overdue", ...bad]);
      expect(refused.status, bad[0]).toBe(400);
      const body = await text(refused);
      expect(body).toContain("Choose from the notifications listed.");
      // What was ticked comes back ticked: review_overdue, though stored as off.
      expect(body).toMatch(/<input[^>]*checked=""[^>]*value="review_overdue"/);
    }
    const unknownIntent = await postForm(server, "/account", { intent: "nonsense" }, { Cookie: brand.cookie });
    expect(unknownIntent.status).toBe(400);
    expect((await app.db.select().from(notificationPreferences)).map((p) => [p.kind, p.email])).toEqual([["review_overdue", false]]);
  });
});

describe("isolation and the pages", () => {
  async function twoPartnersWithNotifications() {
    const { acme, beta } = await partners();
    const program = await linkProgram(app);
    const acmeLink = await evergreenLink(app, acme);
    const betaLink = await evergreenLink(app, beta);
    await setLinkStatus(app, program.adminActor, acmeLink.id, { status: "disabled", reason: "One." });
    await setLinkStatus(app, program.adminActor, betaLink.id, { status: "disabled", reason: "Two." });
    const acmeCookie = await sessionCookieFor(app, acme.user.id);
    const betaCookie = await sessionCookieFor(app, beta.user.id);
    const [acmeNote] = await notificationsOf(acme.user.id);
    const [betaNote] = await notificationsOf(beta.user.id);
    return { acme, beta, acmeCookie, betaCookie, acmeNote: acmeNote!, betaNote: betaNote!, acmeLink };
  }

  it("a person opens only their own notification: another's id is a 404 and stays unread; theirs is marked read and leads to its page", async () => {
    const { acmeCookie, betaCookie, acmeNote, acmeLink } = await twoPartnersWithNotifications();
    const { admin } = await team();
    for (const cookie of [betaCookie, admin.cookie]) {
      const refused = await postForm(server, `/notifications/${acmeNote.id}/open`, {}, { Cookie: cookie });
      expect(refused.status).toBe(404);
    }
    expect((await postForm(server, `/notifications/999999/open`, {}, { Cookie: acmeCookie })).status).toBe(404);
    expect((await postForm(server, `/notifications/abc/open`, {}, { Cookie: acmeCookie })).status).toBe(404);
    expect((await app.db.select().from(notifications).where(eq(notifications.id, acmeNote.id)))[0]!.readAt).toBeNull();

    const opened = await postForm(server, `/notifications/${acmeNote.id}/open`, {}, { Cookie: acmeCookie });
    expect(opened.status).toBe(302);
    expect(opened.headers.get("location")).toBe(`/partner/links/${acmeLink.id}`);
    expect((await app.db.select().from(notifications).where(eq(notifications.id, acmeNote.id)))[0]!.readAt).toBeInstanceOf(Date);
  });

  it("a stored href that is not a path of this site still leads nowhere else", async () => {
    const { acmeCookie, acmeNote } = await twoPartnersWithNotifications();
    // The check constraint allows "/\\…"; the open route resolves it and falls back to the list.
    await app.db.update(notifications).set({ href: "/\\evil.example" }).where(eq(notifications.id, acmeNote.id));
    const opened = await postForm(server, `/notifications/${acmeNote.id}/open`, {}, { Cookie: acmeCookie });
    expect(opened.headers.get("location")).toBe("/notifications");
  });

  it("the list shows only one's own notifications, newest first, and 'Mark all read' marks only one's own", async () => {
    const { acme, beta, acmeCookie } = await twoPartnersWithNotifications();
    await notify(
      app.db,
      { now: new Date(Date.now() + 1000) },
      {
        recipients: await partnerMembers(app.db, acme.org.id),
        kind: "creative_decision",
        title: "The newest one",
        href: "/partner/creatives",
        subject: { type: "test", id: "2" },
      },
    );
    const page = await text(await get(server, "/notifications", { Cookie: acmeCookie }));
    expect(page).toContain("Notifications, 2 unread");
    expect(page.indexOf("The newest one")).toBeLessThan(page.indexOf("Spring lamps&quot; was disabled"));
    expect(page.indexOf("Spring lamps&quot; was disabled")).toBeGreaterThan(0);
    expect(page).not.toContain("Two.");
    expect(page).toContain("Mark all read");

    const bad = await postForm(server, "/notifications?index", { intent: "delete_all" }, { Cookie: acmeCookie });
    expect(bad.status).toBe(400);
    expect(await unreadCount(app.db, acme.user.id)).toBe(2);

    const marked = await postForm(server, "/notifications?index", { intent: "mark_all_read" }, { Cookie: acmeCookie });
    expect(marked.status).toBe(302);
    expect(await unreadCount(app.db, acme.user.id)).toBe(0);
    expect(await unreadCount(app.db, beta.user.id)).toBe(1);
    const after = await get(server, "/notifications", { Cookie: acmeCookie });
    const afterText = await text(after);
    expect(afterText).toContain("Notifications, none unread");
    expect(afterText).not.toContain("Mark all read");
  });

  it("pages the list, 20 to a page, newest first", async () => {
    const { admin } = await team();
    const me = [{ id: admin.id, email: admin.email, name: admin.name }];
    const start = Date.now();
    for (let n = 1; n <= 25; n++) {
      await notify(
        app.db,
        { now: new Date(start + n * 1000) },
        { recipients: me, kind: "review_assigned", title: `Item ${n}.`, href: "/admin", subject: { type: "test", id: String(n) } },
      );
    }
    const first = await text(await get(server, "/notifications", { Cookie: admin.cookie }));
    expect(first).toContain("Item 25.");
    expect(first).toContain("Item 6.");
    expect(first).not.toContain("Item 5.");
    expect(first).toContain("Page 1 of 2");
    const second = await text(await get(server, "/notifications?page=2", { Cookie: admin.cookie }));
    expect(second).toContain("Item 5.");
    expect(second).toContain("Item 1.");
    expect(second).not.toContain("Item 6.");
  });

  it("an empty list says so", async () => {
    const { admin } = await team();
    const page = await text(await get(server, "/notifications", { Cookie: admin.cookie }));
    expect(page).toContain("No notifications yet");
    expect(page).toContain("Notifications, none unread");
  });

  it("the bell in both areas' headers counts the person's unread notifications", async () => {
    const { acme, acmeCookie } = await twoPartnersWithNotifications();
    const { admin } = await team();
    await app.db.update(partnerOrganisations).set({ status: "active" }).where(eq(partnerOrganisations.id, acme.org.id));
    const partnerHome = await text(await get(server, "/partner", { Cookie: acmeCookie }));
    expect(partnerHome).toContain('aria-label="Notifications, 1 unread"');
    expect(partnerHome).toContain('href="/notifications"');

    await notify(
      app.db,
      { now: new Date() },
      {
        recipients: [{ id: admin.id, email: admin.email, name: admin.name }],
        kind: "incident_opened",
        title: "Incident opened",
        href: "/admin",
        subject: { type: "incident", id: "1" },
      },
    );
    await notify(
      app.db,
      { now: new Date() },
      {
        recipients: [{ id: admin.id, email: admin.email, name: admin.name }],
        kind: "webhook_disabled",
        title: "Webhook disabled",
        href: "/admin",
        subject: { type: "webhook", id: "1" },
      },
    );
    const adminHome = await text(await get(server, "/admin", { Cookie: admin.cookie }));
    expect(adminHome).toContain('aria-label="Notifications, 2 unread"');
    const notes = await app.db
      .select()
      .from(notifications)
      .where(and(eq(notifications.userId, admin.id), eq(notifications.kind, "webhook_disabled")));
    expect(notes).toHaveLength(1);
  });
});
