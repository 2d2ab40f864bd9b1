import { eq } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { approvalMatrices, auditEvents, creatives, reviewStages } from "#db/schema/index";
import { decideStage } from "~/domain/review/decisions.server";
import type { AppContext } from "~/lib/context.server";
import { DEFAULT_MATRIX } from "~/domain/review/matrix";
import { creativePartner, readyCreative, submittedCreative } from "../support/creatives";
import { resetDatabase } from "../support/db";
import { sessionCookieFor, signedIn } from "../support/context";
import { follow, get, postForm, startTestServer, toastIn, type TestServer } from "../support/http";

// The review page over HTTP (issue 14 §5): what a reviewer sees of the
// stages, the decision form's answers to bad input (400, the typed comment
// and the chosen decision kept), a decision made on a version that moved on
// (409), revocation, and what the partner reads afterwards.

let server: TestServer;
let app: AppContext;
beforeAll(async () => {
  server = await startTestServer();
  app = server.app;
});
afterAll(() => server.close());
beforeEach(async () => {
  await resetDatabase(app.db);
});

const page = (id: string) => `/admin/creatives/${id}`;
/** The page's markup without React's text separators, so "Brand review" reads as one phrase. */
const read = async (response: Response) => (await response.text()).replaceAll("<!-- -->", "");

async function setup() {
  const acme = await creativePartner(app);
  const brand = await signedIn(app, { role: "brand_reviewer", name: "Bea Brand", email: "bea@brand.test" });
  const legal = await signedIn(app, { role: "legal_reviewer", name: "Lena Legal", email: "lena@brand.test" });
  const analyst = await signedIn(app, { role: "analyst", name: "Andy Analyst", email: "andy@brand.test" });
  const partnerCookie = await sessionCookieFor(app, acme.user.id);
  // Paid social: the default matrix asks for brand and then legal.
  const { id } = await submittedCreative(app, acme, { channel: "paid_social", copy: "#ad Lumen bulbs light up the living room." });
  return { acme, brand, legal, analyst, partnerCookie, id };
}

