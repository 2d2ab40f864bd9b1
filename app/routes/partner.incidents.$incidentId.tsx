import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { INCIDENT_KIND_LABELS, INCIDENT_LIMITS } from "~/domain/incidents/catalog";
import { partnerReply } from "~/domain/incidents/incidents.server";
import { incidentForPartner } from "~/domain/incidents/queries.server";
import { PartnerReplySchema } from "~/domain/incidents/schemas.server";
import { canonicalOrigin } from "~/domain/settings/site.server";
import { domainFailure, mapDomainErrors } from "~/lib/domain-responses.server";
import { idParam, invalid, parseForm } from "~/lib/forms.server";
import { partnerActorOf, requirePartnerUser } from "~/lib/guards.server";
import { redirectWithToast } from "~/lib/toast.server";
import { formatDateTime } from "~/components/format";
import { IncidentStatusBadge, IncidentTimeline } from "~/components/incident-parts";
import { Alert, Button, Card, FormError, PageHeader, TextareaField } from "~/components/ui";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data ? `${data.incident.reference} ${data.incident.title} · Incidents` : "Incident" }];

/**
 * One incident shared with the partner's organisation: its description, the
 * timeline entries meant for them (never the brand's internal notes), and a
 * reply form. Another organisation's incident, or one not shared, is a 404.
 */
export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const user = await requirePartnerUser(context, request);
  return mapDomainErrors(incidentForPartner(context.app.db, user.partnerOrgId, idParam(params, "incidentId")), { context, request });
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const user = await requirePartnerUser(context, request);
  const incidentId = idParam(params, "incidentId");
  // Not theirs or not shared: the same 404 as the page, before the form is read.
  await mapDomainErrors(incidentForPartner(context.app.db, user.partnerOrgId, incidentId), { context, request });
  const formData = await request.formData();
  const parsed = parseForm(formData, PartnerReplySchema);
  if (!parsed.ok) return invalid(parsed.failure);
  try {
    await partnerReply(context.app, partnerActorOf(user, context), incidentId, parsed.data, await canonicalOrigin(context.app));
  } catch (error) {
    return domainFailure(error, formData, { context, request });
  }
  return redirectWithToast(context, `/partner/incidents/${incidentId}#timeline`, { kind: "success", message: "Reply sent. The program was told." });
}

export default function PartnerIncidentRoute() {
  const { incident, timeline } = useLoaderData<typeof loader>();
  const failure = useActionData<typeof action>();
  const pending = useNavigation().state === "submitting";
  const resolved = incident.status === "resolved";
  return (
    <>
      <PageHeader
        title={incident.title}
        breadcrumbs={[{ to: "/partner/incidents", label: "Incidents" }]}
        meta={<IncidentStatusBadge status={incident.status} />}
        description={
          <>
            <span className="reference">{incident.reference}</span> · {INCIDENT_KIND_LABELS[incident.kind]} · opened{" "}
            {formatDateTime(new Date(incident.openedAt))}
          </>
        }
      />
      {resolved && incident.resolvedAt ? (
        <Alert tone="success" live={false} title={`Resolved on ${formatDateTime(new Date(incident.resolvedAt))}`}>
          {incident.resolutionNote ? <p className="prose-block">{incident.resolutionNote}</p> : null}
        </Alert>
      ) : null}
      <Card title="What happened">
        <p className="prose-block">{incident.description}</p>
      </Card>
      <Card title="Timeline" id="timeline" description="Oldest first.">
        <div className="stack">
          <IncidentTimeline entries={timeline} audience="partner" />
          {resolved ? (
            <p className="muted">Resolved: replies are closed. If there is more to say, ask your contact at the program to reopen it.</p>
          ) : (
            <Form method="post" className="stack stack--sm" noValidate aria-label="Reply">
              <FormError>{failure?.formError}</FormError>
              <TextareaField
                label="Your reply"
                name="body"
                required
                rows={4}
                description="The person handling the incident is emailed."
                defaultValue={failure?.values.body}
                error={failure?.errors.body}
                textareaProps={{ maxLength: INCIDENT_LIMITS.noteMax }}
              />
              <div>
                <Button type="submit" pending={pending} pendingText="Sending…">
                  Send reply
                </Button>
              </div>
            </Form>
          )}
        </div>
      </Card>
    </>
  );
}
