import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { applications, assets, claims, partnerOrganisations, policyAcceptances, policyVersions, userTokens, users } from "#db/schema/index";
import { gateOf, policyStandingFor } from "~/domain/policies/acceptance.server";
import { listClaimsForPartner } from "~/domain/claims/claims.server";
import { listAssetsForPartner } from "~/domain/assets/visibility.server";
import { listKitsForPartner } from "~/domain/assets/kits.server";
import { seedDemo } from "#db/seed/demo";
import { verifyAuditChain } from "~/lib/audit.server";
import type { AppContext } from "~/lib/context.server";
import type { Database } from "~/lib/db.server";
import { createTestDatabase } from "../support/db";
import { createTestContext } from "../support/context";

let database: Database;
let app: AppContext;
beforeAll(async () => {
  database = await createTestDatabase();
  app = createTestContext(database.db);
});
afterAll(() => database.close());

describe("the demo program", () => {
  it("has applications in every state, made through the domain, on an intact audit trail; seeding twice changes nothing", async () => {
    expect(await seedDemo(app)).toEqual({ created: true });
    const rows = await database.db.select().from(applications);
    const byStatus = (status: string) => rows.filter((r) => r.status === status).length;
    expect({ submitted: byStatus("submitted"), info_requested: byStatus("info_requested"), approved: byStatus("approved"), rejected: byStatus("rejected") }).toEqual({
      submitted: 4,
      info_requested: 1,
      approved: 1,
      rejected: 1,
    });
    expect(rows.some((r) => r.flagCodes.includes("disposable_email"))).toBe(true);
    const orgs = await database.db.select().from(partnerOrganisations);
    expect(orgs.map((o) => o.slug).sort()).toEqual(["brightpath-reviews", "northwind-media", "solstice-creators"]);
    const owners = (await database.db.select().from(userTokens)).filter((t) => t.partnerRole === "owner");
    expect(owners).toHaveLength(1);

    // Policies: four published, Northwind's owner accepted (active), a minor update asks her; others meet the gate.
    expect((await database.db.select().from(policyVersions)).map((v) => v.status)).toEqual(Array(5).fill("published"));
    expect(await database.db.select().from(policyAcceptances)).toHaveLength(4);
    const northwind = orgs.find((o) => o.slug === "northwind-media")!;
    const [activated] = await database.db.select().from(partnerOrganisations).where(eq(partnerOrganisations.id, northwind.id));
    expect(activated).toMatchObject({ status: "active" });
    const gateFor = async (email: string) => {
      const [user] = await database.db.select().from(users).where(eq(users.email, email));
      return gateOf(await policyStandingFor(database.db, user!.id));
    };
    expect(await gateFor("owner@northwind.test")).toMatchObject({ blocked: false, updates: 1 });
    expect(await gateFor("member@northwind.test")).toMatchObject({ blocked: true, blocking: 4 });
    expect(await gateFor("owner@brightpath.test")).toMatchObject({ blocked: true });
    // Claims: four approved, one draft, one retired; Northwind sees the ones for its channels and regions.
    const claimRows = await database.db.select().from(claims);
    expect(claimRows.map((c) => c.status).sort()).toEqual(["approved", "approved", "approved", "approved", "draft", "retired"]);
    const visible = await listClaimsForPartner(app, northwind.id);
    expect(visible.claims.length).toBeGreaterThanOrEqual(3);
    // Assets: two logos, two images (one for strategic partners only), a guideline page; Northwind (strategic) sees all five.
    expect((await database.db.select().from(assets)).map((a) => a.kind).sort()).toEqual(["guideline", "image", "image", "logo", "logo"]);
    expect((await listAssetsForPartner(database.db, northwind.id, {}, app.clock.now())).rows).toHaveLength(5);
    expect(await listKitsForPartner(database.db, northwind.id, app.clock.now())).toMatchObject([{ name: "Starter kit", files: 4 }]);
    expect(await verifyAuditChain(database.db)).toMatchObject({ ok: true });
    expect(await seedDemo(app)).toEqual({ created: false });
    expect(await database.db.select().from(applications)).toHaveLength(rows.length);
  });
});
