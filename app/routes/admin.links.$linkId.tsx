import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { hasRole, INCIDENT_MANAGER_ROLES, LINK_MANAGER_ROLES, LINK_READER_ROLES } from "~/domain/accounts/roles";
import { incidentsAbout } from "~/domain/incidents/queries.server";
import { labelOf } from "~/domain/applications/catalog";
import { performanceReport, programCurrency } from "~/domain/conversions/stats.server";
import { linkHistory, type LinkHistoryAction } from "~/domain/links/admin-queries.server";
import { FALLBACK_REASON_LABELS, LINK_KIND_LABELS, shortLinkUrl } from "~/domain/links/catalog";
import { exampleFinalUrl } from "~/domain/links/final-url";
import { setLinkStatus } from "~/domain/links/links.server";
import { linkDetail } from "~/domain/links/queries.server";
import { LinkStatusSchema, StatsRangeSchema } from "~/domain/links/schemas.server";
import { getLinkSettings } from "~/domain/links/settings.server";
import { clickTotals, statsRange } from "~/domain/links/stats.server";
import { utcDay } from "~/domain/links/visitors.server";
import { partnerStatusLabel } from "~/domain/partners/catalog";
import { canonicalOrigin } from "~/domain/settings/site.server";
import { domainFailure, mapDomainErrors } from "~/lib/domain-responses.server";
import { formFailure, idParam, invalid, parseForm } from "~/lib/forms.server";
import { actorOf, requireInternalUser, safeRedirect } from "~/lib/guards.server";
import { redirectWithToast } from "~/lib/toast.server";
import { formatDate, formatDateTime } from "~/components/format";
import { LinkStateBadges, LinkStatusForm, RangeNav } from "~/components/link-parts";
import { IncidentsCard } from "~/components/incident-parts";
import { PerformanceBody } from "~/components/performance-parts";
import { Alert, Card, PageHeader, Stat } from "~/components/ui";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data ? `${data.link.label} · Links` : "Link" }];

/**
 * One tracking link as the brand team reads it: where it sends visitors now
 * and why, the UTM values fixed when it was made with an example of the final
 * address, its clicks, and its history from the audit trail; link managers
 * disable or enable it here.
 */
export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const user = await requireInternalUser(context, request, LINK_READER_ROLES);
  const db = context.app.db;
  const now = context.app.clock.now();
  const link = await mapDomainErrors(linkDetail(db, idParam(params, "linkId"), now), { context, request });
  const { days } = StatsRangeSchema.parse(Object.fromEntries(new URL(request.url).searchParams));
  const range = statsRange(now, days);
  const scope = { organisationId: link.organisationId, linkId: link.id };
  const [history, settings, origin, totals, performance, incidents] = await Promise.all([
    linkHistory(db, link.id),
    getLinkSettings(db),
    canonicalOrigin(context.app),
    clickTotals(db, scope, { from: utcDay(link.createdAt), to: utcDay(now) }),
    programCurrency(db).then((currency) => performanceReport(db, scope, range, currency)),
    incidentsAbout(db, "link", [link.id]),
  ]);
  const utm = { utmSource: link.utmSource, utmMedium: link.utmMedium, utmCampaign: link.utmCampaign, utmContent: link.utmContent };
  return {
    link: {
      id: link.id,
      code: link.code,
      label: link.label,
      kind: link.kind,
      status: link.status,
      destinationUrl: link.destinationUrl,
      organisationId: link.organisationId,
      organisationName: link.organisationName,
      organisationStatus: link.organisationStatus,
      creativeId: link.creativeId,
      versionNumber: link.versionNumber,
      disabledAt: link.disabledAt,
      disabledReason: link.disabledReason,
      createdAt: link.createdAt,
      createdByName: link.createdByName,
      clicks: link.clicks,
      utm,
    },
    shortUrl: shortLinkUrl(origin, link.code),
    finalUrl: exampleFinalUrl(link.destinationUrl, utm, settings.clickIdParam),
    clickIdParam: settings.clickIdParam,
    fallbackUrl: settings.fallbackUrl || `${origin}/`,
    fallbackReason: link.fallbackReason,
    fallbackClicks: totals.fallbackClicks,
    history,
    days,
    range,
    performance,
    canManage: hasRole(user.role, LINK_MANAGER_ROLES),
    incidents,
    openIncidentHref: hasRole(user.role, INCIDENT_MANAGER_ROLES) ? `/admin/incidents/new?objectKind=link&objectId=${link.id}` : null,
  };
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  // Analysts read links; disabling and enabling are the managers'.
  const user = await requireInternalUser(context, request, LINK_MANAGER_ROLES);
  const linkId = idParam(params, "linkId");
  const formData = await request.formData();
  const parsed = parseForm(formData, LinkStatusSchema);
  if (!parsed.ok) return invalid(parsed.failure);
  // The form names its link too: one posted to another link's address changes nothing.
  if (parsed.data.linkId !== linkId) return invalid(formFailure(formData, "This form belongs to another link. Reload the page and try again."));
  const disabling = parsed.data.intent === "disable";
  let code: string;
  try {
    ({ code } = await setLinkStatus(context.app, actorOf(user, context), linkId, { status: disabling ? "disabled" : "active", reason: parsed.data.reason }));
  } catch (error) {
    return domainFailure(error, formData, { context, request });
  }
  return redirectWithToast(context, safeRedirect(formData.get("returnTo"), `/admin/links/${linkId}`), {
    kind: "success",
    title: disabling ? `Link ${code} disabled` : `Link ${code} enabled`,
    message: disabling ? "Its visitors go to the fallback page from now on." : "Its visitors reach its destination again.",
  });
}

