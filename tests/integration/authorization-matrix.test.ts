import { randomUUID } from "node:crypto";
import path from "node:path";
import { Readable } from "node:stream";
import { count } from "drizzle-orm";
import type { ServerBuild } from "@remix-run/node";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import {
  apiKeys,
  applicationReplies,
  assets,
  assetVersions,
  auditEvents,
  claims,
  conversions,
  creativeFiles,
  creatives,
  creativeVersionFiles,
  creativeVersions,
  incidentEvents,
  incidents,
  kits,
  notifications,
  outboxMessages,
  policyAcceptances,
  trackingLinks,
  webhookDeliveries,
  webhookEndpoints,
} from "#db/schema/index";
import { creativeFileKey } from "~/domain/creatives/files.server";
import { acceptPolicyVersion, policyStandingFor } from "~/domain/policies/acceptance.server";
import { resetDatabase } from "../support/db";
import { createApprovedApplication, createPartnerOrg, createUser, publishPolicy, sessionCookieFor } from "../support/context";
import { get, postForm, startTestServer, type TestServer } from "../support/http";

/**
 * Every route of the build × every method it answers × every role, against
 * one table (ARCHITECTURE.md §2: a route missing from it fails the suite).
 * Security test plan checks 1 (cross-tenant replay), 2 (vertical escalation).
 */

const ROLES = ["anonymous", "owner", "member", "gated", "foreign", "analyst", "brand_reviewer", "legal_reviewer", "admin"] as const;
type Role = (typeof ROLES)[number];
type Internal = "analyst" | "brand_reviewer" | "legal_reviewer" | "admin";
const INTERNAL: readonly Internal[] = ["analyst", "brand_reviewer", "legal_reviewer", "admin"];
const ALL_INTERNAL = INTERNAL;

/**
 * What a request answers. Numbers are exact statuses; "login" is 302 to the
 * login page, "policies" 302 to the policy gate, "home" 302 to the signed-in
 * user's home (pages for visitors only), "acts" a POST the role may send: with
 * an empty form it gets a validation answer or a redirect, never a refusal or 500.
 * 401 is the API's refusal (/api/v1): no session role can use it, since only
 * an API key in the Authorization header authenticates there.
 */
type Expect = 200 | 400 | 401 | 403 | 404 | 405 | "login" | "policies" | "home" | "redirect" | "acts";
type PerRole = Record<Role, Expect>;
type Spec = { get?: PerRole; post?: PerRole } | "layout";

const REFUSALS: ReadonlySet<Expect> = new Set<Expect>([401, 403, 404, 405, "login", "policies", "home"]);

function perRole(base: Expect, overrides: Partial<PerRole> = {}): PerRole {
  return { ...(Object.fromEntries(ROLES.map((r) => [r, base])) as PerRole), ...overrides };
}

/** Internal area: visitors log in, partners get 404 (the area does not exist for them), other staff 403. */
function internalGate(roles: readonly Internal[], allowed: Expect): PerRole {
  const staff = Object.fromEntries(INTERNAL.map((r) => [r, roles.includes(r) ? allowed : 403])) as Record<Internal, Expect>;
  return { anonymous: "login", owner: 404, member: 404, gated: 404, foreign: 404, ...staff };
}

function internal(roles: readonly Internal[], options: { post?: readonly Internal[]; got?: Expect } = {}): Spec {
  return { get: internalGate(roles, options.got ?? 200), ...(options.post ? { post: internalGate(options.post, "acts") } : {}) };
}
function internalAction(roles: readonly Internal[]): Spec {
  return { post: internalGate(roles, "acts") };
}

/**
 * Partner area. `access` is the guard's: a page sends a gated partner to the
 * policies, a resource answers 403, an open page (the policies themselves)
 * lets them in. `foreign` is what the partner of organisation B gets with
 * organisation A's ids: 404 for what A owns, 200 for what is the program's.
 */
function partner(
  options: {
    access?: "page" | "resource" | "open";
    got?: Expect;
    foreign?: Expect;
    foreignPost?: Expect;
    owner?: Expect;
    member?: Expect;
    post?: "owner" | "partner";
  } = {},
): Spec {
  const access = options.access ?? "page";
  const got = options.got ?? 200;
  const gatedGet: Expect = access === "page" ? "policies" : access === "resource" ? 403 : got;
  const base = {
    anonymous: "login",
    gated: gatedGet,
    foreign: options.foreign ?? got,
    analyst: 404,
    brand_reviewer: 404,
    legal_reviewer: 404,
    admin: 404,
  } as const;
  const spec: { get: PerRole; post?: PerRole } = { get: { ...base, owner: options.owner ?? got, member: options.member ?? got } };
  if (options.post) {
    spec.post = {
      ...base,
      gated: access === "open" ? "acts" : 403,
      foreign: options.foreignPost ?? (options.foreign === 404 ? 404 : "acts"),
      owner: "acts",
      member: options.post === "owner" ? 403 : "acts",
    };
  }
  return spec;
}

