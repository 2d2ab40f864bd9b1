import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { CLAIM_EDITOR_ROLES } from "~/domain/accounts/roles";
import { createClaim, listClaimCategories, listClaimOwners, todayIso } from "~/domain/claims/claims.server";
import { ClaimSchema } from "~/domain/claims/schemas.server";
import { actorOf, requireInternalUser } from "~/lib/guards.server";
import { redirectWithToast } from "~/lib/toast.server";
import { invalid, parseForm } from "~/lib/forms.server";
import { domainFailure } from "~/lib/domain-responses.server";
import { ClaimForm, claimFormValues } from "~/components/claim-form";
import { Card, PageHeader } from "~/components/ui";

export const meta: MetaFunction = () => [{ title: "New claim · Claims" }];

const SIX_MONTHS_MS = 183 * 24 * 60 * 60 * 1000;

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requireInternalUser(context, request, CLAIM_EDITOR_ROLES);
  const [owners, categories] = await Promise.all([listClaimOwners(context.app.db), listClaimCategories(context.app.db)]);
  return { owners, categories, me: user.id, reviewBy: todayIso(new Date(context.app.clock.now().getTime() + SIX_MONTHS_MS)) };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requireInternalUser(context, request, CLAIM_EDITOR_ROLES);
  const formData = await request.formData();
  const parsed = parseForm(formData, ClaimSchema);
  if (!parsed.ok) return invalid(parsed.failure);
  try {
    const { id } = await createClaim(context.app, { ...actorOf(user, context), id: user.id }, parsed.data);
    return redirectWithToast(context, `/admin/claims/${id}`, { kind: "success", message: "Draft saved. A legal reviewer approves it before partners see it." });
  } catch (error) {
    return domainFailure(error, formData, { context, request });
  }
}

export default function NewClaimRoute() {
  const { owners, categories, me, reviewBy } = useLoaderData<typeof loader>();
  const failure = useActionData<typeof action>();
  const pending = useNavigation().state === "submitting";
  const values = claimFormValues(failure, {
    text: "",
    disclaimers: "",
    category: "",
    channels: [],
    regions: [],
    substantiation: "",
    ownerId: me,
    reviewBy,
    expiresOn: "",
  });
  return (
    <>
      <PageHeader
        title="New claim"
        breadcrumbs={[{ to: "/admin/claims", label: "Claims" }]}
        description="It starts as a draft. Partners see it once a legal reviewer approves it."
      />
      <Card className="form-narrow">
        <ClaimForm values={values} failure={failure} owners={owners} categories={categories} submitLabel="Save draft" pending={pending} />
      </Card>
    </>
  );
}
