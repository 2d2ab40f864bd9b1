import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { RefundInput } from "~/domain/conversions/api-schemas.server";
import { recordRefund } from "~/domain/conversions/conversions.server";
import { apiJson, methodNotAllowed, parseApiInput, readJsonBody, withApiErrors } from "~/lib/api.server";
import { requireApiKey } from "~/lib/guards.server";

/**
 * `POST /api/v1/conversions/{orderId}/refunds` (scope conversions:write):
 * refunds part or all of a conversion, once per refund id. 201 when new, 200
 * with the first result on a repeat, 404 for an unknown order id, 409 for more
 * than is left or a refund id reused with other values.
 */
export function action({ request, context, params }: ActionFunctionArgs) {
  return withApiErrors({ request, context }, async () => {
    if (request.method !== "POST") return methodNotAllowed(["POST"]);
    const key = await requireApiKey(request, context, "conversions:write");
    const input = parseApiInput(RefundInput, await readJsonBody(request));
    const { outcome, refund, conversion } = await recordRefund(context.app, { orderId: params.orderId ?? "", input, apiKeyId: key.keyId });
    return apiJson({ refund, conversion }, { status: outcome === "created" ? 201 : 200 });
  });
}

export function loader({ request, context }: LoaderFunctionArgs) {
  return withApiErrors({ request, context }, async () => methodNotAllowed(["POST"]));
}
