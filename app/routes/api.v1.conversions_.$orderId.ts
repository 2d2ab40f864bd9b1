import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { conversionByOrderId } from "~/domain/conversions/conversions.server";
import { NotFoundError } from "~/domain/errors";
import { apiJson, methodNotAllowed, withApiErrors } from "~/lib/api.server";
import { requireApiKey } from "~/lib/guards.server";

/**
 * `GET /api/v1/conversions/{orderId}` (scope reports:read): a conversion as
 * it stands now (with its refunds' totals), how it was attributed and what
 * the partner earns.
 */
export function loader({ request, context, params }: LoaderFunctionArgs) {
  return withApiErrors({ request, context }, async () => {
    await requireApiKey(request, context, "reports:read");
    const conversion = await conversionByOrderId(context.app.db, params.orderId ?? "");
    if (!conversion) throw new NotFoundError("No conversion has that order id.");
    return apiJson(conversion);
  });
}

export function action({ request, context }: ActionFunctionArgs) {
  return withApiErrors({ request, context }, async () => methodNotAllowed(["GET"]));
}
