import { and, eq } from "drizzle-orm";
import { JSDOM } from "jsdom";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  auditEvents,
  conversions,
  creatives,
  creativeVersions,
  incidentEvents,
  incidents,
  notifications,
  outboxMessages,
  type EmailPayload,
} from "#db/schema/index";
import {
  addNote,
  assignOwner,
  changeSeverity,
  changeStatus,
  linkObject,
  openIncident,
  partnerReply,
  shareWithPartner,
  unshareWithPartner,
  type StaffActor,
} from "~/domain/incidents/incidents.server";
import { pausePartner, resumePartner, terminatePartner } from "~/domain/partners/lifecycle.server";
import type { AppContext } from "~/lib/context.server";
import { resetDatabase } from "../support/db";
import { createPartner, createUser, signedIn } from "../support/context";
import { plainLink } from "../support/conversion-stats";
import { follow, get, postForm, startTestServer, toastIn, type TestServer } from "../support/http";

// Incidents (issue 17 point 2): the transitions and their audit events, the
// kill switch opening one and recording on it, objects of the incident's own
// partner only, what a partner sees (shared incidents, shared entries) and
// never sees (another organisation's, internal notes), and every form's
// refusal of bad input over HTTP.

let server: TestServer;
let app: AppContext;
beforeAll(async () => {
  server = await startTestServer();
  app = server.app;
});
afterAll(() => server.close());

const ORIGIN = "https://cobrand.test";
const read = async (response: Response) => (await response.text()).replaceAll("<!-- -->", "");
const documentOf = (html: string) => new JSDOM(html).window.document;
const textOf = (element: Element | null) => (element?.textContent ?? "").replace(/\s+/g, " ").trim();

let admin: Awaited<ReturnType<typeof signedIn>>;
let actor: StaffActor;
let alpha: Awaited<ReturnType<typeof createPartner>>;
let beta: Awaited<ReturnType<typeof createPartner>>;

beforeEach(async () => {
  await resetDatabase(app.db);
  admin = await signedIn(app, { role: "admin", name: "Ada Admin", email: "ada@brand.test" });
  actor = { id: admin.id, label: admin.email, ip: null };
  alpha = await createPartner(app, { name: "Alpha Media", email: "owner@alpha.test", userName: "Alma Owner", fields: { status: "active" } });
  beta = await createPartner(app, { name: "Beta Media", email: "owner@beta.test", userName: "Ben Owner", fields: { status: "active" } });
});

/** A submitted creative of `organisationId` with its version 1, written as submitting leaves them. */
async function creativeVersionOf(organisationId: string, createdById: string, title = "Spring launch") {
  const [creative] = await app.db
    .insert(creatives)
    .values({ organisationId, status: "submitted", title, channel: "website_blog", copy: "Bright.", latestVersion: 1, submittedAt: new Date(), createdById })
    .returning();
  const [version] = await app.db
    .insert(creativeVersions)
    .values({
      creativeId: creative!.id,
      number: 1,
      title,
      channel: "website_blog",
      placement: "",
      destinationUrl: "",
      copy: "Bright.",
      claims: [],
      disclosure: "",
      findings: [],
      ruleSetVersion: 0,
      submittedById: createdById,
      submittedAt: new Date(),
    })
    .returning();
  return { creative: creative!, version: version! };
}

async function conversionOf(organisationId: string | null, orderId: string) {
  const [row] = await app.db
    .insert(conversions)
    .values({
      orderId,
      amountMinor: 4999,
      currency: "USD",
      occurredAt: new Date(),
      receivedAt: new Date(),
      attributedBy: organisationId ? "click" : "none",
      attributionModel: "last_click",
      attributionWindowDays: 30,
      organisationId,
    })
    .returning();
  return row!;
}

const BASE = { kind: "misleading_claim", severity: "high", description: "The post says the bulbs save 95 % energy.", ownerId: null, object: null } as const;

function open(organisationId: string, fields: Partial<Parameters<typeof openIncident>[2]> = {}) {
  return openIncident(app, actor, { ...BASE, organisationId, title: "Energy claim on the blog", ...fields });
}

async function auditOf(incidentId: string) {
  return app.db
    .select()
    .from(auditEvents)
    .where(and(eq(auditEvents.subjectType, "incident"), eq(auditEvents.subjectId, incidentId)))
    .orderBy(auditEvents.id);
}

