/**
 * Makes the bench dataset (ARCHITECTURE.md §6 "Pages") in a PostgreSQL
 * database of its own on the server TEST_DATABASE_URL names, migrated with
 * the app's migrations: 2,000 partner organisations (owners and members,
 * approved applications, policy acceptances, coupons), 20,000 creatives with
 * their versions and review stages, the tracking links of the approved ones
 * plus two evergreen links per partner, 1,000,000 clicks over the last 90
 * days (in monthly partitions), 50,000 conversions (some refunded), 400
 * incidents and the daily health snapshots since each partner joined. Rows
 * are generated in SQL (`generate_series`, set-based inserts): nothing goes
 * through the application's write paths, which would take hours at this size. The rollups the pages read (link_click_daily,
 * conversion_daily, link_daily_visitors) are computed from the raw rows after
 * they are loaded, so they agree with them exactly, and the script checks it;
 * the monthly ones (link_click_monthly, conversion_monthly) from the daily.
 *
 *   TEST_DATABASE_URL=postgres://user:pass@127.0.0.1:5432/db npx tsx bench/seed.ts [--scale 10] [--drop]
 *
 * `--scale N` (or BENCH_SCALE=N) multiplies the clicks (the other tables
 * stay); the database is kept for bench/pages.ts and its URL printed, unless
 * `--drop` (then it only measures the seeding). Sign-ins: bench/dataset.ts.
 */
import { parseArgs } from "node:util";
import postgres from "postgres";
import { openDatabase } from "~/lib/db.server";
import { hashPassword } from "~/lib/password.server";
import { NO_LINK_ID } from "#db/schema/index";
import { MONTHLY_ROLLUPS_FROM_DAILY } from "~/domain/reports/rollup-rows.server";
import { BENCH_EMAIL_DOMAIN, BENCH_PASSWORD, CLICK_DAYS, CLICKS, CONVERSIONS, CREATIVES, INCIDENTS, PARTNERS, STAFF } from "./dataset";
import { benchPostgresDatabase, loadAverage, machine, SEEDED_REVIEW_STAGES } from "./support";

const { values: options } = parseArgs({
  options: { scale: { type: "string" }, drop: { type: "boolean", default: false }, keep: { type: "boolean", default: true } },
});
const SCALE = Number(options.scale ?? process.env.BENCH_SCALE ?? 1);
if (!Number.isFinite(SCALE) || SCALE <= 0) throw new Error(`--scale must be a positive number, not ${options.scale}`);
const TOTAL_CLICKS = Math.round(CLICKS * SCALE);
// Clicks go in in slices of this many rows: a slice is one statement, so progress shows and no statement holds 10 M rows of sort memory.
const CLICK_SLICE = 500_000;

const bench = await benchPostgresDatabase();
if (!bench) {
  console.error("The bench dataset lives on PostgreSQL: set TEST_DATABASE_URL (see the header of this file).");
  process.exit(2);
}

const timings: Record<string, number> = {};
const started = performance.now();
async function step<T>(name: string, work: () => Promise<T>): Promise<T> {
  const at = performance.now();
  const result = await work();
  timings[name] = Math.round(performance.now() - at) / 1000;
  console.error(`${name.padEnd(28)} ${String(timings[name]).padStart(7)} s   load ${loadAverage()}`);
  return result;
}

