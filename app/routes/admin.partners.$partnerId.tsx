import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import {
  APPLICATION_REVIEWER_ROLES,
  COUPON_MANAGER_ROLES,
  DOWNLOAD_LOG_READER_ROLES,
  hasRole,
  INCIDENT_MANAGER_ROLES,
  LINK_READER_ROLES,
  PARTNER_DIRECTORY_ROLES,
  PARTNER_LIFECYCLE_ROLES,
  PARTNER_TERMS_EDITOR_ROLES,
} from "~/domain/accounts/roles";
import { labelOf } from "~/domain/applications/catalog";
import { couponSummary } from "~/domain/conversions/coupons.server";
import { describeTerms, minorUnitsPer, partnerStatusLabel, PARTNER_STATUS_TONE, tierLabel } from "~/domain/partners/catalog";
import { formatEarningsPerClick } from "~/domain/conversions/metrics";
import { linksByPerformance, performanceReport, programCurrency } from "~/domain/conversions/stats.server";
import { LINK_STATUS_LABELS } from "~/domain/links/catalog";
import { organisationLinkStats } from "~/domain/links/queries.server";
import { StatsRangeSchema } from "~/domain/links/schemas.server";
import { statsRange } from "~/domain/links/stats.server";
import { pageNumberFrom } from "~/domain/pagination.server";
import { getPartnerProfile } from "~/domain/partners/directory.server";
import { partnerHealth, partnerHealthTrend } from "~/domain/partners/health-score.server";
import { HealthBadge, HealthSummary } from "~/components/health-parts";
import { incidentsOfPartner } from "~/domain/incidents/queries.server";
import { IncidentsCard } from "~/components/incident-parts";
import { PartnerActionSchema } from "~/domain/partners/schemas.server";
import { changePartnerTerms, describeTermsHistory, termsHistory } from "~/domain/partners/terms.server";
import { pausePartner, resumePartner, terminatePartner, type LifecycleOutcome } from "~/domain/partners/lifecycle.server";
import { getProgramRules } from "~/domain/settings/program.server";
import { idParam, invalid, parseForm } from "~/lib/forms.server";
import { domainFailure } from "~/lib/domain-responses.server";
import { canonicalOrigin } from "~/domain/settings/site.server";
import { actorOf, requireIntentRole, requireInternalUser } from "~/lib/guards.server";
import { notFound } from "~/lib/http.server";
import { recentCreativesOfPartner } from "~/domain/creatives/queries.server";
import { CreativeStatusBadge } from "~/components/creative-parts";
import { formatMoney } from "~/lib/money";
import { redirectWithToast } from "~/lib/toast.server";
import { formatDate, formatDateTime } from "~/components/format";
import { ClicksByDay } from "~/components/clicks-chart";
import { formatCount, formatShare, RangeNav } from "~/components/link-parts";
import { Pagination } from "~/components/pagination";
import { figuresLine, PerformanceBody } from "~/components/performance-parts";
import { CommercialTermsFields } from "~/components/terms-fields";
import { CouponsSection } from "~/components/coupons";
import {
  Badge,
  Button,
  buttonClassName,
  Card,
  DataTable,
  DownloadIcon,
  EmptyState,
  Field,
  FileIcon,
  FormError,
  LinkIcon,
  PageHeader,
  ShieldIcon,
  Stat,
  TextareaField,
  UsersIcon,
} from "~/components/ui";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data ? `${data.organisation.name} · Partners` : "Partner" }];

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const user = await requireInternalUser(context, request, PARTNER_DIRECTORY_ROLES);
  const partnerOrgId = idParam(params, "partnerId");
  const db = context.app.db;
  const now = context.app.clock.now();
  const [profile, history, rules, creatives, incidents] = await Promise.all([
    getPartnerProfile(db, partnerOrgId),
    termsHistory(db, partnerOrgId),
    getProgramRules(db),
    recentCreativesOfPartner(db, partnerOrgId),
    incidentsOfPartner(db, partnerOrgId),
  ]);
  if (!profile) notFound();
  // Fresh, with its components (the directory sorts by the stored copy); the trend is the same score at each month's end.
  const [health, healthTrend] = await Promise.all([partnerHealth(db, partnerOrgId, now), partnerHealthTrend(db, partnerOrgId, now)]);
  const org = profile.organisation;
  const { days } = StatsRangeSchema.parse(Object.fromEntries(new URL(request.url).searchParams));
  const range = statsRange(context.app.clock.now(), days);
  const currency = hasRole(user.role, LINK_READER_ROLES) ? await programCurrency(db) : null;
  const [links, performance, linkRanking] = currency
    ? await Promise.all([
        organisationLinkStats(db, partnerOrgId, range),
        performanceReport(db, { organisationId: partnerOrgId }, range, currency),
        linksByPerformance(db, partnerOrgId, range, currency, pageNumberFrom(request, "linksPage")),
      ])
    : [null, null, null];
  const units = org.currency ? minorUnitsPer(org.currency) : 1;
  // Coupon codes (issue 16): the newest few; all of them, and the form, on the partner's coupon page.
  const coupons = await couponSummary(db, partnerOrgId, context.app.clock.now(), {
    admin: hasRole(user.role, COUPON_MANAGER_ROLES) && org.status !== "terminated",
  });
  return {
    health,
    healthTrend: healthTrend.map((p) => ({ period: p.period, score: p.score })),
    coupons,
    creatives,
    incidents,
    links,
    days,
    range,
    performance,
    linkRanking,
    organisation: {
      id: org.id,
      name: org.name,
      slug: org.slug,
      status: org.status,
      partnerType: org.partnerType,
      website: org.website,
      regions: org.regions,
      channels: org.channels,
      tier: org.tier,
      terms: describeTerms(org),
      periodTerms: { commercialModel: org.commercialModel, amountMinor: org.amountMinor, currency: org.currency },
      renewalDate: org.renewalDate,
      createdAt: org.createdAt,
      onboardingStartedAt: org.onboardingStartedAt,
      activatedAt: org.activatedAt,
      pausedAt: org.pausedAt,
      terminatedAt: org.terminatedAt,
      statusReason: org.statusReason,
    },
    // What the terms form starts from: the partner's terms as they are.
    termsForm: {
      tier: org.tier,
      commercialModel: org.commercialModel,
      rate: org.rateBasisPoints === null ? undefined : String(org.rateBasisPoints / 100),
      amount: org.amountMinor === null ? undefined : String(org.amountMinor / units),
      currency: org.currency ?? undefined,
      renewalDate: org.renewalDate ?? undefined,
    },
    application: profile.application,
    members: profile.members,
    policyAcceptance: profile.policyAcceptance,
    downloads: profile.downloads,
    downloadTotal: profile.downloadTotal,
    history: describeTermsHistory(history),
    // A tier since removed from the settings stays choosable for the partner that has it.
    tiers: rules.partnerTiers.includes(org.tier) ? rules.partnerTiers : [...rules.partnerTiers, org.tier],
    can: {
      editTerms: hasRole(user.role, PARTNER_TERMS_EDITOR_ROLES) && org.status !== "terminated",
      changeStatus: hasRole(user.role, PARTNER_LIFECYCLE_ROLES) && org.status !== "terminated",
      openApplication: hasRole(user.role, APPLICATION_REVIEWER_ROLES),
      openDownloadLog: hasRole(user.role, DOWNLOAD_LOG_READER_ROLES),
      openIncident: hasRole(user.role, INCIDENT_MANAGER_ROLES),
    },
  };
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  // Reading the page is open to the brand team; changing terms or status is the admin's (others get 403).
  const user = await requireInternalUser(context, request, [...new Set([...PARTNER_TERMS_EDITOR_ROLES, ...PARTNER_LIFECYCLE_ROLES])]);
  const partnerOrgId = idParam(params, "partnerId");
  const formData = await request.formData();
  const parsed = parseForm(formData, PartnerActionSchema);
  if (!parsed.ok) return invalid(parsed.failure);
  const input = parsed.data;
  const actor = actorOf(user, context);
  const origin = await canonicalOrigin(context.app);
  if (input.intent === "change_terms") {
    requireIntentRole(context, request, user, PARTNER_TERMS_EDITOR_ROLES);
    let notified: string | null;
    try {
      ({ notified } = await changePartnerTerms(context.app, actor, partnerOrgId, input, origin));
    } catch (error) {
      return domainFailure(error, formData, { context, request });
    }
    return redirectWithToast(context, `/admin/partners/${partnerOrgId}#terms`, {
      kind: "success",
      message: notified
        ? "Terms changed. The owner was emailed and sees the new terms on their partner home."
        : "Terms changed. No owner has activated the account yet, so no email was sent; the new terms show on the partner home.",
    });
  }
  requireIntentRole(context, request, user, PARTNER_LIFECYCLE_ROLES);
  let outcome: LifecycleOutcome;
  try {
    if (input.intent === "pause") outcome = await pausePartner(context.app, actor, partnerOrgId, input, origin);
    else if (input.intent === "resume") outcome = await resumePartner(context.app, actor, partnerOrgId, input, origin);
    else outcome = await terminatePartner(context.app, actor, partnerOrgId, input, origin);
  } catch (error) {
    return domainFailure(error, formData, { context, request });
  }
  return redirectWithToast(context, `/admin/partners/${partnerOrgId}#lifecycle`, { kind: "success", message: lifecycleToast(input.intent, outcome) });
}

