import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { INCIDENT_MANAGER_ROLES } from "~/domain/accounts/roles";
import { INCIDENT_KIND_LABELS, INCIDENT_LIMITS, INCIDENT_OBJECT_LABELS, INCIDENT_SEVERITY_LABELS } from "~/domain/incidents/catalog";
import { openIncident } from "~/domain/incidents/incidents.server";
import { describeObject } from "~/domain/incidents/objects.server";
import { ownerChoices, partnerChoices } from "~/domain/incidents/queries.server";
import { NewIncidentPrefillSchema, NewIncidentSchema } from "~/domain/incidents/schemas.server";
import { domainFailure } from "~/lib/domain-responses.server";
import { invalid, parseForm } from "~/lib/forms.server";
import { actorOf, requireInternalUser } from "~/lib/guards.server";
import { redirectWithToast } from "~/lib/toast.server";
import { Button, Card, Field, FormError, PageHeader, SelectField, TextareaField } from "~/components/ui";

export const meta: MetaFunction = () => [{ title: "Open incident · Incidents" }];

/**
 * The new-incident form. Opened from a partner's page it names the partner;
 * from a creative or a link it names the object too (the partner is then the
 * object's, fixed). The address only prefills: the action checks it all again.
 */
export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requireInternalUser(context, request, INCIDENT_MANAGER_ROLES);
  const db = context.app.db;
  const prefill = NewIncidentPrefillSchema.parse(Object.fromEntries(new URL(request.url).searchParams));
  const object = prefill.objectKind && prefill.objectId ? await describeObject(db, prefill.objectKind, prefill.objectId) : null;
  const [partners, owners] = await Promise.all([partnerChoices(db), ownerChoices(db)]);
  const partnerId = object?.organisationId ?? prefill.partner ?? "";
  return {
    partners,
    owners,
    me: user.id,
    partnerId: partners.some((p) => p.id === partnerId) ? partnerId : "",
    object: object?.organisationId ? { kind: object.kind, id: object.id, label: object.label, path: object.path } : null,
  };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requireInternalUser(context, request, INCIDENT_MANAGER_ROLES);
  const formData = await request.formData();
  const parsed = parseForm(formData, NewIncidentSchema);
  if (!parsed.ok) return invalid(parsed.failure);
  let opened: { id: string; reference: string };
  try {
    opened = await openIncident(context.app, { ...actorOf(user, context), id: user.id }, parsed.data);
  } catch (error) {
    return domainFailure(error, formData, { context, request });
  }
  return redirectWithToast(context, `/admin/incidents/${opened.id}`, {
    kind: "success",
    message: `Incident ${opened.reference} opened. Only the brand team sees it until you share it with the partner.`,
  });
}

const options = (labels: Record<string, string>) => Object.entries(labels).map(([value, label]) => ({ value, label }));

export default function NewIncidentRoute() {
  const { partners, owners, me, partnerId, object } = useLoaderData<typeof loader>();
  const failure = useActionData<typeof action>();
  const pending = useNavigation().state === "submitting";
  const values = failure?.values ?? {};
  const errors = failure?.errors ?? {};
  const partnerName = partners.find((p) => p.id === partnerId)?.name;
  return (
    <>
      <PageHeader
        title="Open incident"
        breadcrumbs={[{ to: "/admin/incidents", label: "Incidents" }]}
        description="Only the brand team sees it until you share it with the partner from its page."
      />
      <Card className="form-narrow">
        <Form method="post" className="stack" noValidate aria-label="Open incident">
          <FormError>{failure?.formError}</FormError>
          {object ? (
            <>
              <input type="hidden" name="organisationId" value={partnerId} />
              <input type="hidden" name="objectKind" value={object.kind} />
              <input type="hidden" name="objectId" value={object.id} />
              <dl className="detail-list">
                <dt>Partner</dt>
                <dd>{partnerName}</dd>
                <dt>About</dt>
                <dd>
                  {INCIDENT_OBJECT_LABELS[object.kind]}: <Link to={object.path}>{object.label}</Link>
                </dd>
              </dl>
              {errors.objectId ? <FormError>{errors.objectId.join(" ")}</FormError> : null}
            </>
          ) : (
            <SelectField
              label="Partner"
              name="organisationId"
              required
              placeholder="Choose a partner"
              options={partners.map((p) => ({ value: p.id, label: p.name }))}
              defaultValue={values.organisationId ?? partnerId}
              error={errors.organisationId}
            />
          )}
          <Field
            label="Title"
            name="title"
            required
            description="A short line people recognise it by."
            defaultValue={values.title}
            error={errors.title}
            inputProps={{ maxLength: INCIDENT_LIMITS.titleMax }}
          />
          <SelectField
            label="Kind"
            name="kind"
            required
            placeholder="Choose a kind"
            options={options(INCIDENT_KIND_LABELS)}
            defaultValue={values.kind}
            error={errors.kind}
          />
          <SelectField
            label="Severity"
            name="severity"
            required
            options={options(INCIDENT_SEVERITY_LABELS)}
            defaultValue={values.severity ?? "medium"}
            error={errors.severity}
          />
          <TextareaField
            label="Description"
            name="description"
            required
            description="What happened and where. The partner reads it if you share the incident with them."
            defaultValue={values.description}
            error={errors.description}
            textareaProps={{ maxLength: INCIDENT_LIMITS.descriptionMax }}
          />
          <SelectField
            label="Owner"
            name="ownerId"
            description="Who handles it; the partner's replies are emailed to them."
            options={[{ value: "", label: "Nobody yet" }, ...owners.map((o) => ({ value: o.id, label: o.id === me ? `${o.name} (you)` : o.name }))]}
            defaultValue={values.ownerId ?? me}
            error={errors.ownerId}
          />
          <div>
            <Button type="submit" pending={pending} pendingText="Opening…">
              Open incident
            </Button>
          </div>
        </Form>
      </Card>
    </>
  );
}