let failed = false;
const sql = postgres(bench.url, { max: 1, onnotice: () => {} });
try {
  await step("migrate", async () => {
    const database = await openDatabase({ kind: "postgres", url: bench.url });
    await database.close();
  });
  // Bulk loading (one connection, so these hold for every statement): no WAL flush per statement, more memory for the rollups' sorts.
  await sql.unsafe(`set synchronous_commit = off`);
  await sql.unsafe(`set maintenance_work_mem = '256MB'`);
  await sql.unsafe(`set work_mem = '64MB'`);
  const passwordHash = await hashPassword(BENCH_PASSWORD);

  await step("people and partners", async () => {
    await sql`
      insert into users (email, name, password_hash, role)
      select email, name, ${passwordHash}, role::user_role
      from (values (${STAFF.admin}, 'Bench Admin', 'admin'), (${STAFF.brand_reviewer}, 'Bench Brand Reviewer', 'brand_reviewer'),
                   (${STAFF.legal_reviewer}, 'Bench Legal Reviewer', 'legal_reviewer'), (${STAFF.analyst}, 'Bench Analyst', 'analyst')) s (email, name, role)`;
    await sql`
      insert into users (email, name, password_hash, role)
      select 'reviewer-' || g || '@' || ${BENCH_EMAIL_DOMAIN}, 'Reviewer ' || g, ${passwordHash},
        (case when g <= 3 then 'brand_reviewer' else 'legal_reviewer' end)::user_role
      from generate_series(1, 6) g`;
    // Status by g % 100: 85 % active, 7 % onboarding, 5 % paused, 3 % terminated.
    await sql`
      insert into partner_organisations (name, slug, status, partner_type, tier, commercial_model, rate_basis_points, currency, website,
        regions, channels, renewal_date, onboarding_started_at, activated_at, first_link_live_at, time_to_onboard_seconds,
        paused_at, terminated_at, status_reason, created_at, updated_at)
      select 'Partner ' || g, 'bench-partner-' || g, s.status::partner_status,
        (array['content', 'influencer', 'coupon', 'comparison', 'media'])[1 + g % 5],
        (array['strategic', 'standard', 'standard', 'trial'])[1 + g % 4], 'revenue_share', 500 + (g % 11) * 100, 'USD',
        'https://partner-' || g || '.example.com',
        case g % 3 when 0 then array['eu', 'uk'] when 1 then array['na'] else array['eu', 'na', 'apac'] end,
        case g % 3 when 0 then array['website_blog', 'newsletter'] when 1 then array['paid_social', 'organic_social'] else array['website_blog', 'paid_social', 'video'] end,
        (now() + ((g % 400) - 30) * interval '1 day')::date,
        s.created, case when s.status <> 'onboarding' then s.created + interval '3 days' end,
        case when s.status <> 'onboarding' then s.created + interval '5 days' end,
        case when s.status <> 'onboarding' then 5 * 86400 end,
        case when s.status = 'paused' then now() - (g % 20) * interval '1 day' end,
        case when s.status = 'terminated' then now() - (g % 40) * interval '1 day' end,
        case when s.status in ('paused', 'terminated') then 'Bench: contract review' end,
        s.created, s.created
      from generate_series(1, ${PARTNERS}) g
      cross join lateral (select
        case when g % 100 < 85 then 'active' when g % 100 < 92 then 'onboarding' when g % 100 < 97 then 'paused' else 'terminated' end as status,
        now() - interval '400 days' + g * interval '3 hours' as created) s`;
    // An owner per partner and 0 to 3 members: about 5,000 partner people.
    await sql`
      insert into users (email, name, password_hash, role, partner_org_id, partner_role, last_login_at, created_at, updated_at)
      select case when m = 0 then 'owner-' || o.n else 'member-' || o.n || '-' || m end || '@' || ${BENCH_EMAIL_DOMAIN},
        case when m = 0 then 'Owner ' else 'Member ' || m || ' of ' end || o.name, ${passwordHash}, 'partner',
        o.id, (case when m = 0 then 'owner' else 'member' end)::partner_member_role, now() - (o.n % 30) * interval '1 day', o.created_at, o.created_at
      from (select id, name, created_at, substring(slug from 15)::int as n from partner_organisations) o
      cross join lateral generate_series(0, o.n % 4) m`;
    // Each partner's approved application, and 600 undecided ones in the inbox.
    await sql`
      insert into applications (reference, status, company, contact_name, email, email_domain, website, website_domain, partner_type, channels,
        audience_size, regions, audience_description, promotion_plan, privacy_consent_at, fit_score, score, flags, flag_codes,
        submitted_at, decided_at, partner_org_id, created_at, updated_at)
      select 'APP-B' || lpad(a.n::text, 6, '0'), a.status::application_status, a.company, 'Contact ' || a.n, 'contact-' || a.n || '@' || ${BENCH_EMAIL_DOMAIN},
        ${BENCH_EMAIL_DOMAIN}, 'https://partner-' || a.n || '.example.com', 'partner-' || a.n || '.example.com',
        (array['content', 'influencer', 'coupon', 'comparison', 'media'])[1 + a.n % 5], array['website_blog', 'newsletter'],
        1000 + (a.n * 37) % 200000, array['eu'], 'Readers who like lamps.', 'Reviews and a newsletter.', a.submitted,
        30 + a.n % 70,
        jsonb_build_object('total', 30 + a.n % 70, 'components', jsonb_build_object(
          'audienceFit', jsonb_build_object('score', 10, 'max', 30, 'reasons', '[]'::jsonb),
          'channelQuality', jsonb_build_object('score', 10, 'max', 25, 'reasons', '[]'::jsonb),
          'brandAlignment', jsonb_build_object('score', 10, 'max', 25, 'reasons', '[]'::jsonb),
          'risk', jsonb_build_object('score', 10, 'max', 20, 'reasons', '[]'::jsonb))),
        case when a.n % 10 = 0 then '[{"code": "free_email", "severity": "medium", "message": "Free email domain."}]'::jsonb else '[]'::jsonb end,
        case when a.n % 10 = 0 then array['free_email'] else '{}'::text[] end,
        a.submitted, case when a.org_id is not null then a.submitted + interval '2 days' end, a.org_id, a.submitted, a.submitted
      from (
        select substring(o.slug from 15)::int as n, o.id as org_id, o.name as company, 'approved' as status, o.created_at - interval '2 days' as submitted
        from partner_organisations o
        union all
        select ${PARTNERS} + g, null, 'Applicant ' || g, case when g % 5 = 0 then 'info_requested' else 'submitted' end, now() - g * interval '2 hours'
        from generate_series(1, 600) g
      ) a`;
    // The four required policies (migration 0005) published once; every partner person of an organisation past onboarding accepted them.
    await sql`
      insert into policy_versions (policy_id, status, number, body, change_summary, content_hash, material, published_at, created_at, updated_at)
      select id, 'published', 1, 'The ' || title || ' partners accept.', 'First version', md5(title), true, now() - interval '500 days',
        now() - interval '500 days', now() - interval '500 days'
      from policies`;
    await sql`
      insert into policy_acceptances (user_id, partner_org_id, policy_version_id, content_hash, accepted_at, ip_address, user_agent)
      select u.id, u.partner_org_id, v.id, v.content_hash, o.activated_at, '192.0.2.1', 'bench'
      from users u join partner_organisations o on o.id = u.partner_org_id cross join policy_versions v
      where o.status <> 'onboarding'`;
    await sql`
      insert into coupons (organisation_id, code, code_key, created_at)
      select id, 'BENCH' || substring(slug from 15), 'bench' || substring(slug from 15), created_at
      from partner_organisations where substring(slug from 15)::int % 4 = 0`;
  });

  await step("creatives and review", async () => {
    // As bench/review-queue.ts, but the status drawn by a hash of g, not g % 100, so every partner (1 + g % PARTNERS) has creatives of every status:
    // 13 % open, the rest decided, withdrawn or drafts.
    await sql`
      with orgs as (select id, substring(slug from 15)::int as n from partner_organisations),
      author as (select id from users where email = ${STAFF.admin})
      insert into creatives (organisation_id, status, title, channel, placement, copy, latest_version, approved_version,
        submitted_at, decided_at, withdrawn_at, created_by_id, created_at, updated_at)
      select orgs.id, s.status::creative_status, 'Creative ' || g, (array['website_blog', 'paid_social', 'newsletter', 'organic_social'])[1 + g % 4],
        'Placement ' || (g % 50), 'Copy of creative ' || g || ' with mornings, coffee and light. #ad',
        case when s.status = 'draft' then 0 else 1 + (g % 7 = 0)::int end,
        case when s.status = 'approved' then 1 + (g % 7 = 0)::int end,
        case when s.status = 'draft' then null else now() - ((g % 500) || ' hours')::interval - interval '100 days' * (s.status = 'approved')::int end,
        case when s.status in ('approved', 'rejected', 'changes_requested') then now() - ((g % 400) || ' hours')::interval - interval '98 days' * (s.status = 'approved')::int end,
        case when s.status = 'withdrawn' then now() - ((g % 300) || ' hours')::interval end,
        (select id from author), now() - interval '120 days', now() - ((g % 300) || ' hours')::interval
      from generate_series(1, ${CREATIVES}) g
      join orgs on orgs.n = 1 + g % ${PARTNERS}
      cross join lateral (select abs(hashtext('creative' || g)) % 100 as k) h
      cross join lateral (select case
        when h.k < 9 then 'submitted'
        when h.k < 13 then 'in_review'
        when h.k < 63 then 'approved'
        when h.k < 73 then 'changes_requested'
        when h.k < 83 then 'rejected'
        when h.k < 93 then 'withdrawn'
        else 'draft' end as status) s`;
    await sql`
      insert into creative_versions (creative_id, number, title, channel, placement, destination_url, copy, claims, disclosure, findings,
        rule_set_version, submitted_by_id, submitted_at, outcome, decided_at)
      select c.id, n, c.title, c.channel, c.placement, 'https://brand.example.com/lamps', c.copy, '[]'::jsonb, '#ad',
        case when hashtext(c.id::text || n) % 10 < 3
          then '[{"code": "missing_disclosure", "severity": "warning", "message": "Add a disclosure.", "start": null, "end": null}]'::jsonb
          else '[]'::jsonb end,
        1, c.created_by_id, c.submitted_at - (c.latest_version - n) * interval '2 days',
        case when n < c.latest_version then 'changes_requested'
             when c.status in ('approved', 'rejected', 'changes_requested', 'withdrawn') then c.status::text end,
        case when n < c.latest_version then c.submitted_at - interval '1 day' else coalesce(c.decided_at, c.withdrawn_at) end
      from creatives c cross join lateral generate_series(1, c.latest_version) n
      where c.status <> 'draft'`;
    // Brand on every latest version, legal on about 40 %: pending/waiting for open creatives (some claimed), decided for the others.
    await sql`
      with reviewers as (select array_agg(id order by email) as ids from users where email like 'reviewer-%')
      insert into review_stages (creative_id, version_id, version_number, stage, position, status, required_by, started_at, due_at,
        assignee_id, assigned_at, decided_by_id, decided_at)
      select c.id, v.id, v.number, st.stage::review_stage_name, st.position,
        st.status::review_stage_status, 'Bench rule', c.submitted_at,
        case when st.status = 'pending' then now() + (((abs(hashtext(c.id::text || st.stage)) % 200) - 60) || ' hours')::interval end,
        case when st.status = 'pending' and c.status = 'in_review' then (select ids from reviewers)[1 + abs(hashtext(c.id::text)) % 6] end,
        case when st.status = 'pending' and c.status = 'in_review' then now() end,
        case when st.status not in ('pending', 'waiting', 'cancelled') then (select ids from reviewers)[1 + abs(hashtext(c.id::text)) % 6] end,
        case when st.status not in ('pending', 'waiting') then c.decided_at end
      from creatives c
      join creative_versions v on v.creative_id = c.id and v.number = c.latest_version
      cross join lateral (${sql.unsafe(SEEDED_REVIEW_STAGES)}) st
      where c.status <> 'draft'`;
  });

  await step("tracking links", async () => {
    // A link per approved creative (its approved version) and two evergreen ones per partner; `code` is unique like the app's 8 base62 characters.
    await sql`
      insert into tracking_links (code, organisation_id, kind, creative_id, creative_version_id, label, destination_url,
        utm_source, utm_medium, utm_campaign, utm_content, status, disabled_at, disabled_reason, created_at, updated_at)
      select substr(md5('link' || l.key), 1, 10), l.org_id, l.kind::link_kind, l.creative_id, l.version_id, l.label, l.destination,
        o.slug, 'partner', l.campaign, l.content,
        (case when l.disabled then 'disabled' else 'active' end)::link_status,
        case when l.disabled then now() - interval '10 days' end, case when l.disabled then 'Bench: retired' end,
        l.created, l.created
      from (
        select 'c' || c.id as key, c.organisation_id as org_id, 'creative' as kind, c.id as creative_id, v.id as version_id, c.title as label,
          v.destination_url as destination, 'creative-' || substr(md5(c.id::text), 1, 6) as campaign, c.channel as content,
          c.decided_at as created, abs(hashtext(c.id::text)) % 50 = 0 as disabled
        from creatives c join creative_versions v on v.creative_id = c.id and v.number = c.approved_version
        where c.status = 'approved'
        union all
        select 'e' || o.id || e, o.id, 'evergreen', null, null, case when e = 1 then 'Homepage' else 'Desk lamps' end,
          case when e = 1 then 'https://brand.example.com/' else 'https://brand.example.com/desk-lamps' end, 'evergreen', 'evergreen-' || e,
          o.created_at + interval '6 days', false
        from partner_organisations o cross join generate_series(1, 2) e
        where o.status <> 'onboarding'
      ) l join partner_organisations o on o.id = l.org_id`;
    // The clicks pick links by number; partner 1's links get the lowest numbers (bench/dataset.ts).
    await sql`
      create unlogged table bench_links as
      select row_number() over (order by substring(o.slug from 15)::int, l.created_at, l.id)::int as n, l.id, l.organisation_id
      from tracking_links l join partner_organisations o on o.id = l.organisation_id`;
    await sql`create unique index on bench_links (n)`;
  });

  const links = Number((await sql<{ n: string }[]>`select count(*) as n from bench_links`)[0]!.n);

  await step(`clicks (${TOTAL_CLICKS.toLocaleString("en")})`, async () => {
    // A partition per month the clicks fall in, as app/domain/links/partitions.server.ts names them, and two months ahead.
    await sql.unsafe(`
      do $$
      declare m date;
      begin
        for m in select generate_series(date_trunc('month', now() - interval '${CLICK_DAYS + 1} days'), date_trunc('month', now() + interval '2 months'), interval '1 month')::date loop
          execute format('create table if not exists %I partition of link_clicks for values from (%L) to (%L)',
            'link_clicks_' || to_char(m, 'YYYY_MM'), (m::timestamp at time zone 'UTC'), ((m + interval '1 month')::timestamp at time zone 'UTC'));
        end loop;
      end $$`);
    // A click id as codes.server.ts makes it: 7 base62 characters of the click's millisecond, then 13 random ones (hex here: still base62).
    await sql`
      create function bench_click_id(ms bigint, salt bigint) returns text immutable language sql as $$
        select substr(a, (ms / 56800235584 % 62)::int + 1, 1) || substr(a, (ms / 916132832 % 62)::int + 1, 1) || substr(a, (ms / 14776336 % 62)::int + 1, 1)
          || substr(a, (ms / 238328 % 62)::int + 1, 1) || substr(a, (ms / 3844 % 62)::int + 1, 1) || substr(a, (ms / 62 % 62)::int + 1, 1)
          || substr(a, (ms % 62)::int + 1, 1) || substr(md5(salt::text), 1, 13)
        from (select '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz'::text as a) s
      $$`;
    const nowMs = Date.now();
    for (let from = 1; from <= TOTAL_CLICKS; from += CLICK_SLICE) {
      const to = Math.min(TOTAL_CLICKS, from + CLICK_SLICE - 1);
      // Per click: a link skewed towards low numbers (random³), a time evenly spread over the last CLICK_DAYS days and rising with g
      // (the clicks arrive in time order, as the recorder writes them: the key's index grows at its end instead of at random pages),
      // 4 % bots, 0.5 % tests, 0.5 % sent to the fallback, 0.2 % orphans (an unknown code), 70 % of the rest unique visits.
      await sql`
        insert into link_clicks (clicked_at, click_id, link_id, organisation_id, requested_code, visitor_hash, user_agent_class,
          referrer_host, country, is_bot, is_unique, is_test, fallback_reason)
        select 'epoch'::timestamptz + r.ms * interval '1 millisecond', bench_click_id(r.ms, r.g),
          case when r.orphan then null else l.id end, case when r.orphan then null else l.organisation_id end,
          case when r.orphan then substr(md5('orphan' || r.g), 1, 8) end,
          md5('visitor' || r.g), (case when r.kind < 0.04 then 'bot' when r.kind < 0.045 then 'unknown' else 'browser' end)::user_agent_class,
          (array[null, 'www.google.com', 'news.ycombinator.com', 'www.instagram.com', 't.co', 'partner.example.com'])[1 + r.g % 6],
          (array['DE', 'FR', 'GB', 'US', 'NL', 'ES', 'IT', 'SE'])[1 + r.g % 8],
          r.kind < 0.04, not r.orphan and r.kind >= 0.05 and r.uniq < 0.7, r.kind >= 0.04 and r.kind < 0.045,
          (case when r.orphan then 'unknown_code' when r.kind >= 0.045 and r.kind < 0.05 then 'link_disabled' end)::click_fallback_reason
        from (
          select g, ${nowMs - CLICK_DAYS * 86_400_000}::bigint + floor((g - 1 + random()) * ${(CLICK_DAYS * 86_400_000) / TOTAL_CLICKS})::bigint as ms, 1 + floor(power(random(), 3) * ${links})::int as n,
            random() as kind, random() as uniq, g % 500 = 0 as orphan
          from generate_series(${from}::bigint, ${to}::bigint) g
        ) r join bench_links l on l.n = r.n`;
      console.error(`  clicks ${to.toLocaleString("en")} of ${TOTAL_CLICKS.toLocaleString("en")}   load ${loadAverage()}`);
    }
    await sql`drop function bench_click_id(bigint, bigint)`;
  });

  await step("click rollups", async () => {
    // Exactly what the click recorder adds per batch (click-recorder.server.ts), over all the raw clicks at once.
    await sql`
      insert into link_click_daily (link_id, day, organisation_id, clicks, unique_clicks, bot_clicks, test_clicks, fallback_clicks)
      select link_id, (clicked_at at time zone 'UTC')::date, organisation_id,
        count(*) filter (where not is_test), count(*) filter (where is_unique), count(*) filter (where is_bot and not is_test),
        count(*) filter (where is_test), count(*) filter (where fallback_reason is not null and not is_test)
      from link_clicks where link_id is not null
      group by 1, 2, 3`;
    // The recorder keeps only today's and yesterday's visitors.
    await sql`
      insert into link_daily_visitors (link_id, day, visitor_hash)
      select distinct link_id, (clicked_at at time zone 'UTC')::date, visitor_hash
      from link_clicks where link_id is not null and is_unique and clicked_at >= date_trunc('day', now() at time zone 'UTC') at time zone 'UTC' - interval '1 day'`;
  });

  await step("conversions", async () => {
    // 60 % attributed to a countable click (last click, within 30 days of it), 20 % to a partner's coupon, 20 % to no one;
    // 0.5 % test orders; 3 % partly refunded. Commission at the partner's rate, as the recorder computes it.
    const clickShare = Math.round(CONVERSIONS * 0.6);
    const samplePercent = Math.min(100, ((clickShare * 1.5) / TOTAL_CLICKS) * 100);
    await sql`
      insert into conversions (order_id, amount_minor, currency, occurred_at, received_at, click_id, customer_id, is_test, attributed_by,
        attribution_model, attribution_window_days, organisation_id, link_id, creative_id, creative_version_id, attributed_click_id,
        attributed_click_at, commission_model, commission_rate_basis_points, commission_minor)
      select 'BENCH-C-' || row_number() over (), s.amount, 'USD', s.occurred, s.occurred + interval '2 seconds', s.click_id,
        'customer-' || (s.amount % 7000), s.is_test, 'click', 'last_click', 30, s.organisation_id, s.link_id, l.creative_id, l.creative_version_id,
        s.click_id, s.clicked_at, o.commercial_model, o.rate_basis_points, (s.amount * o.rate_basis_points / 10000)::bigint
      from (
        select c.click_id, c.clicked_at, c.link_id, c.organisation_id, least(now(), c.clicked_at + random() * interval '3 days') as occurred, 1000 + floor(random() * 49000)::bigint as amount,
          random() < 0.005 as is_test
        from link_clicks c tablesample bernoulli (${samplePercent})
        where c.link_id is not null and not c.is_bot and not c.is_test and c.fallback_reason is null
        limit ${clickShare}
      ) s
      join tracking_links l on l.id = s.link_id
      join partner_organisations o on o.id = s.organisation_id`;
    const couponShare = Math.round(CONVERSIONS * 0.2);
    await sql`
      with coupons as (select row_number() over (order by code) as n, id, organisation_id, code from coupons),
      count as (select count(*) as n from coupons)
      insert into conversions (order_id, amount_minor, currency, occurred_at, received_at, coupon_code, customer_id, attributed_by,
        attribution_model, attribution_window_days, organisation_id, coupon_id, commission_model, commission_rate_basis_points, commission_minor)
      select 'BENCH-K-' || g, s.amount, 'USD', s.occurred, s.occurred + interval '2 seconds', c.code, 'customer-' || (g % 7000), 'coupon',
        'last_click', 30, c.organisation_id, c.id, o.commercial_model, o.rate_basis_points, (s.amount * o.rate_basis_points / 10000)::bigint
      from (
        select g, 1000 + floor(random() * 49000)::bigint as amount, now() - random() * ${CLICK_DAYS} * interval '1 day' as occurred,
          1 + floor(random() * (select n from count))::int as k
        from generate_series(1, ${couponShare}) g
      ) s join coupons c on c.n = s.k join partner_organisations o on o.id = c.organisation_id`;
    await sql`
      insert into conversions (order_id, amount_minor, currency, occurred_at, received_at, customer_id, attributed_by, attribution_model,
        attribution_window_days, attribution_note)
      select 'BENCH-N-' || g, 1000 + floor(random() * 49000)::bigint, 'USD', s.occurred, s.occurred + interval '2 seconds', 'customer-' || (g % 7000),
        'none', 'last_click', 30, case when g % 3 = 0 then '[{"kind": "click_unknown", "clickId": "unknownclick0000000"}]'::jsonb else '[]'::jsonb end
      from generate_series(1, ${CONVERSIONS} - (select count(*) from conversions)::int) g
      cross join lateral (select now() - random() * ${CLICK_DAYS} * interval '1 day' + g * interval '0 s' as occurred) s`;
    await sql`
      with refunded as (
        update conversions set refunded_minor = amount_minor / 2, refunded_commission_minor = commission_minor / 2
        where abs(hashtext(id::text)) % 100 < 3 and not is_test
        returning id, amount_minor / 2 as amount, commission_minor / 2 as reversed, occurred_at
      )
      insert into conversion_refunds (conversion_id, refund_id, amount_minor, commission_reversed_minor, occurred_at, received_at, reason)
      select id, 'REFUND-1', amount, reversed, least(now(), occurred_at + interval '5 days'), least(now(), occurred_at + interval '5 days'), 'Bench: returned'
      from refunded where amount > 0`;
  });

  await step("conversion rollups", async () => {
    // What the recorder and the refunds add (rollups.server.ts): counted = attributed and not a test; slots spread as the writers' random ones.
    await sql`
      insert into conversion_daily (organisation_id, link_id, day, currency, slot, conversions, revenue_minor, commission_minor, refunded_minor)
      select organisation_id, coalesce(link_id, ${NO_LINK_ID}::uuid), (occurred_at at time zone 'UTC')::date, currency, abs(hashtext(id::text)) % 8,
        count(*), sum(amount_minor - refunded_minor), sum(commission_minor - refunded_commission_minor), sum(refunded_minor)
      from conversions where organisation_id is not null and not is_test
      group by 1, 2, 3, 4, 5`;
  });

  await step("monthly rollups", async () => {
    // The daily rollups summed per month, as the migration that made the monthly tables fills them (decision 031).
    for (const statement of MONTHLY_ROLLUPS_FROM_DAILY) await sql.unsafe(statement);
  });

  await step("incidents", async () => {
    await sql`
      with admin as (select id from users where email = ${STAFF.admin}),
      orgs as (select id, substring(slug from 15)::int as n from partner_organisations)
      insert into incidents (organisation_id, title, kind, severity, status, description, owner_id, shared_with_partner, opened_by_id, opened_at,
        resolved_at, resolution_note, updated_at)
      select orgs.id, 'Bench incident ' || g, (array['misleading_claim', 'missing_disclosure', 'brand_misuse', 'data_issue', 'fraud', 'other'])[1 + g % 6]::incident_kind,
        (array['low', 'medium', 'high', 'critical'])[1 + g % 4]::incident_severity,
        (case when g % 3 = 0 then 'resolved' when g % 3 = 1 then 'open' else 'investigating' end)::incident_status,
        'What happened in bench incident ' || g, (select id from admin), g % 2 = 0, (select id from admin), now() - (g % 90) * interval '1 day',
        case when g % 3 = 0 then now() - (g % 90) * interval '1 day' + interval '2 days' end, case when g % 3 = 0 then 'Fixed.' end,
        now() - (g % 90) * interval '1 day'
      from generate_series(1, ${INCIDENTS}) g join orgs on orgs.n = 1 + (g * 7) % ${PARTNERS}`;
    await sql`
      insert into incident_events (incident_id, kind, visibility, author_id, body, created_at)
      select i.id, e.kind::incident_event_kind, 'internal', i.opened_by_id, e.body, i.opened_at + e.after
      from incidents i cross join lateral (values ('opened', i.description, interval '0'), ('note', 'Looked into it.', interval '1 hour')) e (kind, body, after)`;
  });

  // What housekeeping keeps once a day (decision 029, addendum): a row per partner and UTC day from the day after it joined
  // until it was terminated, kept five minutes into the day; no score before activation, then one of its own drifting over weeks.
  await step("health snapshots", async () => {
    await sql`
      insert into partner_health_snapshots (day, partner_organisation_id, score, computed_at)
      select d::date, o.id,
        case when o.activated_at <= k.at
          then least(100, greatest(0, 20 + (o.n * 37) % 75 + round(8 * sin((extract(epoch from k.at) / 86400 + o.n) / 30.0))))::smallint end,
        k.at
      from (select id, substring(slug from 15)::int as n, created_at, activated_at, terminated_at from partner_organisations) o
      cross join lateral generate_series(((o.created_at at time zone 'UTC')::date + 1)::timestamp, now() at time zone 'UTC', interval '1 day') d
      cross join lateral (select (d + interval '5 minutes') at time zone 'UTC' as at) k
      where k.at < coalesce(o.terminated_at, now())`;
  });

  await step("analyze", async () => {
    await sql`drop table bench_links`;
    await sql`vacuum analyze`;
  });

  const [facts] = await sql<Record<string, string>[]>`select
    (select count(*) from partner_organisations) as partners,
    (select count(*) from users where role = 'partner') as partner_people,
    (select count(*) from applications) as applications,
    (select count(*) from policy_acceptances) as policy_acceptances,
    (select count(*) from creatives) as creatives,
    (select count(*) from creative_versions) as versions,
    (select count(*) from review_stages) as review_stages,
    (select count(*) from tracking_links) as links,
    (select count(*) from link_clicks) as clicks,
    (select count(*) from link_click_daily) as click_daily_rows,
    (select count(*) from conversions) as conversions,
    (select count(*) from conversion_daily) as conversion_daily_rows,
    (select count(*) from link_click_monthly) as click_monthly_rows,
    (select count(*) from conversion_monthly) as conversion_monthly_rows,
    (select count(*) from incidents) as incidents,
    (select count(*) from partner_health_snapshots) as health_snapshots,
    pg_size_pretty(pg_database_size(current_database())) as size`;
  // The rollups against the raw rows they were computed from: the same totals, counted again.
  const [check] = await sql<Record<string, string>[]>`select
    (select count(*) filter (where not is_test) from link_clicks where link_id is not null) = (select sum(clicks) from link_click_daily) as clicks,
    (select count(*) filter (where is_unique) from link_clicks) = (select sum(unique_clicks) from link_click_daily) as unique_clicks,
    (select count(*) filter (where is_bot and not is_test) from link_clicks where link_id is not null) = (select sum(bot_clicks) from link_click_daily) as bot_clicks,
    (select sum(amount_minor - refunded_minor) from conversions where organisation_id is not null and not is_test) = (select sum(revenue_minor) from conversion_daily) as revenue,
    (select count(*) from conversions where organisation_id is not null and not is_test) = (select sum(conversions) from conversion_daily) as conversions,
    (select sum(clicks) from link_click_daily) = (select sum(clicks) from link_click_monthly) as monthly_clicks,
    (select sum(revenue_minor) from conversion_daily) = (select sum(revenue_minor) from conversion_monthly) as monthly_revenue`;
  const seconds = Math.round((performance.now() - started) / 100) / 10;
  const [version] = await sql<{ v: string }[]>`select current_setting('server_version') as v`;
  console.log(
    JSON.stringify(
      {
        bench: "seed",
        machine: machine(),
        postgres: version!.v,
        scale: SCALE,
        database: bench.name,
        url: bench.url,
        seconds,
        budgetSeconds: 300,
        steps: timings,
        rows: Object.fromEntries(Object.entries(facts!).map(([k, v]) => [k, /^\d+$/.test(v) ? Number(v) : v])),
        rollupsMatchRawRows: check,
        loadAverage: loadAverage(),
      },
      null,
      2,
    ),
  );
  if (Object.values(check!).some((ok) => !ok)) {
    failed = true;
    console.error("A rollup disagrees with the raw rows.");
  }
} catch (error) {
  failed = true;
  throw error;
} finally {
  await sql.end();
  if (options.drop || failed) {
    await bench.drop();
    console.error(`Dropped ${bench.name}.`);
  } else {
    console.error(`Kept for bench/pages.ts:\n  BENCH_DATABASE_URL=${bench.url}`);
  }
}