function lifecycleToast(intent: "pause" | "resume" | "terminate", outcome: LifecycleOutcome): string {
  const withdrawn = outcome.withdrawn ? ` ${outcome.withdrawn} open submission${outcome.withdrawn === 1 ? " was" : "s were"} withdrawn.` : "";
  const told = outcome.notified ? ` ${outcome.notified} member${outcome.notified === 1 ? " was" : "s were"} emailed.` : "";
  const incident = outcome.incident
    ? outcome.incident.opened
      ? ` Incident ${outcome.incident.reference} was opened.`
      : ` It was recorded on incident ${outcome.incident.reference}.`
    : "";
  if (intent === "pause") return `Partner paused: their links go to the fallback page.${withdrawn}${told}${incident}`;
  if (intent === "resume") return `Partner resumed: their links are live again.${told}`;
  return `Partnership terminated.${withdrawn} ${outcome.signedOut} member${outcome.signedOut === 1 ? " was" : "s were"} signed out and ${outcome.invitationsRevoked} invitation${outcome.invitationsRevoked === 1 ? " was" : "s were"} withdrawn.${told}${incident}`;
}

export default function PartnerRoute() {
  const data = useLoaderData<typeof loader>();
  const { organisation: org } = data;
  return (
    <>
      <PageHeader
        title={org.name}
        breadcrumbs={[{ to: "/admin/partners", label: "Partners" }]}
        meta={
          <span className="cluster cluster--sm">
            <Badge tone={PARTNER_STATUS_TONE[org.status]}>{partnerStatusLabel(org.status)}</Badge>
            {data.health?.scored ? (
              <a href="#health" aria-label={`Health score ${data.health.total}: see its components`}>
                <HealthBadge score={data.health.total} />
              </a>
            ) : null}
            {data.incidents.open > 0 ? (
              <a href="#incidents">
                <Badge tone="danger">
                  {data.incidents.open} open incident{data.incidents.open === 1 ? "" : "s"}
                </Badge>
              </a>
            ) : null}
          </span>
        }
        description={
          <>
            <code>{org.slug}</code> · partner since {formatDate(org.createdAt)}
          </>
        }
      />
      <HealthCard />
      <div className="review-layout">
        <div className="stack stack--lg">
          <ProfileCard />
          <MembersCard />
          <PolicyAcceptanceCard />
          <DownloadsCard />
          <LinksAndClicksCard />
          <CouponsCard />
          <PerformanceCard />
        </div>
        <div className="stack stack--lg">
          <LifecycleCard />
          <PartnerIncidentsCard />
          <TermsCard />
          <TermsHistoryCard />
          <CreativesCard />
        </div>
      </div>
    </>
  );
}

