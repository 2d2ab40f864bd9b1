import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { CREATIVE_READER_ROLES, CREATIVE_REVIEWER_ROLES, hasRole, INCIDENT_MANAGER_ROLES, LINK_SETTINGS_EDITOR_ROLES } from "~/domain/accounts/roles";
import { incidentsAboutCreative } from "~/domain/incidents/queries.server";
import { labelOf } from "~/domain/applications/catalog";
import { getCreativeForTeam } from "~/domain/creatives/queries.server";
import { commentsOfCreative, commentsOfVersion } from "~/domain/review/comments.server";
import { decideStage, revokeApproval, type DecisionOutcome } from "~/domain/review/decisions.server";
import { routingReason, stageLabel } from "~/domain/review/matrix";
import { partnerHistory, reviewStateForTeam, stagesOfCreative, type StageWithNames } from "~/domain/review/review-queries.server";
import { DecisionSchema, RevokeSchema } from "~/domain/review/schemas.server";
import { dueLabel } from "~/domain/review/sla";
import { partnerStatusLabel, PARTNER_STATUS_TONE, tierLabel } from "~/domain/partners/catalog";
import { creativeLinkState } from "~/domain/links/admin-queries.server";
import { shortLinkUrl } from "~/domain/links/catalog";
import { canonicalOrigin } from "~/domain/settings/site.server";
import { domainFailure } from "~/lib/domain-responses.server";
import { formFailure, idParam, invalid, parseForm } from "~/lib/forms.server";
import { actorOf, requireInternalUser } from "~/lib/guards.server";
import { redirectWithToast } from "~/lib/toast.server";
import { notFound } from "~/lib/http.server";
import { CreativeStatusBadge, FindingList, HighlightedCopy } from "~/components/creative-parts";
import { CreativeViewer } from "~/components/creative-viewer";
import { LinkStateBadges } from "~/components/link-parts";
import { formatDate, formatDateTime } from "~/components/format";
import { IncidentsCard } from "~/components/incident-parts";
import { DecisionForm, PartnerHistoryCard, RevokeForm, StageList, type StageView } from "~/components/review-panel";
import { Alert, Badge, ButtonLink, Card, PageHeader } from "~/components/ui";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data ? `${data.creative.title} · Creatives` : "Creative" }];

/**
 * A submitted creative as the brand team reads it: every version with its
 * copy, the pre-screen's findings, the claims as they stood and its files
 * with their pinned comments; beside it the stages of the latest version, the
 * decision form of the stage the viewer may decide, and the partner's
 * record. Drafts are 404 here (getCreativeForTeam never returns one): they
 * stay the partner's own.
 */
