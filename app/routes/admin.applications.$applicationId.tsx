import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { APPLICATION_REVIEWER_ROLES } from "~/domain/accounts/roles";
import { applicationLabelOf, FIT_SCORE_PATH, labelOf, REJECTION_REASONS } from "~/domain/applications/catalog";
import { reapplyFrom } from "~/domain/applications/cooldown";
import {
  approveApplication,
  rejectApplication,
  requestApplicationInfo,
  resendPartnerInvitation,
  revokePartnerInvitation,
  type Reviewer,
} from "~/domain/applications/decisions.server";
import { getApplicationForReview } from "~/domain/applications/queue.server";
import { riskLevelOf } from "~/domain/applications/scoring.server";
import { DecisionSchema } from "~/domain/applications/schemas.server";
import { typeName } from "~/domain/assets/catalog";
import { describeTerms, partnerStatusLabel, tierLabel } from "~/domain/partners/catalog";
import { getProgramRules } from "~/domain/settings/program.server";
import { idParam, invalid, parseForm } from "~/lib/forms.server";
import { domainFailure } from "~/lib/domain-responses.server";
import { canonicalOrigin } from "~/domain/settings/site.server";
import { actorOf, requireInternalUser } from "~/lib/guards.server";
import { notFound } from "~/lib/http.server";
import { redirectWithToast } from "~/lib/toast.server";
import { auditActionLabelsWith } from "~/lib/audit-actions";
import { ApplicationStatusBadge, FitScore, flagLabel } from "~/components/application-parts";
import { formatBytes, formatDate, formatDateTime } from "~/components/format";
import { IntentButton } from "~/components/intent-button";
import { CommercialTermsFields } from "~/components/terms-fields";
import { Alert, Badge, Button, Card, DataTable, FormError, PageHeader, SelectField, TextareaField } from "~/components/ui";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data ? `${data.application.company} · Applications` : "Application" }];

async function requireReviewer(args: LoaderFunctionArgs) {
  const user = await requireInternalUser(args.context, args.request, APPLICATION_REVIEWER_ROLES);
  return { user, applicationId: idParam(args.params, "applicationId") };
}

export async function loader(args: LoaderFunctionArgs) {
  const { applicationId } = await requireReviewer(args);
  const db = args.context.app.db;
  const [review, rules] = await Promise.all([getApplicationForReview(db, applicationId, args.context.app.clock.now()), getProgramRules(db)]);
  if (!review) notFound();
  const a = review.application;
  return {
    // Spelled out so that internal columns (the amend link's hash) never reach the page.
    application: {
      id: a.id,
      reference: a.reference,
      status: a.status,
      company: a.company,
      contactName: a.contactName,
      email: a.email,
      website: a.website,
      socialHandles: a.socialHandles,
      partnerType: a.partnerType,
      channels: a.channels,
      regions: a.regions,
      audienceSize: a.audienceSize,
      audienceDescription: a.audienceDescription,
      promotionPlan: a.promotionPlan,
      fitScore: a.fitScore,
      score: a.score,
      flags: a.flags,
      revision: a.revision,
      submittedAt: a.submittedAt,
      decidedAt: a.decidedAt,
      rejectionReason: a.rejectionReason,
      decisionNote: a.decisionNote,
      amendExpiresAt: a.amendExpiresAt,
    },
    riskLevel: riskLevelOf(a.score.components.risk.score),
    decidedBy: review.decidedBy,
    history: review.history,
    organisation: review.organisation && {
      id: review.organisation.id,
      name: review.organisation.name,
      slug: review.organisation.slug,
      status: review.organisation.status,
      tier: review.organisation.tier,
      terms: describeTerms(review.organisation),
    },
    invitations: review.invitations,
    tiers: rules.partnerTiers,
    cooldownDays: rules.reapplyCooldownDays,
    reapplyFrom: a.decidedAt ? reapplyFrom(a.decidedAt, rules.reapplyCooldownDays) : null,
  };
}