const HISTORY_LABELS: Record<LinkHistoryAction, string> = {
  "link.issued": "Issued when the creative was approved",
  "link.created": "Made by the partner",
  "link.disabled": "Disabled",
  "link.enabled": "Enabled",
};

const FALLBACK_EXPLANATIONS = {
  link_disabled: "The link is disabled.",
  partner_paused: "The partner is paused: all of their links send visitors to the fallback page until they are active again.",
  partner_terminated: "The partnership has ended: all of the partner's links send visitors to the fallback page.",
  approval_revoked: "The creative's approval was revoked.",
  host_not_allowed: "The destination's domain is no longer on the allowlist (Settings → Pre-screen rules).",
  unknown_code: "",
} as const;

const percent = (share: number | null) => (share === null ? "–" : `${Math.round(share * 100)} %`);

export default function AdminLinkRoute() {
  const {
    link,
    shortUrl,
    finalUrl,
    clickIdParam,
    fallbackUrl,
    fallbackReason,
    fallbackClicks,
    history,
    days,
    range,
    performance,
    canManage,
    incidents,
    openIncidentHref,
  } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const failure = actionData && "ok" in actionData && actionData.ok === false ? actionData : null;
  return (
    <>
      <PageHeader
        title={link.label}
        breadcrumbs={[{ to: "/admin/links", label: "Links" }]}
        meta={<LinkStateBadges status={link.status} fallbackReason={fallbackReason} />}
        description={
          <>
            {LINK_KIND_LABELS[link.kind]} link of {link.organisationName} · made {formatDate(new Date(link.createdAt))}
          </>
        }
      />
      {fallbackReason ? (
        <Alert tone="warning" live={false} title={`Visitors go to the fallback page: ${FALLBACK_REASON_LABELS[fallbackReason].toLowerCase()}`}>
          <p>
            {FALLBACK_EXPLANATIONS[fallbackReason]}
            {fallbackReason === "link_disabled" && link.disabledAt ? ` Since ${formatDateTime(new Date(link.disabledAt))}.` : ""}
          </p>
          {fallbackReason === "link_disabled" && link.disabledReason ? <p className="prose-block">Reason: {link.disabledReason}</p> : null}
          <p>
            Fallback page: <code className="link-destination">{fallbackUrl}</code>
          </p>
        </Alert>
      ) : null}
      <div className="review-layout">
        <div className="stack stack--lg">
          <Card title="Link">
            <dl className="detail-list">
              <dt>Short URL</dt>
              <dd>
                <code className="link-code">{shortUrl}</code>
              </dd>
              <dt>Partner</dt>
              <dd>
                <Link to={`/admin/partners/${link.organisationId}`}>{link.organisationName}</Link>
                {link.organisationStatus !== "active" ? <span className="muted small"> ({partnerStatusLabel(link.organisationStatus)})</span> : null}
              </dd>
              <dt>Kind</dt>
              <dd>{LINK_KIND_LABELS[link.kind]}</dd>
              {link.creativeId ? (
                <>
                  <dt>Creative</dt>
                  <dd>
                    <Link to={`/admin/creatives/${link.creativeId}`}>Version {link.versionNumber ?? "?"} of the creative</Link>
                  </dd>
                </>
              ) : null}
              <dt>Destination</dt>
              {/* Text, not a link: an admin opens a partner's destination deliberately. */}
              <dd>
                <code className="link-destination">{link.destinationUrl}</code>
              </dd>
              <dt>Made</dt>
              <dd>
                {formatDateTime(new Date(link.createdAt))}
                {link.createdByName ? ` by ${link.createdByName}` : ""}
              </dd>
            </dl>
          </Card>
          <Card
            title="Where visitors go"
            description="The UTM values were fixed when the link was made. Whatever a visitor adds to the short link is never passed on."
          >
            <dl className="detail-list">
              <dt>utm_source</dt>
              <dd>
                <code>{link.utm.utmSource}</code>
              </dd>
              <dt>utm_medium</dt>
              <dd>
                <code>{link.utm.utmMedium}</code> <span className="muted small">({labelOf(link.utm.utmMedium)})</span>
              </dd>
              <dt>utm_campaign</dt>
              <dd>
                <code>{link.utm.utmCampaign}</code>
              </dd>
              <dt>utm_content</dt>
              <dd>
                <code>{link.utm.utmContent}</code>
              </dd>
              <dt>Click id</dt>
              <dd>
                <code>{clickIdParam}</code> <span className="muted small">(a new one per click, for attribution)</span>
              </dd>
            </dl>
            <h3 className="subsection-title">The final address, for example</h3>
            <p>
              <code className="link-destination">{finalUrl}</code>
            </p>
            <p className="muted small">CLICK_ID stands for the id of each click.</p>
          </Card>
          <Card
            title="Conversions"
            id="conversions"
            description={`${formatDate(range.from)} to ${formatDate(range.to)}: the sales attributed to this link's clicks. Money in ${performance.currency}, the program's currency.`}
          >
            <div className="stack">
              <RangeNav days={days} hrefFor={(d) => `?days=${d}#conversions`} />
              <PerformanceBody report={performance} days={days} audience="brand" scope="link" withClicks />
            </div>
          </Card>
        </div>
        <aside className="stack stack--lg" aria-label="Clicks and status">
          <Card title="Clicks" description="People: bots and test clicks are left out.">
            <div className="stat-grid">
              <Stat label="Today" value={link.clicks.today} />
              <Stat label="Last 7 days" value={link.clicks.last7Days} />
              <Stat label="All time" value={link.clicks.total} />
              <Stat label="Unique, all time" value={link.clicks.uniqueTotal} />
              <Stat label="Bot share" value={percent(link.clicks.botShare)} />
              <Stat label="Sent to fallback" value={fallbackClicks} />
            </div>
          </Card>
          {canManage ? (
            <Card
              title={link.status === "active" ? "Disable this link" : "Enable this link"}
              description={link.status === "active" ? "For a link misused or shared where it should not be." : undefined}
            >
              <LinkStatusForm link={link} failure={failure} returnTo={failure?.values.returnTo} collapsed={false} />
            </Card>
          ) : null}
          <IncidentsCard rows={incidents} openHref={openIncidentHref} emptyText="No incident is about this link." />
          <Card title="History" description="From the audit trail, newest first.">
            {history.length ? (
              <ol className="timeline" aria-label="Link history, newest first">
                {history.map((entry) => (
                  <li key={entry.id}>
                    <time dateTime={new Date(entry.occurredAt).toISOString()}>{formatDateTime(new Date(entry.occurredAt))}</time>
                    <span>
                      {HISTORY_LABELS[entry.action]} by {entry.who}
                    </span>
                    {entry.reason ? <p className="muted small prose-block">{entry.reason}</p> : null}
                  </li>
                ))}
              </ol>
            ) : (
              <p className="muted">Nothing recorded yet.</p>
            )}
          </Card>
        </aside>
      </div>
    </>
  );
}