/** A route that answers POST only (an endpoint a page's script calls): the POST half of `spec`. */
function postOnly(spec: Spec): Spec {
  if (spec === "layout" || !spec.post) throw new Error("postOnly needs a spec with a POST");
  return { post: spec.post };
}

/** Open to everyone, signed in or not. */
function publicPage(options: { got?: Expect; post?: Expect } = {}): Spec {
  return { get: perRole(options.got ?? 200), ...(options.post ? { post: perRole(options.post) } : {}) };
}

/** For visitors only (login, forgot password): a signed-in user is sent home. */
function visitorsOnly(): Spec {
  return { get: perRole("home", { anonymous: 200 }), post: perRole("home", { anonymous: "acts" }) };
}

const MANAGERS = ["admin", "brand_reviewer"] as const satisfies readonly Internal[];
const REVIEWERS = ["admin", "brand_reviewer"] as const satisfies readonly Internal[];
const AUTHORS = ["admin", "legal_reviewer"] as const satisfies readonly Internal[];
const CLAIM_EDITORS = ["admin", "brand_reviewer", "legal_reviewer"] as const satisfies readonly Internal[];
const AUDIT = ["admin", "analyst"] as const satisfies readonly Internal[];
const DOWNLOAD_LOG = ["admin", "brand_reviewer", "analyst"] as const satisfies readonly Internal[];
const ADMIN = ["admin"] as const satisfies readonly Internal[];
const CREATIVE_READERS = ["admin", "brand_reviewer", "legal_reviewer", "analyst"] as const satisfies readonly Internal[];
const CREATIVE_REVIEWERS = ["admin", "brand_reviewer", "legal_reviewer"] as const satisfies readonly Internal[];
const CONVERSION_READERS = ["admin", "analyst"] as const satisfies readonly Internal[];
const INCIDENT_MANAGERS = ["admin", "brand_reviewer", "legal_reviewer"] as const satisfies readonly Internal[];
const REPORT_READERS = ["admin", "analyst"] as const satisfies readonly Internal[];

/**
 * The file routes past their guard: the objects made here carry no file (a
 * guideline asset, a reply without attachment, an empty kit), so a role let
 * through gets the route's own 404, where a refused one gets 403/404/login.
 */
const NO_FILE = 404;

