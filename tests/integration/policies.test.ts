import { desc, eq } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { auditEvents, outboxMessages, partnerOrganisations, policies, policyVersions, users } from "#db/schema/index";
import { acceptPolicyVersion, gateOf, policyStandingFor } from "~/domain/policies/acceptance.server";
import { JSDOM } from "jsdom";
import { canonicalOrigin } from "~/domain/settings/site.server";
import { normalisePolicyBody, policyContentHash, renderPolicyMarkdown, renderPolicyPlainText } from "~/domain/policies/markdown.server";
import { listPolicies, publishDraft, saveDraft } from "~/domain/policies/policies.server";
import { getOverview } from "~/domain/settings/overview.server";
import { DomainError } from "~/domain/errors";
import { slugify } from "~/lib/slug";
import { resetDatabase } from "../support/db";
import { createPartnerOrg, createUser, sessionCookieFor } from "../support/context";
import { follow, get, postForm, startTestServer, toastIn, type TestServer } from "../support/http";

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());
beforeEach(() => resetDatabase(server.app.db));

const actor = { id: null, label: "test" };
const ORIGIN = "https://partners.acme.test";
const publish = (policyId: string, input: { material: boolean; confirmed?: boolean; draftHash?: string }) =>
  publishDraft(server.app, actor, policyId, { confirmed: false, ...input }, ORIGIN);
/** What the policy page's forms hold: the editor's text and summary, and the hash the publish form carries. */
function editorOf(html: string) {
  const page = new JSDOM(html).window.document;
  const field = (selector: string) => page.querySelector<HTMLInputElement | HTMLTextAreaElement>(selector);
  return {
    body: field("form textarea[name=body]")?.value ?? null,
    changeSummary: field("form input[name=changeSummary]")?.value ?? null,
    draftHash: field("form input[name=draftHash]")?.value ?? "",
    text: page.body.textContent ?? "",
  };
}

async function newPolicy(title = "Program terms") {
  const [row] = await server.app.db
    .insert(policies)
    .values({ key: slugify(title, { separator: "_", fallback: "policy" }), title })
    .returning();
  return row!;
}