function HealthCard() {
  const { health, healthTrend } = useLoaderData<typeof loader>();
  if (!health) return null;
  return (
    <Card
      id="health"
      title="Health"
      description={<>Performance, compliance, responsiveness and policy currency over the last 90 days.</>}
      className="health-card"
    >
      <HealthSummary health={health} trend={healthTrend} />
      <p className="muted small">
        Each component counts only when it has data; the total is the points of those components out of their maximum, scaled to 100. Onboarding and terminated
        partners are not scored.
      </p>
    </Card>
  );
}

function websiteHref(website: string) {
  // Websites come from the apply form, which accepts host names with an optional http(s) scheme only.
  return /^https?:\/\//i.test(website) ? website : `https://${website}`;
}

function ProfileCard() {
  const { organisation: org, application: a, can } = useLoaderData<typeof loader>();
  const website = a?.website ?? org.website;
  return (
    <Card title="Profile" description={a ? "From the application the partner was approved on." : "This organisation was not created from an application."}>
      <dl className="detail-list">
        <dt>Company</dt>
        <dd>{a?.company ?? org.name}</dd>
        <dt>Website</dt>
        <dd>
          {website ? (
            <a href={websiteHref(website)} target="_blank" rel="noreferrer noopener nofollow">
              {website}
            </a>
          ) : (
            <span className="muted">None given</span>
          )}
        </dd>
        <dt>Type</dt>
        <dd>{org.partnerType ? labelOf(org.partnerType) : <span className="muted">Not set</span>}</dd>
        <dt>Channels</dt>
        <dd>{org.channels.length ? org.channels.map(labelOf).join(", ") : <span className="muted">None</span>}</dd>
        <dt>Regions</dt>
        <dd>{org.regions.length ? org.regions.map(labelOf).join(", ") : <span className="muted">None</span>}</dd>
        {a ? (
          <>
            <dt>Audience</dt>
            <dd>
              <span className="tabular">{a.audienceSize.toLocaleString("en")}</span> people
              <div className="prose-block">{a.audienceDescription}</div>
            </dd>
            <dt>Contact</dt>
            <dd>
              {a.contactName} · <a href={`mailto:${a.email}`}>{a.email}</a>
            </dd>
            <dt>Application</dt>
            <dd>
              {can.openApplication ? <Link to={`/admin/applications/${a.id}`}>{a.reference}</Link> : <span className="reference">{a.reference}</span>}
              {a.decidedAt ? ` · approved ${formatDate(a.decidedAt)}` : ""}
            </dd>
          </>
        ) : null}
      </dl>
    </Card>
  );
}

