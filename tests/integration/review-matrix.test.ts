import { asc, eq } from "drizzle-orm";
import { JSDOM } from "jsdom";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { approvalMatrices, auditEvents } from "#db/schema/index";
import { DEFAULT_MATRIX, type MatrixSettings } from "~/domain/review/matrix";
import { currentMatrix, MATRIX_HISTORY_PAGE_SIZE, matrixHistory, saveMatrix } from "~/domain/review/matrix.server";
import { DomainError } from "~/lib/errors";
import { resetDatabase } from "../support/db";
import { createPartner, signedIn } from "../support/context";
import { formEntries, postEntries, type FieldChange } from "../support/forms";
import { follow, get, postForm, startTestServer, toastIn, type TestServer } from "../support/http";

// Settings → Review (issue 14 §1): the approval matrix as versions, its form
// with unsaved add/move/remove, its validation, and who may use it. Over HTTP
// with the real build, and the domain functions directly.

const PAGE = "/admin/settings/review";
const FORM = "Approval matrix";

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());
beforeEach(() => resetDatabase(server.app.db));

const documentOf = (html: string) => new JSDOM(html).window.document;
/** The page's text as a reader meets it: each piece of text apart, spaces collapsed. */
function textOf(html: string): string {
  const doc = documentOf(html);
  const walker = doc.createTreeWalker(doc.body, doc.defaultView!.NodeFilter.SHOW_TEXT, {
    acceptNode: (node) => (node.parentElement?.closest("script, style") ? 2 : 1),
  });
  const parts: string[] = [];
  while (walker.nextNode()) parts.push(walker.currentNode.textContent ?? "");
  return parts.join(" ").replace(/\s+/g, " ");
}

async function admin(name = "Ada Admin") {
  const user = await signedIn(server.app, { role: "admin", name });
  return { user, headers: { Cookie: user.cookie }, actor: { id: user.id, label: user.email } };
}

/** The page's form posted with `changes` and the button `intent` pressed. */
async function submit(headers: Record<string, string>, html: string, changes: Record<string, FieldChange> = {}, intent = "save") {
  const entries = formEntries(html, FORM, changes);
  entries.append("intent", intent);
  return postEntries(server, PAGE, entries, headers);
}

/** The rules' names in the form, in order. */
const ruleNames = (doc: Document) => [...doc.querySelectorAll<HTMLInputElement>("input[name$='.name']")].map((input) => input.value);
const ticked = (doc: Document, name: string) => [...doc.querySelectorAll<HTMLInputElement>(`input[name='${name}']:checked`)].map((box) => box.value);
const errorOf = (doc: Document, id: string) => doc.getElementById(`${id}-error`)?.textContent ?? null;

const settings = (changes: Partial<MatrixSettings> = {}): MatrixSettings => ({ ...structuredClone(DEFAULT_MATRIX), ...changes });