async function eventsOf(incidentId: string) {
  return app.db.select().from(incidentEvents).where(eq(incidentEvents.incidentId, incidentId)).orderBy(incidentEvents.id);
}

async function emails(): Promise<EmailPayload[]> {
  return (await app.db.select().from(outboxMessages).orderBy(outboxMessages.id)).map((m) => m.payload as EmailPayload);
}

async function rowOf(incidentId: string) {
  const [row] = await app.db.select().from(incidents).where(eq(incidents.id, incidentId));
  return row!;
}

describe("the incident's transitions", () => {
  it("opens, notes, investigates, changes owner and severity, shares, resolves and reopens, each on the timeline and in the audit trail", async () => {
    const link = await plainLink(app.db, alpha.org.id, { label: "Spring lamps" });
    const reviewer = await createUser(app.db, { role: "legal_reviewer", name: "Lena Legal", email: "lena@brand.test" });
    const { id, reference } = await open(alpha.org.id, { object: { kind: "link", id: link.id }, ownerId: admin.id });
    expect(reference).toMatch(/^INC-\d{4}$/);

    await addNote(app, actor, id, { body: "Checked the page: the claim is there.", visibility: "internal" });
    await addNote(app, actor, id, { body: "Please correct the claim on your blog.", visibility: "partner" });
    await changeStatus(app, actor, id, { status: "investigating", note: null });
    await assignOwner(app, actor, id, { ownerId: reviewer.id });
    await changeSeverity(app, actor, id, { severity: "critical" });
    const { notified } = await shareWithPartner(app, actor, id, ORIGIN);
    expect(notified).toBe(1);
    await expect(changeStatus(app, actor, id, { status: "resolved", note: null })).rejects.toMatchObject({ field: "note" });
    await changeStatus(app, actor, id, { status: "resolved", note: "The partner corrected the post." });
    expect(await rowOf(id)).toMatchObject({
      status: "resolved",
      resolutionNote: "The partner corrected the post.",
      severity: "critical",
      ownerId: reviewer.id,
    });
    expect((await rowOf(id)).resolvedAt).toBeInstanceOf(Date);
    await changeStatus(app, actor, id, { status: "open", note: null });
    expect(await rowOf(id)).toMatchObject({ status: "open", resolvedAt: null, resolutionNote: null });
    await unshareWithPartner(app, actor, id);

    expect((await eventsOf(id)).map((e) => [e.kind, e.visibility])).toEqual([
      ["opened", "partner"],
      ["object_linked", "internal"],
      ["note", "internal"],
      ["note", "partner"],
      ["status_changed", "partner"],
      ["owner_changed", "internal"],
      ["severity_changed", "internal"],
      ["shared", "internal"],
      ["status_changed", "partner"],
      ["status_changed", "partner"],
      ["unshared", "internal"],
    ]);
    const trail = await auditOf(id);
    expect(trail.map((e) => e.action)).toEqual([
      "incident.opened",
      "incident.note_added",
      "incident.note_added",
      "incident.status_changed",
      "incident.owner_changed",
      "incident.severity_changed",
      "incident.shared",
      "incident.status_changed",
      "incident.status_changed",
      "incident.unshared",
    ]);
    expect(trail.every((e) => e.partnerOrgId === alpha.org.id && e.actorLabel === "ada@brand.test")).toBe(true);
    expect(trail[0]!.data).toMatchObject({
      reference,
      kind: "misleading_claim",
      severity: "high",
      source: "staff",
      linked: "link: Spring lamps (" + link.code + ")",
    });
    expect(trail[7]!.data).toMatchObject({ from: "investigating", to: "resolved", note: "The partner corrected the post." });

    // Sharing emailed the partner's owner, with the partner area's address.
    const shared = (await emails()).find((e) => e.subject.includes(reference));
    expect(shared).toMatchObject({ to: "owner@alpha.test" });
    expect(shared!.text).toContain(`${ORIGIN}/partner/incidents/${id}`);
  });

  it("refuses what changes nothing and owners who do not work incidents", async () => {
    const analyst = await createUser(app.db, { role: "analyst", email: "sam@brand.test" });
    const { id } = await open(alpha.org.id);
    await expect(changeStatus(app, actor, id, { status: "open", note: null })).rejects.toMatchObject({ kind: "conflict" });
    await expect(changeSeverity(app, actor, id, { severity: "high" })).rejects.toMatchObject({ kind: "conflict" });
    await expect(assignOwner(app, actor, id, { ownerId: analyst.id })).rejects.toMatchObject({ field: "ownerId" });
    await expect(assignOwner(app, actor, id, { ownerId: alpha.user.id })).rejects.toMatchObject({ field: "ownerId" });
    await expect(unshareWithPartner(app, actor, id)).rejects.toMatchObject({ kind: "conflict" });
    expect((await auditOf(id)).map((e) => e.action)).toEqual(["incident.opened"]);
  });
});