export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const user = await requireInternalUser(context, request, CREATIVE_READER_ROLES);
  const found = await getCreativeForTeam(context.app.db, idParam(params, "creativeId"));
  if (!found) notFound();
  const { creative, organisation, versions } = found;
  const now = context.app.clock.now();
  const [comments, review, history, stages, linkState, origin, incidents] = await Promise.all([
    commentsOfCreative(context.app.db, creative.id),
    reviewStateForTeam(context.app.db, creative.id, now, { id: user.id, role: user.role, partnerOrgId: null }),
    partnerHistory(context.app.db, organisation.id),
    stagesOfCreative(context.app.db, creative.id),
    creativeLinkState(context.app.db, creative.id, now),
    canonicalOrigin(context.app),
    incidentsAboutCreative(context.app.db, creative.id),
  ]);
  const latestRouting = versions[0]?.routing ?? null;
  return {
    review: review
      ? {
          stages: review.stages.map((stage) => ({
            ...stageView(stage, now),
            mayClaim: stage.mayClaim,
            mayRelease: stage.mayRelease,
            conflict: stage.conflict,
          })),
          decidable: review.decidable,
          mayRevoke: review.mayRevoke,
          routing: latestRouting
            ? { reason: routingReason(latestRouting), autoApproved: latestRouting.autoApproved, matrixVersion: latestRouting.matrixVersion }
            : null,
        }
      : null,
    history,
    trackingLink: linkState?.link ? { ...linkState.link, shortUrl: shortLinkUrl(origin, linkState.link.code) } : null,
    linkRefusal: linkState?.refusal ?? null,
    canEditLinkSettings: hasRole(user.role, LINK_SETTINGS_EDITOR_ROLES),
    canComment: hasRole(user.role, CREATIVE_REVIEWER_ROLES),
    incidents,
    // An incident opened here is about the latest version (others can be linked from the incident).
    openIncidentHref:
      hasRole(user.role, INCIDENT_MANAGER_ROLES) && versions[0] ? `/admin/incidents/new?objectKind=creative_version&objectId=${versions[0].id}` : null,
    creative: {
      id: creative.id,
      title: creative.title,
      status: creative.status,
      channel: creative.channel,
      latestVersion: creative.latestVersion,
      submittedAt: creative.submittedAt,
      withdrawnAt: creative.withdrawnAt,
      withdrawnReason: creative.withdrawnReason,
      revokedAt: creative.revokedAt,
      revokedReason: creative.revokedReason,
      decidedAt: creative.decidedAt,
    },
    organisation,
    versions: versions.map((v) => ({
      id: v.id,
      number: v.number,
      title: v.title,
      channel: v.channel,
      placement: v.placement,
      plannedLaunchOn: v.plannedLaunchOn,
      destinationUrl: v.destinationUrl,
      copy: v.copy,
      claims: v.claims,
      disclosure: v.disclosure,
      findings: v.findings,
      ruleSetVersion: v.ruleSetVersion,
      submittedAt: v.submittedAt,
      submittedByName: v.submittedByName,
      files: v.files,
      comments: commentsOfVersion(comments, v.number),
      decisions: stages.filter((stage) => stage.versionNumber === v.number && stage.decidedAt).map((stage) => stageView(stage, now)),
    })),
  };
}

/** A stage as the panel shows it; open stages say when they are due. */
function stageView(stage: StageWithNames, now: Date): StageView {
  return {
    stage: stage.stage,
    status: stage.status,
    requiredBy: stage.requiredBy,
    due: stage.status === "pending" && stage.dueAt ? dueLabel(now, stage.dueAt) : null,
    assigneeName: stage.assigneeName,
    decidedByName: stage.decidedByName,
    decidedAt: stage.decidedAt?.toISOString() ?? null,
    comment: stage.comment,
    confirmsVersion: stage.confirmsVersion,
    carriedFromVersion: stage.carriedFromVersion,
  };
}

const DECISION_TOASTS: Record<DecisionOutcome["result"], string> = {
  stage_approved: "Approved. The next stage's reviewers were told it is their turn.",
  approved: "Approved: the partner was told, and the creative can go live as this version.",
  changes_requested: "Recorded: the partner was asked for a new version.",
  rejected: "Rejected: the partner was told why.",
};

export async function action({ request, params, context }: ActionFunctionArgs) {
  // Analysts read the review; deciding and revoking are the reviewers' (the domain then checks the stage's role and separation of duties).
  const user = await requireInternalUser(context, request, CREATIVE_REVIEWER_ROLES);
  const creativeId = idParam(params, "creativeId");
  const formData = await request.formData();
  const actor = { ...actorOf(user, context), id: user.id };
  const here = `/admin/creatives/${creativeId}`;
  try {
    switch (formData.get("intent")) {
      case "decide": {
        const parsed = parseForm(formData, DecisionSchema);
        if (!parsed.ok) return invalid(parsed.failure);
        const outcome = await decideStage(context.app, actor, creativeId, parsed.data);
        return redirectWithToast(context, here, {
          kind: "success",
          title: `${stageLabel(parsed.data.stage)} review of version ${parsed.data.version}`,
          message: DECISION_TOASTS[outcome.result],
        });
      }
      case "revoke": {
        const parsed = parseForm(formData, RevokeSchema);
        if (!parsed.ok) return invalid(parsed.failure);
        await revokeApproval(context.app, actor, creativeId, parsed.data.reason);
        return redirectWithToast(context, here, { kind: "info", message: "Approval revoked. The partner was told to stop using it." });
      }
      default:
        return invalid(formFailure(formData, "Reload the page and try again: the form was not recognised."));
    }
  } catch (error) {
    return domainFailure(error, formData, { context, request });
  }
}

