import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { AppLoadContext } from "@remix-run/node";
import { applications, policies, policyVersions, users, partnerOrganisations, type UserRole } from "#db/schema/index";
import { and, eq } from "drizzle-orm";
import { setAuditKeys } from "~/lib/audit.server";
import { createAuth } from "~/lib/auth.server";
import { AdjustableClock } from "~/lib/clock";
import { loadConfig, type Config } from "~/lib/config.server";
import type { AppContext } from "~/lib/context.server";
import type { Db } from "~/lib/db.server";
import { createLogger } from "~/lib/log.server";
import { hashPassword } from "~/lib/password.server";
import { slugify } from "~/lib/slug";
import { createStorage } from "~/lib/storage/index.server";
import { publishDraft, saveDraft } from "~/domain/policies/policies.server";
import type { ReviewerActor } from "~/domain/review/decisions.server";
import { domainServices } from "~/runtime.server";

/** The APP_SECRET of every test config; tests/support/setup.ts keys the audit chain with it. */
export const TEST_APP_SECRET = "x".repeat(40);

export function testConfig(overrides: Record<string, string | undefined> = {}): Config {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "cobrand-test-"));
  return loadConfig({ NODE_ENV: "test", STORAGE_DIR: dataDir, APP_SECRET: TEST_APP_SECRET, ...overrides });
}

/** What createAppRuntime builds, without workers; keys the audit chain with the config's secret as the runtime does. */
export function createTestContext(db: Db, config: Config = testConfig()): AppContext {
  setAuditKeys(config.appSecret);
  const storage = createStorage(config.storage.driver === "local" ? { driver: "local", root: config.storage.root } : { ...config.storage, driver: "s3" });
  const log = createLogger({ silent: true });
  return { config, db, storage, auth: createAuth(db, config), log, ...domainServices(db, log) };
}

/**
 * Gives the context a fresh AdjustableClock standing at real time and returns
 * it: call it in beforeEach, then move time with `clock.advance(ms)` instead
 * of faking the global Date or backdating rows.
 */
export function adjustableClockFor(app: AppContext): AdjustableClock {
  const clock = new AdjustableClock();
  app.clock = clock;
  return clock;
}

/** The load context the Express layer would build, for calling loaders and actions directly. */
export function loadContextFor(app: AppContext, options: { ip?: string } = {}): AppLoadContext {
  return { app, requestId: "test-request", cspNonce: "test-nonce", clientIp: options.ip ?? "127.0.0.1", responseCookies: [] };
}

export const TEST_PASSWORD = "correct horse battery staple";
let cachedHash: Promise<string> | null = null;

export async function createUser(
  db: Db,
  input: { email?: string; name?: string; role?: UserRole; password?: string; partnerOrgId?: string; partnerRole?: "owner" | "member" } = {},
) {
  const password = input.password ?? TEST_PASSWORD;
  const passwordHash = password === TEST_PASSWORD ? await (cachedHash ??= hashPassword(TEST_PASSWORD)) : await hashPassword(password);
  const role = input.role ?? "admin";
  const [user] = await db
    .insert(users)
    .values({
      email: input.email ?? `user-${Math.random().toString(36).slice(2, 10)}@example.com`,
      name: input.name ?? "Test User",
      passwordHash,
      role,
      partnerOrgId: role === "partner" ? input.partnerOrgId : null,
      partnerRole: role === "partner" ? (input.partnerRole ?? "owner") : null,
    })
    .returning();
  return user!;
}

export type PartnerOrgFields = Partial<Omit<typeof partnerOrganisations.$inferInsert, "id" | "name" | "slug">>;

/** A partner organisation with a unique slug; `fields` (status, tier, channels, terms…) are set on the row as it is made. */
export async function createPartnerOrg(db: Db, name = "Acme Media", fields: PartnerOrgFields = {}) {
  const [org] = await db
    .insert(partnerOrganisations)
    .values({ ...fields, name, slug: `${slugify(name, { fallback: "partner" })}-${Math.random().toString(36).slice(2, 6)}` })
    .returning();
  return org!;
}

