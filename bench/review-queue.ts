/**
 * Budget (issue 14, ARCHITECTURE.md "Pages"): the review queue answers in
 * under 100 ms p95 with 20,000 creatives on PostgreSQL. Seeds a database of
 * its own (created and dropped by the test server's database helper) with
 * 2,000 partner organisations and 20,000 creatives in every status, their
 * versions (some with findings) and review stages (about 3,000 open, due from
 * 60 hours ago to 140 hours ahead, some claimed), then asks for the queue as
 * an admin over HTTP: the default tab, a filtered tab, the reviewer's own and
 * the decided creatives. Each: a warm-up, then the measured requests one
 * after another; p50/p95/p99 per page.
 *
 *   npm run build && TEST_DATABASE_URL=postgres://user:pass@127.0.0.1:5432/db npx tsx bench/review-queue.ts
 *
 * TEST_DATABASE_URL is the server the bench's own database is created on
 * (the same variable the PostgreSQL test runs use); nothing else there is touched.
 */
import { sql } from "drizzle-orm";
import { rowsOf } from "~/lib/db.server";
import { ReviewQueueFiltersSchema } from "~/domain/creatives/schemas.server";
import { reviewQueue } from "~/domain/review/queue.server";
import { createUser } from "../tests/support/context";
import { benchServer, machine, SEEDED_REVIEW_STAGES } from "./support";

if (!process.env.TEST_DATABASE_URL) {
  console.error("Page budgets are measured on PostgreSQL: set TEST_DATABASE_URL (see the header of this file).");
  process.exit(2);
}

const PARTNERS = 2_000;
const CREATIVES = 20_000;
const REQUESTS = Number(process.env.QUEUE_REQUESTS ?? 300);
const WARM_UP = 30;
const BUDGET_MS = 100;

