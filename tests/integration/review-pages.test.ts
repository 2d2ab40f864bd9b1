import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { outboxMessages } from "#db/schema/index";
import { resetDatabase } from "../support/db";
import { signedIn as signedInAs } from "../support/context";
import { get, startTestServer, type TestServer } from "../support/http";

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());
beforeEach(() => resetDatabase(server.app.db));

/** Request headers of a signed-in brand team member. */
async function signedIn(role: "admin" | "brand_reviewer" | "legal_reviewer" | "analyst") {
  return { Cookie: (await signedInAs(server.app, { role })).cookie };
}

/** The page's text as a reader sees it: no tags, Remix's text separators or non-breaking spaces. */
const textOf = (html: string) =>
  html
    .replace(/<script[\s\S]*?<\/script>/g, "")
    .replace(/<!-- -->/g, "")
    .replace(/<[^>]+>/g, " ")
    .replace(/&nbsp;|\u00a0/g, " ")
    .replace(/\s+/g, " ");

describe("the outbox", () => {
  async function message(status: "kept" | "sent", subject: string) {
    const [row] = await server.app.db
      .insert(outboxMessages)
      .values({
        kind: "email",
        status,
        attempts: 1,
        payload: { to: "p@example.com", subject, text: "Hello", html: "<p>Hello</p>" },
        deliveredAt: new Date("2026-12-03T14:05:00Z"),
      })
      .returning();
    return row!;
  }

  it("gives each message one status: a kept one says why it was kept and never that it was delivered", async () => {
    const admin = await signedIn("admin");
    const kept = await message("kept", "Kept one");
    const sent = await message("sent", "Sent one");

    const keptPage = textOf(await (await get(server, `/admin/outbox/${kept.id}`, admin)).text());
    expect(keptPage).toContain("Status Kept (no SMTP configured) 3 Dec 2026, 14:05 UTC");
    expect(keptPage).not.toContain("Delivered");

    const sentPage = textOf(await (await get(server, `/admin/outbox/${sent.id}`, admin)).text());
    expect(sentPage).toContain("Status Delivered 3 Dec 2026, 14:05 UTC");
    expect(sentPage).not.toContain("Kept");

    const list = textOf(await (await get(server, "/admin/outbox", admin)).text());
    expect(list).toMatch(/Kept one p@example\.com Kept \(no SMTP configured\)/);
    expect(list).toMatch(/Sent one p@example\.com Delivered/);
  });
});

describe("the fit score rubric", () => {
  it("is a page for application reviewers, rendered from docs/fit-score.md", async () => {
    const response = await get(server, "/admin/fit-score", await signedIn("brand_reviewer"));
    expect(response.status).toBe(200);
    const html = await response.text();
    expect(html).toContain("<h1");
    expect(html).toContain("<h2>Application fit score and risk flags</h2>");
    expect(html).toContain("<h3>The total</h3>");
    expect(html).toContain("<h4>Audience size (15 points)</h4>");
    expect(html).toContain("<table>");
    expect(textOf(html)).toContain("Two high flags, or one high and two medium, already take the risk component to 0.");
    // Rendered, not shown as Markdown source.
    expect(textOf(html)).not.toContain("**");
  });

  it("is closed to those who do not review applications", async () => {
    expect((await get(server, "/admin/fit-score", await signedIn("admin"))).status).toBe(200);
    expect((await get(server, "/admin/fit-score", await signedIn("legal_reviewer"))).status).toBe(403);
    expect((await get(server, "/admin/fit-score", await signedIn("analyst"))).status).toBe(403);
    expect((await get(server, "/admin/fit-score")).status).toBe(302);
  });
});
