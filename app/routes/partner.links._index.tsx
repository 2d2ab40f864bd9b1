import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { couponSummary } from "~/domain/conversions/coupons.server";
import { linkPerformances, NO_LINK_PERFORMANCE, performanceByCreative, performanceReport, programCurrency } from "~/domain/conversions/stats.server";
import { evergreenOptions } from "~/domain/links/links.server";
import { linkAddresses, partnerLinkView } from "~/domain/links/partner-links.server";
import { linksOfOrganisation } from "~/domain/links/queries.server";
import { StatsRangeSchema } from "~/domain/links/schemas.server";
import { statsRange } from "~/domain/links/stats.server";
import { pageNumberFrom } from "~/domain/pagination.server";
import { requirePartnerUser } from "~/lib/guards.server";
import { CouponsSection } from "~/components/coupons";
import { formatMoney } from "~/lib/money";
import { formatDate } from "~/components/format";
import { LinkCard } from "~/components/link-card";
import { formatCount, formatShare, RangeNav } from "~/components/link-parts";
import { Pagination } from "~/components/pagination";
import { figuresLine, PerformanceBody } from "~/components/performance-parts";
import { currentTermsOf } from "~/domain/partners/terms.server";
import { buttonClassName, ButtonLink, Card, DataTable, DownloadIcon, EmptyState, LinkIcon, PageHeader, PlusIcon } from "~/components/ui";

