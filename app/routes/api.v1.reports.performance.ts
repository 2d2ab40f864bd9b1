import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { performanceReportForApi } from "~/domain/conversions/report-api.server";
import { PerformanceQuery } from "~/domain/conversions/report-schemas.server";
import { apiJson, methodNotAllowed, parseApiInput, queryOf, withApiErrors } from "~/lib/api.server";
import { requireApiKey } from "~/lib/guards.server";

/**
 * `GET /api/v1/reports/performance` (scope reports:read): clicks,
 * conversions, revenue and commission per partner, link or day over a range
 * of at most 366 days, from the rollups. `?from=&to=&groupBy=&partnerId=`,
 * paged with `?limit=&cursor=` like every list of the API. Described in the
 * OpenAPI document (app/domain/api/openapi.server.ts).
 */
export function loader({ request, context }: LoaderFunctionArgs) {
  return withApiErrors({ request, context }, async () => {
    await requireApiKey(request, context, "reports:read");
    const query = parseApiInput(PerformanceQuery, queryOf(request));
    return apiJson(await performanceReportForApi(context.app, query));
  });
}

export function action({ request, context }: ActionFunctionArgs) {
  return withApiErrors({ request, context }, async () => methodNotAllowed(["GET"]));
}