/** THE table: one entry per route id of the build. */
const MATRIX: Record<string, Spec> = {
  root: "layout",
  "routes/admin": "layout",
  "routes/partner": "layout",

  "routes/$": publicPage({ got: 404, post: 404 }),
  "routes/_index": publicPage(),
  "routes/privacy": publicPage(),
  "routes/healthz": publicPage(),
  "routes/brand.$file": publicPage({ got: 404 }),
  "routes/apply": publicPage({ post: 400 }),
  "routes/apply_.amend": publicPage({ post: "acts" }),
  "routes/apply_.status": publicPage({ post: 400 }),
  "routes/apply_.submitted": publicPage({ got: "redirect" }),
  "routes/invitation": publicPage({ post: 400 }),
  "routes/reset-password": publicPage({ post: 400 }),
  "routes/setup": publicPage({ got: 404, post: 404 }),
  "routes/login": visitorsOnly(),
  "routes/forgot-password": visitorsOnly(),
  // Signing out works for anyone; tested apart below (it ends the session).
  "routes/logout": { get: perRole("redirect"), post: perRole("redirect") },
  // Any signed-in user manages their own account; the policy gate does not stand between a partner and their password.
  "routes/account": { get: perRole(200, { anonymous: "login" }), post: perRole("acts", { anonymous: "login" }) },

  "routes/admin._index": internal(ALL_INTERNAL),
  "routes/admin.applications._index": internal(REVIEWERS),
  "routes/admin.applications.$applicationId": internal(REVIEWERS, { post: REVIEWERS }),
  "routes/admin.applications.$applicationId.replies.$replyId": internal(REVIEWERS, { got: NO_FILE }),
  "routes/admin.fit-score": internal(REVIEWERS),
  "routes/admin.assets._index": internal(MANAGERS),
  "routes/admin.assets.new": internal(MANAGERS, { post: MANAGERS }),
  "routes/admin.assets.upload": internalAction(MANAGERS),
  "routes/admin.assets.$assetId": internal(MANAGERS, { post: MANAGERS }),
  "routes/admin.assets.$assetId.original": internal(MANAGERS, { got: NO_FILE }),
  "routes/admin.assets.$assetId.preview": internal(MANAGERS, { got: NO_FILE }),
  "routes/admin.kits._index": internal(MANAGERS, { post: MANAGERS }),
  "routes/admin.kits.$kitId": internal(MANAGERS, { post: MANAGERS }),
  "routes/admin.downloads": internal(DOWNLOAD_LOG),
  "routes/admin.downloads[.]csv": internal(DOWNLOAD_LOG),
  "routes/admin.claims._index": internal(CLAIM_EDITORS),
  "routes/admin.claims.new": internal(CLAIM_EDITORS, { post: CLAIM_EDITORS }),
  "routes/admin.claims.$claimId": internal(CLAIM_EDITORS, { post: CLAIM_EDITORS }),
  "routes/admin.policies._index": internal(AUTHORS, { post: ADMIN }),
  "routes/admin.policies.$policyId": internal(AUTHORS, { post: AUTHORS }),
  "routes/admin.policies.$policyId_.coverage": internal(AUTHORS, { post: AUTHORS }),
  "routes/admin.partners._index": internal(ALL_INTERNAL),
  "routes/admin.partners[.]csv": internal(ALL_INTERNAL),
  "routes/admin.partners.$partnerId": internal(ALL_INTERNAL, { post: ADMIN }),
  // A partner's clicks and conversions by day as CSV (issue 16): every internal role reads link stats.
  "routes/admin.partners.$partnerId.performance[.]csv": internal(ALL_INTERNAL),
  "routes/admin.audit": internal(AUDIT, { post: AUDIT }),
  "routes/admin.audit[.]csv": internal(AUDIT),
  "routes/admin.outbox._index": internal(ADMIN),
  "routes/admin.outbox.$messageId": internal(ADMIN),
  "routes/admin.users": internal(ADMIN, { post: ADMIN }),
  "routes/admin.settings": internal(ADMIN, { post: ADMIN }),
  "routes/admin.settings_.logo": internal(ADMIN, { post: ADMIN }),
  // The settings area (issue 17): the email sender is the admin's; the policies gate is read by policy authors.
  "routes/admin.settings_.email": internal(ADMIN, { post: ADMIN }),
  "routes/admin.settings_.policies": internal(AUTHORS),
  "routes/admin.settings_.prescreen": internal(ADMIN, { post: ADMIN }),
  "routes/admin.settings_.review": internal(ADMIN, { post: ADMIN }),
  // Links (issue 15): every internal role reads them; disabling and enabling are the reviewers' and the admin's
  // (an empty form is a 400 before any link is read); the link settings are the admin's.
  "routes/admin.links._index": internal(ALL_INTERNAL),
  "routes/admin.links.$linkId": internal(ALL_INTERNAL, { post: ["admin", "brand_reviewer", "legal_reviewer"] }),
  "routes/admin.settings_.links": internal(ADMIN, { post: ADMIN }),
  // Conversions (issue 16): admins and analysts read them; the settings are the admin's; every internal role reads a
  // partner's coupon codes, admins make and disable them (an empty form is a 400 before any coupon is read).
  "routes/admin.conversions._index": internal(CONVERSION_READERS),
  "routes/admin.conversions.$conversionId": internal(CONVERSION_READERS),
  "routes/admin.settings_.conversions": internal(ADMIN, { post: ADMIN }),
  "routes/admin.partners.$partnerId_.coupons": internal(ALL_INTERNAL, { post: ADMIN }),
  // Submissions only: the seeded creative is submitted, its file part of version 1 (a stored object, so readers get 200).
  "routes/admin.creatives._index": internal(CREATIVE_READERS),
  // Analysts read the review page; deciding and revoking are the reviewers' (an empty form is a 400 before any rule is read).
  "routes/admin.creatives.$creativeId": internal(CREATIVE_READERS, { post: CREATIVE_REVIEWERS }),
  "routes/admin.creatives.$creativeId.files.$fileId": internal(CREATIVE_READERS),
  // Claim and release: the reviewers of either stage; an empty form is a 400 before any creative is read.
  "routes/admin.creatives.$creativeId.assignment": internalAction(CREATIVE_REVIEWERS),
  // The seeded creative has one version: compared with itself, 200 for every reader.
  "routes/admin.creatives.$creativeId_.compare": internal(CREATIVE_READERS),
  // The seeded file is an image: past the guard, its page 1 is the route's own 404 (only PDFs have rendered pages).
  "routes/admin.creatives.$creativeId.files.$fileId.pages.$page": internal(CREATIVE_READERS, { got: NO_FILE }),
  // Analysts read the review but never comment.
  "routes/admin.creatives.$creativeId.comments": internalAction(CREATIVE_REVIEWERS),

  "routes/partner._index": partner(),
  "routes/partner.assets._index": partner(),
  "routes/partner.assets.$assetId": partner(),
  "routes/partner.assets.$assetId.download": partner({ access: "resource", got: NO_FILE }),
  "routes/partner.assets.$assetId.preview": partner({ access: "resource", got: NO_FILE }),
  "routes/partner.kits.$kitId.download": partner({ access: "resource", got: NO_FILE }),
  "routes/partner.claims": partner(),
  "routes/partner.claims[.]csv": partner({ access: "resource" }),
  "routes/partner.policies._index": partner({ access: "open" }),
  "routes/partner.policies.$policyId": partner({ access: "open", post: "partner" }),
  "routes/partner.policies.receipts.$acceptanceId": partner({ access: "open", foreign: 404 }),
  "routes/partner.creatives._index": partner(),
  "routes/partner.creatives.new": partner({ post: "partner" }),
  // Another organisation's creative is 404 to read; an empty form is refused as unreadable (400) before any creative is looked up.
  "routes/partner.creatives.$creativeId": partner({ foreign: 404, post: "partner" }),
  "routes/partner.creatives.$creativeId.files": postOnly(partner({ access: "resource", foreign: 404, post: "partner" })),
  "routes/partner.creatives.$creativeId.files.$fileId": partner({ access: "resource", foreign: 404 }),
  "routes/partner.creatives.$creativeId.files.$fileId.pages.$page": partner({ access: "resource", got: NO_FILE, foreign: 404 }),
  // The live check takes JSON: an empty form is a 400 for every partner, a gated one is refused first.
  "routes/partner.creatives.prescreen": postOnly(partner({ access: "resource", post: "partner" })),
  // Tracking links, the partner's side: any member reads them and makes evergreen links (an empty form is a 400);
  // another organisation's link is 404, and so are its QR codes and its clicks as CSV (files: a gated partner gets 403).
  "routes/partner.links._index": partner(),
  "routes/partner.links.new": partner({ post: "partner" }),
  "routes/partner.links.help": partner(),
  "routes/partner.links.$linkId": partner({ foreign: 404 }),
  "routes/partner.links.$linkId.qr[.]svg": partner({ access: "resource", foreign: 404 }),
  "routes/partner.links.$linkId.qr[.]png": partner({ access: "resource", foreign: 404 }),
  "routes/partner.links.$linkId.clicks[.]csv": partner({ access: "resource", foreign: 404 }),
  // Coupon codes: any member reads their organisation's; the owner adds and disables them (an empty form is a 400).
  "routes/partner.links.coupons": partner({ post: "owner" }),
  // The organisation's own clicks and conversions by day as CSV: always the session's organisation, so no foreign object to ask for.
  "routes/partner.links.performance[.]csv": partner({ access: "resource" }),
  // The partner's own reports (issue 18): every member reads them, about its own organisation only (the session's, never the address's),
  // so B's partner gets its own figures, a 200; the CSVs are files (a gated partner gets 403).
  "routes/partner.reports": "layout",
  "routes/partner.reports._index": partner(),
  "routes/partner.reports.review": partner(),
  "routes/partner.reports.health": partner(),
  "routes/partner.reports.performance[.]csv": partner({ access: "resource" }),
  "routes/partner.reports.review[.]csv": partner({ access: "resource" }),
  "routes/partner.reports.health[.]csv": partner({ access: "resource" }),
  "routes/partner.team": partner({ post: "owner" }),
  "routes/partner.team_.remove.$userId": partner({ member: 403, foreign: 404, post: "owner" }),

  // API keys (issue 16): admins only. An empty "new key" form is a 400; revoking needs no field, so the admin's POST revokes the seeded key.
  "routes/admin.api-keys._index": internal(ADMIN),
  "routes/admin.api-keys.new": internal(ADMIN, { post: ADMIN }),
  "routes/admin.api-keys.$keyId.revoke": internal(ADMIN, { post: ADMIN }),
  // The API: only a key authenticates, so every session (and no session) gets 401; it answers GET only (POST: 405,
  // reached because the matrix's same-origin POST passes the origin check). Unknown API paths are a problem 404.
  "routes/api.v1.links": { get: perRole(401), post: perRole(405) },
  "routes/api.v1.$": publicPage({ got: 404, post: 404 }),
  "routes/api.v1.conversions": { get: perRole(405), post: perRole(401) },
  "routes/api.v1.conversions_.$orderId": { get: perRole(401), post: perRole(405) },
  "routes/api.v1.conversions_.$orderId.refunds": { get: perRole(405), post: perRole(401) },
  // The API's contract is public, like any API reference: it holds no program data beyond the program's name.
  "routes/api.v1.openapi[.]json": publicPage({ post: 405 }),
  // The performance report (issue 16): a key with reports:read only, GET only.
  "routes/api.v1.reports.performance": { get: perRole(401), post: perRole(405) },
  // The API's reference: those who wire the brand's systems to it (admins) and build reports on it (analysts).
  "routes/admin.api": internal(["admin", "analyst"]),

  // Incidents (issue 17 point 2): the whole brand team reads them; admins and reviewers open and work them
  // (an empty form is a 400 before the incident is read).
  "routes/admin.incidents._index": internal(ALL_INTERNAL),
  "routes/admin.incidents.new": internal(INCIDENT_MANAGERS, { post: INCIDENT_MANAGERS }),
  "routes/admin.incidents.$incidentId": internal(ALL_INTERNAL, { post: INCIDENT_MANAGERS }),
  // The partner's side: organisation A's shared incident is 404 to B's partner, to read and to reply (looked up before the form is read).
  "routes/partner.incidents._index": partner(),
  "routes/partner.incidents.$incidentId": partner({ foreign: 404, post: "partner" }),
  // Notifications (issue 17): every signed-in person reads and marks their own (a gated partner too: what gated them is
  // one of them); an empty form is a 400. Opening one is POST only: the seeded notification is the owner's, so the owner
  // is sent to its page and everyone else, the owner's own colleagues included, gets 404.
  "routes/notifications._index": { get: perRole(200, { anonymous: "login" }), post: perRole("acts", { anonymous: "login" }) },
  "routes/notifications.$notificationId.open": { post: perRole(404, { anonymous: "login", owner: "redirect" }) },
  // Webhooks (issue 17 §3): admins only. Empty forms are a 400 (no intent, no URL, no confirmation); the delivery
  // page's only POST is "redeliver", refused as a conflict (409) for the seeded delivery, which is still pending.
  "routes/admin.webhooks._index": internal(ADMIN, { post: ADMIN }),
  "routes/admin.webhooks.new": internal(ADMIN, { post: ADMIN }),
  "routes/admin.webhooks.events": internal(ADMIN),
  "routes/admin.webhooks.$webhookId": internal(ADMIN, { post: ADMIN }),
  "routes/admin.webhooks.$webhookId_.delete": internal(ADMIN, { post: ADMIN }),
  "routes/admin.webhooks.$webhookId_.deliveries.$deliveryId": internal(ADMIN, { post: ADMIN }),
  // Reports (issue 18): admins and analysts read every tab and export its tables; nothing there takes a POST.
  "routes/admin.reports": "layout",
  "routes/admin.reports._index": internal(REPORT_READERS),
  "routes/admin.reports.performance[.]csv": internal(REPORT_READERS),
  "routes/admin.reports.workflow": internal(REPORT_READERS),
  "routes/admin.reports.workflow[.]csv": internal(REPORT_READERS),
  // Brand & trust (issue 18): every partner's compliance, incidents and health score, so admins and analysts only.
  "routes/admin.reports.trust": internal(REPORT_READERS),
  "routes/admin.reports.trust[.]csv": internal(REPORT_READERS),
};