export async function action(args: ActionFunctionArgs) {
  const { user, applicationId } = await requireReviewer(args);
  const { request, context } = args;
  const formData = await request.formData();
  const parsed = parseForm(formData, DecisionSchema);
  if (!parsed.ok) return invalid(parsed.failure);
  const reviewer: Reviewer = { ...actorOf(user, context), id: user.id, name: user.name };
  const origin = await canonicalOrigin(context.app);
  const input = parsed.data;
  let message: string;
  try {
    switch (input.intent) {
      case "approve":
        await approveApplication(context.app, reviewer, applicationId, input, origin);
        message = "Approved. The partner organisation exists and its owner has been emailed an invitation.";
        break;
      case "reject":
        await rejectApplication(context.app, reviewer, applicationId, input);
        message = "Rejected. The applicant has been told.";
        break;
      case "request_info":
        await requestApplicationInfo(context.app, reviewer, applicationId, input, origin);
        message = "Sent. The applicant has a link to update the application.";
        break;
      case "resend_invitation":
        await resendPartnerInvitation(context.app, reviewer, applicationId, input.invitationId, origin);
        message = "A new invitation was emailed; the earlier link no longer works.";
        break;
      case "revoke_invitation":
        await revokePartnerInvitation(context.app, reviewer, applicationId, input.invitationId);
        message = "The invitation was withdrawn.";
        break;
    }
  } catch (error) {
    return domainFailure(error, formData, { context, request });
  }
  return redirectWithToast(context, `/admin/applications/${applicationId}`, { kind: "success", message });
}

const historyLabel = auditActionLabelsWith({
  "application.submitted": "Application submitted",
  "application.resubmitted": "Applicant sent an updated application",
  "application.info_requested": "More information requested",
  "application.reply_received": "Applicant replied",
  "application.approved": "Approved",
  "application.rejected": "Rejected",
});

