import { count, desc, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { auditEvents, instanceSettings } from "#db/schema/index";
import { createClaim } from "~/domain/claims/claims.server";
import { ClaimSchema } from "~/domain/claims/schemas.server";
import { AUDIT_PAGE_SIZE, listAuditEvents } from "~/domain/audit/events.server";
import { AuditFiltersSchema, type AuditFilters } from "~/domain/audit/schemas.server";
import { recordAuditNow, type AuditInput } from "~/lib/audit.server";
import type { Db } from "~/lib/db.server";
import { createPartnerOrg, createUser, sessionCookieFor } from "../support/context";
import { get, postForm, startTestServer, type TestServer } from "../support/http";

let server: TestServer;
let db: Db;
const people = {} as Record<"admin" | "analyst" | "reviewer" | "partnerA" | "partnerB", { id: string; email: string; cookie: string }>;
const orgs = {} as Record<"a" | "b", { id: string; name: string }>;
let claimId = "";

/** Appends an event at a chosen time, through recordAudit as the app writes them. */
async function appendAt(occurredAt: string, input: AuditInput): Promise<number> {
  await recordAuditNow(db, { ...input, at: new Date(occurredAt) });
  const [row] = await db.select({ id: auditEvents.id }).from(auditEvents).orderBy(desc(auditEvents.id)).limit(1);
  return row!.id;
}

const actorOf = (who: keyof typeof people) => ({ id: people[who].id, label: people[who].email, ip: "203.0.113.7" });

async function actionsMatching(filters: Partial<Record<keyof AuditFilters, string>>): Promise<string[]> {
  const page = await listAuditEvents(db, AuditFiltersSchema.parse(filters), 1, "admin");
  return page.rows.map((r) => r.action);
}

/** Table cells of the Action column with this label (the action filter's options hold the same words). */
const actionCells = (label: string) => new RegExp(`data-label="Action">${label}<`, "g");
const link = (href: string, text: string) => new RegExp(`<a [^>]*href="${href}"[^>]*>${text}</a>`);

/** A 200 response as text, without the empty comments React puts between adjacent text parts ("Page <!-- -->2"). */
async function fetchText(path: string, cookie: string): Promise<string> {
  const response = await get(server, path, { Cookie: cookie });
  expect(response.status, path).toBe(200);
  return (await response.text()).replace(/<!-- -->/g, "");
}

async function eventCount(): Promise<number> {
  const [row] = await db.select({ n: count() }).from(auditEvents);
  return row!.n;
}

beforeAll(async () => {
  server = await startTestServer();
  db = server.app.db;
  orgs.a = await createPartnerOrg(db, "Alpha Media");
  orgs.b = await createPartnerOrg(db, "Beta Reviews");
  const accounts = [
    ["admin", { role: "admin", name: "Ada Admin", email: "ada@brand.test" }],
    ["analyst", { role: "analyst", name: "Ana Lyst", email: "ana@brand.test" }],
    ["reviewer", { role: "brand_reviewer", name: "Rae Reviewer", email: "rae@brand.test" }],
    ["partnerA", { role: "partner", name: "Pat Alpha", email: "pat@alpha.test", partnerOrgId: orgs.a.id }],
    ["partnerB", { role: "partner", name: "Bo Beta", email: "bo@beta.test", partnerOrgId: orgs.b.id }],
  ] as const;
  for (const [key, input] of accounts) {
    const user = await createUser(db, input);
    people[key] = { id: user.id, email: user.email, cookie: await sessionCookieFor(server.app, user.id) };
  }

  // One event per filter to tell apart, each on its own day of January 2030.
  await appendAt("2030-01-10T09:00:00Z", { actor: actorOf("admin"), action: "auth.login", subjectType: "session", subjectId: people.admin.id });
  await appendAt("2030-01-11T09:00:00Z", {
    actor: actorOf("reviewer"),
    action: "kit.updated",
    subjectType: "kit",
    subjectId: "00000000-0000-4000-8000-000000000001",
    data: { changed: { name: { from: "Spring kit", to: "Summer kit" } }, note: "<script>alert('x')</script>" },
  });
  await appendAt("2030-01-12T23:59:00Z", {
    actor: actorOf("partnerA"),
    action: "asset.downloaded",
    subjectType: "asset",
    subjectId: "00000000-0000-4000-8000-000000000002",
    partnerOrgId: orgs.a.id,
    data: { title: '=HYPERLINK("http://evil.test")', rendition: "png" },
  });
  await appendAt("2030-01-13T09:00:00Z", {
    actor: actorOf("partnerB"),
    action: "kit.downloaded",
    subjectType: "kit",
    subjectId: "00000000-0000-4000-8000-000000000003",
    partnerOrgId: orgs.b.id,
  });
  await appendAt("2030-01-14T09:00:00Z", {
    actor: actorOf("admin"),
    action: "partner.created",
    subjectType: "partner",
    subjectId: orgs.a.id,
    partnerOrgId: orgs.a.id,
  });
  // A real claim, created through the domain, which records its own event (today).
  const claimInput = ClaimSchema.parse({
    text: "Up to 80% less energy than incandescent bulbs",
    disclaimers: "Compared with a 60 W incandescent bulb.",
    category: "Energy",
    channels: ["email"],
    regions: ["europe"],
    ownerId: people.reviewer.id,
    reviewBy: "2099-01-01",
  });
  claimId = (await createClaim(server.app, actorOf("reviewer"), claimInput)).id;
});

afterAll(() => server.close());

describe("audit viewer filters", () => {
  it("each filter narrows the result", async () => {
    expect(await actionsMatching({})).toEqual(["claim.created", "partner.created", "kit.downloaded", "asset.downloaded", "kit.updated", "auth.login"]);
    // Actor: by name (through the user), by email (the recorded label); LIKE wildcards are plain characters.
    expect(await actionsMatching({ actor: "rae rev" })).toEqual(["claim.created", "kit.updated"]);
    expect(await actionsMatching({ actor: "PAT@ALPHA" })).toEqual(["asset.downloaded"]);
    expect(await actionsMatching({ actor: "%" })).toEqual([]);
    expect(await actionsMatching({ action: "kit.downloaded" })).toEqual(["kit.downloaded"]);
    // Subject kind comes from the catalogue, whatever the row stored ("partner" for partner.created).
    expect(await actionsMatching({ subject: "partner_organisation" })).toEqual(["partner.created"]);
    expect(await actionsMatching({ subject: "kit" })).toEqual(["kit.downloaded", "kit.updated"]);
    expect(await actionsMatching({ partner: orgs.a.id })).toEqual(["partner.created", "asset.downloaded"]);
    expect(await actionsMatching({ partner: orgs.a.id, action: "asset.downloaded", actor: "pat" })).toEqual(["asset.downloaded"]);
  });

  it("filters by a date range in whole UTC days, both ends included", async () => {
    expect(await actionsMatching({ from: "2030-01-11", to: "2030-01-12" })).toEqual(["asset.downloaded", "kit.updated"]);
    expect(await actionsMatching({ from: "2030-01-13" })).toEqual(["partner.created", "kit.downloaded"]);
    expect(await actionsMatching({ from: "2030-01-01", to: "2030-01-10" })).toEqual(["auth.login"]);
    expect(await actionsMatching({ from: "2030-01-12", to: "2030-01-11" })).toEqual([]);
    // A day that does not exist is ignored rather than refused.
    expect(await actionsMatching({ from: "2030-02-30", to: "2030-01-12" })).toEqual(["claim.created", "asset.downloaded", "kit.updated", "auth.login"]);
  });

  it("drops values it does not understand instead of failing", () => {
    expect(AuditFiltersSchema.parse({ action: "made.up", subject: "thing", partner: "not-a-uuid", from: "yesterday" })).toEqual({});
  });
});

describe("Admin → Audit trail page", () => {
  it("shows readable labels, links actor, subject and partner, and shows data as escaped key/value details", async () => {
    const html = await fetchText("/admin/audit", people.admin.cookie);
    expect(html).toMatch(actionCells("Claim created"));
    expect(html).toMatch(actionCells("Partner organisation created"));
    // Actor and subject links: a brand user to Team, a partner user and an organisation to the partner directory, a claim to its page.
    expect(html).toMatch(link("/admin/users", "Ada Admin"));
    expect(html).toMatch(link(`/admin/partners/${orgs.a.id}`, "Pat Alpha"));
    expect(html).toMatch(link(`/admin/partners/${orgs.a.id}`, "Alpha Media"));
    expect(html).toMatch(link(`/admin/claims/${claimId}`, "Up to 80% less energy than incandescent bulbs"));
    // Data: labelled values, a change as "from → to", markup as text.
    expect(html).toContain("Spring kit → Summer kit");
    expect(html).toContain("&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;");
    expect(html).not.toContain("<script>alert('x')</script>");
    expect(html).not.toContain("{&quot;changed&quot;");
  });

  it("lets analysts read and export the trail, and shows them no link to pages their role cannot open", async () => {
    const response = await get(server, "/admin/audit", { Cookie: people.analyst.cookie });
    expect(response.status).toBe(200);
    const html = await response.text();
    expect(html).toMatch(actionCells("Claim created"));
    expect(html).toContain("Up to 80% less energy than incandescent bulbs");
    expect(html).not.toContain(`href="/admin/claims/${claimId}"`);
    expect(html).not.toContain(`href="/admin/users"`);
    expect(html).toMatch(link(`/admin/partners/${orgs.a.id}`, "Alpha Media"));
    expect((await get(server, "/admin/audit.csv", { Cookie: people.analyst.cookie })).status).toBe(200);
  });

  it("answers partners 404 and brand reviewers 403, for the page, the CSV and verification", async () => {
    const before = await eventCount();
    for (const [who, status] of [
      ["partnerA", 404],
      ["reviewer", 403],
    ] as const) {
      const cookie = people[who].cookie;
      expect((await get(server, "/admin/audit", { Cookie: cookie })).status, who).toBe(status);
      expect((await get(server, "/admin/audit.csv", { Cookie: cookie })).status, who).toBe(status);
      expect((await postForm(server, "/admin/audit", {}, { Cookie: cookie })).status, who).toBe(status);
    }
    expect(await eventCount()).toBe(before);
  });
});

describe("audit trail CSV", () => {
  it("exports the filtered rows with formula cells neutralised, and records the export", async () => {
    const response = await get(server, `/admin/audit.csv?partner=${orgs.a.id}&page=3`, { Cookie: people.admin.cookie });
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    expect(response.headers.get("content-disposition")).toContain('attachment; filename="audit-trail.csv"');
    const lines = (await response.text())
      .replace(/^\uFEFF/, "")
      .trimEnd()
      .split("\r\n");
    expect(lines[0]).toBe(
      "Entry,Time (UTC),Action,Action code,Actor,Actor email or label,IP address,Subject type,Subject,Subject ID,Partner organisation,Details",
    );
    expect(lines).toHaveLength(3);
    expect(lines[1]).toContain(",Partner organisation created,partner.created,Ada Admin,ada@brand.test,");
    expect(lines[2]).toContain(",Asset downloaded,asset.downloaded,Pat Alpha,pat@alpha.test,");
    // The details cell starts with its label, so it is not a formula; a cell that would start with "=" gets an apostrophe.
    expect(lines[2]).toContain(`"Title: =HYPERLINK(""http://evil.test""); Rendition: png"`);

    const [exported] = await db.select().from(auditEvents).where(eq(auditEvents.action, "audit.exported")).orderBy(desc(auditEvents.id)).limit(1);
    expect(exported).toMatchObject({
      actorId: people.admin.id,
      actorLabel: "ada@brand.test",
      subjectType: "audit_trail",
      data: { filters: { partner: orgs.a.id }, rows: 2 },
    });
  });

  it("prefixes a cell that would start a formula", async () => {
    await appendAt("2032-05-05T10:00:00Z", {
      actor: { id: null, label: "=cmd|' /C calc'!A0", ip: null },
      action: "auth.login_failed",
      subjectType: "session",
      data: { reason: "unknown_email" },
    });
    const text = await fetchText("/admin/audit.csv?from=2032-05-05&to=2032-05-05", people.admin.cookie);
    const [, row] = text
      .replace(/^\uFEFF/, "")
      .trimEnd()
      .split("\r\n");
    expect(row).toContain(",Sign-in failed,auth.login_failed,,'=cmd|' /C calc'!A0,");
    expect(row).not.toMatch(/,=cmd/);
  });
});

describe("verifying the trail", () => {
  const lastCheck = () => db.select().from(instanceSettings).where(eq(instanceSettings.key, "audit.last_verification"));
  const verifiedEvents = () => db.select().from(auditEvents).where(eq(auditEvents.action, "audit.verified")).orderBy(desc(auditEvents.id));

  it("is not done, and writes nothing, on a GET", async () => {
    const before = await eventCount();
    const html = await fetchText("/admin/audit?verify=1", people.admin.cookie);
    expect(html).toContain("Not verified yet");
    expect(await eventCount()).toBe(before);
    expect(await lastCheck()).toEqual([]);
  });

  it("records the result, the time and who checked on a POST, and shows it at the top", async () => {
    const started = Date.now();
    const response = await postForm(server, "/admin/audit?action=auth.login", {}, { Cookie: people.admin.cookie });
    expect(response.status).toBe(303);
    expect(response.headers.get("location")).toBe("/admin/audit?action=auth.login");

    const [stored] = await lastCheck();
    const record = JSON.parse(stored!.value) as { checkedAt: string; ok: boolean; by: { id: string } };
    expect(record).toMatchObject({ ok: true, by: { id: people.admin.id, name: "Ada Admin" }, chain: { ok: true }, checkpoint: { status: "none" } });
    expect(Date.parse(record.checkedAt)).toBeGreaterThanOrEqual(started - 1000);
    const [event] = await verifiedEvents();
    expect(event).toMatchObject({ actorId: people.admin.id, subjectType: "audit_trail", data: { result: "intact", checkpoint: "none" } });

    const html = await fetchText("/admin/audit", people.admin.cookie);
    expect(html).toMatch(/Last checked [^<]+ by Ada Admin: intact/);
    expect(html).toContain("No checkpoint yet");
  });

  it("may be run by an analyst, and reports a broken chain with the entry", async () => {
    const [victim] = await db.select({ id: auditEvents.id }).from(auditEvents).where(eq(auditEvents.action, "kit.updated"));
    await db.transaction(async (tx) => {
      await tx.execute(sql`alter table audit_events disable trigger audit_events_append_only`);
      await tx
        .update(auditEvents)
        .set({ data: { changed: { name: { from: "Spring kit", to: "Winter kit" } } } })
        .where(eq(auditEvents.id, victim!.id));
      await tx.execute(sql`alter table audit_events enable trigger audit_events_append_only`);
    });
    expect((await postForm(server, "/admin/audit", {}, { Cookie: people.analyst.cookie })).status).toBe(303);
    const [event] = await verifiedEvents();
    expect(event).toMatchObject({ actorId: people.analyst.id, data: { result: "broken", brokenEntry: victim!.id } });
    const html = await fetchText("/admin/audit", people.analyst.cookie);
    expect(html).toMatch(/Last checked [^<]+ by Ana Lyst: broken/);
    expect(html).toContain(`The chain is broken at entry #${victim!.id}`);
  });
});

// Last: the 53 events it adds would push the others off the first page.
describe("audit viewer paging", () => {
  it("pages the filtered result through the page's links", async () => {
    for (let i = 0; i < AUDIT_PAGE_SIZE + 3; i++) {
      await appendAt(`2031-03-01T10:${String(i % 60).padStart(2, "0")}:00Z`, {
        actor: actorOf("analyst"),
        action: "auth.logout",
        subjectType: "session",
        subjectId: people.analyst.id,
      });
    }
    const query = "action=auth.logout&from=2031-03-01&to=2031-03-01";
    const first = await fetchText(`/admin/audit?${query}`, people.admin.cookie);
    expect(first).toContain(`${AUDIT_PAGE_SIZE + 3} entries matching the filters`);
    expect(first).toContain("Page 1 of 2");
    expect(first.match(actionCells("Signed out"))).toHaveLength(AUDIT_PAGE_SIZE);
    // The link to the next page keeps the filters.
    expect(first).toContain(`href="/admin/audit?${query.replace(/&/g, "&amp;")}&amp;page=2"`);
    const second = await fetchText(`/admin/audit?${query}&page=2`, people.admin.cookie);
    expect(second).toContain("Page 2 of 2");
    expect(second.match(actionCells("Signed out"))).toHaveLength(3);
  });
});
