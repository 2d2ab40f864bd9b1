import { inArray } from "drizzle-orm";
import { JSDOM } from "jsdom";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { reviewStages } from "#db/schema/index";
import type { AdjustableClock } from "~/lib/clock";
import { resetDatabase } from "../support/db";
import { adjustableClockFor, createPartner, signedIn } from "../support/context";
import { get, startTestServer, type TestServer } from "../support/http";
import { seedReviewCreative, type StageSeed, type VersionSeed } from "../support/review-fixtures";

// The reviewers' queue (/admin/creatives) and the compare page of two
// versions, over HTTP. Stages are written straight into review_stages, as the
// review engine would leave them.

let server: TestServer;
let clock: AdjustableClock;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());
beforeEach(async () => {
  await resetDatabase(server.app.db);
  clock = adjustableClockFor(server.app);
});

const HOUR = 3_600_000;
const documentOf = (html: string) => new JSDOM(html).window.document;
const textOf = (node: Element | null | undefined) => (node?.textContent ?? "").replace(/\s+/g, " ").trim();

type Role = "admin" | "brand_reviewer" | "legal_reviewer" | "analyst";
async function staff(role: Role, name = `Ria ${role}`) {
  const user = await signedIn(server.app, { role, name });
  return { id: user.id, headers: { Cookie: user.cookie } };
}

async function page(url: string, headers: Record<string, string>) {
  const response = await get(server, url, headers);
  expect(response.status, url).toBe(200);
  return documentOf(await response.text());
}

/** Each row of the queue's table: its title, and the text of the row. */
function rowsOf(doc: Document) {
  return [...doc.querySelectorAll("tbody tr")]
    .filter((tr) => !tr.querySelector(".data-table__empty"))
    .map((tr) => ({ title: textOf(tr.querySelector("th a")), text: textOf(tr), row: tr }));
}

/** Each tab's count as its link shows it; null for a tab shown without one. */
const tabCounts = (doc: Document) =>
  Object.fromEntries(
    [...doc.querySelectorAll("nav[aria-label='Queue'] a")].map((a) => {
      const count = /\((\d+)\)$/.exec(textOf(a));
      return [textOf(a).replace(/ \(\d+\)$/, ""), count ? Number(count[1]) : null];
    }),
  );
const currentTab = (doc: Document) => textOf(doc.querySelector("nav[aria-label='Queue'] a[aria-current='page']")).replace(/ \(\d+\)$/, "");

let partnerCount = 0;
async function partnerOrg(name = `Partner ${++partnerCount}`, tier = "standard") {
  return createPartner(server.app, { name, fields: { tier } });
}

/** A creative of `partner` with the given stages on its newest version (due times relative to the clock's now). */
async function creative(
  partner: Awaited<ReturnType<typeof partnerOrg>>,
  title: string,
  options: { stages?: (Omit<StageSeed, "dueAt"> & { dueInHours?: number })[]; status?: "submitted" | "in_review" | "approved" | "withdrawn" | "draft" } & {
    channel?: string;
    versions?: VersionSeed[];
    decidedHoursAgo?: number;
  } = {},
) {
  const now = clock.now();
  return seedReviewCreative(server.app.db, {
    organisationId: partner.org.id,
    authorId: partner.user.id,
    title,
    status: options.status ?? "submitted",
    channel: options.channel,
    versions: options.versions,
    now,
    decidedAt: options.decidedHoursAgo === undefined ? null : new Date(now.getTime() - options.decidedHoursAgo * HOUR),
    stages: (options.stages ?? []).map(({ dueInHours, ...stage }) => ({
      ...stage,
      dueAt: dueInHours === undefined ? undefined : new Date(now.getTime() + dueInHours * HOUR),
    })),
  });
}

