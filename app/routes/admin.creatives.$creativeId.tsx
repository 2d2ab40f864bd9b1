import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { CREATIVE_READER_ROLES, CREATIVE_REVIEWER_ROLES, hasRole } from "~/domain/accounts/roles";
import { labelOf } from "~/domain/applications/catalog";
import { getCreativeForTeam } from "~/domain/creatives/queries.server";
import { commentsOfCreative, commentsOfVersion } from "~/domain/review/comments.server";
import { partnerStatusLabel, PARTNER_STATUS_TONE, tierLabel } from "~/domain/partners/catalog";
import { idParam } from "~/lib/forms.server";
import { requireInternalUser } from "~/lib/guards.server";
import { notFound } from "~/lib/http.server";
import { CreativeStatusBadge, FindingList, HighlightedCopy } from "~/components/creative-parts";
import { CreativeViewer } from "~/components/creative-viewer";
import { formatDate, formatDateTime } from "~/components/format";
import { Alert, Badge, Card, PageHeader } from "~/components/ui";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data ? `${data.creative.title} · Creatives` : "Creative" }];

/**
 * A submitted creative as the brand team reads it: every version with its
 * copy, the pre-screen's findings, the claims as they stood and its files.
 * Read-only: decisions arrive with the review queue. Drafts are 404 here
 * (getCreativeForTeam never returns one): they stay the partner's own.
 */
export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const user = await requireInternalUser(context, request, CREATIVE_READER_ROLES);
  const found = await getCreativeForTeam(context.app.db, idParam(params, "creativeId"));
  if (!found) notFound();
  const { creative, organisation, versions } = found;
  const comments = await commentsOfCreative(context.app.db, creative.id);
  return {
    canComment: hasRole(user.role, CREATIVE_REVIEWER_ROLES),
    creative: {
      id: creative.id,
      title: creative.title,
      status: creative.status,
      channel: creative.channel,
      latestVersion: creative.latestVersion,
      submittedAt: creative.submittedAt,
      withdrawnAt: creative.withdrawnAt,
      withdrawnReason: creative.withdrawnReason,
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
    })),
  };
}

const none = (text: string) => <span className="muted">{text}</span>;

export default function AdminCreativeRoute() {
  const { creative, organisation, versions, canComment } = useLoaderData<typeof loader>();
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
          <Card title="Review">
            <p>Decisions (approve, request changes, reject) arrive with creative review, together with the queue, due times and comments on the image.</p>
            <p className="muted small">Until then this page shows what the partner submitted and what the pre-screen found.</p>
          </Card>
        </aside>
      </div>
    </>
  );
}

type Version = ReturnType<typeof useLoaderData<typeof loader>>["versions"][number];

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