let server: TestServer;
let build: ServerBuild;
const cookies = new Map<Role, string>();
const ids: Record<string, string> = {};

function fullPath(id: string): string {
  const route = build.routes[id]!;
  const parent = route.parentId ? fullPath(route.parentId) : "";
  return [parent, route.path ?? ""].filter(Boolean).join("/");
}

function urlOf(id: string): string {
  const concrete = fullPath(id)
    .replace(/:([A-Za-z]+)/g, (_m, name: string) => {
      const value = ids[name];
      if (!value) throw new Error(`${id}: no object for :${name}; create one in beforeAll`);
      return value;
    })
    .replace(/\*$/, "no-such-page");
  return `/${concrete}`;
}

// Each role's requests come from its own address (behind the trusted loopback
// proxy), so the per-address flood limit of writes never answers 429 here.
const addressOf = (role: Role) => `198.51.100.${ROLES.indexOf(role) + 10}`;
function headersOf(role: Role): Record<string, string> {
  const cookie = cookies.get(role);
  return { "X-Forwarded-For": addressOf(role), ...(cookie ? { Cookie: cookie } : {}) };
}

type Case = { routeId: string; method: "GET" | "POST"; role: Role; expected: Expect };
type Outcome = Case & { status: number; location: string | null };

async function send(c: Case): Promise<Outcome> {
  const route = build.routes[c.routeId]!;
  let url = urlOf(c.routeId);
  if (c.method === "POST" && route.index) url += "?index";
  const response = c.method === "GET" ? await get(server, url, headersOf(c.role)) : await postForm(server, url, {}, headersOf(c.role));
  await response.arrayBuffer();
  return { ...c, status: response.status, location: response.headers.get("location") };
}

