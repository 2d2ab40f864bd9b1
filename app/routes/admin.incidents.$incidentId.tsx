import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { hasRole, INCIDENT_MANAGER_ROLES, INCIDENT_READER_ROLES } from "~/domain/accounts/roles";
import {
  INCIDENT_KIND_LABELS,
  INCIDENT_LIMITS,
  INCIDENT_OBJECT_KINDS,
  INCIDENT_OBJECT_LABELS,
  INCIDENT_SEVERITY_LABELS,
  INCIDENT_STATUS_LABELS,
  type IncidentStatus,
} from "~/domain/incidents/catalog";
import { addNote, assignOwner, changeSeverity, changeStatus, linkObject, shareWithPartner, unshareWithPartner } from "~/domain/incidents/incidents.server";
import { objectChoices } from "~/domain/incidents/objects.server";
import { incidentDetail, ownerChoices } from "~/domain/incidents/queries.server";
import { IncidentActionSchema, linkTarget } from "~/domain/incidents/schemas.server";
import { partnerStatusLabel } from "~/domain/partners/catalog";
import { canonicalOrigin } from "~/domain/settings/site.server";
import { domainFailure, mapDomainErrors } from "~/lib/domain-responses.server";
import { idParam, invalid, parseForm, type FormFailure } from "~/lib/forms.server";
import { actorOf, requireInternalUser } from "~/lib/guards.server";
import { redirectWithToast } from "~/lib/toast.server";
import { formatDateTime } from "~/components/format";
import { IncidentSeverityBadge, IncidentStatusBadge, IncidentTimeline } from "~/components/incident-parts";
import { Alert, Badge, Button, Card, Field, FormError, PageHeader, RadioGroupField, SelectField, TextareaField } from "~/components/ui";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data ? `${data.incident.reference} ${data.incident.title} · Incidents` : "Incident" }];

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const user = await requireInternalUser(context, request, INCIDENT_READER_ROLES);
  const db = context.app.db;
  const detail = await mapDomainErrors(incidentDetail(db, idParam(params, "incidentId")), { context, request });
  const canManage = hasRole(user.role, INCIDENT_MANAGER_ROLES);
  const [owners, choices] = canManage ? await Promise.all([ownerChoices(db), objectChoices(db, detail.incident.organisationId)]) : [[], null];
  const linked = new Set(detail.objects.map((o) => `${o.kind}:${o.id}`));
  return {
    ...detail,
    owners,
    // What may still be linked: the partner's objects not linked yet.
    choices: choices
      ? INCIDENT_OBJECT_KINDS.map((kind) => ({
          label: INCIDENT_OBJECT_LABELS[kind],
          options: choices[kind].filter((c) => !linked.has(`${kind}:${c.id}`)).map((c) => ({ value: `${kind}:${c.id}`, label: c.label })),
        })).filter((group) => group.options.length > 0)
      : [],
    canManage,
  };
}

const TOASTS = {
  note: "Note added.",
  status: "Status changed.",
  owner: "Owner changed.",
  severity: "Severity changed.",
  unshare: "The partner no longer sees this incident.",
} as const;