const none = (text: string) => <span className="muted">{text}</span>;

export default function AdminCreativeRoute() {
  const { creative, organisation, versions, canComment, review, history, trackingLink, linkRefusal, canEditLinkSettings, incidents, openIncidentHref } =
    useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const failure = actionData && "ok" in actionData && actionData.ok === false ? actionData : null;
  const failedIntent = failure?.values["intent"];
  const filesUrl = `/admin/creatives/${creative.id}/files`;
  // Comments go on the latest version only; earlier ones show theirs read-only.
  const commentAction = canComment ? `/admin/creatives/${creative.id}/comments` : null;
  const [latest, ...earlier] = versions;
  return (
    <>
      <PageHeader
        title={creative.title}
        breadcrumbs={[{ to: "/admin/creatives", label: "Creatives" }]}
        meta={<CreativeStatusBadge status={creative.status} />}
        description={
          <>
            {organisation.name} · {labelOf(creative.channel)} · version {creative.latestVersion}
            {creative.submittedAt ? ` · first submitted ${formatDateTime(new Date(creative.submittedAt))}` : ""}
          </>
        }
      />
      {creative.status === "withdrawn" ? (
        <Alert
          tone="info"
          live={false}
          title={`Withdrawn by the partner${creative.withdrawnAt ? ` on ${formatDateTime(new Date(creative.withdrawnAt))}` : ""}`}
        >
          {creative.withdrawnReason ? <p className="prose-block">Their reason: {creative.withdrawnReason}</p> : <p>They gave no reason.</p>}
        </Alert>
      ) : null}
      {creative.status === "revoked" ? (
        <Alert tone="danger" live={false} title={`Approval revoked${creative.revokedAt ? ` on ${formatDateTime(new Date(creative.revokedAt))}` : ""}`}>
          {creative.revokedReason ? <p className="prose-block">{creative.revokedReason}</p> : null}
        </Alert>
      ) : null}
      <div className="review-layout creative-review">
        <section className="stack stack--lg" aria-labelledby="versions-heading">
          <h2 id="versions-heading" className="visually-hidden">
            Submitted versions, newest first
          </h2>
          {latest ? (
            <Card
              title={
                <>
                  Version {latest.number} <Badge tone="info">Latest</Badge>
                </>
              }
              description={submittedLine(latest)}
            >
              <VersionBody version={latest} filesUrl={filesUrl} creativeTitle={creative.title} commentAction={commentAction} />
            </Card>
          ) : null}
          {earlier.length ? (
            <Card title="Earlier versions" description="What the partner sent before, newest first.">
              <div className="stack">
                {earlier.map((version) => (
                  <details key={version.id} className="creative-review__earlier">
                    <summary>
                      <strong>Version {version.number}</strong> <span className="muted small">{submittedLine(version)}</span>
                    </summary>
                    <VersionBody version={version} filesUrl={filesUrl} creativeTitle={creative.title} commentAction={null} />
                  </details>
                ))}
              </div>
            </Card>
          ) : null}
        </section>
        <aside className="stack stack--lg" aria-label="About this creative">
          <Card title="Partner">
            <dl className="detail-list">
              <dt>Name</dt>
              <dd>
                <Link to={`/admin/partners/${organisation.id}`}>{organisation.name}</Link>
              </dd>
              <dt>Status</dt>
              <dd>
                <Badge tone={PARTNER_STATUS_TONE[organisation.status]}>{partnerStatusLabel(organisation.status)}</Badge>
              </dd>
              <dt>Tier</dt>
              <dd>{organisation.tier ? tierLabel(organisation.tier) : none("Not set")}</dd>
              <dt>Type</dt>
              <dd>{organisation.partnerType ? labelOf(organisation.partnerType) : none("Not set")}</dd>
            </dl>
          </Card>
          <Card
            title="Review"
            description={
              review?.routing ? `${review.routing.autoApproved ? "Approved automatically by" : "Stages required by"} ${review.routing.reason}.` : undefined
            }
          >
            {review ? (
              <div className="stack">
                {review.stages.length ? (
                  <StageList
                    stages={review.stages}
                    assignmentUrl={`/admin/creatives/${creative.id}/assignment`}
                    claimable={review.stages.filter((s) => s.mayClaim).map((s) => s.stage)}
                    releasable={review.stages.filter((s) => s.mayRelease).map((s) => s.stage)}
                    showRequiredBy={false}
                  />
                ) : (
                  <p className="muted">{review.routing?.autoApproved ? "No reviewer was needed for this version." : "This version has no review stages."}</p>
                )}
                {review.stages
                  .filter((s) => s.conflict)
                  .map((s) => (
                    <p key={s.stage} className="small muted">
                      You cannot decide the {stageLabel(s.stage).toLowerCase()} review: {s.conflict}
                    </p>
                  ))}
                {review.decidable.map((stage) => (
                  <DecisionForm key={stage} stage={stage} version={creative.latestVersion} failure={failedIntent === "decide" ? failure : null} />
                ))}
                {review.mayRevoke ? <RevokeForm failure={failedIntent === "revoke" ? failure : null} /> : null}
              </div>
            ) : (
              <p className="muted">This creative has no review yet.</p>
            )}
            {versions.length > 1 ? (
              <p>
                <ButtonLink to={`/admin/creatives/${creative.id}/compare`} variant="secondary" size="sm">
                  Compare versions
                </ButtonLink>
              </p>
            ) : null}
          </Card>
          <TrackingLinkCard link={trackingLink} refusal={linkRefusal} canEditSettings={canEditLinkSettings} />
          <IncidentsCard rows={incidents} openHref={openIncidentHref} emptyText="No incident is about a version of this creative." />
          <PartnerHistoryCard organisationId={organisation.id} history={history} />
        </aside>
      </div>
    </>
  );
}

