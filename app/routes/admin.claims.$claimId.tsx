import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { CLAIM_APPROVER_ROLES, CLAIM_EDITOR_ROLES, CLAIM_RETIRER_ROLES } from "~/domain/accounts/roles";
import { labelOf } from "~/domain/applications/catalog";
import { claimStatusOf } from "~/domain/claims/catalog";
import {
  approveClaim,
  getClaimForTeam,
  OWN_DRAFT_MESSAGE,
  listClaimCategories,
  listClaimOwners,
  retireClaim,
  todayIso,
  updateClaim,
} from "~/domain/claims/claims.server";
import { ClaimActionSchema, ClaimSchema } from "~/domain/claims/schemas.server";
import { isAuthor } from "~/domain/separation-of-duties.server";
import { actorOf, requireInternalUser, requireIntentRole } from "~/lib/guards.server";
import { redirectWithToast } from "~/lib/toast.server";
import { auditActionLabelsWith } from "~/lib/audit-actions";
import { invalid, parseForm, idParam } from "~/lib/forms.server";
import { domainFailure } from "~/lib/domain-responses.server";
import { notFound } from "~/lib/http.server";
import { ClaimForm, claimFormValues } from "~/components/claim-form";
import { formatDate, formatDateTime } from "~/components/format";
import { IntentButton } from "~/components/intent-button";
import { Alert, Badge, Card, FormError, PageHeader } from "~/components/ui";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data ? `${data.claim.text.slice(0, 60)} · Claims` : "Claim" }];

async function requireEditor({ context, request, params }: LoaderFunctionArgs) {
  const user = await requireInternalUser(context, request, CLAIM_EDITOR_ROLES);
  return { user, claimId: idParam(params, "claimId") };
}

const includes = (roles: readonly string[], role: string) => roles.includes(role);

export async function loader(args: LoaderFunctionArgs) {
  const { user, claimId } = await requireEditor(args);
  const db = args.context.app.db;
  const found = await getClaimForTeam(db, claimId);
  if (!found) notFound();
  const [owners, categories] = await Promise.all([listClaimOwners(db), listClaimCategories(db)]);
  const { claim } = found;
  const approver = includes(CLAIM_APPROVER_ROLES, user.role) && claim.status === "draft";
  // The author is told why there is no approve button rather than left wondering.
  const ownDraft = approver && isAuthor(found.draftAuthorId, user.id);
  return {
    claim,
    ownerName: found.ownerName,
    approverName: found.approverName,
    history: found.history,
    owners,
    categories,
    today: todayIso(args.context.app.clock.now()),
    can: {
      approve: approver && !ownDraft,
      retire: includes(CLAIM_RETIRER_ROLES, user.role) && claim.status !== "retired",
      edit: claim.status !== "retired",
    },
    ownDraftNote: ownDraft ? OWN_DRAFT_MESSAGE : null,
  };
}

export async function action(args: ActionFunctionArgs) {
  const { user, claimId } = await requireEditor(args);
  const { request, context } = args;
  const formData = await request.formData();
  const actor = { ...actorOf(user, context), id: user.id };
  try {
    if (formData.get("intent") === "save") {
      const parsed = parseForm(formData, ClaimSchema);
      if (!parsed.ok) return invalid(parsed.failure);
      const { backToDraft } = await updateClaim(context.app, actor, claimId, parsed.data);
      return redirectWithToast(context, `/admin/claims/${claimId}`, {
        kind: "success",
        message: backToDraft ? "Saved. The claim is a draft again: partners no longer see it until a legal reviewer approves the new wording." : "Saved.",
      });
    }
    const parsed = parseForm(formData, ClaimActionSchema);
    if (!parsed.ok) return invalid(parsed.failure);
    if (parsed.data.intent === "approve") {
      requireIntentRole(context, request, user, CLAIM_APPROVER_ROLES, "Only a legal reviewer can approve a claim.");
      await approveClaim(context.app, actor, claimId);
      return redirectWithToast(context, `/admin/claims/${claimId}`, { kind: "success", message: "Approved. Partners in its channels and regions see it now." });
    }
    requireIntentRole(context, request, user, CLAIM_RETIRER_ROLES, "Only admins and legal reviewers can retire a claim.");
    await retireClaim(context.app, actor, claimId);
    return redirectWithToast(context, `/admin/claims/${claimId}`, { kind: "success", message: "Retired. Partners no longer see it; it stays on record." });
  } catch (error) {
    return domainFailure(error, formData, { context, request });
  }
}