describe("objects of the incident's own partner only", () => {
  it("links its partner's creative versions, links and conversions, and refuses another partner's with a clear error", async () => {
    const { id } = await open(alpha.org.id);
    const own = {
      version: (await creativeVersionOf(alpha.org.id, alpha.user.id)).version,
      link: await plainLink(app.db, alpha.org.id),
      sale: await conversionOf(alpha.org.id, "ORD-A"),
    };
    const other = {
      version: (await creativeVersionOf(beta.org.id, beta.user.id)).version,
      link: await plainLink(app.db, beta.org.id),
      sale: await conversionOf(beta.org.id, "ORD-B"),
    };

    await linkObject(app, actor, id, { kind: "creative_version", id: own.version.id });
    await linkObject(app, actor, id, { kind: "link", id: own.link.id });
    await linkObject(app, actor, id, { kind: "conversion", id: own.sale.id });
    await expect(linkObject(app, actor, id, { kind: "link", id: own.link.id })).rejects.toMatchObject({ kind: "conflict" });

    await expect(linkObject(app, actor, id, { kind: "creative_version", id: other.version.id })).rejects.toThrow(/belongs to another partner \(Beta Media\)/);
    await expect(linkObject(app, actor, id, { kind: "link", id: other.link.id })).rejects.toThrow(/belongs to another partner \(Beta Media\)/);
    await expect(linkObject(app, actor, id, { kind: "conversion", id: other.sale.id })).rejects.toThrow(/belongs to another partner \(Beta Media\)/);
    const unattributed = await conversionOf(null, "ORD-NONE");
    await expect(linkObject(app, actor, id, { kind: "conversion", id: unattributed.id })).rejects.toThrow(/not attributed to any partner/);
    // A link's id given as a conversion's names nothing.
    await expect(linkObject(app, actor, id, { kind: "conversion", id: own.link.id })).rejects.toThrow(/No conversion has that id/);
    // Opening one about another partner's object is refused the same way, and nothing is left behind.
    await expect(open(alpha.org.id, { object: { kind: "link", id: other.link.id } })).rejects.toThrow(/belongs to another partner/);
    expect(await app.db.select().from(incidents)).toHaveLength(1);
    expect((await auditOf(id)).map((e) => e.action)).toEqual(["incident.opened", "incident.object_linked", "incident.object_linked", "incident.object_linked"]);
  });

  it("refuses another partner's link from the incident page's picker and id form, keeping what was typed", async () => {
    const { id } = await open(alpha.org.id);
    const other = await plainLink(app.db, beta.org.id);
    const picked = await postForm(server, `/admin/incidents/${id}`, { intent: "link", picked: `link:${other.id}` }, { Cookie: admin.cookie });
    expect(picked.status).toBe(400);
    expect(await read(picked)).toContain("That tracking link belongs to another partner (Beta Media)");
    const typed = await postForm(server, `/admin/incidents/${id}`, { intent: "link", objectKind: "link", objectId: other.id }, { Cookie: admin.cookie });
    expect(typed.status).toBe(400);
    const page = documentOf(await read(typed));
    expect(textOf(page.getElementById("field-objectId-error"))).toContain("belongs to another partner (Beta Media)");
    expect(page.querySelector<HTMLInputElement>("#field-objectId")!.value).toBe(other.id);
  });
});