type Version = ReturnType<typeof useLoaderData<typeof loader>>["versions"][number];
type LoaderData = ReturnType<typeof useLoaderData<typeof loader>>;

/** The link issued when the creative was approved, or why none was: nothing before the first approval. */
function TrackingLinkCard({
  link,
  refusal,
  canEditSettings,
}: {
  link: LoaderData["trackingLink"];
  refusal: LoaderData["linkRefusal"];
  canEditSettings: boolean;
}) {
  if (link) {
    return (
      <Card title="Tracking link" description="Issued when the creative was approved.">
        <dl className="detail-list">
          <dt>Short URL</dt>
          <dd>
            <code className="link-code">{link.shortUrl}</code>
          </dd>
          <dt>Status</dt>
          <dd>
            <LinkStateBadges status={link.status} fallbackReason={link.fallbackReason} />
          </dd>
          <dt>Clicks</dt>
          <dd className="tabular">{link.clicks.toLocaleString("en")}</dd>
        </dl>
        <p className="small">
          <Link to={`/admin/links/${link.id}`}>Link page: clicks, UTM values, history</Link>
        </p>
      </Card>
    );
  }
  if (!refusal) return null;
  return (
    <Card title="Tracking link">
      <Alert tone="warning" live={false} title={`No link was issued${refusal.version ? ` for version ${refusal.version}` : ""}`}>
        <p>{refusal.reason}</p>
        <p className="small">
          {canEditSettings ? (
            <>
              The allowlist and the default destination are in <Link to="/admin/settings/links">Settings → Links</Link>.
            </>
          ) : (
            "An admin sets the allowlist and the default destination in Settings."
          )}
        </p>
      </Alert>
    </Card>
  );
}

