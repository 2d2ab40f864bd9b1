import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { API_DOCS_READER_ROLES, API_KEY_MANAGER_ROLES, hasRole } from "~/domain/accounts/roles";
import { API_PROBLEM_TYPES, apiReference } from "~/domain/api/openapi.server";
import { attributionModelLabel } from "~/domain/conversions/catalog";
import { getConversionSettings } from "~/domain/conversions/settings.server";
import { getBranding } from "~/domain/settings/program.server";
import { canonicalOrigin } from "~/domain/settings/site.server";
import { requireInternalUser } from "~/lib/guards.server";
import { ApiContents, ApiOperationSection } from "~/components/api-docs";
import { formatCount } from "~/components/link-parts";
import { ButtonLink, Card, DataTable, DownloadIcon, PageHeader } from "~/components/ui";

export const meta: MetaFunction = () => [{ title: "API" }];

const OPENAPI_PATH = "/api/v1/openapi.json";

/**
 * The API's reference for the people who wire the brand's systems to it
 * (issue 16 §7): read off the OpenAPI document the API serves, which is built
 * from the schemas its routes validate with, so the page cannot drift from
 * the API. Addresses are the program's canonical origin, never the request's.
 */
export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requireInternalUser(context, request, API_DOCS_READER_ROLES);
  const [origin, program, conversionSettings] = await Promise.all([
    canonicalOrigin(context.app),
    getBranding(context.app.db),
    getConversionSettings(context.app.db),
  ]);
  return {
    baseUrl: `${origin}/api/v1`,
    operations: apiReference(origin, program.name),
    problemTypes: API_PROBLEM_TYPES,
    rateLimitPerMinute: context.app.config.api.rateLimitPerMinute,
    attribution: { windowDays: conversionSettings.attributionWindowDays, model: attributionModelLabel(conversionSettings.attributionModel) },
    programCurrency: conversionSettings.programCurrency,
    canManageKeys: hasRole(user.role, API_KEY_MANAGER_ROLES),
  };
}

export default function AdminApiRoute() {
  const { baseUrl, operations, problemTypes, rateLimitPerMinute, attribution, programCurrency, canManageKeys } = useLoaderData<typeof loader>();
  return (
    <>
      <PageHeader
        title="API"
        description="How the brand's own systems talk to the program: the shop or billing system records conversions and refunds, dashboards read reports and tracking links. This page is generated from the API's own definitions."
        actions={
          <ButtonLink to={OPENAPI_PATH} reloadDocument download="openapi.json" variant="secondary" icon={<DownloadIcon />}>
            OpenAPI document
          </ButtonLink>
        }
      />
      <Card title="Contents">
        <ApiContents operations={operations} />
      </Card>
      <Card id="basics" title="Basics" description="What every endpoint has in common.">
        <dl className="detail-list">
          <dt>Base URL</dt>
          <dd>
            <code>{baseUrl}</code>
          </dd>
          <dt>Authentication</dt>
          <dd>
            Send an API key with every request: <code>Authorization: Bearer cb_live_…</code>. Each key has only the scopes it was given; a request outside them
            gets 403.{" "}
            {canManageKeys ? (
              <>
                Make and revoke keys under <Link to="/admin/api-keys">API keys</Link>.
              </>
            ) : (
              <>An admin makes keys under Admin → API keys.</>
            )}
          </dd>
          <dt>Rate limit</dt>
          <dd>
            {formatCount(rateLimitPerMinute)} requests a minute per key. Past it the answer is 429 with <code>Retry-After</code>, the seconds to wait.
          </dd>
          <dt>Amounts</dt>
          <dd>
            Whole numbers in the currency&apos;s minor units: <code>4999</code> is 49.99 US dollars, or 4,999 yen. Reports are in the program&apos;s currency (
            {programCurrency}); conversions sent in other currencies are listed apart, never converted.
          </dd>
          <dt>Times</dt>
          <dd>
            ISO 8601 with a time zone, such as <code>2026-11-30T14:05:00Z</code>. Report days are UTC dates, such as <code>2026-11-30</code>.
          </dd>
          <dt>Idempotency</dt>
          <dd>
            A conversion is recorded once per <code>orderId</code>, forever: sending it again (after a timeout, say) answers 200 with the first result, and the
            same order id with other values answers 409 naming each field that differs. A refund is applied once per <code>refundId</code> of its order, the
            same way.
          </dd>
          <dt>Attribution</dt>
          <dd>
            A conversion goes to the partner whose link was clicked when its <code>clickId</code> names a countable click within the attribution window (
            {attribution.windowDays} days, {attribution.model.toLowerCase()} model); test and bot clicks never count. Without one, a partner&apos;s{" "}
            <code>couponCode</code> attributes it (a click wins over another partner&apos;s coupon), and with neither it is kept, unattributed, for admins to
            see.
          </dd>
          <dt>Errors</dt>
          <dd>
            RFC 9457 problem documents (<code>application/problem+json</code>) with <code>type</code>, <code>title</code>, <code>status</code>,{" "}
            <code>detail</code> and, when fields are at fault, <code>errors</code> naming each one. Branch on <code>type</code>:
          </dd>
        </dl>
        <DataTable
          caption="Problem types"
          captionHidden
          className="api-problems"
          columns={[
            { key: "type", header: "Type", rowHeader: true },
            { key: "status", header: "Status" },
            { key: "title", header: "Title" },
          ]}
          rows={problemTypes}
          getRowKey={(problem) => problem.type}
          renderCell={(problem, key) => (key === "type" ? <code>{problem.type}</code> : key === "status" ? problem.status : problem.title)}
        />
        <p className="small">
          The whole contract as an OpenAPI 3.1 document, for code generators and API tools:{" "}
          <a href={OPENAPI_PATH} download="openapi.json">
            openapi.json
          </a>
          .
        </p>
      </Card>
      {operations.map((operation) => (
        <ApiOperationSection key={operation.id} operation={operation} />
      ))}
    </>
  );
}
