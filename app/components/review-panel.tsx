import { Form, Link, useNavigation } from "@remix-run/react";
import { REVIEW_LIMITS, STAGE_DECISIONS, STAGE_STATUS_LABELS, type StageDecision } from "~/domain/review/catalog";
import { stageLabel } from "~/domain/review/matrix";
import { formatDateTime } from "./format";
import { Badge, Button, Card, FormError, RadioGroupField, TextareaField } from "./ui";
import type { BadgeTone } from "./ui/badge";

type FieldErrors = Record<string, string[] | undefined>;

export type StageName = "brand" | "legal";

/** One stage of the version under review, as the panel shows it (dates as ISO strings from the loader). */
export type StageView = {
  stage: StageName;
  status: "waiting" | "pending" | "approved" | "approved_with_changes" | "changes_requested" | "rejected" | "cancelled";
  requiredBy: string;
  due: { text: string; overdue: boolean } | null;
  assigneeName: string | null;
  decidedByName: string | null;
  decidedAt: string | null;
  comment: string | null;
  confirmsVersion: number | null;
  carriedFromVersion: number | null;
};

const STAGE_TONE: Record<StageView["status"], BadgeTone> = {
  waiting: "neutral",
  pending: "info",
  approved: "success",
  approved_with_changes: "warning",
  changes_requested: "warning",
  rejected: "danger",
  cancelled: "neutral",
};

const DECISION_HINTS: Record<StageDecision, string> = {
  approve: "It can go live as it is.",
  approve_with_changes: "Approved once the partner makes the changes you list; this stage confirms their new version without starting over.",
  request_changes: "The partner revises and resubmits; every stage reviews the new version.",
  reject: "It cannot be used. The partner may start a new creative.",
};

const DECISIONS = STAGE_DECISIONS.map((d) => ({ ...d, description: DECISION_HINTS[d.value] }));

export type DecisionFailure = { errors: FieldErrors; formError?: string; values: Record<string, string> } | null;

const capitalised = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

/** The stages of a version, each with who decided what and when, or its due time while open. */
export function StageList({
  stages,
  assignmentUrl,
  claimable,
  releasable,
  showRequiredBy = true,
}: {
  stages: StageView[];
  assignmentUrl?: string;
  claimable: StageName[];
  releasable: StageName[];
  /** Off where the card already names the rule that routed the version (one rule decides every stage of it). */
  showRequiredBy?: boolean;
}) {
  return (
    <ol className="plain-list stage-list">
      {stages.map((stage) => {
        return (
          <li key={stage.stage} className={`stage-list__item${stage.due?.overdue && stage.status === "pending" ? " stage-list__item--overdue" : ""}`}>
            <div className="stage-list__head">
              <strong>{stageLabel(stage.stage)} review</strong> <Badge tone={STAGE_TONE[stage.status]}>{STAGE_STATUS_LABELS[stage.status]}</Badge>
            </div>
            {showRequiredBy ? <p className="muted small">Required by {stage.requiredBy}</p> : null}
            {stage.confirmsVersion ? <p className="small">Confirms the changes it required on version {stage.confirmsVersion}.</p> : null}
            {stage.carriedFromVersion ? <p className="small">Approval carried over from version {stage.carriedFromVersion}.</p> : null}
            {stage.status === "pending" && stage.due ? (
              <p className={stage.due.overdue ? "stage-list__due stage-list__due--overdue" : "stage-list__due"}>
                {stage.due.overdue ? <strong>{capitalised(stage.due.text)}</strong> : capitalised(stage.due.text)}
              </p>
            ) : null}
            {stage.status === "pending" ? (
              <p className="small">{stage.assigneeName ? <>Claimed by {stage.assigneeName}</> : <span className="muted">Nobody has claimed it yet.</span>}</p>
            ) : null}
            {stage.decidedByName && stage.decidedAt ? (
              <p className="small">
                {stage.decidedByName}, {formatDateTime(new Date(stage.decidedAt))}
              </p>
            ) : null}
            {stage.comment ? <blockquote className="stage-list__comment prose-block">{stage.comment}</blockquote> : null}
            {assignmentUrl && (claimable.includes(stage.stage) || releasable.includes(stage.stage)) ? (
              <Form method="post" action={assignmentUrl} className="stage-list__assign">
                <input type="hidden" name="stage" value={stage.stage} />
                <input type="hidden" name="intent" value={claimable.includes(stage.stage) ? "claim" : "release"} />
                <Button type="submit" size="sm" variant="secondary">
                  {claimable.includes(stage.stage) ? `Claim ${stageLabel(stage.stage).toLowerCase()} review` : "Release"}
                </Button>
              </Form>
            ) : null}
          </li>
        );
      })}
    </ol>
  );
}