function matches(o: Outcome): boolean {
  const loc = o.location ?? "";
  switch (o.expected) {
    case "login":
      return o.status === 302 && loc.startsWith("/login?redirectTo=");
    case "policies":
      return o.status === 302 && loc.startsWith("/partner/policies?redirectTo=");
    case "home":
      return o.status === 302 && (loc === "/partner" || loc === "/admin");
    case "redirect":
      return (o.status === 302 || o.status === 303) && !loc.startsWith("/login?redirectTo=");
    case "acts":
      return [200, 302, 303, 400, 409, 413, 415, 422].includes(o.status) && !loc.startsWith("/login") && !loc.startsWith("/partner/policies");
    default:
      return o.status === o.expected;
  }
}

const describeOutcome = (o: Outcome) => `${o.method} ${o.routeId} as ${o.role}: expected ${o.expected}, got ${o.status}${o.location ? ` → ${o.location}` : ""}`;

/** A few at a time: one server, one database. */
async function runAll(cases: Case[], width = 6): Promise<Outcome[]> {
  const outcomes: Outcome[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: width }, async () => {
      while (next < cases.length) {
        const c = cases[next++]!;
        outcomes.push(await send(c));
      }
    }),
  );
  return outcomes;
}

async function auditCount(): Promise<number> {
  const [row] = await server.app.db.select({ n: count() }).from(auditEvents);
  return row!.n;
}

