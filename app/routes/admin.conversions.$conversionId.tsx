import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { CONVERSION_READER_ROLES, hasRole, LINK_READER_ROLES, CREATIVE_READER_ROLES } from "~/domain/accounts/roles";
import { attributionModelLabel } from "~/domain/conversions/catalog";
import { conversionDetail } from "~/domain/conversions/queries.server";
import { commercialModelLabel } from "~/domain/partners/catalog";
import { mapDomainErrors } from "~/lib/domain-responses.server";
import { idParam } from "~/lib/forms.server";
import { requireInternalUser } from "~/lib/guards.server";
import { formatDateTime } from "~/components/format";
import { AttributionBadge, AttributionNotes, Money, TestBadge } from "~/components/conversion-parts";
import { Alert, Card, DataTable, PageHeader } from "~/components/ui";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data ? `Order ${data.conversion.orderId} · Conversions` : "Conversion" }];

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const user = await requireInternalUser(context, request, CONVERSION_READER_ROLES);
  const detail = await mapDomainErrors(conversionDetail(context.app.db, idParam(params, "conversionId")), { context, request });
  const c = detail.conversion;
  return {
    conversion: {
      id: c.id,
      orderId: c.orderId,
      amountMinor: c.amountMinor,
      currency: c.currency,
      occurredAt: c.occurredAt,
      receivedAt: c.receivedAt,
      isTest: c.isTest,
      customerId: c.customerId,
      metadata: c.metadata,
      postedClickId: c.clickId,
      postedCouponCode: c.couponCode,
      attributedBy: c.attributedBy,
      attributionModel: c.attributionModel,
      attributionWindowDays: c.attributionWindowDays,
      attributedClickId: c.attributedClickId,
      attributedClickAt: c.attributedClickAt,
      notes: c.attributionNote,
      commissionModel: c.commissionModel,
      commissionRateBasisPoints: c.commissionRateBasisPoints,
      commissionMinor: c.commissionMinor,
      refundedMinor: c.refundedMinor,
      refundedCommissionMinor: c.refundedCommissionMinor,
    },
    partner: detail.partner,
    link: detail.link,
    creative: detail.creative,
    coupon: detail.coupon,
    apiKeyName: detail.apiKeyName,
    refunds: detail.refunds,
    notePartners: detail.notePartners,
    // Links to pages the reader's role would answer with 403 are not shown: the name is enough.
    can: { openLink: hasRole(user.role, LINK_READER_ROLES), openCreative: hasRole(user.role, CREATIVE_READER_ROLES) },
  };
}

const rate = (basisPoints: number) => `${(basisPoints / 100).toLocaleString("en", { maximumFractionDigits: 2 })} %`;

