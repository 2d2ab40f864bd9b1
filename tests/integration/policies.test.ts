import { eq } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { auditEvents, policies, policyVersions } from "#db/schema/index";
import { JSDOM } from "jsdom";
import { normalisePolicyBody, policyContentHash, renderPolicyMarkdown } from "~/domain/policies/markdown.server";
import { listPolicies, publishDraft, saveDraft } from "~/domain/policies/policies.server";
import { getOverview } from "~/domain/settings/overview.server";
import { DomainError } from "~/domain/errors";
import { resetDatabase } from "../support/db";
import { createPartnerOrg, createUser, sessionCookieFor } from "../support/context";
import { get, postForm, startTestServer, type TestServer } from "../support/http";

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());
beforeEach(() => resetDatabase(server.app.db));

const actor = { id: null, label: "test" };
async function newPolicy(title = "Program terms") {
  const [row] = await server.app.db.insert(policies).values({ key: title.toLowerCase().replace(/\W+/g, "_"), title }).returning();
  return row!;
}

describe("policy Markdown", () => {
  it("renders structure and drops scripts, handlers, images and script URLs", () => {
    const html = renderPolicyMarkdown(
      "# Terms\n\n**Pay** monthly. [site](https://lumen.test) [bad](javascript:alert(1)) <script>alert(1)</script> <img src=x onerror=alert(1)> <a href=\"https://x.test\" onclick=\"steal()\">x</a>\n\n| a | b |\n|---|---|\n| 1 | 2 |",
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
    expect(html).toContain("<h6>Six</h6>");
    expect(html).not.toMatch(/href="(\/\/|data:|vbscript:)/);
    expect(html).toContain('<a href="/partner/assets" rel="noopener noreferrer nofollow">path</a>');
    expect(html).toContain('href="mailto:legal@lumen.test"');
    expect(html).toContain('href="terms.html#fees"');
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
    await expect(publishDraft(server.app.db, actor, policy.id, { material: false })).rejects.toThrow("There is no draft to publish");
    await saveDraft(server.app.db, actor, policy.id, { body: "Version one.", changeSummary: "" });
    expect(await publishDraft(server.app.db, actor, policy.id, { material: false })).toEqual({ number: 1 });
    await saveDraft(server.app.db, actor, policy.id, { body: "Version one.\r\n", changeSummary: "no-op" });
    await expect(publishDraft(server.app.db, actor, policy.id, { material: true })).rejects.toBeInstanceOf(DomainError);
    await saveDraft(server.app.db, actor, policy.id, { body: "Version two.", changeSummary: "Clearer" });
    expect(await publishDraft(server.app.db, actor, policy.id, { material: false })).toEqual({ number: 2 });

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
    await saveDraft(server.app.db, actor, other.id, { body: "Draft only.", changeSummary: "" });
    const listed = await listPolicies(server.app.db);
    expect(listed.map((p) => [p.title, p.currentNumber === null ? null : Number(p.currentNumber), p.hasDraft])).toEqual(
      expect.arrayContaining([
        ["Program terms", 2, false],
        ["Data handling", null, true],
      ]),
    );
    expect((await getOverview(server.app.db)).requiredPoliciesUnpublished).toBe(1);
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

    const saved = await postForm(server, path, { intent: "save_draft", body: "# Terms\n\n<script>alert(1)</script> Be honest.", changeSummary: "First" }, { Cookie: cookie });
    expect(saved.status).toBe(302);
    const page = await (await get(server, `${path}?compare=draft`, { Cookie: cookie })).text();
    expect(page).toContain("<h3>Terms</h3>");
    expect(page).toContain("&lt;script&gt;alert(1)&lt;/script&gt;");
    expect(page).not.toContain("<script>alert(1)</script>");

    expect((await postForm(server, path, { intent: "publish" }, { Cookie: cookie })).status).toBe(302);
    expect(await (await get(server, `${path}?notice=publish`, { Cookie: cookie })).text()).toContain("Version 1");

    // Legal reviewers write versions; adding kinds and changing what is required is an admin's call.
    expect((await postForm(server, path, { intent: "set_required", required: "" }, { Cookie: cookie })).status).toBe(403);
    expect((await postForm(server, "/admin/policies", { intent: "create", title: "Code of conduct" }, { Cookie: cookie })).status).toBe(403);
    const admin = await createUser(server.app.db, { role: "admin" });
    const adminCookie = await sessionCookieFor(server.app, admin.id);
    const created = await postForm(server, "/admin/policies", { intent: "create", title: "Code of conduct", required: "on" }, { Cookie: adminCookie });
    expect(created.status).toBe(302);
    const duplicate = await postForm(server, "/admin/policies", { intent: "create", title: "Code of Conduct" }, { Cookie: adminCookie });
    expect(duplicate.status).toBe(409);
    expect(await duplicate.text()).toContain("A policy with this name already exists.");

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
