import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { labelOf } from "~/domain/applications/catalog";
import { performanceReport, programCurrency } from "~/domain/conversions/stats.server";
import { exampleFinalUrl } from "~/domain/links/final-url";
import { linkAddresses, partnerLinkView } from "~/domain/links/partner-links.server";
import { linkDetail } from "~/domain/links/queries.server";
import { StatsRangeSchema } from "~/domain/links/schemas.server";
import { getLinkSettings } from "~/domain/links/settings.server";
import { clickTotals, statsRange } from "~/domain/links/stats.server";
import { mapDomainErrors } from "~/lib/domain-responses.server";
import { idParam } from "~/lib/forms.server";
import { requirePartnerUser } from "~/lib/guards.server";
import { ClicksByDay } from "~/components/clicks-chart";
import { formatDate } from "~/components/format";
import { LinkSource, LinkTools } from "~/components/link-card";
import { CopyField, formatCount, formatShare, LinkStateBadges, linkStateExplained, RangeNav } from "~/components/link-parts";
import { PerformanceBody } from "~/components/performance-parts";
import { Alert, buttonClassName, Card, DataTable, DownloadIcon, PageHeader, Stat } from "~/components/ui";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data ? `${data.link.label} · Links` : "Link" }];

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const user = await requirePartnerUser(context, request);
  const { db } = context.app;
  const now = context.app.clock.now();
  const { days } = StatsRangeSchema.parse(Object.fromEntries(new URL(request.url).searchParams));
  const row = await mapDomainErrors(linkDetail(db, idParam(params, "linkId"), now, user.partnerOrgId), { context, request });
  const scope = { organisationId: user.partnerOrgId, linkId: row.id };
  const range = statsRange(now, days);
  const [addressOf, settings, totals, performance] = await Promise.all([
    linkAddresses(context.app),
    getLinkSettings(db),
    clickTotals(db, scope, range),
    programCurrency(db).then((currency) => performanceReport(db, scope, range, currency)),
  ]);
  return {
    link: partnerLinkView(row, addressOf),
    parameters: [
      { name: "utm_source", value: row.utmSource, meaning: "Your partner code" },
      { name: "utm_medium", value: row.utmMedium, meaning: `The channel (${labelOf(row.utmMedium)})` },
      { name: "utm_campaign", value: row.utmCampaign, meaning: row.kind === "evergreen" ? "Evergreen: not tied to a creative" : "The creative" },
      { name: "utm_content", value: row.utmContent, meaning: row.kind === "evergreen" ? "The link's name" : "The creative and its version" },
      { name: settings.clickIdParam, value: "CLICK_ID", meaning: "A new id for every click, which ties a sale to it" },
    ],
    finalUrl: exampleFinalUrl(row.destinationUrl, row, settings.clickIdParam),
    days,
    range,
    totals,
    performance,
  };
}

export default function PartnerLinkRoute() {
  const { link, parameters, finalUrl, days, range, totals, performance } = useLoaderData<typeof loader>();
  const explained = linkStateExplained(link.status, link.fallbackReason, link.disabledReason);
  const allShare = totals.allClicks > 0 ? totals.botClicks / totals.allClicks : null;
  return (
    <>
      <PageHeader
        title={link.label}
        breadcrumbs={[{ to: "/partner/links", label: "Links" }]}
        meta={<LinkStateBadges status={link.status} fallbackReason={link.fallbackReason} />}
        description={
          <>
            <LinkSource link={link} /> · {labelOf(link.channel)} · made {formatDate(link.createdAt)}
          </>
        }
      />
      {explained ? (
        <Alert tone="warning" title="Visitors do not reach the destination" live={false}>
          {explained}
        </Alert>
      ) : null}
      <div className="stack stack--lg">
        <Card title="Share it">
          <div className="link-share">
            <div className="stack">
              <CopyField id="short-url" label="Short link" name={link.label} value={link.shortUrl} />
              <LinkTools link={link} />
              <p className="muted small">
                A test click opens the link in a new tab, marked as yours: it goes where a visitor would go, and it is recorded as a test that never counts in
                your clicks.
              </p>
            </div>
            {/* The same QR code as the downloads; decorative here, its link is the box beside it. */}
            <img className="link-share__qr" src={`/partner/links/${link.id}/qr.svg`} alt="" width={160} height={160} />
          </div>
        </Card>
        <Card title="Where visitors go" description={<Link to="/partner/links/help">The parameters every link adds, explained</Link>}>
          <dl className="detail-list">
            <dt>Destination</dt>
            <dd className="break-all">{link.destinationUrl}</dd>
            <dt>Final address</dt>
            <dd>
              <code className="break-all final-url">{finalUrl}</code>
            </dd>
          </dl>
          <DataTable
            caption="Parameters added to the destination"
            captionHidden
            className="link-parameters"
            columns={[
              { key: "name", header: "Parameter", rowHeader: true },
              { key: "value", header: "Value" },
              { key: "meaning", header: "What it is" },
            ]}
            rows={parameters}
            getRowKey={(p) => p.name}
            renderCell={(p, key) => (key === "meaning" ? p.meaning : <code className="break-all">{key === "name" ? p.name : p.value}</code>)}
          />
          <p className="muted small">
            They replace any parameters of the same names in the destination. Whatever a visitor adds to the short link is never passed on.
          </p>
        </Card>
      </div>
      <Card
        title="Clicks"
        id="clicks"
        description={`${formatDate(range.from)} to ${formatDate(range.to)}. Clicks count people; bots and link previews are kept apart, test clicks never count.`}
        actions={
          <a className={buttonClassName({ variant: "secondary", size: "sm" })} href={`/partner/links/${link.id}/clicks.csv?days=${days}`} download>
            <DownloadIcon /> CSV
            <span className="visually-hidden"> of the clicks and conversions by day, last {days} days</span>
          </a>
        }
      >
        <div className="stack">
          <RangeNav days={days} hrefFor={(d) => `?days=${d}#clicks`} />
          <div className="stat-grid">
            <Stat label="Clicks" value={formatCount(totals.clicks)} hint={`Last ${days} days`} />
            <Stat label="Unique clicks" value={formatCount(totals.uniqueClicks)} hint="Once per visitor a day" />
            <Stat label="Bot share" value={formatShare(allShare)} hint={`${formatCount(totals.botClicks)} bot clicks`} />
            <Stat label="All time" value={formatCount(link.clicks.total)} hint={`${formatCount(link.clicks.today)} today`} />
          </div>
          <ClicksByDay title={`Clicks by day, last ${days} days`} days={performance.days} />
        </div>
      </Card>
      <Card
        title="Conversions"
        id="conversions"
        description={`${formatDate(range.from)} to ${formatDate(range.to)}: the sales the brand reported for this link's clicks. Money in ${performance.currency}; the CSV above has these columns too.`}
      >
        <PerformanceBody report={performance} days={days} audience="partner" scope="link" />
      </Card>
    </>
  );
}
