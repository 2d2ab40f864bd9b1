import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { labelOf, CHANNELS, REGIONS } from "~/domain/applications/catalog";
import { creativeEditorOptions } from "~/domain/creatives/queries.server";
import { CreativeDraftSchema } from "~/domain/creatives/schemas.server";
import { createCreativeDraft } from "~/domain/creatives/submissions.server";
import { domainFailure } from "~/lib/domain-responses.server";
import { invalid, parseForm } from "~/lib/forms.server";
import { partnerActorOf, requirePartnerUser } from "~/lib/guards.server";
import { redirectWithToast } from "~/lib/toast.server";
import { CreativeForm, EMPTY_CREATIVE, valuesFrom } from "~/components/creative-form";
import { Button, PageHeader } from "~/components/ui";

export const meta: MetaFunction = () => [{ title: "New creative" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requirePartnerUser(context, request);
  return creativeEditorOptions(context.app, user.partnerOrgId);
}

export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requirePartnerUser(context, request);
  const formData = await request.formData();
  const parsed = parseForm(formData, CreativeDraftSchema);
  if (!parsed.ok) return invalid(parsed.failure);
  try {
    const { id } = await createCreativeDraft(context.app, partnerActorOf(user, context), parsed.data);
    return redirectWithToast(context, `/partner/creatives/${id}`, {
      kind: "success",
      title: "Draft saved",
      message: "Add the files next, then submit it for review when the pre-screen has nothing left to fix.",
    });
  } catch (error) {
    return domainFailure(error, formData, { context, request });
  }
}

export default function NewCreativeRoute() {
  const { channels, claims } = useLoaderData<typeof loader>();
  const failure = useActionData<typeof action>();
  const saving = useNavigation().state === "submitting";
  const labels = Object.fromEntries([...CHANNELS, ...REGIONS].map((o) => [o.value, labelOf(o.value)]));
  return (
    <>
      <PageHeader
        title="New creative"
        breadcrumbs={[{ to: "/partner/creatives", label: "Creatives" }]}
        description="Write it here; it saves as a draft. You add files and submit on the next page."
      />
      <CreativeForm
        values={failure ? valuesFrom(failure.values, EMPTY_CREATIVE) : EMPTY_CREATIVE}
        errors={failure?.errors ?? {}}
        formError={failure?.formError ?? null}
        channels={channels}
        claims={claims}
        labelOf={labels}
        checkUrl="/partner/creatives/prescreen"
        creativeId={null}
        initialCheck={null}
        actions={
          <Button type="submit" name="intent" value="save" variant="primary" disabled={saving}>
            {saving ? "Saving…" : "Save draft"}
          </Button>
        }
      />
    </>
  );
}