beforeAll(async () => {
  server = await startTestServer({ configure: (config) => ({ ...config, trustProxy: "loopback" }) });
  build = (await import(path.resolve("build/remix/index.js"))) as ServerBuild;
  const db = server.app.db;
  await resetDatabase(db);

  // A required policy with a published version.
  ids.policyId = (await publishPolicy(server.app, { title: "Program terms", body: "Be honest." })).policyId;

  const orgA = await createPartnerOrg(db, "Alpha Media");
  const orgB = await createPartnerOrg(db, "Beta Media");
  ids.partnerId = orgA.id;
  const users = {
    owner: await createUser(db, { role: "partner", partnerOrgId: orgA.id, partnerRole: "owner", email: "owner@alpha.test" }),
    member: await createUser(db, { role: "partner", partnerOrgId: orgA.id, partnerRole: "member", email: "member@alpha.test" }),
    gated: await createUser(db, { role: "partner", partnerOrgId: orgA.id, partnerRole: "owner", email: "gated@alpha.test" }),
    foreign: await createUser(db, { role: "partner", partnerOrgId: orgB.id, partnerRole: "owner", email: "owner@beta.test" }),
    analyst: await createUser(db, { role: "analyst", email: "analyst@brand.test" }),
    brand_reviewer: await createUser(db, { role: "brand_reviewer", email: "brand@brand.test" }),
    legal_reviewer: await createUser(db, { role: "legal_reviewer", email: "legal@brand.test" }),
    admin: await createUser(db, { role: "admin", email: "admin@brand.test" }),
  };
  // The member the owner's "remove" page is about: not one of the roles above, whose sessions must live on.
  const spare = await createUser(db, { role: "partner", partnerOrgId: orgA.id, partnerRole: "member", email: "spare@alpha.test" });
  ids.userId = spare.id;
  for (const [role, user] of Object.entries(users) as [Role, { id: string }][]) cookies.set(role, await sessionCookieFor(server.app, user.id));

  for (const who of [users.owner, users.member, users.foreign, spare]) {
    for (const p of await policyStandingFor(db, who.id)) {
      if (p.state === "accepted") continue;
      const partnerOrgId = who === users.foreign ? orgB.id : orgA.id;
      const partnerRole = who === users.owner || who === users.foreign ? "owner" : "member";
      await acceptPolicyVersion(
        server.app,
        { id: who.id, email: who.email, partnerOrgId, partnerRole },
        { versionId: p.versionId, contentHash: p.contentHash },
        { ip: "198.51.100.1", userAgent: "vitest" },
      );
    }
  }
  const [ownReceipt] = (await db.select().from(policyAcceptances)).filter((a) => a.userId === users.owner.id);
  ids.acceptanceId = ownReceipt!.id;

  const application = await createApprovedApplication(db, orgA.id, {
    reference: "APP-MATRIX-0001",
    company: "Alpha Media Ltd",
    contactName: "Ada Owner",
    email: "owner@alpha.test",
    domain: "alpha.test",
  });
  ids.applicationId = application.id;
  const [reply] = await db.insert(applicationReplies).values({ applicationId: application.id, revision: 2, message: "More about us." }).returning();
  ids.replyId = reply!.id;

  const [asset] = await db.insert(assets).values({ kind: "guideline", title: "Brand guideline" }).returning();
  await db.insert(assetVersions).values({ assetId: asset!.id, number: 1, body: "A page." });
  ids.assetId = asset!.id;
  const [kit] = await db.insert(kits).values({ name: "Starter kit" }).returning();
  ids.kitId = kit!.id;
  const [claim] = await db
    .insert(claims)
    .values({
      text: "Lasts 25,000 hours.",
      disclaimers: ["Lab tests."],
      category: "performance",
      channels: ["website_blog"],
      regions: ["europe"],
      reviewBy: "2099-01-01",
    })
    .returning();
  ids.claimId = claim!.id;
  const [message] = await db
    .insert(outboxMessages)
    .values({ kind: "email", payload: { to: "owner@alpha.test", subject: "Welcome", text: "Hello", html: "<p>Hello</p>" } })
    .returning();
  ids.messageId = String(message!.id);
  const [notification] = await db
    .insert(notifications)
    .values({ userId: users.owner.id, kind: "link_disabled", title: "Matrix", href: "/partner/links", subjectType: "tracking_link", subjectId: "matrix" })
    .returning();
  ids.notificationId = String(notification!.id);
  ids.file = "logo.png";
  ids.page = "1";

  // A submitted creative of the owner's organisation (A), its one file stored and part of version 1.
  const [creative] = await db
    .insert(creatives)
    .values({
      organisationId: orgA.id,
      status: "submitted",
      title: "Spring launch",
      channel: "website_blog",
      copy: "Bright light.",
      latestVersion: 1,
      submittedAt: new Date(),
      createdById: users.owner.id,
    })
    .returning();
  ids.creativeId = creative!.id;
  ids.fileId = randomUUID();
  const stored = await server.app.storage.put(creativeFileKey(creative!.id, ids.fileId), Readable.from([Buffer.from("not really a png")]), {
    maxBytes: 1024,
    contentType: "image/png",
  });
  await db.insert(creativeFiles).values({
    id: ids.fileId,
    creativeId: creative!.id,
    kind: "image",
    storageKey: stored.key,
    contentType: "image/png",
    originalFilename: "banner.png",
    byteSize: stored.size,
    sha256: stored.sha256,
    uploadedById: users.owner.id,
  });
  const [version] = await db
    .insert(creativeVersions)
    .values({
      creativeId: creative!.id,
      number: 1,
      title: "Spring launch",
      channel: "website_blog",
      placement: "",
      destinationUrl: "",
      copy: "Bright light.",
      claims: [],
      disclosure: "",
      findings: [],
      ruleSetVersion: 0,
      submittedById: users.owner.id,
      submittedAt: new Date(),
    })
    .returning();
  await db.insert(creativeVersionFiles).values({ versionId: version!.id, fileId: ids.fileId, position: 0 });

  // An evergreen link of the owner's organisation (A): the partner's link page, its QR codes and its CSV.
  const [link] = await db
    .insert(trackingLinks)
    .values({
      code: "MatrixA1",
      organisationId: orgA.id,
      kind: "evergreen",
      label: "Matrix link",
      destinationUrl: "https://alpha.test/",
      utmSource: orgA.slug,
      utmMedium: "website_blog",
      utmCampaign: "evergreen",
      utmContent: "matrix-link",
    })
    .returning();
  ids.linkId = link!.id;

  // An API key, for its revocation page.
  const [key] = await db
    .insert(apiKeys)
    .values({ name: "Matrix shop", prefix: "cb_live_Matrix", tokenHash: "0".repeat(64), scopes: ["links:read"], createdById: users.admin.id })
    .returning();
  ids.keyId = key!.id;
  // An unattributed conversion: the admin's conversion page.
  const [conversion] = await db
    .insert(conversions)
    .values({
      orderId: "ORD-MATRIX-1",
      amountMinor: 4999,
      currency: "USD",
      occurredAt: new Date(),
      receivedAt: new Date(),
      attributedBy: "none",
      attributionModel: "last_click",
      attributionWindowDays: 30,
    })
    .returning();
  ids.conversionId = conversion!.id;
  ids.orderId = conversion!.orderId;

  // An incident about organisation A, shared with it: the admin's incident page and the partner's.
  const [incident] = await db
    .insert(incidents)
    .values({
      organisationId: orgA.id,
      title: "Matrix incident",
      kind: "other",
      severity: "low",
      description: "Something to look at.",
      sharedWithPartner: true,
      openedAt: new Date(),
      updatedAt: new Date(),
    })
    .returning();
  await db
    .insert(incidentEvents)
    .values({ incidentId: incident!.id, kind: "opened", visibility: "partner", body: "Something to look at.", createdAt: new Date() });
  ids.incidentId = incident!.id;
  // A webhook endpoint with one delivery waiting: its page, its delete confirmation and the delivery's page.
  const [endpoint] = await db
    .insert(webhookEndpoints)
    .values({
      url: "https://hooks.example.com/cobrand",
      eventTypes: ["partner.*"],
      secret: "whsec_MatrixMatrixMatrixMatrixMatrixMatrix0000",
      createdById: users.admin.id,
    })
    .returning();
  ids.webhookId = endpoint!.id;
  const [delivery] = await db
    .insert(webhookDeliveries)
    .values({
      endpointId: endpoint!.id,
      messageId: "msg_matrix",
      eventType: "partner.paused",
      payload: { type: "partner.paused", timestamp: new Date().toISOString(), data: {} },
    })
    .returning();
  ids.deliveryId = String(delivery!.id);
});
afterAll(() => server.close());