export async function action({ request, params, context }: ActionFunctionArgs) {
  // Analysts read incidents; working them is the managers'.
  const user = await requireInternalUser(context, request, INCIDENT_MANAGER_ROLES);
  const incidentId = idParam(params, "incidentId");
  const formData = await request.formData();
  const parsed = parseForm(formData, IncidentActionSchema);
  if (!parsed.ok) return invalid(parsed.failure);
  const input = parsed.data;
  const actor = { ...actorOf(user, context), id: user.id };
  let message: string;
  try {
    switch (input.intent) {
      case "note":
        await addNote(context.app, actor, incidentId, input);
        message = input.visibility === "partner" ? "Note added. The partner reads it while the incident is shared with them." : TOASTS.note;
        break;
      case "status":
        await changeStatus(context.app, actor, incidentId, input);
        message = input.status === "resolved" ? "Incident resolved." : TOASTS.status;
        break;
      case "owner":
        await assignOwner(context.app, actor, incidentId, input);
        message = TOASTS.owner;
        break;
      case "severity":
        await changeSeverity(context.app, actor, incidentId, input);
        message = TOASTS.severity;
        break;
      case "share": {
        const { notified } = await shareWithPartner(context.app, actor, incidentId, await canonicalOrigin(context.app));
        message = `Shared with the partner.${notified ? ` ${notified} owner${notified === 1 ? " was" : "s were"} emailed.` : ""}`;
        break;
      }
      case "unshare":
        await unshareWithPartner(context.app, actor, incidentId);
        message = TOASTS.unshare;
        break;
      case "link": {
        const { label } = await linkObject(context.app, actor, incidentId, linkTarget(input));
        message = `Linked: ${label}.`;
        break;
      }
    }
  } catch (error) {
    return domainFailure(error, formData, { context, request });
  }
  return redirectWithToast(context, `/admin/incidents/${incidentId}`, { kind: "success", message });
}

const SEVERITY_OPTIONS = Object.entries(INCIDENT_SEVERITY_LABELS).map(([value, label]) => ({ value, label }));

/** The failure of the form that sent `intent`, or null: each form shows only its own errors. */
function useFailure(intent: string): FormFailure | null {
  const data = useActionData<typeof action>();
  return data && data.values.intent === intent ? data : null;
}

export default function AdminIncidentRoute() {
  const { incident, objects, timeline, canManage } = useLoaderData<typeof loader>();
  return (
    <>
      <PageHeader
        title={incident.title}
        breadcrumbs={[{ to: "/admin/incidents", label: "Incidents" }]}
        meta={
          <span className="cluster cluster--sm">
            <IncidentStatusBadge status={incident.status} />
            <IncidentSeverityBadge severity={incident.severity} />
            {incident.sharedWithPartner ? <Badge tone="info">Shared with the partner</Badge> : <Badge>Internal</Badge>}
          </span>
        }
        description={
          <>
            <span className="reference">{incident.reference}</span> · {INCIDENT_KIND_LABELS[incident.kind]} ·{" "}
            <Link to={`/admin/partners/${incident.organisationId}`}>{incident.organisationName}</Link>
            {incident.organisationStatus !== "active" ? ` (${partnerStatusLabel(incident.organisationStatus).toLowerCase()})` : ""}
          </>
        }
      />
      {incident.status === "resolved" && incident.resolvedAt ? (
        <Alert tone="success" live={false} title={`Resolved on ${formatDateTime(new Date(incident.resolvedAt))}`}>
          {incident.resolutionNote ? <p className="prose-block">{incident.resolutionNote}</p> : null}
        </Alert>
      ) : null}
      <div className="review-layout">
        <div className="stack stack--lg">
          <Card title="Description">
            <p className="prose-block">{incident.description}</p>
            <p className="muted small">
              Opened {formatDateTime(new Date(incident.openedAt))}
              {incident.source === "kill_switch" ? " by the kill switch" : ""}
              {incident.openedByName ? ` (${incident.openedByName})` : ""}.
            </p>
          </Card>
          <Card
            title="Timeline"
            id="timeline"
            description="Oldest first. Internal entries are the brand team's; the partner reads the others once the incident is shared."
          >
            <div className="stack">
              <IncidentTimeline entries={timeline} audience="brand" />
              {canManage ? <NoteForm /> : null}
            </div>
          </Card>
        </div>
        <aside className="stack stack--lg" aria-label="Status, owner and linked objects">
          {canManage ? <StatusCard /> : null}
          <Card title="Details">
            <dl className="detail-list">
              <dt>Owner</dt>
              <dd>{incident.ownerName ?? <span className="muted">Nobody</span>}</dd>
              <dt>Severity</dt>
              <dd>{INCIDENT_SEVERITY_LABELS[incident.severity]}</dd>
              <dt>Partner</dt>
              <dd>{incident.sharedWithPartner ? "Sees this incident" : "Does not see this incident"}</dd>
            </dl>
            {canManage ? <DetailForms /> : null}
          </Card>
          {canManage ? <SharingCard /> : null}
          <Card title="Linked objects" id="objects" description="What the incident is about.">
            <div className="stack">
              {objects.length ? (
                <ul className="stack stack--xs" aria-label="Linked objects">
                  {objects.map((o) => (
                    <li key={`${o.kind}:${o.id}`}>
                      <span className="muted small">{INCIDENT_OBJECT_LABELS[o.kind]}:</span> <Link to={o.path}>{o.label}</Link>
                    </li>
                  ))}
                </ul>
              ) : (
                <p className="muted">Nothing linked yet.</p>
              )}
              {canManage ? <LinkForms /> : null}
            </div>
          </Card>
        </aside>
      </div>
    </>
  );
}