const submittedLine = (version: Version) =>
  `Submitted ${formatDateTime(new Date(version.submittedAt))} by ${version.submittedByName} · checked with pre-screen rules v${version.ruleSetVersion}`;

/** One version as the reviewer reads it: the file first, then the copy with what the pre-screen found, the claims and the details. */
function VersionBody({
  version,
  filesUrl,
  creativeTitle,
  commentAction,
}: {
  version: Version;
  filesUrl: string;
  creativeTitle: string;
  commentAction: string | null;
}) {
  return (
    <div className="stack stack--lg creative-review__version">
      {version.decisions.length ? (
        <div>
          <h3 className="subsection-title">Decisions on version {version.number}</h3>
          <StageList stages={version.decisions} claimable={[]} releasable={[]} />
        </div>
      ) : null}
      <div>
        <h3 className="subsection-title">Files</h3>
        <CreativeViewer
          version={version.number}
          files={version.files}
          filesUrl={filesUrl}
          comments={version.comments}
          commentAction={commentAction}
          commentsTitle={`Comments on version ${version.number}`}
          emptyCommentsText={commentAction ? "No comments yet. Click a point on the file to pin one, or comment on the page." : "No comments on this version."}
        />
      </div>
      <div>
        <h3 className="subsection-title">Copy</h3>
        <HighlightedCopy copy={version.copy} findings={version.findings} />
        {version.findings.some((f) => f.start !== null) ? (
          <p className="muted small creative-review__legend">Marked: what the pre-screen found, errors in red and warnings in amber.</p>
        ) : null}
      </div>
      <div>
        <h3 className="subsection-title">Pre-screen findings</h3>
        <FindingList findings={version.findings} copy={version.copy} emptyText="The pre-screen passed this version with nothing to flag." />
      </div>
      <div>
        <h3 className="subsection-title">Claims used</h3>
        {version.claims.length ? (
          <ul className="plain-list stack stack--sm creative-claims">
            {version.claims.map((claim) => (
              <li key={claim.id}>
                <p className="creative-claims__text">{claim.text}</p>
                {claim.disclaimers.length ? (
                  <ul className="creative-claims__disclaimers">
                    {claim.disclaimers.map((disclaimer, i) => (
                      <li key={i}>{disclaimer}</li>
                    ))}
                  </ul>
                ) : (
                  <p className="muted small">No disclaimer required.</p>
                )}
              </li>
            ))}
          </ul>
        ) : (
          <p className="muted">No library claims picked.</p>
        )}
        {version.claims.length ? <p className="muted small">As the library worded them when this version was submitted.</p> : null}
      </div>
      <div>
        <h3 className="subsection-title">Details</h3>
        <dl className="detail-list">
          {version.title !== creativeTitle ? (
            <>
              <dt>Title</dt>
              <dd>{version.title}</dd>
            </>
          ) : null}
          <dt>Channel</dt>
          <dd>{labelOf(version.channel)}</dd>
          <dt>Placement</dt>
          <dd>{version.placement || none("Not given")}</dd>
          <dt>Planned launch</dt>
          <dd>{version.plannedLaunchOn ? formatDate(new Date(`${version.plannedLaunchOn}T00:00:00Z`)) : none("Not set")}</dd>
          <dt>Destination</dt>
          {/* Text, not a link: the pre-screen judged the address, a reviewer copies it deliberately. */}
          <dd>{version.destinationUrl ? <code className="creative-review__url">{version.destinationUrl}</code> : none("None")}</dd>
          <dt>Disclosure</dt>
          <dd>{version.disclosure || none("None given")}</dd>
        </dl>
      </div>
    </div>
  );
}
