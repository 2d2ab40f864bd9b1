import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { ApiPageQuery } from "~/domain/api-pages.server";
import { linksForApi } from "~/domain/links/api.server";
import { apiJson, methodNotAllowed, parseApiInput, queryOf, withApiErrors } from "~/lib/api.server";
import { requireApiKey } from "~/lib/guards.server";

/**
 * `GET /api/v1/links` (scope links:read): every partner's tracking links,
 * newest first, `?limit=` (at most 100) and `?cursor=` (the previous page's
 * nextCursor). Answers `{ data: [...], nextCursor }`.
 */
export function loader({ request, context }: LoaderFunctionArgs) {
  return withApiErrors({ request, context }, async () => {
    await requireApiKey(request, context, "links:read");
    const page = parseApiInput(ApiPageQuery, queryOf(request));
    return apiJson(await linksForApi(context.app, page));
  });
}

export function action({ request, context }: ActionFunctionArgs) {
  return withApiErrors({ request, context }, async () => methodNotAllowed(["GET"]));
}