// Behind the trusted loopback proxy: each page's requests come from an address of their own, as reviewers' would,
// so the per-address flood limit (1,200 a minute) never answers 429 in the middle of a run.
const { server, adminCookie } = await benchServer({ configure: (config) => ({ ...config, trustProxy: "loopback" }) });
try {
  const db = server.app.db;
  const seedStarted = performance.now();
  const author = await createUser(db, { role: "admin", name: "Bench Author" });
  const reviewers = await Promise.all(
    Array.from({ length: 6 }, (_, i) => createUser(db, { role: i < 3 ? "brand_reviewer" : "legal_reviewer", name: `Reviewer ${i + 1}` })),
  );
  const reviewerIds = sql.raw(`array[${reviewers.map((r) => `'${r.id}'::uuid`).join(",")}]`);

  await db.execute(sql`
    insert into partner_organisations (name, slug, tier, status)
    select 'Partner ' || g, 'bench-partner-' || g, (array['strategic', 'standard', 'trial'])[1 + g % 3], 'active'
    from generate_series(1, ${PARTNERS}) g`);

  // Status by g % 100: 13 % open (submitted or in review), the rest decided, withdrawn or still drafts.
  await db.execute(sql`
    with orgs as (select id, row_number() over (order by slug) as n from partner_organisations)
    insert into creatives (organisation_id, status, title, channel, placement, copy, latest_version, submitted_at, decided_at, withdrawn_at, created_by_id, updated_at)
    select orgs.id, s.status::creative_status, 'Creative ' || g, (array['website_blog', 'paid_social', 'newsletter', 'organic_social'])[1 + g % 4],
      'Placement ' || (g % 50), 'Copy of creative ' || g || ' with mornings, coffee and light. #ad',
      case when s.status = 'draft' then 0 else 1 + (g % 7 = 0)::int end,
      case when s.status = 'draft' then null else now() - ((g % 500) || ' hours')::interval end,
      case when s.status in ('approved', 'rejected', 'changes_requested') then now() - ((g % 400) || ' hours')::interval end,
      case when s.status = 'withdrawn' then now() - ((g % 300) || ' hours')::interval end,
      ${author.id}, now()
    from generate_series(1, ${CREATIVES}) g
    join orgs on orgs.n = 1 + g % ${PARTNERS}
    cross join lateral (select case
      when g % 100 < 9 then 'submitted'
      when g % 100 < 13 then 'in_review'
      when g % 100 < 63 then 'approved'
      when g % 100 < 73 then 'changes_requested'
      when g % 100 < 83 then 'rejected'
      when g % 100 < 93 then 'withdrawn'
      else 'draft' end as status) s`);

  await db.execute(sql`
    insert into creative_versions (creative_id, number, title, channel, placement, destination_url, copy, claims, disclosure, findings, rule_set_version, submitted_by_id, submitted_at)
    select c.id, n, c.title, c.channel, c.placement, 'https://example.com/', c.copy, '[]'::jsonb, '#ad',
      case when hashtext(c.id::text || n) % 10 < 3
        then '[{"code": "missing_disclosure", "severity": "warning", "message": "Add a disclosure.", "start": null, "end": null}]'::jsonb
        else '[]'::jsonb end,
      1, ${author.id}, c.submitted_at
    from creatives c cross join lateral generate_series(1, c.latest_version) n
    where c.status <> 'draft'`);

  // Brand on every submitted version; legal on about 40 %. Open creatives: brand pending (claimed when in review);
  // legal waiting behind it (sequential) or, for about one in five, pending alongside (parallel). Decided ones: decided stages.
  await db.execute(sql`
    insert into review_stages (creative_id, version_id, version_number, stage, position, status, required_by, started_at, due_at, assignee_id, assigned_at, decided_at)
    select c.id, v.id, v.number, st.stage::review_stage_name, st.position,
      st.status::review_stage_status, 'Bench rule', c.submitted_at,
      case when st.status = 'pending' then now() + (((abs(hashtext(c.id::text || st.stage)) % 200) - 60) || ' hours')::interval end,
      case when st.status = 'pending' and c.status = 'in_review' then (${reviewerIds})[1 + abs(hashtext(c.id::text)) % 6] end,
      case when st.status = 'pending' and c.status = 'in_review' then now() end,
      case when st.status not in ('pending', 'waiting') then c.decided_at end
    from creatives c
    join creative_versions v on v.creative_id = c.id and v.number = c.latest_version
    cross join lateral (${sql.raw(SEEDED_REVIEW_STAGES)}) st
    where c.status <> 'draft'`);
  await db.execute(sql`analyze`);

  const [facts] = rowsOf<{ creatives: number; versions: number; stages: number; open: number; overdue: number; claimed: number }>(
    await db.execute(sql`select
      (select count(*)::int from creatives) as creatives,
      (select count(*)::int from creative_versions) as versions,
      (select count(*)::int from review_stages) as stages,
      (select count(*)::int from review_stages where status = 'pending') as open,
      (select count(*)::int from review_stages where status = 'pending' and due_at < now()) as overdue,
      (select count(*)::int from review_stages where status = 'pending' and assignee_id is not null) as claimed`),
  );
  const seedSeconds = Math.round((performance.now() - seedStarted) / 100) / 10;

  async function measure(path: string, index: number) {
    const headers = { Cookie: adminCookie, "X-Forwarded-For": `198.51.100.${index + 10}` };
    const once = async () => {
      const started = performance.now();
      const response = await fetch(`${server.url}${path}`, { headers });
      const body = await response.text();
      if (response.status !== 200) throw new Error(`${path}: ${response.status} ${body.slice(0, 200)}`);
      return { ms: performance.now() - started, rows: Math.max(0, (body.match(/<tr role="row">/g) ?? []).length - 1) };
    };
    for (let i = 0; i < WARM_UP; i++) await once();
    const times: number[] = [];
    let rows = 0;
    for (let i = 0; i < REQUESTS; i++) {
      const result = await once();
      times.push(result.ms);
      rows = result.rows;
    }
    times.sort((a, b) => a - b);
    const at = (q: number) => Math.round(times[Math.min(times.length - 1, Math.floor(q * times.length))]! * 10) / 10;
    return { path, rows, requests: REQUESTS, p50: at(0.5), p95: at(0.95), p99: at(0.99), max: at(1) };
  }

  // QUEUE_PAGES="/admin/creatives?tab=legal,/admin/creatives?q=coffee" measures other queue URLs instead.
  const pages = process.env.QUEUE_PAGES?.split(",") ?? [
    "/admin/creatives",
    "/admin/creatives?tab=brand&tier=strategic&warnings=yes",
    "/admin/creatives?tab=open&channel=paid_social&partner=partner+1&status=submitted",
    "/admin/creatives?tab=open&page=40",
    "/admin/creatives?tab=decided",
  ];
  const results = [];
  for (const [index, path] of pages.entries()) results.push(await measure(path, index));
  // The same server's cheapest signed-in page: what any page costs before its own queries (session, layout, rendering).
  const baseline = await measure("/account", pages.length);

  // The queue's queries alone, in process (no HTTP, no rendering), for the same pages.
  const queries = [];
  for (const path of pages) {
    const params = new URL(path, "http://bench").searchParams;
    const filters = ReviewQueueFiltersSchema.parse(Object.fromEntries(params));
    const viewer = { id: author.id, role: "admin" as const };
    const times: number[] = [];
    for (let i = 0; i < WARM_UP + REQUESTS; i++) {
      const started = performance.now();
      await reviewQueue(server.app, viewer, filters, Number(params.get("page") ?? 1));
      if (i >= WARM_UP) times.push(performance.now() - started);
    }
    times.sort((a, b) => a - b);
    const at = (q: number) => Math.round(times[Math.min(times.length - 1, Math.floor(q * times.length))]! * 10) / 10;
    queries.push({ path, p50: at(0.5), p95: at(0.95) });
  }

  const [version] = rowsOf<{ version: string }>(await db.execute(sql`select current_setting('server_version') as version`));
  console.log(
    JSON.stringify(
      {
        bench: "review-queue",
        machine: machine(),
        postgres: version?.version,
        seeded: { partners: PARTNERS, ...facts, seconds: seedSeconds },
        budgetP95Ms: BUDGET_MS,
        results,
        baseline,
        queries,
        pass: results.every((r) => r.p95 < BUDGET_MS),
      },
      null,
      2,
    ),
  );
} finally {
  await server.close();
}
