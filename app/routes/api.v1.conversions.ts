import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { ConversionInput } from "~/domain/conversions/api-schemas.server";
import { recordConversion } from "~/domain/conversions/conversions.server";
import { apiJson, methodNotAllowed, parseApiInput, readJsonBody, withApiErrors } from "~/lib/api.server";
import { requireApiKey } from "~/lib/guards.server";

/**
 * `POST /api/v1/conversions` (scope conversions:write): records a conversion
 * once per order id. 201 with the result when it is new; 200 with the first
 * result when the same request comes again; 409 naming the fields when the
 * order id came before with other values. Described in the OpenAPI document
 * (app/domain/api/openapi.server.ts).
 */
export function action({ request, context }: ActionFunctionArgs) {
  return withApiErrors({ request, context }, async () => {
    if (request.method !== "POST") return methodNotAllowed(["POST"]);
    const key = await requireApiKey(request, context, "conversions:write");
    const input = parseApiInput(ConversionInput, await readJsonBody(request));
    const { outcome, conversion } = await recordConversion(context.app, { input, apiKeyId: key.keyId, flushClicks: context.app.flushClicks });
    return apiJson(conversion, { status: outcome === "created" ? 201 : 200 });
  });
}

export function loader({ request, context }: LoaderFunctionArgs) {
  return withApiErrors({ request, context }, async () => methodNotAllowed(["POST"]));
}