describe("Settings → Review", () => {
  it("shows the built-in defaults before anyone saved, each rule in words", async () => {
    const { headers } = await admin();
    const response = await get(server, PAGE, headers);
    expect(response.status).toBe(200);
    const html = await response.text();
    const text = textOf(html);
    expect(text).toContain("Using the built-in defaults (version 0)");
    expect(text).toContain("the first that matches a submission decides its stages");
    expect(text).toContain("A change applies to new submissions only: versions already in review keep the stages they were given.");
    // The history's empty state.
    expect(documentOf(html).querySelector(".empty-state")?.textContent).toContain("Using the built-in defaults");

    const doc = documentOf(html);
    expect(ruleNames(doc)).toEqual(DEFAULT_MATRIX.rules.map((rule) => rule.name));
    expect(ticked(doc, "rules.0.tiers")).toEqual(["strategic"]);
    expect(ticked(doc, "rules.2.channels")).toEqual(["paid_social"]);
    expect(doc.querySelector<HTMLSelectElement>("select[name='rules.3.usesClaims']")!.value).toBe("yes");
    expect(ticked(doc, "rules.4.stages")).toEqual(["brand"]);
    expect(ticked(doc, "mode")).toEqual(["sequential"]);
    expect(doc.querySelector<HTMLInputElement>("input[name='slaHours.legal']")!.value).toBe("48");
    const previews = [...doc.querySelectorAll(".matrix-rule__preview")].map((p) => p.textContent);
    expect(previews[0]).toBe("Creatives where tier is Strategic need brand and legal review.");
    expect(previews[2]).toBe("Creatives where channel is Paid social need brand and legal review.");
    expect(previews[4]).toBe("Every creative no rule above matches needs brand review.");
    // Each rule is a group named by its number and name; its buttons say which rule they move.
    expect(doc.querySelector("#rule-1 > legend")?.textContent).toBe("Rule 2: Strategic partners");
    expect(doc.querySelector("button[value='down:1']")?.textContent).toBe("Move down rule 2");
    expect(doc.querySelector<HTMLButtonElement>("button[value='up:0']")!.disabled).toBe(true);
    // Enter in a field presses the form's first button: it saves, it does not move a rule.
    expect(doc.querySelector<HTMLButtonElement>(`form[aria-label='${FORM}'] button[type='submit']`)!.value).toBe("save");
  });

  it("saves a change as version 1 with its audit event, shows who saved it, and lists it", async () => {
    const { user, headers } = await admin();
    const page = await (await get(server, PAGE, headers)).text();
    const saved = await submit(headers, page, { "slaHours.brand": "24", "businessHours.enabled": "on", "businessHours.timeZone": "Europe/Berlin" });
    expect(saved.status).toBe(302);
    const html = await (await follow(server, saved, user.cookie)).text();
    expect(toastIn(html)).toBe("Saved as version 1 New submissions are routed by it from now on. Changed: due times, business hours.");
    const text = textOf(html);
    expect(text).toContain("Version 1 applies");
    expect(text).toContain("by Ada Admin");
    expect(text).toMatch(/v1 .*Ada Admin due times, business hours/);

    const matrix = await currentMatrix(server.app.db);
    expect(matrix).toMatchObject({
      version: 1,
      rules: DEFAULT_MATRIX.rules,
      mode: "sequential",
      slaHours: { brand: 24, legal: 48 },
      businessHours: { enabled: true, timeZone: "Europe/Berlin", startHour: 9, endHour: 17 },
    });
    const events = await server.app.db.select().from(auditEvents).where(eq(auditEvents.action, "review.matrix_updated"));
    expect(events.map((e) => [e.subjectType, e.subjectId, e.actorId, e.data])).toEqual([
      ["approval_matrix", "1", user.id, expect.objectContaining({ version: 1, changed: ["slaHours", "businessHours"] })],
    ]);
    expect(events[0]!.data).toMatchObject({ values: { slaHours: { from: DEFAULT_MATRIX.slaHours, to: { brand: 24, legal: 48 } } } });
  });

  it("saves nothing when nothing changed", async () => {
    const { user, headers } = await admin();
    const page = await (await get(server, PAGE, headers)).text();
    const same = await submit(headers, page);
    expect(toastIn(await (await follow(server, same, user.cookie)).text())).toBe("Nothing changed: the built-in defaults still apply.");
    expect(await server.app.db.select().from(approvalMatrices)).toEqual([]);

    // Nor once a version is saved: the stored rules read back from jsonb compare equal.
    const { actor } = await admin("Bo Admin");
    await saveMatrix(server.app, actor, settings({ mode: "parallel" }));
    const again = await submit(headers, await (await get(server, PAGE, headers)).text());
    expect(toastIn(await (await follow(server, again, user.cookie)).text())).toBe("Nothing changed: the matrix is still version 1.");
    expect(await saveMatrix(server.app, actor, settings({ mode: "parallel" }), { basedOn: 1 })).toEqual({ version: 1, changed: [] });
    expect(await server.app.db.select().from(auditEvents).where(eq(auditEvents.action, "review.matrix_updated"))).toHaveLength(1);
  });

  it("refuses to overwrite a version saved meanwhile (409), keeping the admin's draft, and saves it once they saw the new version", async () => {
    const { user, headers } = await admin();
    const page = await (await get(server, PAGE, headers)).text();
    await saveMatrix(server.app, { id: null, label: "colleague@brand.test" }, settings({ slaHours: { brand: 12, legal: 48 } }));

    const stale = await submit(headers, page, { "rules.4.name": "All other creatives" });
    expect(stale.status).toBe(409);
    const doc = documentOf(await stale.text());
    expect(doc.querySelector(".error-summary")?.textContent).toContain(
      "Version 1 of the approval matrix was saved while you were editing version 0, so nothing was saved.",
    );
    expect(ruleNames(doc).at(-1)).toBe("All other creatives");
    // The draft is the admin's (brand 48 as their form had it); the form is now based on version 1.
    expect(doc.querySelector<HTMLInputElement>("input[name='slaHours.brand']")!.value).toBe("48");
    expect(doc.querySelector<HTMLInputElement>("input[name='basedOn']")!.value).toBe("1");
    expect((await currentMatrix(server.app.db)).version).toBe(1);

    const again = await submit(headers, doc.documentElement.outerHTML);
    expect(toastIn(await (await follow(server, again, user.cookie)).text())).toBe(
      "Saved as version 2 New submissions are routed by it from now on. Changed: rules, due times.",
    );

    // The domain refuses the same way.
    const refused = await saveMatrix(server.app, { id: null, label: "x" }, settings(), { basedOn: 1 }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(DomainError);
    expect(refused).toMatchObject({ kind: "conflict" });
  });

  it("numbers simultaneous saves one after the other and pages the history", async () => {
    const { actor, headers } = await admin();
    const saves = await Promise.all([
      saveMatrix(server.app, actor, settings({ mode: "parallel" })),
      saveMatrix(server.app, actor, settings({ slaHours: { brand: 10, legal: 10 } })),
    ]);
    expect(saves.map((s) => s.version).sort()).toEqual([1, 2]);
    for (let hours = 1; hours < MATRIX_HISTORY_PAGE_SIZE; hours++) await saveMatrix(server.app, actor, settings({ slaHours: { brand: hours, legal: 48 } }));
    const first = await matrixHistory(server.app.db, 1);
    expect(first).toMatchObject({ total: MATRIX_HISTORY_PAGE_SIZE + 1, pageCount: 2 });
    expect(first.rows.map((r) => r.version)).toEqual([11, 10, 9, 8, 7, 6, 5, 4, 3, 2]);
    expect((await matrixHistory(server.app.db, 2)).rows.map((r) => r.version)).toEqual([1]);
    const older = textOf(await (await get(server, `${PAGE}?page=2`, headers)).text());
    expect(older).toMatch(/v1 .*Ada Admin/);
    expect(older).not.toMatch(/v2 /);
  });

  it("adds, moves and removes rules without saving, keeping what was typed", async () => {
    const { headers } = await admin();
    const page = await (await get(server, PAGE, headers)).text();

    // Add: the new, empty rule goes above the catch-all; the SLA typed meanwhile stays.
    const added = await submit(headers, page, { "slaHours.brand": "30" }, "add");
    expect(added.status).toBe(200);
    let html = await added.text();
    let doc = documentOf(html);
    expect(ruleNames(doc)).toEqual(["Strategic tier", "Strategic partners", "Paid channels", "Uses claims", "", "Everything else"]);
    expect(textOf(html)).toContain("Not saved yet Rule 5 added: give it a name and its conditions.");
    expect(doc.querySelector<HTMLInputElement>("input[name='slaHours.brand']")!.value).toBe("30");

    // Move: fill the new rule in, then move it to the top.
    const filled = { "rules.4.name": "Trial website", "rules.4.tiers": ["trial"], "rules.4.channels": ["website_blog"] };
    html = await (await submit(headers, html, filled, "up:4")).text();
    doc = documentOf(html);
    expect(ruleNames(doc).slice(3, 5)).toEqual(["Trial website", "Uses claims"]);
    expect(ticked(doc, "rules.3.tiers")).toEqual(["trial"]);
    expect(ticked(doc, "rules.4.tiers")).toEqual([]);
    expect(ticked(doc, "rules.4.usesClaims")).toEqual([]);
    expect(doc.querySelector<HTMLSelectElement>("select[name='rules.4.usesClaims']")!.value).toBe("yes");
    expect(textOf(html)).toContain("Rule 5 “Trial website” moved up to position 4.");
    html = await (await submit(headers, html, {}, "down:0")).text();
    expect(ruleNames(documentOf(html)).slice(0, 2)).toEqual(["Strategic partners", "Strategic tier"]);

    // Remove.
    html = await (await submit(headers, html, {}, "remove:1")).text();
    expect(ruleNames(documentOf(html))).toEqual(["Strategic partners", "Paid channels", "Trial website", "Uses claims", "Everything else"]);
    expect(textOf(html)).toContain("Rule 2 “Strategic tier” removed.");

    // What cannot be done says why.
    const top = await submit(headers, html, {}, "up:0");
    expect(top.status).toBe(400);
    expect(documentOf(await top.text()).querySelector(".error-summary")?.textContent).toContain("Rule 1 “Strategic partners” is already the first rule.");
    const gone = await submit(headers, html, {}, "remove:9");
    expect(gone.status).toBe(400);

    expect(await server.app.db.select().from(approvalMatrices)).toEqual([]);

    // Saving the edited draft makes it version 1, in its order.
    const saved = await submit(headers, html);
    expect(saved.status).toBe(302);
    const matrix = await currentMatrix(server.app.db);
    expect(matrix.rules.map((rule) => rule.name)).toEqual(["Strategic partners", "Paid channels", "Trial website", "Uses claims", "Everything else"]);
    expect(matrix.rules[2]).toEqual({
      name: "Trial website",
      when: { tiers: ["trial"], channels: ["website_blog"], partnerTypes: [], usesClaims: "any" },
      stages: ["brand"],
      autoApproveWhenClean: false,
    });
    expect(matrix.slaHours.brand).toBe(30);
  });

  it("refuses bad rules with each message at its field and what was typed kept (400)", async () => {
    const { headers } = await admin();
    const page = await (await get(server, PAGE, headers)).text();
    const longName = "A".repeat(81);
    const response = await submit(headers, page, {
      "rules.0.name": longName,
      "rules.0.tiers": ["strategic", "gold"],
      "rules.1.name": "   ",
      "rules.1.channels": ["fax"],
      "rules.1.partnerTypes": ["martian"],
      "rules.2.usesClaims": "maybe",
      "rules.2.stages": [],
      // Rule 4 loses its condition: a catch-all before the end hides the rules below it.
      "rules.3.usesClaims": "any",
    });
    expect(response.status).toBe(400);
    const doc = documentOf(await response.text());

    const name = doc.getElementById("field-rules.0.name") as HTMLInputElement;
    expect(name.value).toBe(longName);
    expect(name.getAttribute("aria-invalid")).toBe("true");
    expect(errorOf(doc, "field-rules.0.name")).toBe("Keep the name to 80 characters.");
    expect(ticked(doc, "rules.0.tiers")).toEqual(["strategic"]);
    expect(errorOf(doc, "field-rules.0.tiers")).toBe("“gold” is not a tier of the program: choose from the list.");
    expect(errorOf(doc, "field-rules.1.name")).toBe("Give the rule a name, such as “Trial partners on websites”.");
    expect(errorOf(doc, "field-rules.1.channels")).toBe("“fax” is not a channel the program offers: choose from the list.");
    expect(errorOf(doc, "field-rules.1.partnerTypes")).toBe("“martian” is not a partner type: choose from the list.");
    expect(errorOf(doc, "field-rules.2.usesClaims")).toBe("Choose whether the creative uses library claims: any, yes or no.");
    expect(errorOf(doc, "field-rules.2.stages")).toBe("Tick at least one stage: brand, legal or both.");
    expect(ticked(doc, "rules.2.stages")).toEqual([]);
    expect(errorOf(doc, "rule-3")).toContain("This rule has no conditions, so it matches every creative and the rules below it would never apply.");
    expect(doc.getElementById("rule-3")!.getAttribute("aria-describedby")).toContain("rule-3-error");
    // The summary names the rule and field of each, and links to it.
    const summary = [...doc.querySelectorAll(".error-summary a")].map((a) => [a.getAttribute("href"), a.textContent]);
    expect(summary).toContainEqual(["#field-rules.0.name", "Rule 1, name: Keep the name to 80 characters."]);
    expect(summary).toContainEqual(["#rule-3", expect.stringMatching(/^Rule 4: This rule has no conditions/)]);
    expect((await currentMatrix(server.app.db)).version).toBe(0);
  });

  it("wants a last rule for every creative that approves nothing automatically, and 1 to 30 rules", async () => {
    const { headers } = await admin();
    const page = await (await get(server, PAGE, headers)).text();

    const narrowLast = documentOf(await (await submit(headers, page, { "rules.4.channels": ["email"] })).text());
    expect(errorOf(narrowLast, "rule-4")).toContain("The last rule must apply to every creative");

    const automatic = await submit(headers, page, { "rules.4.autoApproveWhenClean": "on" });
    expect(automatic.status).toBe(400);
    const doc = documentOf(await automatic.text());
    expect(errorOf(doc, "field-rules.4.autoApproveWhenClean")).toContain("The rule for every other creative cannot approve automatically");
    expect(doc.querySelector<HTMLInputElement>("input[name='rules.4.autoApproveWhenClean']")!.checked).toBe(true);

    // A narrower rule may approve automatically.
    const narrow = await submit(headers, page, { "rules.3.autoApproveWhenClean": "on", "rules.3.usesClaims": "no", "rules.3.tiers": ["trial"] });
    expect(narrow.status).toBe(302);
    expect((await currentMatrix(server.app.db)).rules[3]).toMatchObject({ autoApproveWhenClean: true, when: { tiers: ["trial"], usesClaims: "no" } });

    // More than 30 rules (a crafted post: the Add button stops at 30), and none at all.
    const many: Record<string, string> = { intent: "save", basedOn: "1", mode: "sequential", "slaHours.brand": "48", "slaHours.legal": "48" };
    for (let i = 0; i < 31; i++) Object.assign(many, { [`rules.${i}.name`]: `Rule ${i}`, [`rules.${i}.stages`]: "brand", [`rules.${i}.usesClaims`]: "any" });
    const tooMany = await postForm(server, PAGE, many, headers);
    expect(tooMany.status).toBe(400);
    expect(errorOf(documentOf(await tooMany.text()), "matrix-rules")).toBe("Keep at most 30 rules: remove some before saving.");
    const none = await postForm(server, PAGE, { intent: "save", basedOn: "1" }, headers);
    expect(none.status).toBe(400);
    expect(errorOf(documentOf(await none.text()), "matrix-rules")).toBe("Keep at least 1 rule.");
    expect((await currentMatrix(server.app.db)).version).toBe(1);
  });

  it("refuses a bad order of stages, due times and business hours (400), keeping what was typed", async () => {
    const { headers } = await admin();
    const page = await (await get(server, PAGE, headers)).text();
    const response = await submit(headers, page, {
      mode: "both",
      "slaHours.brand": "0",
      "slaHours.legal": "1.5",
      "businessHours.timeZone": "Mars/Olympus_Mons",
      "businessHours.startHour": "17",
      "businessHours.endHour": "9",
    });
    expect(response.status).toBe(400);
    const doc = documentOf(await response.text());
    expect(errorOf(doc, "field-mode")).toBe("Choose sequential or parallel.");
    expect(errorOf(doc, "field-slaHours.brand")).toBe("Enter a number from 1 to 720.");
    expect(errorOf(doc, "field-slaHours.legal")).toBe("Use a whole number.");
    expect(errorOf(doc, "field-businessHours.timeZone")).toBe("That is not a time zone: enter one such as Europe/Berlin, America/New_York or UTC.");
    expect(errorOf(doc, "field-businessHours.endHour")).toBe("The working day must end after it starts.");
    expect((doc.getElementById("field-slaHours.legal") as HTMLInputElement).value).toBe("1.5");
    expect((doc.getElementById("field-businessHours.timeZone") as HTMLInputElement).value).toBe("Mars/Olympus_Mons");
    expect((doc.getElementById("field-businessHours.startHour") as HTMLInputElement).value).toBe("17");

    const late = await submit(headers, page, { "slaHours.brand": "721", "businessHours.endHour": "25" });
    const lateDoc = documentOf(await late.text());
    expect(errorOf(lateDoc, "field-slaHours.brand")).toBe("Enter a number from 1 to 720.");
    expect(errorOf(lateDoc, "field-businessHours.endHour")).toBe("Enter a number from 1 to 24.");
    expect((await currentMatrix(server.app.db)).version).toBe(0);
  });

  it("is the admins' alone: other staff get 403, partners 404", async () => {
    for (const role of ["brand_reviewer", "legal_reviewer", "analyst"] as const) {
      const { cookie } = await signedIn(server.app, { role });
      expect((await get(server, PAGE, { Cookie: cookie })).status, role).toBe(403);
      expect((await postForm(server, PAGE, { intent: "save", mode: "parallel" }, { Cookie: cookie })).status, role).toBe(403);
    }
    const partner = await createPartner(server.app);
    expect((await get(server, PAGE, { Cookie: partner.cookie })).status).toBe(404);
    expect((await postForm(server, PAGE, { intent: "save" }, { Cookie: partner.cookie })).status).toBe(404);
    expect(await server.app.db.select().from(approvalMatrices).orderBy(asc(approvalMatrices.version))).toEqual([]);
  });

  it("is two of the settings sections, the matrix and the SLA, each an anchor of this page", async () => {
    const { headers } = await admin();
    const nav = documentOf(await (await get(server, "/admin/settings", headers)).text()).querySelector("nav[aria-label='Settings sections']")!;
    expect(nav.querySelector(`a[href='${PAGE}#approval-matrix']`)?.textContent).toBe("Approval matrix");
    expect(nav.querySelector(`a[href='${PAGE}#sla']`)?.textContent).toBe("SLA");
    const doc = documentOf(await (await get(server, PAGE, headers)).text());
    expect(doc.getElementById("approval-matrix")?.textContent).toContain("Rules");
    expect(doc.getElementById("sla")?.textContent).toContain("Due times");
  });
});