function MembersCard() {
  const { members } = useLoaderData<typeof loader>();
  return (
    <Card title="Members" flush={members.length > 0}>
      <DataTable
        caption="Members"
        captionHidden
        columns={[
          { key: "person", header: "Person", rowHeader: true },
          { key: "role", header: "Role" },
          { key: "lastSignIn", header: "Last sign-in" },
        ]}
        rows={members}
        getRowKey={(m) => m.id}
        empty={
          <EmptyState
            headingLevel={3}
            icon={<UsersIcon />}
            title="No members yet"
            description="The owner joins through the invitation sent at approval, then invites their team."
          />
        }
        renderCell={(m, key) => {
          if (key === "person")
            return (
              <span className="stack stack--xs">
                <span>{m.name}</span>
                <span className="muted text-sm">{m.email}</span>
              </span>
            );
          if (key === "role")
            return (
              <span className="cluster cluster--sm">
                {m.partnerRole === "owner" ? "Owner" : "Member"}
                {m.status !== "active" ? <Badge>Removed</Badge> : null}
              </span>
            );
          return m.lastLoginAt ? formatDateTime(m.lastLoginAt) : <span className="muted">Never</span>;
        }}
      />
    </Card>
  );
}

function PolicyAcceptanceCard() {
  const { policyAcceptance } = useLoaderData<typeof loader>();
  return (
    <Card
      title="Policy acceptance"
      description="A required policy is covered when every active member accepted its current version."
      flush={policyAcceptance.length > 0}
    >
      <DataTable
        caption="Required policies"
        captionHidden
        columns={[
          { key: "policy", header: "Policy", rowHeader: true },
          { key: "accepted", header: "Members accepted" },
          { key: "state", header: "State" },
        ]}
        rows={policyAcceptance}
        getRowKey={(p) => p.policyId}
        empty={
          <EmptyState
            headingLevel={3}
            icon={<ShieldIcon />}
            title="No required policies published"
            description="Once a required policy is published, whether this partner accepted it shows here."
          />
        }
        renderCell={(p, key) => {
          if (key === "policy") return `${p.title}, version ${p.number}`;
          if (key === "accepted") return p.members === 0 ? <span className="muted">No active members yet</span> : `${p.accepted} of ${p.members}`;
          return p.members > 0 && p.accepted === p.members ? <Badge tone="success">Covered</Badge> : <Badge tone="warning">Not covered</Badge>;
        }}
      />
    </Card>
  );
}