function Submit({ children, variant }: { children: React.ReactNode; variant?: "primary" | "secondary" | "danger" }) {
  const pending = useNavigation().state === "submitting";
  return (
    <div>
      <Button type="submit" size="sm" variant={variant ?? "secondary"} disabled={pending}>
        {children}
      </Button>
    </div>
  );
}

function NoteForm() {
  const { incident } = useLoaderData<typeof loader>();
  const failure = useFailure("note");
  return (
    <Form method="post" className="stack stack--sm" noValidate aria-label="Add a note">
      <input type="hidden" name="intent" value="note" />
      <FormError>{failure?.formError}</FormError>
      <TextareaField
        label="Note"
        name="body"
        required
        rows={3}
        defaultValue={failure?.values.body}
        error={failure?.errors.body}
        textareaProps={{ maxLength: INCIDENT_LIMITS.noteMax }}
      />
      <RadioGroupField
        legend="Who reads it"
        name="visibility"
        defaultValue={failure?.values.visibility ?? "internal"}
        error={failure?.errors.visibility}
        options={[
          { value: "internal", label: "Internal: the brand team only" },
          {
            value: "partner",
            label: incident.sharedWithPartner ? "Shared with the partner too" : "Shared with the partner too (once you share the incident)",
          },
        ]}
      />
      <Submit variant="primary">Add note</Submit>
    </Form>
  );
}

function StatusCard() {
  const { incident } = useLoaderData<typeof loader>();
  const failure = useFailure("status");
  // The usual next step first: open → investigating → resolved; a resolved one can only be reopened.
  const next: IncidentStatus[] = incident.status === "resolved" ? ["open"] : incident.status === "open" ? ["investigating", "resolved"] : ["resolved", "open"];
  return (
    <Card title="Status">
      <Form method="post" className="stack stack--sm" noValidate aria-label="Change the status">
        <input type="hidden" name="intent" value="status" />
        <FormError>{failure?.formError}</FormError>
        <SelectField
          label="New status"
          name="status"
          options={next.map((value) => ({ value, label: incident.status === "resolved" ? "Open (reopen)" : INCIDENT_STATUS_LABELS[value] }))}
          defaultValue={failure?.values.status ?? next[0]}
          error={failure?.errors.status}
        />
        <TextareaField
          label="Resolution note"
          name="note"
          rows={2}
          description="Required to resolve. The partner reads it if the incident is shared with them."
          defaultValue={failure?.values.note}
          error={failure?.errors.note}
          textareaProps={{ maxLength: INCIDENT_LIMITS.noteMax }}
        />
        <Submit variant="primary">Change status</Submit>
      </Form>
    </Card>
  );
}