/** A Cookie header for a new session of this user. */
export async function sessionCookieFor(app: AppContext, userId: string): Promise<string> {
  const { setCookie } = await app.auth.createSession(userId, { ip: "127.0.0.1", userAgent: "vitest" });
  return setCookie.split(";")[0]!;
}

/** A user (an admin unless `role` says otherwise) with a session: the row, and `cookie`, the Cookie header their browser sends. */
export async function signedIn(app: AppContext, input: Parameters<typeof createUser>[1] = {}) {
  const user = await createUser(app.db, input);
  return { ...user, cookie: await sessionCookieFor(app, user.id) };
}

/** A member of the brand team as the review engine records them: by id, labelled with their email. */
export const reviewerActor = (person: { id: string; email: string }): ReviewerActor => ({ id: person.id, label: person.email });

/**
 * A partner person, signed in, and their organisation: a new one named `name`
 * (with `fields` set) unless `org` is given. The owner unless `role` says member.
 */
export async function createPartner(
  app: AppContext,
  input: {
    name?: string;
    fields?: PartnerOrgFields;
    org?: Awaited<ReturnType<typeof createPartnerOrg>>;
    role?: "owner" | "member";
    email?: string;
    userName?: string;
  } = {},
) {
  const org = input.org ?? (await createPartnerOrg(app.db, input.name, input.fields));
  const user = await createUser(app.db, {
    role: "partner",
    partnerOrgId: org.id,
    partnerRole: input.role ?? "owner",
    email: input.email,
    name: input.userName,
  });
  return { org, user, cookie: await sessionCookieFor(app, user.id) };
}

const POLICY_AUTHOR = { id: null, label: "legal@brand.test" };

/**
 * Publishes `body` as the next version of a policy: of `policyId`, or of a new
 * policy named `title` (required unless told otherwise). Material and confirmed
 * unless `material` is false, as the confirmed publish form sends it.
 */
export async function publishPolicy(
  app: AppContext,
  input: { title?: string; policyId?: string; body: string; required?: boolean; material?: boolean; changeSummary?: string },
) {
  const db = app.db;
  let policyId = input.policyId;
  if (!policyId) {
    const title = input.title ?? "Program terms";
    const [row] = await db
      .insert(policies)
      .values({ key: slugify(title, { separator: "_", fallback: "policy" }), title, required: input.required ?? true })
      .returning();
    policyId = row!.id;
  }
  await saveDraft(app, POLICY_AUTHOR, policyId, { body: input.body, changeSummary: input.changeSummary ?? "" });
  const { number } = await publishDraft(app, POLICY_AUTHOR, policyId, { material: input.material ?? true, confirmed: true }, "https://cobrand.test");
  const [version] = await db
    .select()
    .from(policyVersions)
    .where(and(eq(policyVersions.policyId, policyId), eq(policyVersions.number, number)));
  return { policyId, version: version! };
}

/**
 * An approved application that made `partnerOrgId`, with a plausible profile:
 * the partner page's profile and the reply routes read it.
 */
export async function createApprovedApplication(
  db: Db,
  partnerOrgId: string,
  input: { reference: string; company: string; contactName: string; email: string; domain: string; channels?: string[] },
) {
  const [application] = await db
    .insert(applications)
    .values({
      reference: input.reference,
      status: "approved",
      company: input.company,
      contactName: input.contactName,
      email: input.email,
      emailDomain: input.domain,
      website: `https://${input.domain}`,
      websiteDomain: input.domain,
      partnerType: "publisher",
      channels: input.channels ?? ["website_blog"],
      audienceSize: 40000,
      regions: ["europe"],
      audienceDescription: "Readers comparing smart bulbs.",
      promotionPlan: "Reviews.",
      privacyConsentAt: new Date(),
      fitScore: 70,
      score: {
        total: 70,
        components: {
          audienceFit: { score: 0, max: 0, reasons: [] },
          channelQuality: { score: 0, max: 0, reasons: [] },
          brandAlignment: { score: 0, max: 0, reasons: [] },
          risk: { score: 0, max: 0, reasons: [] },
        },
      },
      flags: [],
      decidedAt: new Date(),
      partnerOrgId,
    } as typeof applications.$inferInsert)
    .returning();
  return application!;
}