function specOf(routeId: string): Spec {
  const spec = MATRIX[routeId];
  if (!spec) throw new Error(`route ${routeId} is not in the authorization matrix: classify it in MATRIX`);
  return spec;
}

function casesFor(method: "GET" | "POST", filter: (c: Case) => boolean): Case[] {
  const cases: Case[] = [];
  for (const routeId of Object.keys(build.routes)) {
    const spec = specOf(routeId);
    if (spec === "layout" || (method === "POST" && routeId === "routes/logout")) continue;
    const perRoleSpec = method === "GET" ? spec.get : spec.post;
    if (!perRoleSpec) continue;
    for (const role of ROLES) {
      const c: Case = { routeId, method, role, expected: perRoleSpec[role] };
      if (filter(c)) cases.push(c);
    }
  }
  return cases;
}

describe("the authorization matrix", () => {
  it("classifies every route of the build, with exactly the methods each answers", () => {
    const unclassified = Object.keys(build.routes).filter((id) => !MATRIX[id]);
    expect(unclassified, "routes missing from MATRIX in tests/integration/authorization-matrix.test.ts").toEqual([]);
    const stale = Object.keys(MATRIX).filter((id) => !build.routes[id]);
    expect(stale, "MATRIX entries for routes that no longer exist").toEqual([]);
    const mismatched: string[] = [];
    for (const [id, route] of Object.entries(build.routes)) {
      const spec = MATRIX[id]!;
      const layout = spec === "layout";
      if (layout) {
        // A layout is reached only through its children; the children carry their own guards.
        if (id !== "root" && !Object.values(build.routes).some((r) => r.parentId === id)) mismatched.push(`${id}: a layout without children`);
        continue;
      }
      const answersGet = Boolean(route.module.loader || route.module.default);
      const answersPost = Boolean(route.module.action);
      if (answersGet !== Boolean(spec.get)) mismatched.push(`${id}: GET ${answersGet ? "answered but not in the table" : "in the table but not answered"}`);
      if (answersPost !== Boolean(spec.post)) mismatched.push(`${id}: POST ${answersPost ? "answered but not in the table" : "in the table but not answered"}`);
    }
    expect(mismatched).toEqual([]);
    expect(Object.keys(build.routes).length).toBeGreaterThanOrEqual(60);
  });

  it("refuses every POST of a role that may not act, and the refused requests change nothing", async () => {
    const before = await auditCount();
    const outcomes = await runAll(casesFor("POST", (c) => REFUSALS.has(c.expected)));
    expect(outcomes.length).toBeGreaterThan(100);
    expect(outcomes.filter((o) => !matches(o)).map(describeOutcome)).toEqual([]);
    expect(await auditCount()).toBe(before);
  });

  it("refuses, and logs as authz_fail, the intents only some of a page's roles may send", async () => {
    const warn = vi.spyOn(server.app.log, "warn");
    const before = await auditCount();
    const intents: [Role, string, Record<string, string>][] = [
      ["brand_reviewer", `/admin/claims/${ids.claimId}`, { intent: "approve" }],
      ["admin", `/admin/claims/${ids.claimId}`, { intent: "approve" }],
      ["brand_reviewer", `/admin/claims/${ids.claimId}`, { intent: "retire" }],
      ["legal_reviewer", `/admin/policies/${ids.policyId}`, { intent: "set_required", required: "on" }],
      // The kill switch is the admin's alone, whoever else reads the partner page.
      ["brand_reviewer", `/admin/partners/${ids.partnerId}`, { intent: "pause", reason: "Not mine to pause." }],
      ["analyst", `/admin/partners/${ids.partnerId}`, { intent: "resume" }],
      ["legal_reviewer", `/admin/partners/${ids.partnerId}`, { intent: "terminate", reason: "Not mine to end.", confirmation: "Alpha Media" }],
    ];
    for (const [role, url, form] of intents) {
      const response = await postForm(server, url, form, headersOf(role));
      expect(response.status, `${form.intent} as ${role}`).toBe(403);
    }
    const refusals = warn.mock.calls.filter(([event]) => event === "authz_fail");
    expect(refusals).toHaveLength(intents.length);
    expect(await auditCount()).toBe(before);
    warn.mockRestore();
  });

  it("answers every GET of every role as the table says", async () => {
    const outcomes = await runAll(casesFor("GET", () => true));
    expect(outcomes.filter((o) => !matches(o)).map(describeOutcome)).toEqual([]);
  });

  it("lets every role that may act reach the action: an empty form gets a validation answer or a redirect, never a 500", async () => {
    const outcomes = await runAll(casesFor("POST", (c) => !REFUSALS.has(c.expected)));
    expect(outcomes.filter((o) => !matches(o)).map(describeOutcome)).toEqual([]);
  });

  it("signs out any role with a POST to /logout", async () => {
    for (const role of ROLES) {
      const own = cookies.get(role);
      const response = await postForm(server, "/logout", {}, { "X-Forwarded-For": addressOf(role), ...(own ? { Cookie: own } : {}) });
      expect(response.status, role).toBe(302);
      expect(response.headers.get("location"), role).toBe("/login");
    }
  });
});
