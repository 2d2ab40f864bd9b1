import { createReadableStreamFromReadable, type LoaderFunctionArgs } from "@remix-run/node";
import { domainErrorResponse } from "~/lib/domain-responses.server";
import { idParam } from "~/lib/forms.server";
import { streamKit } from "~/domain/assets/kits.server";
import { attachmentDisposition } from "~/lib/serve-object.server";
import { actorOf, requirePartnerUser } from "~/lib/guards.server";
import { isPrefetch } from "~/lib/prefetch.server";
import { slugify } from "~/lib/slug";

/** A kit as a ZIP, streamed while it is built; a browser's prefetch is served but not logged. */
export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const user = await requirePartnerUser(context, request, "resource");
  const id = idParam(params, "kitId");
  try {
    const actor = { ...actorOf(user, context), id: user.id, partnerOrgId: user.partnerOrgId };
    const { name, stream } = await streamKit(context.app, actor, id, { record: !isPrefetch(request) });
    const filename = `${slugify(name, { maxLength: 60, fallback: "kit" })}.zip`;
    return new Response(createReadableStreamFromReadable(stream), {
      headers: { "Content-Type": "application/zip", "Content-Disposition": attachmentDisposition(filename) },
    });
  } catch (error) {
    throw await domainErrorResponse(error, { context, request });
  }
}
