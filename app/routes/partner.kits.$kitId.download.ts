import { createReadableStreamFromReadable, type LoaderFunctionArgs } from "@remix-run/node";
import { idParam } from "~/lib/forms.server";
import { DomainError } from "~/domain/errors";
import { streamKit } from "~/domain/assets/kits.server";
import { attachmentDisposition } from "~/lib/serve-object.server";
import { actorOf, requirePartnerUser } from "~/lib/guards.server";

/** A kit as a ZIP, streamed while it is built. */
export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const user = await requirePartnerUser(context, request, "resource");
  const id = idParam(params, "kitId");
  try {
    const { name, stream } = await streamKit(context.app, { ...actorOf(user, context), id: user.id, partnerOrgId: user.partnerOrgId }, id);
    const filename = `${name.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-+|-+$/g, "") || "kit"}.zip`;
    return new Response(createReadableStreamFromReadable(stream), {
      headers: { "Content-Type": "application/zip", "Content-Disposition": attachmentDisposition(filename) },
    });
  } catch (error) {
    if (error instanceof DomainError && error.status === 404) throw new Response("Not found", { status: 404 });
    throw error;
  }
}