describe("the review queue", () => {
  it("lists open stages soonest due first, overdue ones first and marked in words, ties by creative id", async () => {
    const partner = await partnerOrg("Northwind Media", "strategic");
    await creative(partner, "Later post", { stages: [{ stage: "brand", dueInHours: 30 }] });
    await creative(partner, "Late post", { stages: [{ stage: "brand", dueInHours: -2 }] });
    await creative(partner, "Soon post", { stages: [{ stage: "brand", dueInHours: 5 }] });
    const tieA = await creative(partner, "Tie A", { stages: [{ stage: "brand", dueInHours: 40 }] });
    const tieB = await creative(partner, "Tie B", { stages: [{ stage: "brand", dueInHours: 40 }] });
    // Same due time to the millisecond: the creative id decides.
    await server.app.db
      .update(reviewStages)
      .set({ dueAt: new Date(clock.now().getTime() + 40 * HOUR) })
      .where(inArray(reviewStages.creativeId, [tieA.id, tieB.id]));
    const { headers } = await staff("brand_reviewer");

    const rows = rowsOf(await page("/admin/creatives", headers));
    const ties = [
      ["Tie A", tieA.id],
      ["Tie B", tieB.id],
    ]
      .sort((x, y) => (x[1]! < y[1]! ? -1 : 1))
      .map(([title]) => title);
    expect(rows.map((r) => r.title)).toEqual(["Late post", "Soon post", "Later post", ...ties]);
    expect(rows[0]!.text).toContain("Overdue");
    expect(rows[0]!.text).toContain("overdue by 2 h");
    expect(rows[0]!.row.querySelector(".review-queue__due--overdue")).not.toBeNull();
    expect(rows[1]!.text).toContain("due in 5 h");
    expect(rows[1]!.text).not.toContain("Overdue");
    expect(rows[1]!.row.querySelector(".review-queue__due--overdue")).toBeNull();
    // Partner, tier, channel, stage and version on each row.
    expect(rows[0]!.text).toContain("Northwind Media");
    expect(rows[0]!.text).toContain("Strategic");
    expect(rows[0]!.text).toContain("Website or blog");
    expect(rows[0]!.text).toContain("Brand");
    expect(rows[0]!.text).toContain("v1");

    // The clock moves: the soon one is now overdue too.
    clock.advance(6 * HOUR);
    const later = rowsOf(await page("/admin/creatives", headers));
    expect(later[1]!.text).toContain("overdue by 1 h");
  });

  it("counts each tab, shows a creative in parallel review once per open stage, and leaves waiting stages and drafts out", async () => {
    const partner = await partnerOrg();
    const brand = await staff("brand_reviewer", "Bea Brand");
    await creative(partner, "Brand only", { stages: [{ stage: "brand" }] });
    await creative(partner, "Claimed", { status: "in_review", stages: [{ stage: "brand", assigneeId: brand.id }] });
    await creative(partner, "Sequential", { stages: [{ stage: "brand" }, { stage: "legal", status: "waiting" }] });
    await creative(partner, "Parallel", { stages: [{ stage: "brand" }, { stage: "legal" }] });
    await creative(partner, "Approved one", { status: "approved", decidedHoursAgo: 1, stages: [{ stage: "brand", status: "approved" }] });
    await creative(partner, "Taken back", { status: "withdrawn", stages: [{ stage: "brand", status: "cancelled" }] });
    await creative(partner, "Still a draft", { status: "draft" });

    const doc = await page("/admin/creatives?tab=open", brand.headers);
    // Decided is not counted on the open tabs (that would count most of the table on every visit); its own tab counts it.
    expect(tabCounts(doc)).toEqual({ Brand: 4, Legal: 1, "Assigned to me": 1, "All open": 5, Decided: null });
    const titles = rowsOf(doc).map((r) => r.title);
    expect(titles.filter((t) => t === "Parallel")).toHaveLength(2);
    expect(titles).not.toContain("Approved one");
    expect(titles).not.toContain("Still a draft");

    expect(rowsOf(await page("/admin/creatives?tab=legal", brand.headers)).map((r) => r.title)).toEqual(["Parallel"]);
    const mine = rowsOf(await page("/admin/creatives?tab=mine", brand.headers));
    expect(mine.map((r) => r.title)).toEqual(["Claimed"]);
    expect(mine[0]!.text).toContain("Bea Brand");
    const decidedPage = await page("/admin/creatives?tab=decided", brand.headers);
    expect(tabCounts(decidedPage)).toEqual({ Brand: 4, Legal: 1, "Assigned to me": 1, "All open": 5, Decided: 2 });
    const decided = rowsOf(decidedPage);
    expect(decided.map((r) => r.title).sort()).toEqual(["Approved one", "Taken back"]);
    expect(decided.find((r) => r.title === "Approved one")!.text).toContain("Approved");
  });

  it("lists decided creatives newest decision first", async () => {
    const partner = await partnerOrg();
    await creative(partner, "Decided last week", { status: "approved", decidedHoursAgo: 24 * 7 });
    await creative(partner, "Decided today", { status: "approved", decidedHoursAgo: 1 });
    await creative(partner, "Decided yesterday", { status: "approved", decidedHoursAgo: 24 });
    const { headers } = await staff("analyst");
    const rows = rowsOf(await page("/admin/creatives?tab=decided", headers));
    expect(rows.map((r) => r.title)).toEqual(["Decided today", "Decided yesterday", "Decided last week"]);
  });

  it("opens on the viewer's own stage: brand reviewers on Brand, legal reviewers on Legal, admins and analysts on All open", async () => {
    const partner = await partnerOrg();
    await creative(partner, "Brand item", { stages: [{ stage: "brand" }] });
    await creative(partner, "Legal item", { stages: [{ stage: "legal" }] });
    const expected: [Role, string, string[]][] = [
      ["brand_reviewer", "Brand", ["Brand item"]],
      ["legal_reviewer", "Legal", ["Legal item"]],
      ["admin", "All open", ["Brand item", "Legal item"]],
      ["analyst", "All open", ["Brand item", "Legal item"]],
    ];
    for (const [role, tab, titles] of expected) {
      const doc = await page("/admin/creatives", (await staff(role)).headers);
      expect(currentTab(doc), role).toBe(tab);
      expect(
        rowsOf(doc)
          .map((r) => r.title)
          .sort(),
        role,
      ).toEqual(titles);
    }
  });

  it("offers Claim only on unassigned stages the viewer's role may take, posting to the assignment route and back to this queue URL", async () => {
    const partner = await partnerOrg();
    const { id: otherId } = await staff("brand_reviewer", "Other Reviewer");
    const brandItem = await creative(partner, "Brand item", { stages: [{ stage: "brand", dueInHours: 1 }] });
    const legalItem = await creative(partner, "Legal item", { stages: [{ stage: "legal", dueInHours: 2 }] });
    await creative(partner, "Taken item", { status: "in_review", stages: [{ stage: "brand", dueInHours: 3, assigneeId: otherId }] });
    const url = "/admin/creatives?tab=open&channel=website_blog";

    const claimable = async (role: Role) => {
      const doc = await page(url, (await staff(role)).headers);
      return rowsOf(doc).flatMap((r) => {
        const form = r.row.querySelector("form[method='post']");
        return form ? [{ title: r.title, form }] : [];
      });
    };
    expect((await claimable("brand_reviewer")).map((c) => c.title)).toEqual(["Brand item"]);
    expect((await claimable("legal_reviewer")).map((c) => c.title)).toEqual(["Legal item"]);
    expect((await claimable("admin")).map((c) => c.title)).toEqual(["Brand item", "Legal item"]);
    // Analysts read the queue and never take work.
    expect(await claimable("analyst")).toEqual([]);

    const [brandClaim, legalClaim] = await claimable("admin");
    const fields = (form: Element) => Object.fromEntries([...form.querySelectorAll("input")].map((i) => [i.getAttribute("name"), i.getAttribute("value")]));
    expect(brandClaim!.form.getAttribute("action")).toBe(`/admin/creatives/${brandItem.id}/assignment`);
    expect(fields(brandClaim!.form)).toEqual({ intent: "claim", stage: "brand", returnTo: url });
    expect(legalClaim!.form.getAttribute("action")).toBe(`/admin/creatives/${legalItem.id}/assignment`);
    expect(fields(legalClaim!.form)).toMatchObject({ stage: "legal" });
    // The button names what it claims for a screen reader.
    expect(textOf(brandClaim!.form.querySelector("button"))).toBe("Claim brand review of Brand item");

    const doc = await page(url, (await staff("admin")).headers);
    expect(rowsOf(doc).find((r) => r.title === "Taken item")!.text).toContain("Other Reviewer");
  });

  it("narrows by each filter, keeps what was chosen in the form, and marks a stage that confirms earlier changes", async () => {
    const northwind = await partnerOrg("Northwind Media", "strategic");
    const beta = await partnerOrg("Beta Blog", "trial");
    const admin = await staff("admin");
    const warning = { code: "missing_disclosure", severity: "warning" as const, message: "Add #ad.", start: null, end: null };
    await creative(northwind, "Paid post", { channel: "paid_social", stages: [{ stage: "brand" }] });
    await creative(northwind, "Warned post", { versions: [{ findings: [warning, warning] }], stages: [{ stage: "brand" }] });
    await creative(beta, "Beta in review", {
      status: "in_review",
      versions: [{}, { copy: "A fresh espresso line" }],
      stages: [{ stage: "brand", assigneeId: admin.id, confirmsVersion: 1 }],
    });

    const titles = async (query: string) => rowsOf(await page(`/admin/creatives?tab=open&${query}`, admin.headers)).map((r) => r.title);
    expect(await titles("channel=paid_social")).toEqual(["Paid post"]);
    expect((await titles("partner=northwind")).sort()).toEqual(["Paid post", "Warned post"]);
    expect(await titles("tier=trial")).toEqual(["Beta in review"]);
    expect(await titles("status=in_review")).toEqual(["Beta in review"]);
    expect((await titles("status=submitted")).sort()).toEqual(["Paid post", "Warned post"]);
    expect(await titles("warnings=yes")).toEqual(["Warned post"]);
    expect(await titles("mine=yes")).toEqual(["Beta in review"]);
    expect(await titles("q=espresso")).toEqual(["Beta in review"]);
    expect(await titles("q=beta+blog")).toEqual(["Beta in review"]);
    expect(await titles("partner=northwind&warnings=yes")).toEqual(["Warned post"]);

    const doc = await page(
      "/admin/creatives?tab=open&channel=paid_social&partner=north&tier=strategic&status=submitted&warnings=yes&mine=yes&q=post",
      admin.headers,
    );
    const form = doc.querySelector("form[role='search']")!;
    expect(form.getAttribute("method")).toBe("get");
    expect(form.querySelector<HTMLInputElement>("input[name='q']")!.getAttribute("value")).toBe("post");
    expect(form.querySelector<HTMLInputElement>("input[name='partner']")!.getAttribute("value")).toBe("north");
    expect(form.querySelector("select[name='channel'] option[selected]")?.getAttribute("value")).toBe("paid_social");
    expect(form.querySelector("select[name='tier'] option[selected]")?.getAttribute("value")).toBe("strategic");
    expect(form.querySelector("select[name='status'] option[selected]")?.getAttribute("value")).toBe("submitted");
    expect(form.querySelector("input[name='warnings']")!.hasAttribute("checked")).toBe(true);
    expect(form.querySelector("input[name='mine']")!.hasAttribute("checked")).toBe(true);
    expect(form.querySelector<HTMLInputElement>("input[name='tab']")!.getAttribute("value")).toBe("open");
    // The tab links keep the filters, and the counts follow them.
    expect(doc.querySelector("nav[aria-label='Queue'] a")!.getAttribute("href")).toContain("channel=paid_social");

    const warned = rowsOf(await page("/admin/creatives?tab=open&warnings=yes", admin.headers));
    expect(warned[0]!.row.querySelector("td[data-label='Warnings']")?.textContent).toContain("2");
    const confirming = rowsOf(await page("/admin/creatives?tab=open&tier=trial", admin.headers));
    expect(confirming[0]!.text).toContain("confirms v1 changes");
    expect(confirming[0]!.text).toContain("v2");
    expect(tabCounts(await page("/admin/creatives?tab=open&tier=strategic", admin.headers))).toMatchObject({ Brand: 2, "All open": 2, "Assigned to me": 0 });
  });

  it("drops filter values that are not among the choices instead of failing (bad input)", async () => {
    const partner = await partnerOrg();
    await creative(partner, "Only item", { stages: [{ stage: "brand" }] });
    const { headers } = await staff("brand_reviewer");
    const response = await get(server, "/admin/creatives?tab=nope&status=approved&channel=fax&warnings=maybe&mine=1&page=-3", headers);
    expect(response.status).toBe(200);
    const doc = documentOf(await response.text());
    expect(currentTab(doc)).toBe("Brand");
    expect(rowsOf(doc).map((r) => r.title)).toEqual(["Only item"]);
    expect(doc.querySelector("select[name='status'] option[selected]")?.getAttribute("value")).toBe("");
    expect(doc.querySelector("select[name='channel'] option[selected]")?.getAttribute("value")).toBe("");
    expect(doc.querySelector("input[name='warnings']")!.hasAttribute("checked")).toBe(false);
  });

  it("pages at 25 rows", async () => {
    const partner = await partnerOrg();
    for (let i = 1; i <= 26; i++) await creative(partner, `Creative ${String(i).padStart(2, "0")}`, { stages: [{ stage: "brand", dueInHours: i }] });
    const { headers } = await staff("admin");
    const first = await page("/admin/creatives", headers);
    expect(rowsOf(first)).toHaveLength(25);
    expect(textOf(first.querySelector(".pagination"))).toContain("Page 1 of 2");
    const second = rowsOf(await page("/admin/creatives?page=2", headers));
    expect(second.map((r) => r.title)).toEqual(["Creative 26"]);
  });

  it("says what each empty tab means, and when nothing was ever submitted", async () => {
    const { headers } = await staff("admin");
    expect(textOf((await page("/admin/creatives", headers)).querySelector(".empty-state"))).toContain("No creatives have been submitted yet");

    const partner = await partnerOrg();
    await creative(partner, "Approved one", { status: "approved", decidedHoursAgo: 1 });
    const empty = async (query: string) => textOf((await page(`/admin/creatives?${query}`, headers)).querySelector(".empty-state h2"));
    expect(await empty("tab=brand")).toBe("Nothing waits for brand review");
    expect(await empty("tab=legal")).toBe("Nothing waits for legal review");
    expect(await empty("tab=mine")).toBe("Nothing is assigned to you");
    expect(await empty("tab=open")).toBe("Nothing waits for review");
    expect(await empty("tab=decided&q=zebra")).toBe("No creatives match");
    await resetDatabase(server.app.db);
    const analyst = await staff("analyst");
    expect(textOf((await page("/admin/creatives?tab=decided", analyst.headers)).querySelector(".empty-state h2"))).toBe("No creatives have been submitted yet");
  });

  it("is read-only for analysts and not there for partners", async () => {
    const partner = await partnerOrg();
    await creative(partner, "Brand item", { stages: [{ stage: "brand" }] });
    const doc = await page("/admin/creatives", (await staff("analyst")).headers);
    expect(rowsOf(doc).map((r) => r.title)).toEqual(["Brand item"]);
    expect(doc.querySelectorAll("main form[method='post']")).toHaveLength(0);
    expect(textOf(rowsOf(doc)[0]!.row)).toContain("Unassigned");
    expect((await get(server, "/admin/creatives", { Cookie: partner.cookie })).status).toBe(404);
  });
});