export default function ApplicationReviewRoute() {
  const data = useLoaderData<typeof loader>();
  const { application: a, organisation } = data;
  const actionData = useActionData<typeof action>();
  const failedIntent = actionData?.values.intent;
  const generalError =
    actionData?.formError && (failedIntent === "resend_invitation" || failedIntent === "revoke_invitation" || !failedIntent) ? actionData.formError : null;

  return (
    <>
      <PageHeader
        title={a.company}
        breadcrumbs={[{ to: "/admin/applications", label: "Applications" }]}
        meta={<ApplicationStatusBadge status={a.status} />}
        description={
          <>
            <span className="reference">{a.reference}</span> · submitted {formatDateTime(a.submittedAt)}
            {a.revision > 1 ? ` · updated by the applicant (revision ${a.revision})` : ""}
          </>
        }
      />
      {generalError ? <FormError>{generalError}</FormError> : null}
      <div className="review-layout">
        <div className="stack stack--lg">
          <Card title="Answers">
            <dl className="detail-list">
              <dt>Contact</dt>
              <dd>
                {a.contactName} · <a href={`mailto:${a.email}`}>{a.email}</a>
              </dd>
              <dt>Website</dt>
              <dd>
                {a.website ? (
                  // The apply form only accepts host names with an optional http(s) scheme, so this is never a script URL.
                  <a href={/^https?:\/\//i.test(a.website) ? a.website : `https://${a.website}`} target="_blank" rel="noreferrer noopener nofollow">
                    {a.website}
                  </a>
                ) : (
                  <span className="muted">None given</span>
                )}
              </dd>
              <dt>Social handles</dt>
              <dd>{a.socialHandles ?? <span className="muted">None given</span>}</dd>
              <dt>Partner type</dt>
              <dd>{labelOf(a.partnerType)}</dd>
              <dt>Channels</dt>
              <dd>{a.channels.map(labelOf).join(", ")}</dd>
              <dt>Regions</dt>
              <dd>{a.regions.map(labelOf).join(", ")}</dd>
              <dt>Audience size</dt>
              <dd className="tabular">{a.audienceSize.toLocaleString("en")}</dd>
              <dt>Audience</dt>
              <dd className="prose-block">{a.audienceDescription}</dd>
              <dt>How they would promote us</dt>
              <dd className="prose-block">{a.promotionPlan}</dd>
            </dl>
          </Card>
          <Card
            title="Fit score"
            actions={<FitScore score={a.fitScore} />}
            description={
              <>
                Computed when the application arrived, from the program&apos;s rules. <Link to={FIT_SCORE_PATH}>How the fit score is worked out</Link>
              </>
            }
          >
            <ol className="score-breakdown">
              {(Object.keys(COMPONENT_LABELS) as (keyof typeof a.score.components)[])
                .map((key) => [key, a.score.components[key]] as const)
                .map(([key, component]) => (
                  <li key={key}>
                    <div className="score-breakdown__head">
                      {key === "risk" ? (
                        // A low risk score means a risky application: say which way it reads.
                        <>
                          <span>Risk: {data.riskLevel}</span>
                          <span className="tabular">
                            ({component.score}/{component.max}, higher is safer)
                          </span>
                        </>
                      ) : (
                        <>
                          <span>{COMPONENT_LABELS[key]}</span>
                          <span className="tabular">
                            {component.score} / {component.max}
                          </span>
                        </>
                      )}
                    </div>
                    <div className="progress" role="img" aria-label={`${component.score} of ${component.max}`}>
                      <div className="progress__bar" style={{ width: `${component.max ? (component.score / component.max) * 100 : 0}%` }} />
                    </div>
                    {component.reasons.length ? (
                      <ul>
                        {component.reasons.map((reason) => (
                          <li key={reason}>{reason}</li>
                        ))}
                      </ul>
                    ) : null}
                  </li>
                ))}
            </ol>
          </Card>
          <Card title="Risk flags">
            {a.flags.length === 0 ? (
              <p className="muted">No risks were flagged.</p>
            ) : (
              <ul className="flag-details" aria-label="Risk flags">
                {a.flags.map((flag) => (
                  <li key={flag.code}>
                    <Badge tone={flag.severity === "high" ? "danger" : flag.severity === "medium" ? "warning" : "neutral"}>{flagLabel(flag.code)}</Badge>
                    <span>{flag.message}</span>
                  </li>
                ))}
              </ul>
            )}
          </Card>
          <Card title="History">
            <ol className="timeline">
              {data.history.map((event) => (
                <li key={event.id}>
                  <strong>{historyLabel(event.action)}</strong> by {event.actorLabel}
                  <HistoryDetail applicationId={a.id} action={event.action} data={event.data as Record<string, unknown>} />
                  <time dateTime={new Date(event.occurredAt).toISOString()}>{formatDateTime(event.occurredAt)}</time>
                </li>
              ))}
            </ol>
          </Card>
        </div>
        <div className="stack stack--lg">
          {a.status === "submitted" ? <DecisionPanel tiers={data.tiers} cooldownDays={data.cooldownDays} /> : null}
          {a.status === "info_requested" ? (
            <Card title="Waiting for the applicant">
              <p>The applicant was asked:</p>
              <blockquote className="prose-block">{a.decisionNote}</blockquote>
              {a.amendExpiresAt ? (
                <p className="muted text-sm">
                  Their link to update the application expires on {formatDateTime(a.amendExpiresAt)}. You can decide once they send it back.
                </p>
              ) : null}
            </Card>
          ) : null}
          {a.status === "rejected" ? (
            <Card title="Rejected">
              <dl className="detail-list">
                <dt>Reason</dt>
                <dd>{applicationLabelOf(a.rejectionReason ?? "other")}</dd>
                <dt>Note</dt>
                <dd className="prose-block">{a.decisionNote ?? <span className="muted">None</span>}</dd>
                <dt>Decided</dt>
                <dd>
                  {a.decidedAt ? formatDateTime(a.decidedAt) : ""} by {data.decidedBy}
                </dd>
                <dt>Can reapply</dt>
                <dd>{data.reapplyFrom ? `from ${formatDate(data.reapplyFrom)}` : ""}</dd>
              </dl>
            </Card>
          ) : null}
          {organisation ? (
            <Card title="Partner organisation">
              <dl className="detail-list">
                <dt>Name</dt>
                <dd>
                  <Link to={`/admin/partners/${organisation.id}`}>{organisation.name}</Link>
                </dd>
                <dt>Slug</dt>
                <dd>
                  <code>{organisation.slug}</code>
                </dd>
                <dt>Status</dt>
                <dd>{partnerStatusLabel(organisation.status)}</dd>
                <dt>Tier</dt>
                <dd>{tierLabel(organisation.tier)}</dd>
                <dt>Terms</dt>
                <dd>{organisation.terms}</dd>
                <dt>Approved</dt>
                <dd>
                  {a.decidedAt ? formatDateTime(a.decidedAt) : ""} by {data.decidedBy}
                </dd>
              </dl>
            </Card>
          ) : null}
          {organisation ? <InvitationsCard invitations={data.invitations} /> : null}
        </div>
      </div>
    </>
  );
}

// In the rubric's order (docs/fit-score.md).
const COMPONENT_LABELS = {
  audienceFit: "Audience fit",
  channelQuality: "Channel quality",
  brandAlignment: "Brand alignment",
  risk: "Risk",
} as const;

function HistoryDetail({ applicationId, action, data }: { applicationId: string; action: string; data: Record<string, unknown> }) {
  if (action === "application.reply_received") return <ReplyDetail applicationId={applicationId} data={data} />;
  if (action === "application.rejected") {
    return (
      <div className="muted">
        {applicationLabelOf(String(data.reason))}
        {data.note ? `: ${String(data.note)}` : ""}
      </div>
    );
  }
  if (action === "application.info_requested") return <div className="muted prose-block">{String(data.message ?? "")}</div>;
  if (action === "application.resubmitted") {
    const changed = Array.isArray(data.changed) ? (data.changed as string[]) : [];
    const score = data.fitScore as { from: number; to: number } | undefined;
    return (
      <div className="muted">
        {changed.length ? `Changed: ${changed.map((f) => FIELD_LABELS[f] ?? f).join(", ")}.` : "No answers changed."}
        {score ? ` Fit score ${score.from} → ${score.to}.` : ""}
      </div>
    );
  }
  if (action === "application.approved") {
    return (
      <div className="muted">
        Tier {tierLabel(String(data.tier))}, slug {String(data.slug)}; {String(data.invited)} invited as owner.
      </div>
    );
  }
  if (action === "application.submitted") return <div className="muted">Fit score {String(data.fitScore)}.</div>;
  return null;
}

/** The applicant's answer: their text, and their file as a download (served as an attachment, never opened in the page). */
function ReplyDetail({ applicationId, data }: { applicationId: string; data: Record<string, unknown> }) {
  const file = data.attachment as { filename: string; contentType: string; size: number } | null | undefined;
  return (
    <div className="stack stack--sm">
      {data.message ? <blockquote className="prose-block">{String(data.message)}</blockquote> : null}
      {file ? (
        <p>
          <a href={`/admin/applications/${applicationId}/replies/${String(data.replyId)}`} download>
            Download {file.filename}
          </a>{" "}
          <span className="muted text-sm">
            ({typeName(file.contentType)}, {formatBytes(file.size)})
          </span>
        </p>
      ) : null}
    </div>
  );
}

const FIELD_LABELS: Record<string, string> = {
  company: "company",
  contactName: "contact name",
  website: "website",
  partnerType: "partner type",
  channels: "channels",
  audienceSize: "audience size",
  regions: "regions",
  audienceDescription: "audience description",
  promotionPlan: "promotion plan",
  socialHandles: "social handles",
};

function DecisionPanel({ tiers, cooldownDays }: { tiers: string[]; cooldownDays: number }) {
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  const submitting = (intent: string) => navigation.state === "submitting" && navigation.formData?.get("intent") === intent;
  const failed = (intent: string) => (actionData?.values.intent === intent ? actionData : null);
  const approve = failed("approve");
  const reject = failed("reject");
  const info = failed("request_info");

  return (
    <Card title="Decide" description="Each decision emails the applicant and is recorded on the audit trail.">
      <details className="decision" open={!reject && !info}>
        <summary>Approve</summary>
        <Form method="post" className="stack" noValidate>
          <input type="hidden" name="intent" value="approve" />
          {approve?.formError ? <FormError>{approve.formError}</FormError> : null}
          <CommercialTermsFields tiers={tiers} values={approve?.values ?? {}} errors={approve?.errors} />
          <p className="muted text-sm">
            Creates the partner organisation and emails the applicant a single-use invitation, valid for 7 days, to become its owner.
          </p>
          <div>
            <Button type="submit" variant="primary" pending={submitting("approve")}>
              Approve and invite
            </Button>
          </div>
        </Form>
      </details>
      <details className="decision" open={Boolean(info)}>
        <summary>Request information</summary>
        <Form method="post" className="stack" noValidate>
          <input type="hidden" name="intent" value="request_info" />
          {info?.formError ? <FormError>{info.formError}</FormError> : null}
          <TextareaField
            label="Your question to the applicant"
            name="message"
            rows={4}
            required
            description="Emailed with a link to update the application and send it back."
            defaultValue={info?.values.message}
            error={info?.errors.message}
          />
          <div>
            <Button type="submit" pending={submitting("request_info")}>
              Send request
            </Button>
          </div>
        </Form>
      </details>
      <details className="decision" open={Boolean(reject)}>
        <summary>Reject</summary>
        <Form method="post" className="stack" noValidate>
          <input type="hidden" name="intent" value="reject" />
          {reject?.formError ? <FormError>{reject.formError}</FormError> : null}
          <SelectField
            label="Reason"
            name="reason"
            required
            placeholder="Choose a reason"
            options={[...REJECTION_REASONS]}
            defaultValue={reject?.values.reason}
            error={reject?.errors.reason}
          />
          <TextareaField
            label="Note to the applicant"
            name="note"
            rows={3}
            description="Optional. Sent with the reason."
            defaultValue={reject?.values.note}
            error={reject?.errors.note}
          />
          <p className="muted text-sm">The same email address or website cannot apply again for {cooldownDays} days.</p>
          <div>
            <Button type="submit" variant="danger" pending={submitting("reject")}>
              Reject application
            </Button>
          </div>
        </Form>
      </details>
    </Card>
  );
}

type InvitationRow = { id: string; email: string; createdAt: string | Date; expiresAt: string | Date; usedAt: string | Date | null; state: string };

const INVITATION_STATE: Record<string, { label: string; tone: "success" | "info" | "warning" | "neutral" }> = {
  valid: { label: "Waiting", tone: "info" },
  used: { label: "Accepted", tone: "success" },
  expired: { label: "Expired", tone: "warning" },
  revoked: { label: "Withdrawn", tone: "neutral" },
  unknown: { label: "Unknown", tone: "neutral" },
};

function InvitationsCard({ invitations }: { invitations: InvitationRow[] }) {
  const accepted = invitations.some((i) => i.state === "used");
  const latest = invitations[0];
  return (
    <Card title="Owner invitation" flush>
      <DataTable
        caption="Invitations"
        captionHidden
        columns={[
          { key: "email", header: "Sent to" },
          { key: "state", header: "State" },
          { key: "when", header: "Expires" },
        ]}
        rows={invitations}
        getRowKey={(i) => i.id}
        renderCell={(i, key) => {
          if (key === "email") return i.email;
          if (key === "state") return <Badge tone={INVITATION_STATE[i.state]!.tone}>{INVITATION_STATE[i.state]!.label}</Badge>;
          return i.usedAt ? `Accepted ${formatDateTime(i.usedAt)}` : formatDateTime(i.expiresAt);
        }}
      />
      {!accepted && latest ? (
        <div className="card__footer cluster">
          <IntentButton intent="resend_invitation" fields={{ invitationId: latest.id }} size="sm">
            Send a new link
          </IntentButton>
          {latest.state === "valid" ? (
            <IntentButton intent="revoke_invitation" fields={{ invitationId: latest.id }} size="sm" variant="ghost">
              Withdraw
            </IntentButton>
          ) : null}
        </div>
      ) : null}
      {accepted ? <Alert tone="success">The owner has set up the partner account.</Alert> : null}
    </Card>
  );
}