export default function ConversionRoute() {
  const { conversion: c, partner, link, creative, coupon, apiKeyName, refunds, notePartners, can } = useLoaderData<typeof loader>();
  const net = c.amountMinor - c.refundedMinor;
  const netCommission = c.commissionMinor - c.refundedCommissionMinor;
  return (
    <>
      <PageHeader
        title={`Order ${c.orderId}`}
        breadcrumbs={[{ to: "/admin/conversions", label: "Conversions" }]}
        meta={
          <span className="cluster">
            <AttributionBadge attributedBy={c.attributedBy} />
            {c.isTest ? <TestBadge /> : null}
          </span>
        }
      />
      {c.isTest ? (
        <Alert tone="info" live={false} title="A test conversion">
          Attributed like any other (test clicks included), but never counted in reports or paid: its commission is nought.
        </Alert>
      ) : null}
      <div className="grid-2">
        <Card title="Order">
          <dl className="detail-list">
            <dt>Amount</dt>
            <dd>
              <Money minor={c.amountMinor} currency={c.currency} />
            </dd>
            {c.refundedMinor ? (
              <>
                <dt>Refunded</dt>
                <dd>
                  <Money minor={c.refundedMinor} currency={c.currency} /> (net <Money minor={net} currency={c.currency} />)
                </dd>
              </>
            ) : null}
            <dt>Placed</dt>
            <dd>{formatDateTime(c.occurredAt)}</dd>
            <dt>Received</dt>
            <dd>
              {formatDateTime(c.receivedAt)}
              {apiKeyName ? ` through the API key “${apiKeyName}”` : null}
            </dd>
            <dt>Customer id</dt>
            <dd>{c.customerId ? <code>{c.customerId}</code> : <span className="muted">None sent</span>}</dd>
            <dt>Click id sent</dt>
            <dd>{c.postedClickId ? <code>{c.postedClickId}</code> : <span className="muted">None</span>}</dd>
            <dt>Coupon code sent</dt>
            <dd>{c.postedCouponCode ? <code>{c.postedCouponCode}</code> : <span className="muted">None</span>}</dd>
          </dl>
          {c.metadata ? (
            <details>
              <summary>Metadata sent with the order</summary>
              <pre className="small prose-block">{JSON.stringify(c.metadata, null, 2)}</pre>
            </details>
          ) : null}
        </Card>
        <Card
          title="Attribution"
          description={`${attributionModelLabel(c.attributionModel)} within ${c.attributionWindowDays} days, the settings in force when it was received.`}
        >
          <p>
            {c.attributedBy === "click" ? (
              <>
                Attributed by the click <code>{c.attributedClickId}</code>
                {c.attributedClickAt ? ` made ${formatDateTime(c.attributedClickAt)}` : null}
                {link ? (
                  <>
                    {" "}
                    on the link {can.openLink ? <Link to={`/admin/links/${link.id}`}>{link.label}</Link> : link.label} (<code>{link.code}</code>)
                  </>
                ) : null}
                .
              </>
            ) : c.attributedBy === "coupon" ? (
              <>
                Attributed by the coupon code <code>{coupon?.code ?? c.postedCouponCode}</code>: no click id earned it.
              </>
            ) : (
              <>Unattributed: neither a click id nor a coupon code earned it. It is kept, and counts for no partner.</>
            )}
          </p>
          <dl className="detail-list">
            <dt>Partner</dt>
            <dd>{partner ? <Link to={`/admin/partners/${partner.id}`}>{partner.name}</Link> : <span className="muted">None</span>}</dd>
            {creative ? (
              <>
                <dt>Creative</dt>
                <dd>
                  {can.openCreative ? <Link to={`/admin/creatives/${creative.id}`}>{creative.title}</Link> : creative.title}
                  {creative.versionNumber ? `, version ${creative.versionNumber}` : null}
                </dd>
              </>
            ) : null}
          </dl>
          {c.notes.length ? (
            <div className="stack stack--xs">
              <h3 className="subsection-title">Why</h3>
              <AttributionNotes notes={c.notes} windowDays={c.attributionWindowDays} partnerNames={notePartners} />
            </div>
          ) : null}
        </Card>
      </div>
      <Card title="Commission" description="The partner's terms when the order was placed: later changes to their terms apply to later conversions only.">
        <dl className="detail-list">
          <dt>Terms</dt>
          <dd>
            {c.commissionModel ? (
              <>
                {commercialModelLabel(c.commissionModel)}
                {c.commissionRateBasisPoints !== null ? `, ${rate(c.commissionRateBasisPoints)}` : null}
              </>
            ) : (
              <span className="muted">None: the conversion counts for no partner</span>
            )}
          </dd>
          <dt>Commission</dt>
          <dd>
            <Money minor={c.commissionMinor} currency={c.currency} />
            {c.commissionModel === "fixed_fee" ? " per conversion: a fixed fee is paid per period, not per conversion." : null}
            {c.commissionModel === "co_op" ? " per conversion: a co-op budget is spent on campaigns; conversions are reported against it." : null}
            {c.isTest && c.commissionModel ? " (a test conversion is never paid)." : null}
          </dd>
          {c.refundedCommissionMinor ? (
            <>
              <dt>Taken back by refunds</dt>
              <dd>
                <Money minor={c.refundedCommissionMinor} currency={c.currency} /> (net <Money minor={netCommission} currency={c.currency} />)
              </dd>
            </>
          ) : null}
        </dl>
        <p className="muted small">Revenue and lead shares are the amount times the rate, in whole minor units, a half rounded to the even neighbour.</p>
      </Card>
      <Card title="Refunds" flush={refunds.length > 0}>
        <DataTable
          caption="Refunds of this order, oldest first"
          captionHidden
          columns={[
            { key: "refund", header: "Refund id", rowHeader: true },
            { key: "amount", header: "Amount", align: "right" },
            { key: "commission", header: "Commission taken back", align: "right" },
            { key: "occurred", header: "Refunded" },
            { key: "reason", header: "Reason" },
          ]}
          rows={refunds}
          getRowKey={(refund) => refund.id}
          empty={<p className="muted">No refunds. The brand&apos;s systems post them to the API with a refund id; each is applied once.</p>}
          renderCell={(refund, key) => {
            switch (key) {
              case "refund":
                return <code>{refund.refundId}</code>;
              case "amount":
                return <Money minor={refund.amountMinor} currency={c.currency} />;
              case "commission":
                return <Money minor={refund.commissionReversedMinor} currency={c.currency} />;
              case "occurred":
                return formatDateTime(refund.occurredAt);
              case "reason":
                return refund.reason ?? <span className="muted">None given</span>;
              default:
                return null;
            }
          }}
        />
      </Card>
    </>
  );
}
