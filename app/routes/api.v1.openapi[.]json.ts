import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { openApiDocument } from "~/domain/api/openapi.server";
import { getBranding } from "~/domain/settings/program.server";
import { canonicalOrigin } from "~/domain/settings/site.server";
import { apiJson, methodNotAllowed, withApiErrors } from "~/lib/api.server";

/**
 * `GET /api/v1/openapi.json`: the API's OpenAPI 3.1 document, public like
 * any API reference (it holds the contract, no program data beyond its name).
 */
export function loader({ request, context }: LoaderFunctionArgs) {
  return withApiErrors({ request, context }, async () => {
    const [origin, program] = await Promise.all([canonicalOrigin(context.app), getBranding(context.app.db)]);
    return apiJson(openApiDocument(origin, program.name));
  });
}

export function action({ request, context }: ActionFunctionArgs) {
  return withApiErrors({ request, context }, async () => methodNotAllowed(["GET"]));
}