describe("policy Markdown", () => {
  it("renders structure and drops scripts, handlers, images and script URLs", () => {
    const html = renderPolicyMarkdown(
      '# Terms\n\n**Pay** monthly. [site](https://lumen.test) [bad](javascript:alert(1)) <script>alert(1)</script> <img src=x onerror=alert(1)> <a href="https://x.test" onclick="steal()">x</a>\n\n| a | b |\n|---|---|\n| 1 | 2 |',
    );
    expect(html).toContain("<h3>Terms</h3>");
    expect(html).toContain("<strong>Pay</strong>");
    expect(html).toContain('<a href="https://lumen.test" rel="noopener noreferrer nofollow">site</a>');
    expect(html).toContain("<table>");
    // Raw HTML survives only as text: no element of it, no handler, no script URL.
    const page = new JSDOM(html).window.document;
    expect(page.querySelectorAll("script, img, iframe").length).toBe(0);
    const attributes = [...page.querySelectorAll("*")].flatMap((element) => [...element.attributes].map((a) => `${a.name}=${a.value}`));
    expect(attributes.filter((a) => /^on|javascript:/i.test(a))).toEqual([]);
    expect(page.body.textContent).toContain("<script>alert(1)</script>");
  });

  it("shows raw HTML as text, keeps headings below the page's own, and links only to web, mail or this site", () => {
    const html = renderPolicyMarkdown(
      "<b>bold?</b> <iframe src=x></iframe>\n\n###### Six\n\n[proto](//evil.test) [data](data:text/html,hi) [vb](vbscript:msgbox) [path](/partner/assets) [mail](mailto:legal@lumen.test) [rel](terms.html#fees)",
    );
    expect(html).toContain("&lt;b&gt;bold?&lt;/b&gt;");
    expect(html).not.toMatch(/<b>|<iframe/);
    // A lone deepest heading is still the policy's first level: h3, under the card's h2.
    expect(html).toContain("<h3>Six</h3>");
    expect(html).not.toMatch(/href="(\/\/|data:|vbscript:)/);
    expect(html).toContain('<a href="/partner/assets" rel="noopener noreferrer nofollow">path</a>');
    expect(html).toContain('href="mailto:legal@lumen.test"');
    expect(html).toContain('href="terms.html#fees"');
  });

  it("numbers headings without gaps, whichever levels the author used", () => {
    const html = renderPolicyMarkdown("## Fees\n\n#### Monthly\n\nPaid by the 5th.\n\n## Conduct\n\n###### Disclosure");
    expect([...html.matchAll(/<(h\d)>([^<]+)</g)].map((m) => `${m[1]} ${m[2]}`)).toEqual(["h3 Fees", "h4 Monthly", "h3 Conduct", "h5 Disclosure"]);
    // A document that is a page's whole content starts one level higher.
    expect(renderPolicyMarkdown("# Rubric\n\n## Total", { topHeadingLevel: 2 })).toMatch(/<h2>Rubric<\/h2>\n<h3>Total<\/h3>/);
  });

  it("reads as plain text for a diff: the words, no Markdown markers", () => {
    expect(renderPolicyPlainText("# Fees\n\nPaid **monthly**, see [rates](https://x.test).\n\n1. One\n2. Two\n\n| A | B |\n|---|---|\n| 1 | 2 |")).toBe(
      "Fees\n\nPaid monthly, see rates.\n\n1. One\n2. Two\n\nA | B\n1 | 2",
    );
  });

  it("hashes what the text says, not its line endings or trailing spaces", () => {
    expect(normalisePolicyBody("a  \r\nb\t\r\n\r\n")).toBe("a\nb");
    expect(policyContentHash("a\r\nb  ")).toBe(policyContentHash("a\nb"));
    expect(policyContentHash("a\nb")).not.toBe(policyContentHash("a\nc"));
  });
});

describe("versions", () => {
  it("publish with numbers and hashes; a published version never changes, even at the database", async () => {
    const policy = await newPolicy();
    await expect(publish(policy.id, { material: false })).rejects.toThrow("There is no draft to publish");
    await saveDraft(server.app, actor, policy.id, { body: "Version one.", changeSummary: "" });
    // The first version is material whatever the form said, so it too waits for confirmation.
    expect(await publish(policy.id, { material: false })).toMatchObject({ published: false, number: 1 });
    expect(await publish(policy.id, { material: false, confirmed: true })).toMatchObject({ published: true, number: 1, material: true });
    await saveDraft(server.app, actor, policy.id, { body: "Version one.\r\n", changeSummary: "no-op" });
    await expect(publish(policy.id, { material: true, confirmed: true })).rejects.toBeInstanceOf(DomainError);
    await saveDraft(server.app, actor, policy.id, { body: "Version two.", changeSummary: "Clearer" });
    expect(await publish(policy.id, { material: false })).toMatchObject({ published: true, number: 2, material: false });

    const versions = await server.app.db.select().from(policyVersions).where(eq(policyVersions.policyId, policy.id)).orderBy(policyVersions.number);
    expect(versions.map((v) => [v.number, v.status, v.material, v.contentHash])).toEqual([
      [1, "published", true, policyContentHash("Version one.")],
      [2, "published", false, policyContentHash("Version two.")],
    ]);
    await expect(server.app.db.update(policyVersions).set({ body: "Rewritten" }).where(eq(policyVersions.id, versions[0]!.id))).rejects.toThrow();
    await expect(server.app.db.delete(policyVersions).where(eq(policyVersions.id, versions[0]!.id))).rejects.toThrow();
    expect((await server.app.db.select().from(policyVersions).where(eq(policyVersions.id, versions[0]!.id)))[0]!.body).toBe("Version one.");
    // The list and the overview see the published versions (each policy's own, not its neighbour's).
    const other = await newPolicy("Data handling");
    await saveDraft(server.app, actor, other.id, { body: "Draft only.", changeSummary: "" });
    const listed = await listPolicies(server.app.db);
    expect(listed.map((p) => [p.title, p.currentNumber === null ? null : Number(p.currentNumber), p.hasDraft])).toEqual(
      expect.arrayContaining([
        ["Program terms", 2, false],
        ["Data handling", null, true],
      ]),
    );
    expect((await getOverview(server.app.db, server.app.clock.now())).requiredPoliciesUnpublished).toBe(1);
    const actions = (await server.app.db.select().from(auditEvents)).map((e) => e.action);
    expect(actions.filter((a) => a === "policy.version_published")).toHaveLength(2);
  });
});

describe("the policy pages", () => {
  it("let admins and legal reviewers write and publish, show the text escaped, and keep everyone else out", async () => {
    const policy = await newPolicy();
    const legal = await createUser(server.app.db, { role: "legal_reviewer" });
    const cookie = await sessionCookieFor(server.app, legal.id);
    const path = `/admin/policies/${policy.id}`;

    const empty = await postForm(server, path, { intent: "save_draft", body: "   " }, { Cookie: cookie });
    expect(empty.status).toBe(400);
    expect(await empty.text()).toContain("The policy text is required.");

    const saved = await postForm(
      server,
      path,
      { intent: "save_draft", body: "# Terms\n\n<script>alert(1)</script> Be honest.", changeSummary: "First" },
      { Cookie: cookie },
    );
    expect(saved.status).toBe(302);
    const page = await (await get(server, `${path}?compare=draft`, { Cookie: cookie })).text();
    expect(page).toContain("<h3>Terms</h3>");
    expect(page).toContain("&lt;script&gt;alert(1)&lt;/script&gt;");
    expect(page).not.toContain("<script>alert(1)</script>");

    const draftHash = editorOf(await (await get(server, path, { Cookie: cookie })).text()).draftHash;
    const published = await postForm(server, path, { intent: "publish", draftHash, confirmed: "on" }, { Cookie: cookie });
    expect(published.status).toBe(302);
    const publishedPage = await (await follow(server, published, cookie)).text();
    expect(publishedPage).toContain("Version 1");
    expect(toastIn(publishedPage)).toBe("Published. Partners must accept it before they continue; each was emailed a link to it.");

    // Legal reviewers write versions; adding kinds and changing what is required is an admin's call.
    expect((await postForm(server, path, { intent: "set_required", required: "" }, { Cookie: cookie })).status).toBe(403);
    expect((await postForm(server, "/admin/policies", { intent: "create", title: "Code of conduct" }, { Cookie: cookie })).status).toBe(403);
    const admin = await createUser(server.app.db, { role: "admin" });
    const adminCookie = await sessionCookieFor(server.app, admin.id);
    const created = await postForm(server, "/admin/policies", { intent: "create", title: "Code of conduct", required: "on" }, { Cookie: adminCookie });
    expect(created.status).toBe(302);
    const duplicate = await postForm(server, "/admin/policies", { intent: "create", title: "Code of Conduct" }, { Cookie: adminCookie });
    // A conflict (DomainError kind "conflict") is the form again: 409, the message at the field, what was typed kept.
    expect(duplicate.status).toBe(409);
    const duplicateForm = new JSDOM(await duplicate.text()).window.document;
    expect(duplicateForm.body.textContent).toContain("A policy with this name already exists.");
    expect(duplicateForm.querySelector<HTMLInputElement>("input[name=title]")?.value).toBe("Code of Conduct");

    const reviewer = await createUser(server.app.db, { role: "brand_reviewer" });
    const org = await createPartnerOrg(server.app.db);
    const partner = await createUser(server.app.db, { role: "partner", partnerOrgId: org.id });
    for (const target of ["/admin/policies", path]) {
      expect((await get(server, target, { Cookie: await sessionCookieFor(server.app, reviewer.id) })).status).toBe(403);
      expect((await get(server, target, { Cookie: await sessionCookieFor(server.app, partner.id) })).status).toBe(404);
    }
    expect((await postForm(server, path, { intent: "discard" }, { Cookie: await sessionCookieFor(server.app, partner.id) })).status).toBe(404);
    expect((await get(server, "/admin/policies/not-an-id", { Cookie: cookie })).status).toBe(404);
  });
});

describe("discarding a draft", () => {
  it("leaves the editor holding the published text, so a Save cannot bring the discarded words back", async () => {
    const policy = await newPolicy();
    await saveDraft(server.app, actor, policy.id, { body: "# Terms\n\nPaid quarterly.", changeSummary: "" });
    await publish(policy.id, { material: true, confirmed: true });
    const legal = await createUser(server.app.db, { role: "legal_reviewer" });
    const cookie = await sessionCookieFor(server.app, legal.id);
    const path = `/admin/policies/${policy.id}`;

    expect(
      (await postForm(server, path, { intent: "save_draft", body: "# Terms\n\nPaid never.", changeSummary: "Experiment" }, { Cookie: cookie })).status,
    ).toBe(302);
    expect(editorOf(await (await get(server, path, { Cookie: cookie })).text())).toMatchObject({ body: "# Terms\n\nPaid never.", changeSummary: "Experiment" });

    const discarded = await postForm(server, path, { intent: "discard" }, { Cookie: cookie });
    expect(discarded.headers.get("location")).toBe(path);
    const discardedPage = await (await follow(server, discarded, cookie)).text();
    const editor = editorOf(discardedPage);
    expect(editor).toMatchObject({ body: "# Terms\n\nPaid quarterly.", changeSummary: "", draftHash: "" });
    expect(toastIn(discardedPage)).toBe("Draft discarded.");
    expect(editor.text).not.toContain("Paid never");
    expect(editor.text).not.toContain("Experiment");
    // With no draft there is nothing to publish, whatever an old page posts.
    const stale = await postForm(
      server,
      path,
      { intent: "publish", draftHash: policyContentHash("# Terms\n\nPaid never."), confirmed: "on" },
      { Cookie: cookie },
    );
    expect(stale.status).toBe(409);
    expect((await server.app.db.select().from(policyVersions).where(eq(policyVersions.policyId, policy.id))).map((v) => v.number)).toEqual([1]);
  });
});

describe("publishing a material version", () => {
  /**
   * Three organisations with people to gate: Acme (two active members),
   * Birch (one active, one disabled) and Cedar (paused, one member). Dune is
   * terminated and Elm has no one yet: neither counts. Internal users never do.
   */
  async function partnerBase() {
    const person = async (org: { id: string }, email: string, status: "active" | "disabled" = "active") => {
      const user = await createUser(server.app.db, { role: "partner", partnerOrgId: org.id, email });
      if (status !== "active") await server.app.db.update(users).set({ status }).where(eq(users.id, user.id));
      return user;
    };
    const [acme, birch, cedar, dune] = [
      await createPartnerOrg(server.app.db, "Acme"),
      await createPartnerOrg(server.app.db, "Birch"),
      await createPartnerOrg(server.app.db, "Cedar"),
      await createPartnerOrg(server.app.db, "Dune"),
    ];
    await createPartnerOrg(server.app.db, "Elm");
    await server.app.db.update(partnerOrganisations).set({ status: "paused" }).where(eq(partnerOrganisations.id, cedar.id));
    await server.app.db.update(partnerOrganisations).set({ status: "terminated" }).where(eq(partnerOrganisations.id, dune.id));
    const acceptedBefore = await person(acme, "ann@acme.test");
    await person(acme, "abe@acme.test");
    await person(birch, "bo@birch.test");
    await person(birch, "gone@birch.test", "disabled");
    await person(cedar, "cy@cedar.test");
    await person(dune, "dee@dune.test");
    await createUser(server.app.db, { role: "analyst", email: "sam@brand.test" });
    return { gated: ["abe@acme.test", "ann@acme.test", "bo@birch.test", "cy@cedar.test"], acceptedBefore };
  }

  it("asks for confirmation with the counts, then publishes, emails exactly the people it gates and audits it", async () => {
    const policy = await newPolicy();
    await saveDraft(server.app, actor, policy.id, { body: "# Terms\n\nPaid quarterly.", changeSummary: "" });
    await publish(policy.id, { material: true, confirmed: true });
    const { gated, acceptedBefore } = await partnerBase();
    const [v1] = await server.app.db.select().from(policyVersions).where(eq(policyVersions.policyId, policy.id));
    await acceptPolicyVersion(
      server.app,
      { id: acceptedBefore.id, email: acceptedBefore.email, partnerOrgId: acceptedBefore.partnerOrgId!, partnerRole: "owner" },
      { versionId: v1!.id, contentHash: v1!.contentHash! },
      { ip: null, userAgent: null },
    );
    const admin = await createUser(server.app.db, { role: "admin" });
    const cookie = await sessionCookieFor(server.app, admin.id);
    const path = `/admin/policies/${policy.id}`;
    expect(
      (await postForm(server, path, { intent: "save_draft", body: "# Terms\n\nPaid monthly.", changeSummary: "Monthly payments" }, { Cookie: cookie })).status,
    ).toBe(302);
    const { draftHash } = editorOf(await (await get(server, path, { Cookie: cookie })).text());
    const published = async () =>
      (await server.app.db.select().from(policyVersions).where(eq(policyVersions.policyId, policy.id))).filter((v) => v.status === "published").length;

    // Bad input: no hash, or the hash of other words, publishes nothing.
    const missing = await postForm(server, path, { intent: "publish", material: "on", confirmed: "on" }, { Cookie: cookie });
    expect(missing.status).toBe(400);
    expect(await missing.text()).toContain("This form is out of date. Reload the page.");
    const otherText = await postForm(
      server,
      path,
      { intent: "publish", material: "on", confirmed: "on", draftHash: policyContentHash("Something else") },
      { Cookie: cookie },
    );
    expect(otherText.status).toBe(409);
    expect(await otherText.text()).toContain("The draft changed since this page was loaded.");

    const asked = await postForm(server, path, { intent: "publish", material: "on", draftHash }, { Cookie: cookie });
    expect(asked.status).toBe(200);
    const question = new JSDOM(await asked.text()).window.document;
    expect(question.querySelector("#confirm-publish-title")?.textContent).toBe("Publish version 2 as a material change?");
    expect(question.body.textContent).toContain("This gates 3 organisations, 4 people.");
    // The confirmation is a plain form: it works without JavaScript and publishes the draft that was counted.
    const confirmForm = [...question.querySelectorAll("form")].find((f) => f.querySelector("input[name=confirmed]"));
    expect(confirmForm?.querySelector("button[type=submit]")?.textContent).toBe("Yes, publish version 2");
    expect([...confirmForm!.querySelectorAll("input")].map((i) => [i.name, i.value])).toEqual([
      ["intent", "publish"],
      ["material", "on"],
      ["confirmed", "on"],
      ["draftHash", draftHash],
    ]);
    expect(await published()).toBe(1);
    expect(await server.app.db.select().from(outboxMessages)).toEqual([]);

    const confirmed = await postForm(server, path, { intent: "publish", material: "on", confirmed: "on", draftHash }, { Cookie: cookie });
    expect(confirmed.status).toBe(302);
    expect(confirmed.headers.get("location")).toBe(path);
    expect(toastIn(await (await follow(server, confirmed, cookie)).text())).toBe(
      "Published. Partners must accept it before they continue; each was emailed a link to it.",
    );
    expect(await published()).toBe(2);
    const mail = await server.app.db.select().from(outboxMessages);
    expect(mail.map((m) => m.payload.to).sort()).toEqual(gated);
    expect(mail[0]!.payload.subject).toBe("Program terms changed: accept version 2 to continue");
    expect(mail[0]!.payload.text).toContain("What changed: Monthly payments");
    // Links use the site's canonical origin, never the Host the request named.
    expect(mail[0]!.payload.text).toContain(`Read and accept Program terms: ${await canonicalOrigin(server.app)}/partner/policies\n`);
    const [event] = await server.app.db
      .select()
      .from(auditEvents)
      .where(eq(auditEvents.action, "policy.version_published"))
      .orderBy(desc(auditEvents.occurredAt))
      .limit(1);
    expect(event!.data).toMatchObject({ number: 2, material: true, changeSummary: "Monthly payments", gatedOrganisations: 3, gatedPeople: 4, emailed: 4 });

    // The partner who had accepted version 1 is told what changed and held until they accept.
    const gate = gateOf(await policyStandingFor(server.app.db, acceptedBefore.id));
    expect(gate).toMatchObject({ blocked: true, changed: [{ title: "Program terms", number: 2, changeSummary: "Monthly payments", state: "blocking" }] });
    const partnerPage = await get(server, "/partner/policies", { Cookie: await sessionCookieFor(server.app, acceptedBefore.id) });
    const partnerText = new JSDOM(await partnerPage.text()).window.document.body.textContent;
    expect(partnerText).toContain("This policy changed since you accepted it:");
    expect(partnerText).toContain("Program terms, version 2: Monthly payments");
  });

  it("a minor version needs no confirmation and sends no email; partners who accepted are asked on every page", async () => {
    const policy = await newPolicy();
    await saveDraft(server.app, actor, policy.id, { body: "Paid quarterly.", changeSummary: "" });
    await publish(policy.id, { material: true, confirmed: true });
    const { acceptedBefore } = await partnerBase();
    const [v1] = await server.app.db.select().from(policyVersions).where(eq(policyVersions.policyId, policy.id));
    await acceptPolicyVersion(
      server.app,
      { id: acceptedBefore.id, email: acceptedBefore.email, partnerOrgId: acceptedBefore.partnerOrgId!, partnerRole: "owner" },
      { versionId: v1!.id, contentHash: v1!.contentHash! },
      { ip: null, userAgent: null },
    );
    await saveDraft(server.app, actor, policy.id, { body: "Paid quarterly, in arrears.", changeSummary: "Clarified timing" });
    const draftHash = policyContentHash("Paid quarterly, in arrears.");
    expect(await publish(policy.id, { material: false, draftHash })).toMatchObject({
      published: true,
      number: 2,
      material: false,
      impact: { organisations: 0, people: 0 },
    });
    expect(await server.app.db.select().from(outboxMessages)).toEqual([]);
    const home = await get(server, "/partner", { Cookie: await sessionCookieFor(server.app, acceptedBefore.id) });
    expect(home.status).toBe(200);
    const text = new JSDOM(await home.text()).window.document.body.textContent;
    expect(text).toContain("A policy was updated");
    expect(text).toContain("Program terms, version 2: Clarified timing");
  });

  it("of an optional policy gates no one and emails no one", async () => {
    const [policy] = await server.app.db.insert(policies).values({ key: "newsletter", title: "Newsletter", required: false }).returning();
    await partnerBase();
    await saveDraft(server.app, actor, policy!.id, { body: "Optional reading.", changeSummary: "" });
    expect(await publish(policy!.id, { material: true })).toMatchObject({ published: false, impact: { organisations: 0, people: 0 } });
    expect(await publish(policy!.id, { material: true, confirmed: true, draftHash: policyContentHash("Optional reading.") })).toMatchObject({
      published: true,
      number: 1,
    });
    expect(await server.app.db.select().from(outboxMessages)).toEqual([]);
  });

  it("sends links built from the origin it is given", async () => {
    const policy = await newPolicy();
    const { gated } = await partnerBase();
    await saveDraft(server.app, actor, policy.id, { body: "First terms.", changeSummary: "" });
    expect(await publish(policy.id, { material: true, confirmed: true })).toMatchObject({ published: true, impact: { organisations: 3, people: 4 } });
    const mail = await server.app.db.select().from(outboxMessages);
    expect(mail).toHaveLength(gated.length);
    for (const m of mail) expect(m.payload.html).toContain(`href="${ORIGIN}/partner/policies"`);
  });
});
