import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { DomainError } from "~/domain/errors";
import { uploadLogo, removeLogo } from "~/domain/settings/logo.server";
import { getBranding } from "~/domain/settings/program.server";
import { actorOf, requireInternalUser } from "~/lib/guards.server";
import { domainFailure } from "~/lib/domain-responses.server";
import { redirectWithToast } from "~/lib/toast.server";
import { LogoForms } from "~/components/brand-settings";
import { Card, PageHeader } from "~/components/ui";

export const meta: MetaFunction = () => [{ title: "Logo · Settings" }];

/** The logo's own page: where an upload that was refused is answered, with the form again. */
export async function loader({ request, context }: LoaderFunctionArgs) {
  await requireInternalUser(context, request, ["admin"]);
  const branding = await getBranding(context.app.db);
  return { logo: branding.logo };
}

/** Uploads (multipart) or removes (intent=remove_logo) the program logo, then back to Settings. */
export async function action({ request, context }: ActionFunctionArgs) {
  const admin = await requireInternalUser(context, request, ["admin"]);
  const actor = actorOf(admin, context);
  const multipart = /^multipart\/form-data/i.test(request.headers.get("Content-Type") ?? "");
  try {
    if (multipart) {
      await uploadLogo(context.app, actor, request);
      return redirectWithToast(context, "/admin/settings", {
        kind: "success",
        message: "Logo saved. The header, sign-in page, emails and favicon now use it.",
      });
    }
    const intent = (await request.formData()).get("intent");
    if (intent !== "remove_logo") throw new DomainError("Choose a logo file to upload.", { field: "file" });
    await removeLogo(context.app, actor);
    return redirectWithToast(context, "/admin/settings", { kind: "success", message: "Logo removed." });
  } catch (error) {
    return domainFailure(error, null, { context, request });
  }
}

export default function LogoRoute() {
  const { logo } = useLoaderData<typeof loader>();
  const failure = useActionData<typeof action>() ?? null;
  return (
    <>
      <PageHeader
        title="Logo"
        breadcrumbs={[{ to: "/admin/settings", label: "Settings" }]}
        description="Shown in the header, on the sign-in page and in emails; the browser tab's icon is made from it."
      />
      <Card className="form-narrow">
        <LogoForms logo={logo} failure={failure} />
      </Card>
    </>
  );
}
