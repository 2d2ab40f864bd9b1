import type { LoaderFunctionArgs } from "@remix-run/node";
import { qrCodeOfLink } from "~/domain/links/partner-links.server";
import { mapDomainErrors } from "~/lib/domain-responses.server";
import { idParam } from "~/lib/forms.server";
import { requirePartnerUser } from "~/lib/guards.server";
import { qrCodeResponse } from "~/lib/qr.server";

/** The QR code of one of the organisation's links, as PNG to download; another organisation's link is 404. */
export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const user = await requirePartnerUser(context, request, "resource");
  const qr = await mapDomainErrors(qrCodeOfLink(context.app, user.partnerOrgId, idParam(params, "linkId"), "png"), { context, request });
  return qrCodeResponse(qr.text, "png", qr.filename);
}
