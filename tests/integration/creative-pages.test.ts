import { randomUUID } from "node:crypto";
import { Readable } from "node:stream";
import { JSDOM } from "jsdom";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { creativeFiles, creatives, creativeVersionFiles, creativeVersions, type StoredFinding } from "#db/schema/index";
import { creativeFileKey } from "~/domain/creatives/files.server";
import { currentRuleSet, saveRuleSet } from "~/domain/creatives/rules.server";
import { DEFAULT_RULES } from "~/domain/prescreen";
import { resetDatabase } from "../support/db";
import { createPartner, publishPolicy, signedIn } from "../support/context";
import { follow, get, postForm, startTestServer, toastIn, type TestServer } from "../support/http";

// The brand team's creative pages (list, review view, files), Settings →
// Pre-screen rules, and the partner's live-check endpoint, over HTTP.

let server: TestServer;
beforeAll(async () => {
  // Behind the trusted loopback proxy, so a test can speak from more than one address (the per-address flood limit).
  server = await startTestServer({ configure: (config) => ({ ...config, trustProxy: "loopback" }) });
});
afterAll(() => server.close());
beforeEach(() => resetDatabase(server.app.db));

const documentOf = (html: string) => new JSDOM(html).window.document;

const ENTITIES: Record<string, string> = { "&quot;": '"', "&#x27;": "'", "&#39;": "'", "&lt;": "<", "&gt;": ">", "&amp;": "&", "&nbsp;": " " };