function DetailForms() {
  const { incident, owners } = useLoaderData<typeof loader>();
  const ownerFailure = useFailure("owner");
  const severityFailure = useFailure("severity");
  return (
    <div className="stack">
      <Form method="post" className="stack stack--sm" noValidate aria-label="Change the owner">
        <input type="hidden" name="intent" value="owner" />
        <FormError>{ownerFailure?.formError}</FormError>
        <SelectField
          label="Owner"
          name="ownerId"
          options={[{ value: "", label: "Nobody" }, ...owners.map((o) => ({ value: o.id, label: o.name }))]}
          defaultValue={ownerFailure?.values.ownerId ?? incident.ownerId ?? ""}
          error={ownerFailure?.errors.ownerId}
        />
        <Submit>Change owner</Submit>
      </Form>
      <Form method="post" className="stack stack--sm" noValidate aria-label="Change the severity">
        <input type="hidden" name="intent" value="severity" />
        <FormError>{severityFailure?.formError}</FormError>
        <SelectField
          label="Severity"
          name="severity"
          options={SEVERITY_OPTIONS}
          defaultValue={severityFailure?.values.severity ?? incident.severity}
          error={severityFailure?.errors.severity}
        />
        <Submit>Change severity</Submit>
      </Form>
    </div>
  );
}

function SharingCard() {
  const { incident } = useLoaderData<typeof loader>();
  const failure = useFailure(incident.sharedWithPartner ? "unshare" : "share");
  return (
    <Card
      title="Sharing"
      description={
        incident.sharedWithPartner
          ? "The partner's members see this incident, its description, status changes and the notes shared with them, and may reply. Internal notes stay internal."
          : "Only the brand team sees this incident. Sharing shows the partner its description, status changes and the notes marked for them, emails their owners, and lets them reply."
      }
    >
      <Form method="post" className="stack stack--sm" aria-label={incident.sharedWithPartner ? "Stop sharing" : "Share with the partner"}>
        <input type="hidden" name="intent" value={incident.sharedWithPartner ? "unshare" : "share"} />
        <FormError>{failure?.formError}</FormError>
        <Submit variant={incident.sharedWithPartner ? "secondary" : "primary"}>{incident.sharedWithPartner ? "Stop sharing" : "Share with the partner"}</Submit>
      </Form>
    </Card>
  );
}

function LinkForms() {
  const { choices } = useLoaderData<typeof loader>();
  const failure = useFailure("link");
  // Which of the two forms sent it: the picker, or the kind and id typed.
  const typed = failure && !failure.values.picked;
  return (
    <div className="stack">
      {choices.length ? (
        <Form method="post" className="stack stack--sm" noValidate aria-label="Link one of the partner's objects">
          <input type="hidden" name="intent" value="link" />
          {!typed ? <FormError>{failure?.formError}</FormError> : null}
          <SelectField
            label="Link one of the partner's objects"
            name="picked"
            placeholder="Choose…"
            options={[]}
            groups={choices}
            defaultValue={failure?.values.picked ?? ""}
            error={!typed ? (failure?.errors.picked ?? failure?.errors.objectId) : undefined}
          />
          <Submit>Link</Submit>
        </Form>
      ) : null}
      <details open={Boolean(typed)}>
        <summary>Link by id</summary>
        <Form method="post" className="stack stack--sm" noValidate aria-label="Link an object by id">
          <input type="hidden" name="intent" value="link" />
          {typed ? <FormError>{failure?.formError}</FormError> : null}
          <SelectField
            label="Kind"
            name="objectKind"
            options={INCIDENT_OBJECT_KINDS.map((kind) => ({ value: kind, label: INCIDENT_OBJECT_LABELS[kind] }))}
            defaultValue={failure?.values.objectKind}
            error={typed ? failure?.errors.objectKind : undefined}
          />
          <Field
            label="Id"
            name="objectId"
            description="From the address of the object's page."
            defaultValue={failure?.values.objectId}
            error={typed ? failure?.errors.objectId : undefined}
            inputProps={{ maxLength: 100, spellCheck: false, autoComplete: "off" }}
          />
          <Submit>Link</Submit>
        </Form>
      </details>
    </div>
  );
}