function DownloadsCard() {
  const { organisation: org, downloads, downloadTotal, can } = useLoaderData<typeof loader>();
  return (
    <Card
      title="Downloads"
      description={downloadTotal > 0 ? `${downloadTotal} in all; the most recent first.` : undefined}
      flush={downloads.length > 0}
      footer={
        can.openDownloadLog && downloadTotal > 0 ? (
          <Link to={`/admin/downloads?partner=${org.id}`}>See all of this partner&apos;s downloads in the download log</Link>
        ) : undefined
      }
    >
      <DataTable
        caption="Recent downloads"
        captionHidden
        columns={[
          { key: "what", header: "What", rowHeader: true },
          { key: "who", header: "Who" },
          { key: "when", header: "When" },
        ]}
        rows={downloads}
        getRowKey={(d) => d.id}
        empty={
          <EmptyState
            headingLevel={3}
            icon={<DownloadIcon />}
            title="No downloads yet"
            description="Each logo, file or kit this partner's people download is logged and shows here."
          />
        }
        renderCell={(d, key) => {
          if (key === "what")
            return d.kitName
              ? `Kit: ${d.kitName}`
              : `${d.assetTitle ?? "Removed asset"}${d.versionNumber ? `, version ${d.versionNumber}` : ""} (${d.rendition})`;
          if (key === "who") return d.userName;
          return formatDateTime(d.occurredAt);
        }}
      />
    </Card>
  );
}

/** Open incidents at a glance (the kill switch opens one too), and the way to open one about this partner. */
function PartnerIncidentsCard() {
  const { organisation: org, incidents, can } = useLoaderData<typeof loader>();
  return (
    <IncidentsCard
      rows={incidents.rows}
      openHref={can.openIncident ? `/admin/incidents/new?partner=${org.id}` : null}
      description={incidents.total > 0 ? `${incidents.open} open of ${incidents.total}; the latest first.` : undefined}
      footer={
        incidents.total > incidents.rows.length ? <Link to={`/admin/incidents?partner=${org.id}`}>See all of this partner&apos;s incidents</Link> : undefined
      }
      emptyText="Nothing has been raised about this partner."
    />
  );
}

function CreativesCard() {
  const { organisation: org, creatives } = useLoaderData<typeof loader>();
  return (
    <Card
      title="Creatives"
      description={creatives.total > 0 ? `${creatives.total} submitted; the latest first.` : undefined}
      flush={creatives.rows.length > 0}
      footer={
        creatives.total > creatives.rows.length ? (
          <Link to={`/admin/creatives?${new URLSearchParams({ q: org.name })}`}>See all of this partner&apos;s creatives</Link>
        ) : undefined
      }
    >
      <DataTable
        caption="Latest creatives"
        captionHidden
        columns={[
          { key: "title", header: "Creative", rowHeader: true },
          { key: "status", header: "Status" },
          { key: "when", header: "Last change" },
        ]}
        rows={creatives.rows}
        getRowKey={(c) => c.id}
        empty={
          <EmptyState
            headingLevel={3}
            icon={<FileIcon />}
            title="No creatives yet"
            description="What this partner submits for review shows here, with where each stands."
          />
        }
        renderCell={(c, key) => {
          if (key === "title") return <Link to={`/admin/creatives/${c.id}`}>{c.title}</Link>;
          if (key === "status") return <CreativeStatusBadge status={c.status} />;
          return formatDateTime(c.updatedAt);
        }}
      />
    </Card>
  );
}

function LinksAndClicksCard() {
  const { organisation: org, links, days } = useLoaderData<typeof loader>();
  if (!links) return null;
  const { counts, totals } = links;
  return (
    <Card
      title="Links and clicks"
      id="links"
      description={`The last ${days} days (choose the range under Performance). Clicks count people; bots and link previews are kept apart, test clicks never count.`}
      footer={<Link to={`/admin/links?partner=${org.id}`}>See this partner&apos;s links</Link>}
    >
      {counts.total === 0 ? (
        <EmptyState
          headingLevel={3}
          icon={<LinkIcon />}
          title="No tracking links yet"
          description="Each creative the brand approves gets a short link; the partner can also make evergreen links. Their clicks show here."
        />
      ) : (
        <div className="stack">
          <div className="stat-grid">
            <Stat label="Links" value={formatCount(counts.total)} hint={`${formatCount(counts.active)} active`} />
            <Stat label="Clicks" value={formatCount(totals.clicks)} hint={`${formatCount(totals.uniqueClicks)} unique`} />
            <Stat
              label="Bot share"
              value={formatShare(totals.allClicks > 0 ? totals.botClicks / totals.allClicks : null)}
              hint={`${formatCount(totals.botClicks)} bot clicks`}
            />
          </div>
          <ClicksByDay title={`Clicks by day, last ${days} days`} days={links.days} />
        </div>
      )}
    </Card>
  );
}