describe("the kill switch", () => {
  it("opens an incident when a partner is paused, and records the termination on it rather than opening another", async () => {
    const paused = await pausePartner(app, actor, alpha.org.id, { reason: "Misleading energy claims on three posts." }, ORIGIN);
    expect(paused.incident).toMatchObject({ opened: true });
    const [opened] = await app.db.select().from(incidents).where(eq(incidents.organisationId, alpha.org.id));
    expect(opened).toMatchObject({
      id: paused.incident!.id,
      source: "kill_switch",
      status: "open",
      severity: "high",
      ownerId: admin.id,
      openedById: admin.id,
      sharedWithPartner: false,
      description: "Misleading energy claims on three posts.",
    });
    // Resuming leaves the incident as it is: it is closed by a person, with a note.
    await resumePartner(app, actor, alpha.org.id, {}, ORIGIN);
    const terminated = await terminatePartner(app, actor, alpha.org.id, { reason: "Claims again after the pause.", confirmation: "Alpha Media" }, ORIGIN);
    expect(terminated.incident).toEqual({ id: opened!.id, reference: paused.incident!.reference, opened: false });
    expect(await app.db.select().from(incidents).where(eq(incidents.organisationId, alpha.org.id))).toHaveLength(1);
    expect(await rowOf(opened!.id)).toMatchObject({ severity: "critical" });
    expect((await eventsOf(opened!.id)).map((e) => [e.kind, e.toValue, e.body])).toEqual([
      ["opened", null, "Misleading energy claims on three posts."],
      ["partner_status", "paused", "Misleading energy claims on three posts."],
      ["partner_status", "terminated", "Claims again after the pause."],
    ]);
    expect((await auditOf(opened!.id)).map((e) => [e.action, e.data])).toEqual([
      ["incident.opened", expect.objectContaining({ source: "kill_switch", change: "paused" })],
      ["incident.partner_status_recorded", expect.objectContaining({ change: "terminated", reason: "Claims again after the pause." })],
    ]);
    // The lifecycle's own event says which incident.
    const [terminatedEvent] = await app.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.action, "partner.terminated"), eq(auditEvents.subjectId, alpha.org.id)));
    expect(terminatedEvent!.data).toMatchObject({ incident: { id: opened!.id, opened: false } });
  });

  it("records a pause on the partner's unresolved incident when there is one, and opens a new one after it is resolved", async () => {
    const { id } = await open(alpha.org.id);
    const paused = await pausePartner(app, actor, alpha.org.id, { reason: "Fraudulent conversions." }, ORIGIN);
    expect(paused.incident).toMatchObject({ id, opened: false });
    await changeStatus(app, actor, id, { status: "resolved", note: "Conversions reversed." });
    const terminated = await terminatePartner(app, actor, alpha.org.id, { reason: "Fraud confirmed.", confirmation: "Alpha Media" }, ORIGIN);
    expect(terminated.incident).toMatchObject({ opened: true });
    expect(terminated.incident!.id).not.toBe(id);
  });

  it("says so in the partner page's toast", async () => {
    const response = await postForm(server, `/admin/partners/${alpha.org.id}`, { intent: "pause", reason: "Brand misuse." }, { Cookie: admin.cookie });
    expect(response.status).toBe(302);
    const page = await read(await follow(server, response, admin.cookie));
    expect(toastIn(page)).toMatch(/Incident INC-\d{4} was opened\.$/);
    // The partner page counts it among the open incidents.
    expect(page).toContain("1 open of 1");
  });
});

