import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { labelOf } from "~/domain/applications/catalog";
import { LINK_LIMITS } from "~/domain/links/catalog";
import { createEvergreenLink, evergreenOptions } from "~/domain/links/links.server";
import { EvergreenLinkSchema } from "~/domain/links/schemas.server";
import { tierLabel } from "~/domain/partners/catalog";
import { domainFailure } from "~/lib/domain-responses.server";
import { invalid, parseForm } from "~/lib/forms.server";
import { partnerActorOf, requirePartnerUser } from "~/lib/guards.server";
import { redirectWithToast } from "~/lib/toast.server";
import { formatCount } from "~/components/link-parts";
import { Alert, Button, Card, Field, FormError, PageHeader, SelectField } from "~/components/ui";

export const meta: MetaFunction = () => [{ title: "New evergreen link · Links" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requirePartnerUser(context, request);
  const options = await evergreenOptions(context.app.db, user.partnerOrgId);
  return { ...options, tierLabel: tierLabel(options.tier) };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requirePartnerUser(context, request);
  const formData = await request.formData();
  const parsed = parseForm(formData, EvergreenLinkSchema);
  if (!parsed.ok) return invalid(parsed.failure);
  try {
    const link = await createEvergreenLink(context.app, partnerActorOf(user, context), parsed.data);
    return redirectWithToast(context, `/partner/links/${link.id}`, {
      kind: "success",
      title: "Link made",
      message: "Copy it or download its QR code below, and send a test click to see where it goes.",
    });
  } catch (error) {
    return domainFailure(error, formData, { context, request });
  }
}

export default function NewEvergreenLinkRoute() {
  const { channels, allowedDomains, limit, used, refusal, tierLabel } = useLoaderData<typeof loader>();
  const failure = useActionData<typeof action>();
  const saving = useNavigation().state === "submitting";
  const values = failure?.values ?? {};
  const full = used >= limit;
  return (
    <>
      <PageHeader
        title="New evergreen link"
        breadcrumbs={[{ to: "/partner/links", label: "Links" }]}
        description={
          <>
            A link to one of the brand&rsquo;s pages that is not tied to a creative: for your bio, a newsletter footer or a resources page. It carries your
            partner code like every link (<Link to="/partner/links/help">how links work</Link>).
          </>
        }
      />
      {refusal ? (
        <Alert tone="warning" title="No new links for now" live={false}>
          {refusal}
        </Alert>
      ) : full ? (
        <Alert tone="warning" title="All your evergreen links are made" live={false}>
          Your {tierLabel} tier allows {formatCount(limit)} evergreen {limit === 1 ? "link" : "links"} and you have made {formatCount(used)}. Disabled links
          count too; the program team can raise the limit.
        </Alert>
      ) : null}
      <Card
        title="Your link"
        description={
          <>
            {formatCount(used)} of {formatCount(limit)} evergreen links used ({tierLabel} tier).
          </>
        }
      >
        <Form method="post" className="stack form-narrow" noValidate aria-label="New evergreen link">
          {failure?.formError ? <FormError>{failure.formError}</FormError> : null}
          <Field
            label="Name"
            name="label"
            required
            description="For you: it names the link in your list and in utm_content."
            defaultValue={values["label"]}
            error={failure?.errors["label"]}
            inputProps={{ maxLength: LINK_LIMITS.labelMax }}
          />
          <Field
            label="Destination"
            name="destinationUrl"
            type="url"
            required
            description={
              allowedDomains.length ? (
                <>A full https:// address on {allowedDomains.join(", ")} (or a subdomain). Visitors land there with your partner code added.</>
              ) : (
                "The brand has not allowed any destination domain yet, so no link can be made."
              )
            }
            placeholder={allowedDomains[0] ? `https://${allowedDomains[0]}/` : undefined}
            defaultValue={values["destinationUrl"]}
            error={failure?.errors["destinationUrl"]}
            inputProps={{ maxLength: LINK_LIMITS.urlMax, inputMode: "url" }}
          />
          <SelectField
            label="Channel"
            name="channel"
            required
            description="Where you will share it: it becomes utm_medium."
            placeholder="Choose a channel"
            options={channels.map((channel) => ({ value: channel, label: labelOf(channel) }))}
            defaultValue={values["channel"]}
            error={failure?.errors["channel"]}
          />
          <div>
            <Button type="submit" variant="primary" pending={saving} pendingText="Making the link…" disabled={Boolean(refusal) || full}>
              Make the link
            </Button>
          </div>
        </Form>
      </Card>
    </>
  );
}
