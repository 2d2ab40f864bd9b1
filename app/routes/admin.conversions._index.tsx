import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { API_KEY_MANAGER_ROLES, CONVERSION_READER_ROLES, CONVERSION_SETTINGS_EDITOR_ROLES, hasRole } from "~/domain/accounts/roles";
import { ATTRIBUTED_BY } from "~/domain/conversions/catalog";
import { conversionCurrencies, listConversions, partnersWithConversions } from "~/domain/conversions/queries.server";
import { ConversionFiltersSchema } from "~/domain/conversions/schemas.server";
import { pageNumberFrom } from "~/domain/pagination.server";
import { requireInternalUser } from "~/lib/guards.server";
import { formatDateTime } from "~/components/format";
import { AttributionBadge, Money, TestBadge } from "~/components/conversion-parts";
import { Pagination } from "~/components/pagination";
import { Button, ButtonLink, Card, ChartIcon, DataTable, EmptyState, PageHeader, SearchIcon, SelectField, SettingsIcon } from "~/components/ui";

export const meta: MetaFunction = () => [{ title: "Conversions" }];

/**
 * Every conversion the brand's systems posted (issue 16), the latest received
 * first: how each was attributed, to whom, its amount and commission;
 * filtered by how it was attributed, the partner, test or not, the currency.
 */
export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requireInternalUser(context, request, CONVERSION_READER_ROLES);
  const db = context.app.db;
  const url = new URL(request.url);
  const filters = ConversionFiltersSchema.parse(Object.fromEntries([...url.searchParams].filter(([key, value]) => key !== "page" && value !== "")));
  const [page, partners, currencies] = await Promise.all([
    listConversions(db, filters, pageNumberFrom(request)),
    partnersWithConversions(db),
    conversionCurrencies(db),
  ]);
  return {
    ...page,
    filters,
    partners,
    currencies,
    canEditSettings: hasRole(user.role, CONVERSION_SETTINGS_EDITOR_ROLES),
    canManageKeys: hasRole(user.role, API_KEY_MANAGER_ROLES),
  };
}

const ATTRIBUTION_OPTIONS = ATTRIBUTED_BY.map((a) => ({ value: a.value, label: a.label }));
const TEST_OPTIONS = [
  { value: "exclude", label: "Real conversions only" },
  { value: "only", label: "Test conversions only" },
];