export const meta: MetaFunction = () => [{ title: "Links" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requirePartnerUser(context, request);
  const { db } = context.app;
  const now = context.app.clock.now();
  const { days } = StatsRangeSchema.parse(Object.fromEntries(new URL(request.url).searchParams));
  const range = statsRange(now, days);
  const currency = await programCurrency(db);
  const [page, addressOf, byCreative, evergreen, performance, terms] = await Promise.all([
    linksOfOrganisation(db, user.partnerOrgId, pageNumberFrom(request), now),
    linkAddresses(context.app),
    performanceByCreative(db, user.partnerOrgId, range, currency),
    evergreenOptions(db, user.partnerOrgId),
    performanceReport(db, { organisationId: user.partnerOrgId }, range, currency),
    currentTermsOf(db, user.partnerOrgId),
  ]);
  // Coupon codes (issue 16): the newest few here; all of them, and the form, at /partner/links/coupons.
  const coupons = await couponSummary(db, user.partnerOrgId, now, { partnerOwner: user.partnerRole === "owner" });
  const ofLinks = await linkPerformances(
    db,
    user.partnerOrgId,
    page.rows.map((row) => row.id),
    range,
    currency,
  );
  return {
    links: page.rows.map((row) => ({ ...partnerLinkView(row, addressOf), performance: ofLinks.get(row.id) ?? NO_LINK_PERFORMANCE })),
    page: page.page,
    pageCount: page.pageCount,
    total: page.total,
    byCreative,
    evergreen: { used: evergreen.used, limit: evergreen.limit },
    coupons,
    days,
    range,
    currency,
    performance,
    terms,
  };
}

export default function PartnerLinksRoute() {
  const { links, page, pageCount, total, byCreative, evergreen, days, range, currency, performance, coupons, terms } = useLoaderData<typeof loader>();
  // Always offered: the form itself says when the tier's limit or a paused partnership stands in the way.
  const newLink = (
    <ButtonLink to="/partner/links/new" variant="primary" icon={<PlusIcon />}>
      New evergreen link
    </ButtonLink>
  );
  return (
    <>
      <PageHeader
        title="Links"
        description={
          <>
            Your short links to the brand. Every visit carries your partner code, so the clicks and sales they bring count for you.{" "}
            <Link to="/partner/links/help">How links work</Link>
          </>
        }
        actions={
          <div className="cluster">
            <span className="muted small">
              {formatCount(evergreen.used)} of {formatCount(evergreen.limit)} evergreen links used
            </span>
            {newLink}
          </div>
        }
      />
      <Card
        title="Performance"
        id="performance"
        description={
          <>
            {formatDate(range.from)} to {formatDate(range.to)}, all your links and coupon codes together. Money in {currency}.{" "}
            <Link to="/partner/reports">Compare periods and see each link in Reports</Link>
          </>
        }
        actions={
          <a className={buttonClassName({ variant: "secondary", size: "sm" })} href={`/partner/links/performance.csv?days=${days}`} download>
            <DownloadIcon /> CSV
            <span className="visually-hidden"> of your clicks and conversions by day, last {days} days</span>
          </a>
        }
      >
        <div className="stack">
          <RangeNav days={days} hrefFor={(d) => `?days=${d}#performance`} />
          <PerformanceBody report={performance} days={days} audience="partner" scope="partner" withClicks terms={terms} />
        </div>
      </Card>
      {links.length ? (
        <>
          <p className="muted small">
            “Send a test click” opens a link in a new tab marked as a test: you see where it goes, and the click is recorded as yours but never counted. Clicks
            count people: bots and link previews are kept apart.
          </p>
          <section aria-label={`${formatCount(total)} links`}>
            <ul className="link-list">
              {links.map((link) => (
                <LinkCard key={link.id} link={link} performance={{ ...link.performance, currency, days }} />
              ))}
            </ul>
          </section>
          <Pagination page={page} pageCount={pageCount} />
        </>
      ) : (
        <Card>
          <EmptyState
            headingLevel={2}
            icon={<LinkIcon />}
            title="No links yet"
            description={
              <>
                When the brand approves a creative of yours, its short link appears here, ready to share. You can also make evergreen links to the brand&rsquo;s
                own pages here, up to {formatCount(evergreen.limit)} for your tier.
              </>
            }
            action={newLink}
          />
        </Card>
      )}
      <Card
        title="By creative"
        description={`The last ${days} days, all links of each approved creative together. Money in ${currency}.`}
        flush={byCreative.length > 0}
        id="by-creative"
      >
        {byCreative.length ? (
          <DataTable
            caption={`Clicks and conversions by creative, last ${days} days`}
            captionHidden
            columns={[
              { key: "creative", header: "Creative", rowHeader: true },
              { key: "links", header: "Links", align: "right" },
              { key: "clicks", header: "Clicks", align: "right" },
              { key: "unique", header: "Unique clicks", align: "right" },
              { key: "bots", header: "Bot share", align: "right" },
              { key: "conversions", header: "Conversions", align: "right" },
              { key: "revenue", header: "Revenue", align: "right" },
              { key: "commission", header: "Commission", align: "right" },
            ]}
            rows={byCreative}
            getRowKey={(row) => row.creativeId}
            renderCell={(row, key) => {
              if (key === "creative") return <Link to={`/partner/creatives/${row.creativeId}`}>{row.title}</Link>;
              if (key === "links") return formatCount(row.links);
              if (key === "clicks") return formatCount(row.clicks);
              if (key === "unique") return formatCount(row.uniqueClicks);
              if (key === "bots") return formatShare(row.botShare);
              if (key === "conversions") return <CreativeConversions row={row} />;
              if (key === "revenue") return formatMoney(row.revenueMinor, currency);
              return formatMoney(row.commissionMinor, currency);
            }}
          />
        ) : (
          <p className="muted">No creative of yours has a link yet: each one the brand approves gets its own.</p>
        )}
      </Card>
      <CouponsSection
        coupons={coupons.rows}
        total={coupons.total}
        to="/partner/links/coupons"
        canAdd={coupons.canAdd}
        description="Codes shoppers type at the brand's checkout. An order with one of your codes counts for you when it carries no click."
        emptyText={
          coupons.canAdd
            ? "Make a code for your audience: orders that use it count for you."
            : "The program gives you coupon codes when it makes them; they appear here."
        }
      />
    </>
  );
}

/** A creative's conversions, with those in other currencies said under them (their money is not in the program currency's columns). */
function CreativeConversions({
  row,
}: {
  row: {
    conversions: number;
    otherCurrencies: { currency: string; conversions: number; revenueMinor: number; commissionMinor: number; refundedMinor: number }[];
  };
}) {
  return (
    <>
      {formatCount(row.conversions)}
      {row.otherCurrencies.map((other) => (
        <span key={other.currency} className="muted small performance-other">
          Also in {other.currency}: {figuresLine(other, other.currency)}
        </span>
      ))}
    </>
  );
}