/**
 * What the partner's links and coupon codes brought over the range: the
 * totals, conversions by day, and each link ranked by what it earned, with
 * the coupon codes on a line of their own.
 */
function PerformanceCard() {
  const { organisation: org, days, range, performance, linkRanking } = useLoaderData<typeof loader>();
  if (!performance || !linkRanking) return null;
  const currency = performance.currency;
  const coupons = performance.totals.coupons;
  type Row = (typeof linkRanking.rows)[number] | { id: "coupons" };
  // The coupon codes' line leads the first page: their conversions have no link to sit under.
  const rows: Row[] = coupons && linkRanking.page === 1 ? [{ id: "coupons" }, ...linkRanking.rows] : linkRanking.rows;
  return (
    <Card
      title="Performance"
      id="performance"
      description={`${formatDate(range.from)} to ${formatDate(range.to)}. Money in ${currency}, the program's currency.`}
      actions={
        <a className={buttonClassName({ variant: "secondary", size: "sm" })} href={`/admin/partners/${org.id}/performance.csv?days=${days}`} download>
          <DownloadIcon /> CSV
          <span className="visually-hidden"> of this partner&apos;s clicks and conversions by day, last {days} days</span>
        </a>
      }
    >
      <div className="stack">
        <RangeNav days={days} hrefFor={(d) => `?days=${d}#performance`} />
        <PerformanceBody report={performance} days={days} audience="brand" scope="partner" terms={org.periodTerms} />
        <h3 className="subsection-title" id="performance-by-link">
          By link
        </h3>
        <DataTable
          caption={`Links by commission, last ${days} days`}
          captionHidden
          className="performance-links"
          columns={[
            { key: "link", header: "Link", rowHeader: true },
            { key: "clicks", header: "Clicks", align: "right" },
            { key: "conversions", header: "Conversions", align: "right" },
            { key: "revenue", header: "Revenue", align: "right" },
            { key: "commission", header: "Commission", align: "right" },
            { key: "rate", header: "Conversion rate", align: "right" },
            { key: "epc", header: "EPC", align: "right" },
          ]}
          rows={rows}
          getRowKey={(row) => row.id}
          empty={
            <EmptyState
              headingLevel={4}
              icon={<LinkIcon />}
              title="No links yet"
              description="Each creative the brand approves gets a short link; the partner can also make evergreen links."
            />
          }
          renderCell={(row, key) => {
            if (!("code" in row)) {
              if (key === "link")
                return (
                  <span className="stack stack--xs">
                    <span>Coupon codes</span>
                    <span className="muted text-sm">No link: attributed by code</span>
                    {coupons!.otherCurrencies.map((other) => (
                      <span key={other.currency} className="muted text-sm">
                        Also in {other.currency}: {figuresLine(other, other.currency)}
                      </span>
                    ))}
                  </span>
                );
              if (key === "clicks" || key === "rate" || key === "epc") return "–";
              if (key === "conversions") return formatCount(coupons!.figures.conversions);
              if (key === "revenue") return formatMoney(coupons!.figures.revenueMinor, currency);
              return formatMoney(coupons!.figures.commissionMinor, currency);
            }
            if (key === "link")
              return (
                <span className="stack stack--xs">
                  <Link to={`/admin/links/${row.id}`}>{row.label}</Link>
                  <span className="muted text-sm">
                    <code>{row.code}</code>
                    {row.status !== "active" ? ` · ${LINK_STATUS_LABELS[row.status]}` : ""}
                  </span>
                  {row.otherCurrencies.map((other) => (
                    <span key={other.currency} className="muted text-sm">
                      Also in {other.currency}: {figuresLine(other, other.currency)}
                    </span>
                  ))}
                </span>
              );
            if (key === "clicks") return formatCount(row.clicks);
            if (key === "conversions") return formatCount(row.conversions);
            if (key === "revenue") return formatMoney(row.revenueMinor, currency);
            if (key === "commission") return formatMoney(row.commissionMinor, currency);
            if (key === "rate") return formatShare(row.conversionRate);
            return formatEarningsPerClick(row.epcMinor, currency);
          }}
        />
        <Pagination
          page={linkRanking.page}
          pageCount={linkRanking.pageCount}
          param="linksPage"
          label="Pages of links"
          labels={["← Higher", "Lower →"]}
          anchor="performance-by-link"
        />
      </div>
    </Card>
  );
}