export default function AdminConversionsRoute() {
  const { rows, total, page, pageCount, filters, partners, currencies, canEditSettings, canManageKeys } = useLoaderData<typeof loader>();
  const filtered = Boolean(filters.attributedBy || filters.partner || filters.test || filters.currency);
  const filterKey = [filters.attributedBy, filters.partner, filters.test, filters.currency].join("|");
  return (
    <>
      <PageHeader
        title="Conversions"
        description="Orders the brand's systems posted through the conversion API, each counted once per order id, with how it was attributed and what it earned the partner."
        actions={
          canEditSettings ? (
            <ButtonLink to="/admin/settings/conversions" variant="secondary" icon={<SettingsIcon />}>
              Conversion settings
            </ButtonLink>
          ) : null
        }
      />
      <Card>
        {/* Keyed by the filters so that "Clear" resets what the fields show. */}
        <Form key={filterKey} method="get" className="filter-bar" role="search" aria-label="Find conversions">
          <SelectField
            label="Attributed by"
            name="attributedBy"
            options={[{ value: "", label: "Any attribution" }, ...ATTRIBUTION_OPTIONS]}
            defaultValue={filters.attributedBy ?? ""}
          />
          <SelectField
            label="Partner"
            name="partner"
            options={[{ value: "", label: "All partners" }, ...partners.map((p) => ({ value: p.id, label: p.name }))]}
            defaultValue={filters.partner ?? ""}
          />
          <SelectField label="Test" name="test" options={[{ value: "", label: "Real and test" }, ...TEST_OPTIONS]} defaultValue={filters.test ?? ""} />
          <SelectField
            label="Currency"
            name="currency"
            options={[{ value: "", label: "All currencies" }, ...currencies.map((code) => ({ value: code, label: code }))]}
            defaultValue={filters.currency ?? ""}
          />
          <Button type="submit" variant="secondary" icon={<SearchIcon />}>
            Show conversions
          </Button>
          {filtered ? <Link to="/admin/conversions">Clear</Link> : null}
        </Form>
      </Card>
      <Card flush={rows.length > 0}>
        <DataTable
          caption={`${total} ${total === 1 ? "conversion" : "conversions"}${filtered ? " matching the filters" : ""}, latest received first`}
          captionHidden
          className="conversions-table"
          columns={[
            { key: "order", header: "Order", rowHeader: true },
            { key: "attribution", header: "Attribution" },
            { key: "partner", header: "Partner" },
            { key: "amount", header: "Amount", align: "right" },
            { key: "commission", header: "Commission", align: "right" },
            { key: "occurred", header: "Placed" },
          ]}
          rows={rows}
          getRowKey={(row) => row.id}
          empty={
            filtered ? (
              <EmptyState
                headingLevel={2}
                icon={<SearchIcon />}
                title="No conversions match"
                description="Try fewer filters."
                action={<Link to="/admin/conversions">Clear the filters</Link>}
              />
            ) : (
              <EmptyState
                headingLevel={2}
                icon={<ChartIcon />}
                title="No conversions yet"
                description={
                  <>
                    <p>
                      Conversions arrive from the brand&apos;s own systems (the shop, the CRM) through the conversion API:{" "}
                      <Link to="/admin/api#postConversion">
                        <code>POST /api/v1/conversions</code>
                      </Link>{" "}
                      with an API key, the order id, amount, currency and time, and the click id the landing page read from the link&apos;s click id parameter,
                      or a partner&apos;s coupon code. Each order id is counted once, however often it is sent.
                    </p>
                    <p>
                      Post a test conversion (with &quot;test&quot;: true) for a test click to check the whole path before launch: it shows here, marked as a
                      test, and is never counted or paid.
                    </p>
                  </>
                }
                // Only admins make keys; an analyst would meet a refusal there.
                action={canManageKeys ? <Link to="/admin/api-keys">API keys</Link> : undefined}
              />
            )
          }
          renderCell={(row, key) => {
            switch (key) {
              case "order":
                return (
                  <span className="stack stack--xs">
                    <Link to={`/admin/conversions/${row.id}`}>
                      <code>{row.orderId}</code>
                    </Link>
                    {row.isTest ? (
                      <span>
                        <TestBadge />
                      </span>
                    ) : null}
                  </span>
                );
              case "attribution":
                return (
                  <span className="stack stack--xs">
                    <span>
                      <AttributionBadge attributedBy={row.attributedBy} />
                    </span>
                    {row.linkCode ? <span className="muted small">Link {row.linkCode}</span> : null}
                    {row.couponCode ? <span className="muted small">Coupon {row.couponCode}</span> : null}
                    {row.notes ? <span className="muted small">{row.notes === 1 ? "1 note" : `${row.notes} notes`}</span> : null}
                  </span>
                );
              case "partner":
                return row.organisationId ? <Link to={`/admin/partners/${row.organisationId}`}>{row.partnerName}</Link> : <span className="muted">None</span>;
              case "amount":
                return (
                  <span className="stack stack--xs">
                    <Money minor={row.amountMinor} currency={row.currency} />
                    {row.refundedMinor ? (
                      <span className="muted small">
                        <Money minor={row.refundedMinor} currency={row.currency} /> refunded
                      </span>
                    ) : null}
                  </span>
                );
              case "commission":
                return <Money minor={row.commissionMinor} currency={row.currency} />;
              case "occurred":
                return formatDateTime(row.occurredAt);
              default:
                return null;
            }
          }}
        />
        <Pagination page={page} pageCount={pageCount} labels={["← Newer", "Older →"]} />
      </Card>
      <p className="muted small">Test conversions are listed but never counted in reports or paid. Amounts are shown in the currency each order was sent in.</p>
    </>
  );
}