/**
 * The decision form for one stage of one version. The version travels with
 * the decision, so a decision made on a page left open while the partner
 * resubmitted is refused rather than applied to what the reviewer never saw.
 */
export function DecisionForm({ stage, version, failure }: { stage: StageName; version: number; failure: DecisionFailure }) {
  const navigation = useNavigation();
  const busy = navigation.state === "submitting" && navigation.formData?.get("intent") === "decide";
  const label = stageLabel(stage).toLowerCase();
  return (
    <Form method="post" noValidate className="stack decision-form" aria-labelledby={`decide-${stage}-heading`}>
      <h3 id={`decide-${stage}-heading`} className="subsection-title">
        Your decision: {label} review of version {version}
      </h3>
      <FormError>{failure?.formError}</FormError>
      <input type="hidden" name="intent" value="decide" />
      <input type="hidden" name="stage" value={stage} />
      <input type="hidden" name="version" value={version} />
      <RadioGroupField
        legend="Decision"
        name="decision"
        options={DECISIONS}
        defaultValue={failure?.values.decision}
        error={failure?.errors.decision}
        required
      />
      <TextareaField
        label="Comment to the partner"
        name="comment"
        description="Required unless you approve. Say what to change and why; the partner reads it as written."
        defaultValue={failure?.values.comment}
        error={failure?.errors.comment}
        textareaProps={{ rows: 4, maxLength: REVIEW_LIMITS.commentChars }}
      />
      <div>
        <Button type="submit" variant="primary" pending={busy} pendingText="Recording…">
          Record decision
        </Button>
      </div>
    </Form>
  );
}

/** Taking back an approval (admin or legal): the creative may no longer be used, and the partner is told why. */
export function RevokeForm({ failure }: { failure: DecisionFailure }) {
  return (
    <details className="revoke-form" open={Boolean(failure)}>
      <summary>Revoke the approval</summary>
      <Form method="post" noValidate className="stack">
        <input type="hidden" name="intent" value="revoke" />
        <FormError>{failure?.formError}</FormError>
        <TextareaField
          label="Reason"
          name="reason"
          required
          description="The partner receives it; the tracking link of this creative stops working once links exist."
          defaultValue={failure?.values.reason}
          error={failure?.errors.reason}
          textareaProps={{ rows: 3, maxLength: REVIEW_LIMITS.revokeReasonChars }}
        />
        <div>
          <Button type="submit" variant="danger">
            Revoke approval
          </Button>
        </div>
      </Form>
    </details>
  );
}

/** The partner's record with the program, for judging this submission in context. */
export function PartnerHistoryCard({
  organisationId,
  history,
}: {
  organisationId: string;
  history: { submitted: number; approved: number; firstPassRate: number | null; prescreenFirstTryRate: number | null };
}) {
  const percent = (rate: number | null) => (rate === null ? "–" : `${Math.round(rate * 100)} %`);
  return (
    <Card title="Partner's history" headingLevel={2}>
      <dl className="detail-list">
        <dt>Creatives submitted</dt>
        <dd>{history.submitted}</dd>
        <dt>Approved</dt>
        <dd>{history.approved}</dd>
        <dt>Approved at the first version</dt>
        <dd>{percent(history.firstPassRate)}</dd>
        <dt>Passed the pre-screen first time</dt>
        <dd>{percent(history.prescreenFirstTryRate)}</dd>
      </dl>
      <p className="small">
        <Link to={`/admin/partners/${organisationId}`}>Partner page</Link>
      </p>
    </Card>
  );
}