function LifecycleCard() {
  const { organisation: org, can } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  const submittingIntent = navigation.state === "submitting" ? navigation.formData?.get("intent") : null;
  const failed = actionData && ["pause", "resume", "terminate"].includes(actionData.values.intent ?? "") ? actionData : null;
  const failureOf = (intent: string) => (failed?.values.intent === intent ? failed : null);
  const pause = failureOf("pause");
  const resume = failureOf("resume");
  const terminate = failureOf("terminate");
  return (
    <Card title="Status" id="lifecycle">
      <dl className="detail-list">
        <dt>Status</dt>
        <dd>
          <Badge tone={PARTNER_STATUS_TONE[org.status]}>{partnerStatusLabel(org.status)}</Badge>
        </dd>
        {org.status === "paused" && org.pausedAt ? (
          <>
            <dt>Paused since</dt>
            <dd>{formatDateTime(org.pausedAt)}</dd>
          </>
        ) : null}
        {org.status === "terminated" && org.terminatedAt ? (
          <>
            <dt>Terminated on</dt>
            <dd>{formatDateTime(org.terminatedAt)}</dd>
          </>
        ) : null}
        {org.statusReason && (org.status === "paused" || org.status === "terminated") ? (
          <>
            <dt>Why</dt>
            <dd className="prose-block">{org.statusReason}</dd>
          </>
        ) : null}
        <dt>Onboarding since</dt>
        <dd>{formatDate(org.onboardingStartedAt)}</dd>
        <dt>Active since</dt>
        <dd>{org.activatedAt ? formatDate(org.activatedAt) : <span className="muted">Not yet: the owner has not accepted every required policy</span>}</dd>
      </dl>
      {failed?.formError ? <FormError>{failed.formError}</FormError> : null}
      {can.changeStatus && org.status === "paused" ? (
        <Form method="post" className="stack" noValidate>
          <input type="hidden" name="intent" value="resume" />
          <TextareaField
            label="Note (optional)"
            name="reason"
            id="resume-reason"
            rows={2}
            description="Recorded with the change and sent to the partner's members."
            defaultValue={resume?.values.reason}
            error={resume?.errors.reason}
          />
          <div>
            <Button type="submit" variant="primary" pending={submittingIntent === "resume"}>
              Resume partner
            </Button>
          </div>
          <p className="muted text-sm">
            Their links send visitors to their destinations again; downloads, kits, submissions and new links open again. Withdrawn submissions stay withdrawn.
          </p>
        </Form>
      ) : null}
      {can.changeStatus && org.status !== "paused" ? (
        <details className="decision" open={Boolean(pause)}>
          <summary>Pause partner</summary>
          <Form method="post" className="stack" noValidate>
            <input type="hidden" name="intent" value="pause" />
            <p className="text-sm">
              At once, every link of {org.name} sends visitors to the fallback page, downloads and kits are refused, open submissions are withdrawn with your
              reason, and no creative or link can be made until you resume.
            </p>
            <TextareaField
              label="Reason for pausing"
              name="reason"
              id="pause-reason"
              rows={3}
              required
              description="Recorded with the change and shown and emailed to the partner's members."
              defaultValue={pause?.values.reason}
              error={pause?.errors.reason}
            />
            <div>
              <Button type="submit" variant="danger" pending={submittingIntent === "pause"}>
                Pause partner
              </Button>
            </div>
          </Form>
        </details>
      ) : null}
      {can.changeStatus ? (
        <details className="decision" open={Boolean(terminate)}>
          <summary>Terminate partnership</summary>
          <Form method="post" className="stack" noValidate>
            <input type="hidden" name="intent" value="terminate" />
            <p className="text-sm">
              This is final. Every link of {org.name} sends visitors to the fallback page, downloads and kits are refused, open submissions are withdrawn, every
              member is signed out and open invitations are revoked.
            </p>
            <TextareaField
              label="Reason for terminating"
              name="reason"
              id="terminate-reason"
              rows={3}
              required
              description="Recorded with the change and emailed to the partner's members."
              defaultValue={terminate?.values.reason}
              error={terminate?.errors.reason}
            />
            <Field
              label={`Type the partner's name (${org.name}) to confirm`}
              name="confirmation"
              required
              autoComplete="off"
              defaultValue={terminate?.values.confirmation}
              error={terminate?.errors.confirmation}
            />
            <div>
              <Button type="submit" variant="danger" pending={submittingIntent === "terminate"}>
                Terminate partnership
              </Button>
            </div>
          </Form>
        </details>
      ) : null}
    </Card>
  );
}