describe("what a partner sees", () => {
  it("lists only the incidents shared with their organisation, and only the entries meant for them", async () => {
    const shared = await open(alpha.org.id, { title: "Shared energy claim" });
    const internal = await open(alpha.org.id, { title: "Internal fraud check" });
    const betas = await open(beta.org.id, { title: "Beta's incident" });
    await addNote(app, actor, shared.id, { body: "INTERNAL: the reviewer thinks it was deliberate.", visibility: "internal" });
    await addNote(app, actor, shared.id, { body: "Please correct the claim.", visibility: "partner" });
    await shareWithPartner(app, actor, shared.id, ORIGIN);
    await shareWithPartner(app, actor, betas.id, ORIGIN);

    const list = await read(await get(server, "/partner/incidents", { Cookie: alpha.cookie }));
    expect(list).toContain("Shared energy claim");
    expect(list).not.toContain("Internal fraud check");
    expect(list).not.toContain("Beta&#x27;s incident");
    expect(list).not.toContain("Beta's incident");

    const detail = await get(server, `/partner/incidents/${shared.id}`, { Cookie: alpha.cookie });
    expect(detail.status).toBe(200);
    const html = await read(detail);
    expect(html).toContain("Please correct the claim.");
    expect(html).not.toContain("INTERNAL: the reviewer");
    expect(html).not.toContain("Internal");
    // Not shared: the same 404 as an id that does not exist.
    expect((await get(server, `/partner/incidents/${internal.id}`, { Cookie: alpha.cookie })).status).toBe(404);
  });

  it("shows a partner with nothing shared an empty state", async () => {
    await open(alpha.org.id);
    const html = await read(await get(server, "/partner/incidents", { Cookie: alpha.cookie }));
    expect(html).toContain("No incidents");
  });

  it("answers 404 to a partner of another organisation asking for the incident by its id, to read or to reply", async () => {
    const { id } = await open(alpha.org.id);
    await shareWithPartner(app, actor, id, ORIGIN);
    expect((await get(server, `/partner/incidents/${id}`, { Cookie: beta.cookie })).status).toBe(404);
    expect((await postForm(server, `/partner/incidents/${id}`, { body: "Not ours, but let us write anyway." }, { Cookie: beta.cookie })).status).toBe(404);
    await expect(
      partnerReply(app, { id: beta.user.id, label: beta.user.email, name: beta.user.name, partnerOrgId: beta.org.id }, id, { body: "Sneaky." }, ORIGIN),
    ).rejects.toMatchObject({ kind: "not_found" });
    expect((await eventsOf(id)).some((e) => e.kind === "partner_reply")).toBe(false);
  });

  it("lets the partner reply: the owner is emailed, the brand sees the reply, a resolved incident takes no more", async () => {
    const owner = await createUser(app.db, { role: "brand_reviewer", name: "Bea Brand", email: "bea@brand.test" });
    const { id, reference } = await open(alpha.org.id, { ownerId: owner.id });
    await shareWithPartner(app, actor, id, ORIGIN);
    const replied = await postForm(server, `/partner/incidents/${id}`, { body: "We removed the claim this morning." }, { Cookie: alpha.cookie });
    expect(replied.status).toBe(302);
    const mail = (await emails()).find((e) => e.to === "bea@brand.test");
    expect(mail).toMatchObject({ subject: `Alpha Media replied on ${reference}` });
    expect(mail!.text).toContain("We removed the claim this morning.");
    expect((await auditOf(id)).at(-1)).toMatchObject({ action: "incident.partner_replied", actorLabel: "owner@alpha.test" });

    const adminPage = await read(await get(server, `/admin/incidents/${id}`, { Cookie: admin.cookie }));
    expect(adminPage).toContain("We removed the claim this morning.");
    expect(adminPage).toContain("Alma Owner (partner) replied");

    await changeStatus(app, actor, id, { status: "resolved", note: "Claim removed." });
    const late = await postForm(server, `/partner/incidents/${id}`, { body: "One more thing." }, { Cookie: alpha.cookie });
    expect(late.status).toBe(409);
    const partnerPage = await read(await get(server, `/partner/incidents/${id}`, { Cookie: alpha.cookie }));
    expect(partnerPage).toContain("Claim removed.");
  });
});

describe("who is told, in the app", () => {
  const bellOf = async (userId: string) =>
    (await app.db.select().from(notifications).where(eq(notifications.userId, userId))).map((n) => [n.kind, n.title, n.href]);

  it("tells the other admins an incident was opened, by hand or by the kill switch, and every partner member when it is shared", async () => {
    const other = await createUser(app.db, { role: "admin", email: "otto@brand.test" });
    const member = await createPartner(app, { org: alpha.org, role: "member", email: "member@alpha.test" });
    const { id, reference } = await open(alpha.org.id);
    // Whoever opened it is not told of their own act; the other admin is.
    expect(await bellOf(admin.id)).toEqual([]);
    expect(await bellOf(other.id)).toEqual([["incident_opened", `${reference} opened about Alpha Media: Energy claim on the blog`, `/admin/incidents/${id}`]]);

    await shareWithPartner(app, actor, id, ORIGIN);
    for (const person of [alpha.user, member.user]) {
      expect(await bellOf(person.id)).toEqual([["incident_shared", `${reference} shared with you: Energy claim on the blog`, `/partner/incidents/${id}`]]);
    }
    expect(await bellOf(beta.user.id)).toEqual([]);
    expect(
      (await emails())
        .filter((e) => e.subject.includes("shared an incident"))
        .map((e) => e.to)
        .sort(),
    ).toEqual(["member@alpha.test", "owner@alpha.test"]);

    await pausePartner(app, actor, beta.org.id, { reason: "Fraudulent clicks." }, ORIGIN);
    const [killSwitch] = await app.db.select().from(incidents).where(eq(incidents.organisationId, beta.org.id));
    expect((await bellOf(other.id)).map(([kind, , href]) => [kind, href])).toContainEqual(["incident_opened", `/admin/incidents/${killSwitch!.id}`]);
  });

  it("tells the incident's owner when the partner replies", async () => {
    const owner = await createUser(app.db, { role: "brand_reviewer", email: "bea@brand.test" });
    const { id, reference } = await open(alpha.org.id, { ownerId: owner.id });
    await shareWithPartner(app, actor, id, ORIGIN);
    await partnerReply(app, { id: alpha.user.id, label: "owner@alpha.test", name: "Alma Owner", partnerOrgId: alpha.org.id }, id, { body: "Fixed." }, ORIGIN);
    expect(await bellOf(owner.id)).toEqual([["incident_reply", `Alpha Media replied on ${reference}`, `/admin/incidents/${id}`]]);
  });
});

