import { asc, eq, and } from "drizzle-orm";
import { partnerOrganisations, users } from "#db/schema/index";
import type { Db } from "~/lib/db.server";
import { NotFoundError } from "../errors";

/** The partner's own organisation, always looked up by the session's organisation id. */
export async function getOwnOrganisation(db: Db, partnerOrgId: string) {
  const [org] = await db.select().from(partnerOrganisations).where(eq(partnerOrganisations.id, partnerOrgId));
  if (!org) throw new NotFoundError("Partner organisation not found.");
  const members = await db
    .select({ id: users.id, name: users.name, email: users.email, partnerRole: users.partnerRole, lastLoginAt: users.lastLoginAt })
    .from(users)
    .where(and(eq(users.partnerOrgId, partnerOrgId), eq(users.status, "active")))
    .orderBy(asc(users.name));
  return { org, members };
}