const historyLabel = auditActionLabelsWith({
  "claim.created": "Written",
  "claim.updated": "Changed",
  "claim.approved": "Approved",
  "claim.retired": "Retired",
});

export default function ClaimRoute() {
  const { claim, ownerName, approverName, history, owners, categories, today, can, ownDraftNote } = useLoaderData<typeof loader>();
  const failure = useActionData<typeof action>();
  const navigation = useNavigation();
  const saving = navigation.state === "submitting" && navigation.formData?.get("intent") === "save";
  const editFailure = failure?.values.intent === "save" ? failure : null;
  const { label, tone } = claimStatusOf(claim.status);
  const expired = claim.expiresOn !== null && claim.expiresOn < today;
  const values = claimFormValues(editFailure, {
    text: claim.text,
    disclaimers: claim.disclaimers.join("\n"),
    category: claim.category,
    channels: claim.channels,
    regions: claim.regions,
    substantiation: claim.substantiation,
    ownerId: claim.ownerId ?? "",
    reviewBy: claim.reviewBy,
    expiresOn: claim.expiresOn ?? "",
  });
  return (
    <>
      <PageHeader
        title="Claim"
        breadcrumbs={[{ to: "/admin/claims", label: "Claims" }]}
        meta={
          <div className="cluster cluster--sm">
            <Badge tone={tone}>{label}</Badge>
            {expired ? <Badge tone="danger">Expired</Badge> : null}
          </div>
        }
      />
      {failure?.formError && !editFailure ? <FormError>{failure.formError}</FormError> : null}
      <div className="review-layout">
        <div className="stack stack--lg">
          <Card title="As partners see it">
            <div className="claim">
              <p className="claim__text">{claim.text}</p>
              <ul className="claim__disclaimers" aria-label="Required disclaimers">
                {claim.disclaimers.map((d, i) => (
                  <li key={i}>{d}</li>
                ))}
              </ul>
              <div className="muted small">
                {claim.category} · {claim.channels.map(labelOf).join(", ")} · {claim.regions.map(labelOf).join(", ")}
              </div>
            </div>
          </Card>
          {can.edit ? (
            <Card
              title="Edit"
              description={claim.status === "approved" ? "Saving a change makes the claim a draft again until a legal reviewer approves it." : undefined}
            >
              <ClaimForm values={values} failure={editFailure} owners={owners} categories={categories} submitLabel="Save changes" pending={saving} />
            </Card>
          ) : null}
        </div>
        <div className="stack stack--lg">
          {can.approve || can.retire || ownDraftNote ? (
            <Card title="Decision">
              {ownDraftNote ? <p className="muted">{ownDraftNote}</p> : null}
              {expired && can.approve ? (
                <Alert tone="warning" live={false}>
                  It expired on {formatDate(claim.expiresOn!)}. Change the expiry before approving it.
                </Alert>
              ) : null}
              {can.approve || can.retire ? (
                <div className="cluster">
                  {can.approve ? (
                    <IntentButton intent="approve" variant="primary">
                      Approve claim
                    </IntentButton>
                  ) : null}
                  {can.retire ? (
                    <IntentButton intent="retire" variant="danger">
                      Retire claim
                    </IntentButton>
                  ) : null}
                </div>
              ) : null}
            </Card>
          ) : claim.status === "draft" ? (
            <Card title="Decision">
              <p className="muted">A legal reviewer approves this claim before partners see it.</p>
            </Card>
          ) : null}
          <Card title="Details">
            <dl className="details-list">
              <dt>Owner</dt>
              <dd>{ownerName ?? "None"}</dd>
              <dt>Review by</dt>
              <dd>{formatDate(claim.reviewBy)}</dd>
              <dt>Expires</dt>
              <dd>{claim.expiresOn ? formatDate(claim.expiresOn) : "Never"}</dd>
              <dt>Approved</dt>
              <dd>{claim.approvedAt ? `${formatDateTime(claim.approvedAt)}${approverName ? ` by ${approverName}` : ""}` : "Not yet"}</dd>
              <dt>Substantiation</dt>
              <dd className="prose-block">{claim.substantiation || <span className="muted">None recorded</span>}</dd>
            </dl>
          </Card>
          <Card title="History">
            <ol className="timeline">
              {history.map((h, i) => (
                <li key={i}>
                  <div>{historyLabel(h.action)}</div>
                  <time dateTime={new Date(h.occurredAt).toISOString()}>
                    {formatDateTime(h.occurredAt)} · {h.actorLabel}
                  </time>
                </li>
              ))}
            </ol>
          </Card>
        </div>
      </div>
    </>
  );
}