describe("the review page", () => {
  it("shows the stages with why they are needed and when they are due, and the decision form only to who may decide", async () => {
    const { brand, legal, analyst, id } = await setup();
    const forBrand = await read(await get(server, page(id), { Cookie: brand.cookie }));
    expect(forBrand).toContain("Brand review");
    expect(forBrand).toContain("Legal review");
    expect(forBrand).toContain("Rule 3 “Paid channels” (channel is Paid social)");
    expect(forBrand).toContain("due in 2 days");
    expect(forBrand).toContain("Your decision: brand review of version 1");
    expect(forBrand).toContain("Claim brand review");
    // Legal waits for brand; analysts only read.
    expect(await read(await get(server, page(id), { Cookie: legal.cookie }))).not.toContain("Your decision");
    expect(await read(await get(server, page(id), { Cookie: analyst.cookie }))).not.toContain("Your decision");
  });

  it("refuses a decision without a choice or, for anything but approve, without a comment, keeping what was typed", async () => {
    const { brand, id } = await setup();
    const noChoice = await postForm(server, page(id), { intent: "decide", stage: "brand", version: "1", comment: "Looks close." }, { Cookie: brand.cookie });
    expect(noChoice.status).toBe(400);
    const noChoiceHtml = await read(noChoice);
    expect(noChoiceHtml).toContain("Choose a decision.");
    expect(noChoiceHtml).toContain("Looks close.");

    const noComment = await postForm(
      server,
      page(id),
      { intent: "decide", stage: "brand", version: "1", decision: "request_changes", comment: "  " },
      { Cookie: brand.cookie },
    );
    expect(noComment.status).toBe(400);
    const html = await read(noComment);
    expect(html).toContain("a comment is required for this decision");
    expect(html).toMatch(/value="request_changes"[^>]*checked|checked[^>]*value="request_changes"/);

    const unknown = await postForm(server, page(id), { intent: "dance" }, { Cookie: brand.cookie });
    expect(unknown.status).toBe(400);
    // Nothing was decided or recorded by the refusals.
    expect((await app.db.select().from(reviewStages).where(eq(reviewStages.creativeId, id))).map((s) => s.status).sort()).toEqual(["pending", "waiting"]);
    expect((await app.db.select().from(auditEvents).where(eq(auditEvents.action, "creative.stage_decided"))).length).toBe(0);
  });

  it("records a decision with a toast, and refuses one on a stale version or a stage already decided (409)", async () => {
    const { brand, legal, id, partnerCookie } = await setup();
    const approved = await postForm(server, page(id), { intent: "decide", stage: "brand", version: "1", decision: "approve" }, { Cookie: brand.cookie });
    expect(approved.status).toBe(302);
    expect(toastIn(await (await follow(server, approved, brand.cookie)).text())).toContain("reviewers were told it is their turn");

    const again = await postForm(server, page(id), { intent: "decide", stage: "brand", version: "1", decision: "approve" }, { Cookie: brand.cookie });
    expect(again.status).toBe(409);
    const stale = await postForm(
      server,
      page(id),
      { intent: "decide", stage: "legal", version: "2", decision: "reject", comment: "No." },
      { Cookie: legal.cookie },
    );
    expect(stale.status).toBe(409);

    // Legal's stage, decided by a second person (an admin may take either stage).
    await app.db.update(reviewStages).set({ assigneeId: null }).where(eq(reviewStages.creativeId, id));
    const twice = await postForm(
      server,
      page(id),
      { intent: "decide", stage: "legal", version: "1", decision: "approve" },
      { Cookie: (await signedIn(app, { role: "admin", email: "ada@brand.test" })).cookie },
    );
    expect(twice.status).toBe(302);
    const [creative] = await app.db.select().from(creatives).where(eq(creatives.id, id));
    expect(creative!.status).toBe("approved");

    const partnerView = await read(await get(server, `/partner/creatives/${id}`, { Cookie: partnerCookie }));
    expect(partnerView).toContain("Nothing more is needed: it is approved.");
  });

  it("revokes an approval with a reason (admin or legal), refusing an empty reason with 400", async () => {
    const { brand, legal, id, partnerCookie } = await setup();
    await decideStage(app, { id: brand.id, label: brand.email }, id, { stage: "brand", version: 1, decision: "approve" });
    await decideStage(app, { id: legal.id, label: legal.email }, id, { stage: "legal", version: 1, decision: "approve" });
    expect(await read(await get(server, page(id), { Cookie: legal.cookie }))).toContain("Revoke the approval");
    expect(await read(await get(server, page(id), { Cookie: brand.cookie }))).not.toContain("Revoke the approval");

    const empty = await postForm(server, page(id), { intent: "revoke", reason: "" }, { Cookie: legal.cookie });
    expect(empty.status).toBe(400);
    const byBrand = await postForm(server, page(id), { intent: "revoke", reason: "Stop." }, { Cookie: brand.cookie });
    expect(byBrand.status).toBe(403);
    const revoked = await postForm(server, page(id), { intent: "revoke", reason: "The offer it shows has ended." }, { Cookie: legal.cookie });
    expect(revoked.status).toBe(302);
    expect(await read(await get(server, page(id), { Cookie: brand.cookie }))).toContain("The offer it shows has ended.");
    const partnerView = await read(await get(server, `/partner/creatives/${id}`, { Cookie: partnerCookie }));
    expect(partnerView).toContain("the approval was revoked");
  });

  it("shows the partner what happens next and the reviewer's comment after changes were requested", async () => {
    const { brand, id, partnerCookie } = await setup();
    await decideStage(app, { id: brand.id, label: brand.email }, id, {
      stage: "brand",
      version: 1,
      decision: "approve_with_changes",
      comment: "Move the disclosure to the first line.",
    });
    const html = await read(await get(server, `/partner/creatives/${id}`, { Cookie: partnerCookie }));
    expect(html).toContain("brand review will confirm them");
    expect(html).toContain("Move the disclosure to the first line.");
    expect(html).toContain("Submit version 2");
    const home = await read(await get(server, "/partner", { Cookie: partnerCookie }));
    expect(home).toContain("Creative updates");
    expect(home).toContain("Upload version 2 with the changes asked for.");
  });

  it("tells the partner a pre-approved submission is approved, with the viewer showing no stage", async () => {
    const acme = await creativePartner(app);
    const cookie = await sessionCookieFor(app, acme.user.id);
    const any = { tiers: [], channels: [], partnerTypes: [], usesClaims: "any" as const };
    await app.db.insert(approvalMatrices).values({
      version: 1,
      ...DEFAULT_MATRIX,
      rules: [
        { name: "Website template", when: { ...any, channels: ["website_blog"], usesClaims: "no" }, stages: ["brand"], autoApproveWhenClean: true },
        { name: "Everything else", when: any, stages: ["brand"], autoApproveWhenClean: false },
      ],
    });
    const { id } = await readyCreative(app, acme);
    const fields = { title: "Spring living room", channel: "website_blog", placement: "Homepage hero", plannedLaunchOn: "2030-04-01", destinationUrl: "" };
    const submitted = await postForm(
      server,
      `/partner/creatives/${id}`,
      { intent: "submit", ...fields, copy: "Lumen bulbs light up the living room.", disclosure: "" },
      { Cookie: cookie },
    );
    expect(submitted.status).toBe(302);
    const html = await (await follow(server, submitted, cookie)).text();
    expect(toastIn(html)).toContain("is approved: the program pre-approves creatives like this one");
    const brand = await signedIn(app, { role: "brand_reviewer", email: "bea@brand.test" });
    const review = await read(await get(server, page(id), { Cookie: brand.cookie }));
    expect(review).toContain("Approved automatically by Rule 1 “Website template”");
    expect(review).toContain("No reviewer was needed for this version.");
  });
});