describe("comparing two versions", () => {
  const claim = (text: string) => ({ id: "00000000-0000-4000-8000-000000000001", text, disclaimers: [] });

  async function threeVersions() {
    const partner = await partnerOrg("Northwind Media");
    const finding = { code: "banned_term", severity: "error" as const, message: "Remove it.", start: 0, end: 5 };
    const made = await creative(partner, "Launch post", {
      versions: [
        { copy: "Cures tired mornings. #ad", findings: [finding], file: { kind: "image" } },
        { copy: "Brightens tired mornings. #ad", disclosure: "#ad", file: { kind: "image" } },
        {
          title: "Launch post, final",
          copy: "Brightens tired mornings, every day. #ad",
          disclosure: "Paid partnership",
          claims: [claim("Rated the #1 cold brew")],
          file: { kind: "image" },
        },
      ],
      stages: [{ stage: "brand" }],
    });
    return { partner, made };
  }

  it("shows the two newest by default: both images, the copy as a word diff, the changed details and each version's findings", async () => {
    const { made } = await threeVersions();
    const response = await get(server, `/admin/creatives/${made.id}/compare`, (await staff("legal_reviewer")).headers);
    expect(response.status).toBe(200);
    const doc = documentOf(await response.text());
    expect(doc.querySelector("select[name='a'] option[selected]")?.getAttribute("value")).toBe("2");
    expect(doc.querySelector("select[name='b'] option[selected]")?.getAttribute("value")).toBe("3");
    const heads = [...doc.querySelectorAll(".version-compare__head")].map(textOf);
    expect(heads[0]).toContain("Version 2");
    expect(heads[0]).toContain("0 pre-screen findings");
    expect(heads[1]).toContain("Version 3");
    const images = [...doc.querySelectorAll(".version-compare__pane img")].map((img) => img.getAttribute("src"));
    expect(images).toEqual([`/admin/creatives/${made.id}/files/${made.versions[1]!.fileId}`, `/admin/creatives/${made.id}/files/${made.versions[2]!.fileId}`]);

    const copy = [...doc.querySelectorAll(".word-diff")][0]!;
    expect(textOf(copy)).toBe("Brightens tired mornings[added: , every day]. #ad");
    expect(copy.querySelectorAll("del")).toHaveLength(0);
    expect([...copy.querySelectorAll("ins")].map(textOf)).toEqual(["[added: , every day]"]);
    const changes = textOf(doc.querySelector(".version-compare__changes"));
    expect(changes).toContain("Title");
    expect(changes).toContain("Launch post[added: , final]");
    expect(changes).toContain("[removed: #ad][added: Paid partnership]");
    expect(changes).toContain("Disclosure");
    expect(changes).toContain("Claims");
    expect(changes).toContain("Rated the #1 cold brew");
    expect(changes).not.toContain("Channel");
    expect(changes).not.toContain("Destination");
  });

  it("compares the versions asked for, older first whichever way round, with the first version's findings", async () => {
    const { made } = await threeVersions();
    const doc = await page(`/admin/creatives/${made.id}/compare?a=3&b=1`, (await staff("analyst")).headers);
    const heads = [...doc.querySelectorAll(".version-compare__head")].map(textOf);
    expect(heads[0]).toContain("Version 1");
    expect(heads[0]).toContain("1 pre-screen finding");
    expect(heads[1]).toContain("Version 3");
    expect([...doc.querySelectorAll(".word-diff del")].map(textOf)).toContain("[removed: Cures]");
  });

  it("answers 404 for a version the creative lacks, a draft and an unknown creative, and 400 for a version that is not a number", async () => {
    const { partner, made } = await threeVersions();
    const { headers } = await staff("brand_reviewer");
    expect((await get(server, `/admin/creatives/${made.id}/compare?a=9`, headers)).status).toBe(404);
    expect((await get(server, `/admin/creatives/${made.id}/compare?a=1&b=4`, headers)).status).toBe(404);
    const bad = await get(server, `/admin/creatives/${made.id}/compare?a=one`, headers);
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain("Choose the versions to compare by their numbers");
    const draft = await creative(partner, "Draft", { status: "draft" });
    expect((await get(server, `/admin/creatives/${draft.id}/compare`, headers)).status).toBe(404);
    expect((await get(server, `/admin/creatives/00000000-0000-4000-8000-000000000000/compare`, headers)).status).toBe(404);
  });

  it("is not there for partners, the creative's own or another organisation's", async () => {
    const { partner, made } = await threeVersions();
    const other = await partnerOrg("Other Media");
    expect((await get(server, `/admin/creatives/${made.id}/compare`, { Cookie: other.cookie })).status).toBe(404);
    expect((await get(server, `/admin/creatives/${made.id}/compare`, { Cookie: partner.cookie })).status).toBe(404);
  });

  it("shows PDFs page by page, the same page on both sides, from the page in the URL", async () => {
    const partner = await partnerOrg();
    const made = await creative(partner, "Brochure", {
      versions: [{ file: { kind: "pdf", pageCount: 2 } }, { file: { kind: "pdf", pageCount: 3 } }],
      stages: [{ stage: "brand" }],
    });
    const { headers } = await staff("brand_reviewer");
    const [older, newer] = [made.versions[0]!.fileId, made.versions[1]!.fileId];
    const first = await page(`/admin/creatives/${made.id}/compare`, headers);
    expect([...first.querySelectorAll(".version-compare__pane img")].map((img) => [img.getAttribute("src"), img.getAttribute("loading")])).toEqual([
      [`/admin/creatives/${made.id}/files/${older}/pages/1`, "lazy"],
      [`/admin/creatives/${made.id}/files/${newer}/pages/1`, "lazy"],
    ]);
    expect(first.querySelectorAll("select[name='page'] option")).toHaveLength(3);

    const third = await page(`/admin/creatives/${made.id}/compare?a=1&b=2&page=3`, headers);
    expect([...third.querySelectorAll(".version-compare__pane img")].map((img) => img.getAttribute("src"))).toEqual([
      `/admin/creatives/${made.id}/files/${newer}/pages/3`,
    ]);
    expect(textOf(third.querySelector(".version-compare__missing"))).toBe("Version 1 has no page 3 (2 pages).");
    // A page past the end shows the last; nonsense shows the first.
    expect(third.querySelector("select[name='page'] option[selected]")?.getAttribute("value")).toBe("3");
    const nonsense = await page(`/admin/creatives/${made.id}/compare?page=abc`, headers);
    expect(nonsense.querySelector("select[name='page'] option[selected]")?.getAttribute("value")).toBe("1");
  });
});