describe("the pages and their forms", () => {
  it("lists incidents with filters and paging, and an empty state", async () => {
    const empty = await read(await get(server, "/admin/incidents", { Cookie: admin.cookie }));
    expect(empty).toContain("No incidents yet");
    for (let i = 0; i < 26; i++) await open(i % 2 ? alpha.org.id : beta.org.id, { title: `Incident number ${i}`, severity: i === 3 ? "critical" : "low" });
    const first = documentOf(await read(await get(server, "/admin/incidents", { Cookie: admin.cookie })));
    expect(first.querySelectorAll("tbody tr")).toHaveLength(25);
    const second = documentOf(await read(await get(server, "/admin/incidents?page=2", { Cookie: admin.cookie })));
    expect(second.querySelectorAll("tbody tr")).toHaveLength(1);
    const critical = await read(await get(server, "/admin/incidents?severity=critical", { Cookie: admin.cookie }));
    expect(critical).toContain("Incident number 3");
    expect(critical).not.toContain("Incident number 4");
    const byPartner = documentOf(await read(await get(server, `/admin/incidents?partner=${alpha.org.id}`, { Cookie: admin.cookie })));
    expect(byPartner.querySelectorAll("tbody tr")).toHaveLength(13);
    const none = await read(await get(server, "/admin/incidents?status=resolved", { Cookie: admin.cookie }));
    expect(none).toContain("No incidents match");
  });

  it("opens one from a link's page, prefilled with the link and its partner", async () => {
    const link = await plainLink(app.db, alpha.org.id, { label: "Spring lamps" });
    const linkPage = documentOf(await read(await get(server, `/admin/links/${link.id}`, { Cookie: admin.cookie })));
    const href = linkPage.querySelector<HTMLAnchorElement>('#incidents a[href^="/admin/incidents/new"]')!.getAttribute("href")!;
    expect(href).toBe(`/admin/incidents/new?objectKind=link&objectId=${link.id}`);
    const form = await read(await get(server, href, { Cookie: admin.cookie }));
    expect(form).toContain("Alpha Media");
    expect(form).toContain(`Spring lamps (${link.code})`);
    const created = await postForm(
      server,
      "/admin/incidents/new",
      {
        organisationId: alpha.org.id,
        objectKind: "link",
        objectId: link.id,
        title: "Wrong price",
        kind: "misleading_claim",
        severity: "medium",
        description: "The price is wrong.",
        ownerId: "",
      },
      { Cookie: admin.cookie },
    );
    expect(created.status).toBe(302);
    const incidentPage = await read(await follow(server, created, admin.cookie));
    expect(incidentPage).toContain(`Spring lamps (${link.code})`);
    // The link's page lists it now.
    expect(await read(await get(server, `/admin/links/${link.id}`, { Cookie: admin.cookie }))).toContain("Wrong price");
  });

  it("lists a creative's incidents on its page, with the button to open one about its latest version", async () => {
    const { creative, version } = await creativeVersionOf(alpha.org.id, alpha.user.id);
    await open(alpha.org.id, { title: "Missing disclosure on the hero", object: { kind: "creative_version", id: version.id } });
    const page = documentOf(await read(await get(server, `/admin/creatives/${creative.id}`, { Cookie: admin.cookie })));
    expect(textOf(page.getElementById("incidents"))).toContain("Missing disclosure on the hero");
    expect(page.querySelector('#incidents a[href^="/admin/incidents/new"]')!.getAttribute("href")).toBe(
      `/admin/incidents/new?objectKind=creative_version&objectId=${version.id}`,
    );
  });

  it("refuses bad input on the new form with a message and keeps what was typed", async () => {
    const response = await postForm(
      server,
      "/admin/incidents/new",
      { organisationId: "nonsense", title: "  ", kind: "gossip", severity: "medium", description: "Kept description." },
      { Cookie: admin.cookie },
    );
    expect(response.status).toBe(400);
    const page = documentOf(await read(response));
    expect(textOf(page.getElementById("field-organisationId-error"))).toBe("Choose the partner from the list.");
    expect(textOf(page.getElementById("field-title-error"))).toBe("A title is required.");
    expect(textOf(page.getElementById("field-kind-error"))).toBe("Choose the kind of incident from the list.");
    expect(page.querySelector("#field-description")!.textContent).toBe("Kept description.");
    // An owner who does not work incidents: the domain's refusal, at its field.
    const analyst = await createUser(app.db, { role: "analyst" });
    const refused = await postForm(
      server,
      "/admin/incidents/new",
      { organisationId: alpha.org.id, title: "T", kind: "other", severity: "low", description: "D", ownerId: analyst.id },
      { Cookie: admin.cookie },
    );
    expect(refused.status).toBe(400);
    expect(textOf(documentOf(await read(refused)).getElementById("field-ownerId-error"))).toContain("Choose the owner from the list");
    expect(await app.db.select().from(incidents)).toHaveLength(0);
  });

  it("refuses bad input on each of the incident page's forms", async () => {
    const { id } = await open(alpha.org.id);
    const post = (fields: Record<string, string>) => postForm(server, `/admin/incidents/${id}`, fields, { Cookie: admin.cookie });
    const cases: [Record<string, string>, number, string][] = [
      [{ intent: "note", body: " ", visibility: "internal" }, 400, "The note is required."],
      [{ intent: "note", body: "Hello", visibility: "everyone" }, 400, "Choose who reads the note."],
      [{ intent: "status", status: "resolved", note: "" }, 400, "Say how it was resolved"],
      [{ intent: "status", status: "closed" }, 400, "Choose the status from the list."],
      [{ intent: "status", status: "open" }, 409, "This incident is already open."],
      [{ intent: "owner", ownerId: "someone" }, 400, "Choose the owner from the list."],
      [{ intent: "severity", severity: "apocalyptic" }, 400, "Choose the severity from the list."],
      [{ intent: "link" }, 400, "Choose an object from the list, or paste its id."],
      [{ intent: "link", objectKind: "link", objectId: "12345" }, 400, "That is not the id of a creative version, link or conversion"],
      [{ intent: "unshare" }, 409, "This incident is not shared with the partner."],
      [{ intent: "explode" }, 400, ""],
    ];
    for (const [fields, status, message] of cases) {
      const response = await post(fields);
      expect(response.status, JSON.stringify(fields)).toBe(status);
      expect(await read(response), JSON.stringify(fields)).toContain(message);
    }
    expect((await auditOf(id)).map((e) => e.action)).toEqual(["incident.opened"]);
  });

  it("refuses an empty reply from the partner", async () => {
    const { id } = await open(alpha.org.id);
    await shareWithPartner(app, actor, id, ORIGIN);
    const response = await postForm(server, `/partner/incidents/${id}`, { body: "   " }, { Cookie: alpha.cookie });
    expect(response.status).toBe(400);
    expect(textOf(documentOf(await read(response)).getElementById("field-body-error"))).toBe("Your reply is required.");
  });

  it("lets an analyst read an incident without its forms, and refuses their changes", async () => {
    const analyst = await signedIn(app, { role: "analyst", email: "sam@brand.test" });
    const { id } = await open(alpha.org.id);
    const page = await read(await get(server, `/admin/incidents/${id}`, { Cookie: analyst.cookie }));
    expect(page).toContain("Energy claim on the blog");
    expect(page).not.toContain("Add note");
    expect((await postForm(server, `/admin/incidents/${id}`, { intent: "note", body: "Hi", visibility: "internal" }, { Cookie: analyst.cookie })).status).toBe(
      403,
    );
    expect((await get(server, "/admin/incidents/new", { Cookie: analyst.cookie })).status).toBe(403);
  });
});
