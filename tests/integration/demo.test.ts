import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { applications, partnerOrganisations, userTokens } from "#db/schema/index";
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
    expect(await verifyAuditChain(database.db)).toMatchObject({ ok: true });
    expect(await seedDemo(app)).toEqual({ created: false });
    expect(await database.db.select().from(applications)).toHaveLength(rows.length);
  });
});