function TermsCard() {
  const { organisation: org, termsForm, tiers, can } = useLoaderData<typeof loader>();
  const failure = useActionData<typeof action>();
  const actionData = failure?.values.intent === "change_terms" ? failure : undefined;
  const submitting = useNavigation().state === "submitting";
  const values = actionData?.values ?? termsForm;
  return (
    <Card title="Tier and terms" id="terms">
      <dl className="detail-list">
        <dt>Tier</dt>
        <dd>{tierLabel(org.tier)}</dd>
        <dt>Terms</dt>
        <dd>{org.terms}</dd>
        <dt>Renewal</dt>
        <dd>{org.renewalDate ? formatDate(org.renewalDate) : <span className="muted">Not set</span>}</dd>
      </dl>
      {can.editTerms ? (
        <details className="decision" open={Boolean(actionData)}>
          <summary>Change tier or terms</summary>
          <Form method="post" className="stack" noValidate>
            <input type="hidden" name="intent" value="change_terms" />
            {actionData?.formError ? <FormError>{actionData.formError}</FormError> : null}
            <CommercialTermsFields tiers={tiers} values={values} errors={actionData?.errors} />
            <Field
              label="Renewal date"
              name="renewalDate"
              type="date"
              description="Optional. Admins and the partner's owner are reminded by email 30 and 7 days before it."
              defaultValue={values.renewalDate}
              error={actionData?.errors.renewalDate}
            />
            <TextareaField
              label="Reason"
              name="reason"
              id="terms-reason"
              rows={3}
              required
              description="Recorded with the change and sent to the partner's owner."
              defaultValue={actionData?.values.reason}
              error={actionData?.errors.reason}
            />
            <div>
              <Button type="submit" variant="primary" pending={submitting}>
                Save and tell the partner
              </Button>
            </div>
          </Form>
        </details>
      ) : null}
    </Card>
  );
}

function TermsHistoryCard() {
  const { history } = useLoaderData<typeof loader>();
  return (
    <Card title="Terms history">
      {history.length === 0 ? (
        <p className="muted">No terms recorded yet.</p>
      ) : (
        <ol className="timeline" aria-label="Terms history, newest first">
          {history.map((entry) => (
            <li key={entry.id}>
              <strong>{entry.title}</strong> by {entry.actorLabel}
              {entry.summary ? <div className="muted">{entry.summary}</div> : null}
              {entry.lines.length ? (
                <ul className="plain-list">
                  {entry.lines.map((line) => (
                    <li key={line.label}>
                      {line.label}: {line.from} → {line.to}
                    </li>
                  ))}
                </ul>
              ) : null}
              {entry.reason ? <div className="muted prose-block">Reason: {entry.reason}</div> : null}
              <time dateTime={new Date(entry.occurredAt).toISOString()}>{formatDateTime(entry.occurredAt)}</time>
            </li>
          ))}
        </ol>
      )}
    </Card>
  );
}

function CouponsCard() {
  const { coupons, organisation: org } = useLoaderData<typeof loader>();
  return (
    <CouponsSection
      coupons={coupons.rows}
      total={coupons.total}
      to={`/admin/partners/${org.id}/coupons`}
      canAdd={coupons.canAdd}
      description="Codes that attribute an order to this partner when it carries no click that counts."
      emptyText={coupons.canAdd ? "Give the partner a code for their audience: orders that name it count for them." : "Admins give partners coupon codes."}
    />
  );
}