/** The page's text as a reader sees it: no tags, scripts, Remix's text separators or entities. */
const textOf = (html: string) =>
  html
    .replace(/<script[\s\S]*?<\/script>/g, "")
    .replace(/<!-- -->/g, "")
    .replace(/<[^>]+>/g, " ")
    .replace(/&(?:quot|#x27|#39|lt|gt|amp|nbsp);/g, (entity) => ENTITIES[entity]!)
    .replace(/\s+/g, " ");

type Org = Awaited<ReturnType<typeof createPartner>>;

/**
 * A creative as the partner's flow leaves it, written directly: a draft has no
 * version; anything else has version 1 with its findings and one stored file.
 */
async function seedCreative(
  partner: Org,
  input: { title: string; status?: "draft" | "submitted" | "withdrawn"; copy?: string; findings?: StoredFinding[]; withdrawnReason?: string },
) {
  const db = server.app.db;
  const status = input.status ?? "submitted";
  const copy = input.copy ?? "Mornings with Northwind. #ad";
  const now = new Date();
  const [creative] = await db
    .insert(creatives)
    .values({
      organisationId: partner.org.id,
      status,
      title: input.title,
      channel: "website_blog",
      placement: "Homepage banner",
      copy,
      latestVersion: status === "draft" ? 0 : 1,
      submittedAt: status === "draft" ? null : now,
      withdrawnAt: status === "withdrawn" ? now : null,
      withdrawnReason: input.withdrawnReason ?? null,
      createdById: partner.user.id,
    })
    .returning();
  const fileId = randomUUID();
  const stored = await server.app.storage.put(creativeFileKey(creative!.id, fileId), Readable.from([Buffer.from("the banner's bytes")]), {
    maxBytes: 1024,
    contentType: "image/png",
  });
  await db.insert(creativeFiles).values({
    id: fileId,
    creativeId: creative!.id,
    kind: "image",
    storageKey: stored.key,
    contentType: "image/png",
    originalFilename: "banner.png",
    byteSize: stored.size,
    sha256: stored.sha256,
    width: 1200,
    height: 630,
    uploadedById: partner.user.id,
  });
  if (status !== "draft") {
    const [version] = await db
      .insert(creativeVersions)
      .values({
        creativeId: creative!.id,
        number: 1,
        title: input.title,
        channel: "website_blog",
        placement: "Homepage banner",
        destinationUrl: "https://northwindcoffee.com/shop",
        copy,
        claims: [{ id: randomUUID(), text: "Rated the #1 cold brew", disclaimers: ["Brew Weekly readers' poll, 2024."] }],
        disclosure: "#ad",
        findings: input.findings ?? [],
        ruleSetVersion: 0,
        submittedById: partner.user.id,
        submittedAt: now,
      })
      .returning();
    await db.insert(creativeVersionFiles).values({ versionId: version!.id, fileId, position: 0 });
  }
  return { id: creative!.id, fileId };
}

async function reviewer(role: "admin" | "brand_reviewer" | "legal_reviewer" | "analyst" = "brand_reviewer") {
  return { Cookie: (await signedIn(server.app, { role, name: `Ria ${role}` })).cookie };
}

describe("the brand team's list of creatives", () => {
  it("says nothing has been submitted yet on a new program", async () => {
    const response = await get(server, "/admin/creatives", await reviewer("analyst"));
    expect(response.status).toBe(200);
    const text = textOf(await response.text());
    expect(text).toContain("No creatives have been submitted yet");
  });

  // The queue's rows, tabs, filters and pages are tested in review-queue.test.ts (the list became the reviewers' queue).
});

describe("the review view of a creative", () => {
  it("shows the version's copy as text (markup in it is not run), the pre-screen's findings, claims, files and partner", async () => {
    const partner = await createPartner(server.app, { name: "Northwind Media", fields: { tier: "strategic", partnerType: "creator" } });
    const copy = "Our cure for Mondays <script>alert(1)</script> #ad";
    const creative = await seedCreative(partner, {
      title: "Monday post",
      copy,
      findings: [{ code: "banned_term", severity: "error", message: 'Remove or reword "cure": it is on the brand\'s list of banned terms.', start: 4, end: 8 }],
    });
    const response = await get(server, `/admin/creatives/${creative.id}`, await reviewer("legal_reviewer"));
    expect(response.status).toBe(200);
    const html = await response.text();
    expect(html).not.toContain("<script>alert(1)</script>");
    const page = documentOf(html);
    const shown = page.querySelector(".highlighted-copy")!;
    expect(shown.textContent).toBe(copy);
    expect(shown.querySelector("mark.hl--error")?.textContent).toBe("cure");
    const text = textOf(html);
    expect(text).toContain("Banned term");
    expect(text).toContain('Remove or reword "cure": it is on the brand\'s list of banned terms.');
    expect(text).toContain("Rated the #1 cold brew");
    expect(text).toContain("Brew Weekly readers' poll, 2024.");
    expect(text).toContain("https://northwindcoffee.com/shop");
    expect(text).toContain("Strategic");
    expect(text).toContain("Creator");
    expect(text).toContain("pre-screen rules v0");
    // Written straight into the tables, this version was never routed: no stage, so no decision form either.
    expect(text).toContain("This version has no review stages.");
    expect(page.querySelector(`a[href="/admin/partners/${partner.org.id}"]`)?.textContent).toBe("Northwind Media");
    expect(page.querySelector(`a[href="/admin/creatives/${creative.id}/files/${creative.fileId}"]`)?.textContent).toBe("Download banner.png");
    // No stage to decide or claim: the only forms that post are the review comments'.
    expect(page.querySelectorAll("main form[method='post']:not([action$='/comments'])")).toHaveLength(0);
  });

  it("says a withdrawn creative was withdrawn, and why", async () => {
    const partner = await createPartner(server.app);
    const creative = await seedCreative(partner, { title: "Old post", status: "withdrawn", withdrawnReason: "We changed the offer." });
    const text = textOf(await (await get(server, `/admin/creatives/${creative.id}`, await reviewer())).text());
    expect(text).toContain("Withdrawn by the partner");
    expect(text).toContain("We changed the offer.");
  });

  it("is 404 for a draft, its files too, and serves a submitted version's file as a download", async () => {
    const partner = await createPartner(server.app);
    const draft = await seedCreative(partner, { title: "Not yet", status: "draft" });
    const headers = await reviewer("analyst");
    expect((await get(server, `/admin/creatives/${draft.id}`, headers)).status).toBe(404);
    expect((await get(server, `/admin/creatives/${draft.id}/files/${draft.fileId}`, headers)).status).toBe(404);

    const submitted = await seedCreative(partner, { title: "Sent" });
    const file = await get(server, `/admin/creatives/${submitted.id}/files/${submitted.fileId}`, headers);
    expect(file.status).toBe(200);
    expect(file.headers.get("content-disposition")).toMatch(/^attachment; filename="banner\.png"/);
    expect(await file.text()).toBe("the banner's bytes");
    // A file is served under its own creative only.
    expect((await get(server, `/admin/creatives/${submitted.id}/files/${draft.fileId}`, headers)).status).toBe(404);
    // No preview was made for this file.
    expect((await get(server, `/admin/creatives/${submitted.id}/files/${submitted.fileId}?preview`, headers)).status).toBe(404);
  });
});

/** The settings form as a browser would send it: every field as the page rendered it, with `changes` applied. */
function formEntries(html: string, changes: Record<string, string> = {}): URLSearchParams {
  const form = documentOf(html).querySelector("form[aria-label='Pre-screen rules']")!;
  const entries = new URLSearchParams();
  for (const element of form.querySelectorAll<HTMLInputElement | HTMLTextAreaElement>("input[name], textarea[name]")) {
    if (element.type === "checkbox" && !(element as HTMLInputElement).checked) continue;
    entries.append(element.name, element.name in changes ? changes[element.name]! : element.value);
  }
  return entries;
}

function postEntries(pathname: string, entries: URLSearchParams, headers: Record<string, string>) {
  return fetch(`${server.url}${pathname}`, {
    method: "POST",
    redirect: "manual",
    headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: server.url, "Sec-Fetch-Site": "same-origin", ...headers },
    body: entries,
  });
}

function postJson(pathname: string, body: unknown, headers: Record<string, string> = {}) {
  return fetch(`${server.url}${pathname}`, {
    method: "POST",
    redirect: "manual",
    headers: { "Content-Type": "application/json", Origin: server.url, "Sec-Fetch-Site": "same-origin", ...headers },
    body: JSON.stringify(body),
  });
}

describe("Settings → Pre-screen rules", () => {
  it("refuses bad input with each message at its field and everything typed kept (400)", async () => {
    const admin = await reviewer("admin");
    const page = await (await get(server, "/admin/settings/prescreen", admin)).text();
    const typedDomains = "northwindcoffee.com\nnot a domain";
    const typedTerms = "miracle\nheal*";
    const response = await postEntries(
      "/admin/settings/prescreen",
      formEntries(page, { disclosureWithinChars: "5", allowedDomains: typedDomains, bannedTerms: typedTerms }),
      admin,
    );
    expect(response.status).toBe(400);
    const doc = documentOf(await response.text());

    const within = doc.querySelector<HTMLInputElement>("#field-disclosureWithinChars")!;
    expect(within.value).toBe("5");
    expect(within.getAttribute("aria-invalid")).toBe("true");
    expect(within.getAttribute("aria-describedby")).toContain("field-disclosureWithinChars-error");
    expect(doc.querySelector("#field-disclosureWithinChars-error")?.textContent).toContain("Enter a number from 20 to 500.");

    const domains = doc.querySelector<HTMLTextAreaElement>("#field-allowedDomains")!;
    expect(domains.value).toBe(typedDomains);
    expect(domains.getAttribute("aria-describedby")).toContain("field-allowedDomains-error");
    expect(doc.querySelector("#field-allowedDomains-error")?.textContent).toBe(
      '"not a domain" is not a domain name. Write one domain per line, such as example.com.',
    );

    expect(doc.querySelector<HTMLTextAreaElement>("#field-bannedTerms")!.value).toBe(typedTerms);
    expect(doc.querySelector("#field-bannedTerms-error")).toBeNull();
    // The ticked boxes stay ticked.
    const ticked = [...doc.querySelectorAll<HTMLInputElement>("input[name='disclosureChannels']:checked")].map((box) => box.value).sort();
    expect(ticked).toEqual([...DEFAULT_RULES.disclosureChannels].sort());
    // The summary links to both.
    const summary = [...doc.querySelectorAll(".error-summary a")].map((a) => a.getAttribute("href"));
    expect(summary).toEqual(["#field-disclosureWithinChars", "#field-allowedDomains"]);

    expect((await currentRuleSet(server.app.db)).version).toBe(0);
  });

  it("saves a valid change as version 1, keeps what the form does not show, lists it, and the live check uses it at once", async () => {
    const admin = await signedIn(server.app, { role: "admin", name: "Ada Admin" });
    const headers = { Cookie: admin.cookie };
    const page = await (await get(server, "/admin/settings/prescreen", headers)).text();
    expect(textOf(page)).toContain("The release's defaults apply (version 0)");
    expect(textOf(page)).toContain("No versions saved yet");

    const saved = await postEntries(
      "/admin/settings/prescreen",
      formEntries(page, { bannedTerms: "miracle\nheal*", allowedDomains: "https://NorthwindCoffee.com/\n*.northwind.example" }),
      headers,
    );
    expect(saved.status).toBe(302);
    const after = await follow(server, saved, admin.cookie);
    const html = await after.text();
    expect(toastIn(html)).toBe("Saved as version 1 New checks use it from now on. Changed: banned terms, allowed destinations.");
    const text = textOf(html);
    expect(text).toContain("Version 1 applies");
    expect(text).toMatch(/v1 .* Ada Admin banned terms, allowed destinations/);

    const { version, rules } = await currentRuleSet(server.app.db);
    expect(version).toBe(1);
    expect(rules.bannedTerms).toEqual(["miracle", "heal*"]);
    expect(rules.allowedDomains).toEqual(["northwindcoffee.com", "northwind.example"]);
    // What the form leaves alone is as it was.
    expect(rules.claimTriggerExceptions).toEqual(DEFAULT_RULES.claimTriggerExceptions);
    expect(rules.channelRules).toEqual(DEFAULT_RULES.channelRules);
    expect(rules.disclosureChannels).toEqual(DEFAULT_RULES.disclosureChannels);

    // The same form again is no new version.
    const again = await postEntries("/admin/settings/prescreen", formEntries(html), headers);
    expect(toastIn(await (await follow(server, again, admin.cookie)).text())).toBe("Nothing changed: the rules are still version 1.");
    expect((await currentRuleSet(server.app.db)).version).toBe(1);

    const partner = await createPartner(server.app);
    const check = await postJson(
      "/partner/creatives/prescreen",
      { copy: "A miracle in every cup, healing Mondays.", channel: "website_blog", destinationUrl: "https://shop.northwindcoffee.com/beans" },
      { Cookie: partner.cookie },
    );
    expect(check.status).toBe(200);
    const body = (await check.json()) as { findings: { code: string; start: number | null; end: number | null }[]; ruleSetVersion: number };
    expect(body.ruleSetVersion).toBe(1);
    expect(body.findings.filter((f) => f.code === "banned_term").map((f) => [f.start, f.end])).toEqual([
      [2, 9],
      [24, 31],
    ]);
    expect(body.findings.some((f) => f.code === "destination_not_allowed")).toBe(false);
  });

  it("changes one channel's file rule without touching the others", async () => {
    const admin = await signedIn(server.app, { role: "admin" });
    const headers = { Cookie: admin.cookie };
    const page = await (await get(server, "/admin/settings/prescreen", headers)).text();
    expect(documentOf(page).querySelector<HTMLInputElement>("#field-organic_social\\.minImageWidth")!.value).toBe("1080");
    expect(documentOf(page).querySelector<HTMLInputElement>("#field-email\\.maxPdfPages")!.value).toBe("20");
    const saved = await postEntries("/admin/settings/prescreen", formEntries(page, { "email.minImageWidth": "640", "events.characterLimit": "" }), headers);
    expect(toastIn(await (await follow(server, saved, admin.cookie)).text())).toContain("Changed: channel file rules.");
    const { rules } = await currentRuleSet(server.app.db);
    expect(rules.channelRules["email"]).toEqual({ ...DEFAULT_RULES.channelRules["email"], minImageWidth: 640 });
    expect(rules.channelRules["organic_social"]).toEqual(DEFAULT_RULES.channelRules["organic_social"]);
  });

  it("refuses to overwrite a version saved by someone else meanwhile (409), keeping what was typed", async () => {
    const admin = await signedIn(server.app, { role: "admin" });
    const headers = { Cookie: admin.cookie };
    const page = await (await get(server, "/admin/settings/prescreen", headers)).text();
    // A colleague saves version 1 while this form (filled from version 0) is open.
    await saveRuleSet(server.app, { id: null, label: "colleague@brand.test" }, { ...DEFAULT_RULES, allowedDomains: ["colleague.example"] });

    const stale = await postEntries("/admin/settings/prescreen", formEntries(page, { bannedTerms: "miracle" }), headers);
    expect(stale.status).toBe(409);
    const doc = documentOf(await stale.text());
    expect(doc.querySelector(".error-summary")?.textContent).toContain(
      "Version 1 of the rules was saved while you were editing version 0, so nothing was saved.",
    );
    expect(doc.querySelector<HTMLTextAreaElement>("#field-bannedTerms")!.value).toBe("miracle");
    // The form now starts from version 1: saving it again is a deliberate choice, and goes through.
    expect(doc.querySelector<HTMLInputElement>("input[name='basedOn']")!.value).toBe("1");
    const { version, rules } = await currentRuleSet(server.app.db);
    expect([version, rules.bannedTerms]).toEqual([1, []]);

    const again = await postEntries("/admin/settings/prescreen", formEntries(doc.documentElement.outerHTML), headers);
    expect(toastIn(await (await follow(server, again, admin.cookie)).text())).toMatch(/^Saved as version 2 /);
    expect((await currentRuleSet(server.app.db)).rules.bannedTerms).toEqual(["miracle"]);
  });

  it("is the admins' alone: other roles get 403, partners 404", async () => {
    for (const role of ["brand_reviewer", "legal_reviewer", "analyst"] as const) {
      const headers = await reviewer(role);
      expect((await get(server, "/admin/settings/prescreen", headers)).status, role).toBe(403);
      expect((await postForm(server, "/admin/settings/prescreen", { disclosureWithinChars: "100" }, headers)).status, role).toBe(403);
    }
    const partner = await createPartner(server.app);
    expect((await get(server, "/admin/settings/prescreen", { Cookie: partner.cookie })).status).toBe(404);
    expect((await currentRuleSet(server.app.db)).version).toBe(0);
  });

  it("is one of the settings sections, and says the version that applies", async () => {
    const headers = await reviewer("admin");
    const html = await (await get(server, "/admin/settings", headers)).text();
    expect(documentOf(html).querySelector("nav[aria-label='Settings sections'] a[href='/admin/settings/prescreen']")?.textContent).toBe("Pre-screen rules");
    expect(textOf(await (await get(server, "/admin/settings/prescreen", headers)).text())).toContain("The release's defaults apply (version 0)");
  });
});

describe("the live check endpoint", () => {
  const draft = { copy: "#ad Fresh beans, every week.", channel: "organic_social" };

  it("answers a partner with findings, and refuses visitors, gated partners, other organisations' creatives and non-JSON", async () => {
    const anonymous = await postJson("/partner/creatives/prescreen", draft);
    expect(anonymous.status).toBe(302);
    expect(anonymous.headers.get("location")).toMatch(/^\/login\?redirectTo=/);

    const staff = await postJson("/partner/creatives/prescreen", draft, await reviewer("admin"));
    expect(staff.status).toBe(404);

    const owner = await createPartner(server.app, { name: "Alpha Media" });
    const other = await createPartner(server.app, { name: "Beta Media" });
    const theirs = await seedCreative(other, { title: "Beta's post", status: "draft" });
    const ok = await postJson("/partner/creatives/prescreen", draft, { Cookie: owner.cookie });
    expect(ok.status).toBe(200);
    expect(ok.headers.get("cache-control")).toContain("no-store");
    expect(((await ok.json()) as { findings: unknown[] }).findings).toEqual([]);

    const foreign = await postJson("/partner/creatives/prescreen", { ...draft, creativeId: theirs.id }, { Cookie: owner.cookie });
    expect(foreign.status).toBe(404);
    expect(await foreign.json()).toEqual({ error: "Creative not found." });

    const notJson = await postForm(server, "/partner/creatives/prescreen", { copy: "hello" }, { Cookie: owner.cookie });
    expect(notJson.status).toBe(400);
    expect(await notJson.json()).toEqual({ error: "Send the draft as JSON." });
    const wrongShape = await postJson("/partner/creatives/prescreen", { copy: 42 }, { Cookie: owner.cookie });
    expect(wrongShape.status).toBe(400);

    // A required policy published after they joined: the owner now has it to accept.
    await publishPolicy(server.app, { title: "Program terms", body: "Be honest." });
    const gated = await postJson("/partner/creatives/prescreen", draft, { Cookie: owner.cookie });
    expect(gated.status).toBe(403);
  });

  it("answers 429 once a user has made 240 checks in a minute, and only to that user", async () => {
    const busy = await createPartner(server.app, { name: "Busy Media" });
    const calm = await createPartner(server.app, { name: "Calm Media" });
    // 240 writes would trip the per-address flood limit (180 a minute) first: spread them over two addresses.
    const send = (i: number) =>
      postJson("/partner/creatives/prescreen", draft, { Cookie: busy.cookie, "X-Forwarded-For": i < 120 ? "198.51.100.21" : "198.51.100.22" });
    const statuses: number[] = [];
    for (let i = 0; i < 240; i += 8) {
      const batch = await Promise.all(Array.from({ length: 8 }, (_, j) => send(i + j)));
      for (const response of batch) {
        statuses.push(response.status);
        await response.arrayBuffer();
      }
    }
    expect(statuses.filter((s) => s !== 200)).toEqual([]);
    const limited = await postJson("/partner/creatives/prescreen", draft, { Cookie: busy.cookie, "X-Forwarded-For": "198.51.100.23" });
    expect(limited.status).toBe(429);
    expect(limited.headers.get("retry-after")).toBe("60");
    expect(((await limited.json()) as { error: string }).error).toMatch(/^Too many checks in a minute/);
    expect((await postJson("/partner/creatives/prescreen", draft, { Cookie: calm.cookie, "X-Forwarded-For": "198.51.100.23" })).status).toBe(200);
  });
});
