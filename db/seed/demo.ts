import { eq } from "drizzle-orm";
import { partnerOrganisations, programSettings, users } from "#db/schema/index";
import { inviteInternalUser } from "~/domain/accounts/invitations.server";
import { attemptLogin } from "~/domain/accounts/login.server";
import { requestPasswordReset } from "~/domain/accounts/passwords.server";
import { countUsers } from "~/domain/accounts/users.server";
import { updateBranding } from "~/domain/settings/program.server";
import { recordAuditNow } from "~/lib/audit.server";
import type { AppContext } from "~/lib/context.server";
import { hashPassword } from "~/lib/password.server";

export const DEMO_PASSWORD = "cobrand demo 2026";

export const DEMO_ACCOUNTS = [
  { email: "admin@demo.cobrand.test", name: "Alex Morgan", role: "admin" },
  { email: "brand@demo.cobrand.test", name: "Bea Lindqvist", role: "brand_reviewer" },
  { email: "legal@demo.cobrand.test", name: "Lena Okafor", role: "legal_reviewer" },
  { email: "analyst@demo.cobrand.test", name: "Sam Patel", role: "analyst" },
  { email: "owner@northwind.test", name: "Nora West", role: "partner", org: "Northwind Media", partnerRole: "owner" },
  { email: "member@northwind.test", name: "Nils Berg", role: "partner", org: "Northwind Media", partnerRole: "member" },
  { email: "owner@brightpath.test", name: "Priya Shah", role: "partner", org: "Brightpath Reviews", partnerRole: "owner" },
] as const;

const ORGANISATIONS = [
  { name: "Northwind Media", slug: "northwind-media", status: "active" as const },
  { name: "Brightpath Reviews", slug: "brightpath-reviews", status: "onboarding" as const },
];

/**
 * A realistic demo program. Idempotent: a database that already has accounts
 * is left as it is. Changes go through the domain functions where they exist,
 * so the audit trail and outbox look as they would after real use.
 */
export async function seedDemo(app: AppContext): Promise<{ created: boolean }> {
  if ((await countUsers(app.db)) > 0) return { created: false };
  const db = app.db;
  const passwordHash = await hashPassword(DEMO_PASSWORD);

  await db.insert(programSettings).values({
    name: "Lumen Partner Program",
    tagline: "Grow with Lumen, the smart lighting brand",
    description: "Partner with Lumen to promote smart lighting that saves energy.",
    brandColor: "#0f766e",
  });
  const orgIds = new Map<string, string>();
  for (const org of ORGANISATIONS) {
    const [row] = await db.insert(partnerOrganisations).values(org).returning({ id: partnerOrganisations.id });
    orgIds.set(org.name, row!.id);
  }
  for (const account of DEMO_ACCOUNTS) {
    const partner = "org" in account;
    await db.insert(users).values({
      email: account.email,
      name: account.name,
      role: account.role,
      passwordHash,
      passwordChangedAt: new Date(),
      partnerOrgId: partner ? orgIds.get(account.org)! : null,
      partnerRole: partner ? account.partnerRole : null,
    });
  }
  const [admin] = await db.select().from(users).where(eq(users.email, "admin@demo.cobrand.test"));
  const actor = { id: admin!.id, label: admin!.email, ip: "127.0.0.1", name: admin!.name };
  await recordAuditNow(db, { actor, action: "demo.seeded", subjectType: "program", data: { accounts: DEMO_ACCOUNTS.length, organisations: ORGANISATIONS.length } });

  await updateBranding(db, actor, {
    name: "Lumen Partner Program",
    tagline: "Grow with Lumen, the smart lighting brand",
    description:
      "Lumen makes smart lighting for homes and offices. Our partners get approved brand assets, accurate product claims with their disclaimers, fast creative review and tracking links with honest reporting.",
    brandColor: "#0f766e",
  });
  const origin = app.config.publicUrl?.origin ?? `http://localhost:${app.config.port}`;
  await inviteInternalUser(app, actor, { email: "jordan@demo.cobrand.test", role: "brand_reviewer" }, origin);
  const meta = { ip: "198.51.100.23", userAgent: "Mozilla/5.0 (demo)" };
  await attemptLogin(app, { email: "brand@demo.cobrand.test", password: DEMO_PASSWORD }, meta);
  await attemptLogin(app, { email: "owner@northwind.test", password: "wrong password" }, meta);
  await attemptLogin(app, { email: "owner@northwind.test", password: DEMO_PASSWORD }, meta);
  await requestPasswordReset(app, "analyst@demo.cobrand.test", meta, origin);
  return { created: true };
}
