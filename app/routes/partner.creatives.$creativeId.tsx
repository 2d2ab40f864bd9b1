import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { CHANNELS, labelOf, REGIONS } from "~/domain/applications/catalog";
import { CREATIVE_ACCEPT, CREATIVE_LIMITS, isEditable, isWithdrawable } from "~/domain/creatives/catalog";
import { removeCreativeFile, uploadCreativeFileOutcome } from "~/domain/creatives/files.server";
import { prescreenDraftText } from "~/domain/creatives/prescreen-run.server";
import { creativeEditorOptions, getCreativeForOrganisation, isOwnCreative, listWorkingFiles } from "~/domain/creatives/queries.server";
import { CreativeActionSchema, CreativeDraftSchema } from "~/domain/creatives/schemas.server";
import { PrescreenBlocked, submitCreative, updateCreativeDraft, withdrawCreative } from "~/domain/creatives/submissions.server";
import { commentsForPartner, commentsOfVersion } from "~/domain/review/comments.server";
import { formatEarningsPerClick } from "~/domain/conversions/metrics";
import { performanceReport, programCurrency } from "~/domain/conversions/stats.server";
import { DEFAULT_STATS_DAYS } from "~/domain/links/catalog";
import { linkAddresses, partnerLinkView } from "~/domain/links/partner-links.server";
import { statsRange } from "~/domain/links/stats.server";
import { linkDetail, linkOfCreative } from "~/domain/links/queries.server";
import { prerenderPages } from "~/domain/review/pages.server";
import { nextStepForPartner, stagesOfCreative } from "~/domain/review/review-queries.server";
import { STAGE_STATUS_LABELS } from "~/domain/review/catalog";
import { stageLabel } from "~/domain/review/matrix";
import { canonicalOrigin } from "~/domain/settings/site.server";
import { domainFailure } from "~/lib/domain-responses.server";
import { formFailure, idParam, invalid, outcomeForPage, parseForm } from "~/lib/forms.server";
import { partnerActorOf, requirePartnerUser } from "~/lib/guards.server";
import { notFound } from "~/lib/http.server";
import { formatMoney } from "~/lib/money";
import { redirectWithToast } from "~/lib/toast.server";
import { CreativeForm, valuesFrom, type CreativeValues } from "~/components/creative-form";
import { CreativeStatusBadge, FileTile, FindingList, HighlightedCopy, type ShownFinding } from "~/components/creative-parts";
import { CreativeViewer } from "~/components/creative-viewer";
import { formatDate, formatDateTime } from "~/components/format";
import { LinkTools } from "~/components/link-card";
import { CopyField, formatCount, formatShare, LinkStateBadges } from "~/components/link-parts";
import { conversionsCount, OtherCurrencies } from "~/components/performance-parts";
import { UploadForm } from "~/components/upload-form";
import { Alert, Button, Card, FieldErrorMessage, PageHeader, TextareaField, UploadIcon } from "~/components/ui";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data ? `${data.creative.title} · Creatives` : "Creative" }];

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const user = await requirePartnerUser(context, request);
  const found = await getCreativeForOrganisation(context.app.db, user.partnerOrgId, idParam(params, "creativeId"));
  if (!found) notFound();
  const { creative, files, versions } = found;
  const editable = isEditable(creative.status);
  // Without JavaScript the page still shows what the pre-screen says about the saved copy.
  const [options, check] = editable
    ? await Promise.all([
        creativeEditorOptions(context.app, user.partnerOrgId),
        prescreenDraftText(
          context.app.db,
          user.partnerOrgId,
          { copy: creative.copy, channel: creative.channel, claimIds: creative.claimIds, destinationUrl: creative.destinationUrl || null },
          files.map((f) => ({
            originalFilename: f.originalFilename,
            contentType: f.contentType,
            byteSize: f.byteSize,
            width: f.width,
            height: f.height,
            pageCount: f.pageCount,
          })),
          context.app.clock.now(),
        ),
      ])
    : [null, null];
  const [comments, stages, issued] = await Promise.all([
    commentsForPartner(context.app.db, user.partnerOrgId, creative.id),
    stagesOfCreative(context.app.db, creative.id),
    // The link of the approved version, to share from here.
    creative.status === "approved" ? linkOfCreative(context.app.db, creative.id, user.partnerOrgId) : null,
  ]);
  const link = issued
    ? partnerLinkView(await linkDetail(context.app.db, issued.id, context.app.clock.now(), user.partnerOrgId), await linkAddresses(context.app))
    : null;
  // What the creative brought, all its links together (each approved version has its own), over the stats pages' default range.
  const performance = link
    ? (
        await performanceReport(
          context.app.db,
          { organisationId: user.partnerOrgId, creativeId: creative.id },
          statsRange(context.app.clock.now(), DEFAULT_STATS_DAYS),
          await programCurrency(context.app.db),
        )
      ).totals
    : null;
  // What the partner reads of the review: each stage's outcome and the reviewer's comment, never who on the team holds it.
  const decisionsOf = (number: number) =>
    stages
      .filter((s) => s.versionNumber === number && s.status !== "waiting" && s.status !== "cancelled")
      .map((s) => ({ stage: s.stage, status: s.status, comment: s.comment, decidedAt: s.decidedAt, carriedFromVersion: s.carriedFromVersion }));
  return {
    creative: {
      id: creative.id,
      title: creative.title,
      status: creative.status,
      channel: creative.channel,
      placement: creative.placement,
      plannedLaunchOn: creative.plannedLaunchOn,
      destinationUrl: creative.destinationUrl,
      copy: creative.copy,
      claimIds: creative.claimIds,
      disclosure: creative.disclosure,
      latestVersion: creative.latestVersion,
      withdrawnReason: creative.withdrawnReason,
      updatedAt: creative.updatedAt,
    },
    files,
    versions: versions.map((version) => ({ ...version, comments: commentsOfVersion(comments, version.number), decisions: decisionsOf(version.number) })),
    nextStep: nextStepForPartner(creative, stages, context.app.clock.now()),
    link,
    performance,
    editable,
    withdrawable: isWithdrawable(creative.status),
    options,
    check: check ? { findings: check.findings, limits: check.limits } : null,
  };
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const user = await requirePartnerUser(context, request);
  const creativeId = idParam(params, "creativeId");
  if (!(await isOwnCreative(context.app.db, user.partnerOrgId, creativeId))) notFound();
  const partner = partnerActorOf(user, context);
  // A file chosen without JavaScript comes here as a multipart form: streamed to storage, never read whole.
  if (/^multipart\/form-data/i.test(request.headers.get("Content-Type") ?? "")) {
    return outcomeForPage(await uploadCreativeFileOutcome(context.app, partner, creativeId, request), context);
  }
  const formData = await request.formData();
  const parsed = parseForm(formData, CreativeActionSchema);
  if (!parsed.ok) return invalid(parsed.failure);
  const here = `/partner/creatives/${creativeId}`;
  try {
    switch (parsed.data.intent) {
      case "save":
      case "submit": {
        const draft = parseForm(formData, CreativeDraftSchema);
        if (!draft.ok) return invalid(draft.failure);
        // What was typed is saved first, so a refused submission loses nothing.
        await updateCreativeDraft(context.app, partner, creativeId, draft.data);
        if (parsed.data.intent === "save") return redirectWithToast(context, here, { kind: "success", message: "Draft saved." });
        const { version, warnings, approved } = await submitCreative(context.app, partner, creativeId, await canonicalOrigin(context.app));
        // The reviewers' first look at a PDF should not wait for its pages: render them now, after the response.
        for (const file of await listWorkingFiles(context.app.db, creativeId)) {
          if (file.kind === "pdf")
            void prerenderPages(context.app, file.id).catch((error: unknown) =>
              context.app.log.warn("review.prerender_failed", { fileId: file.id, error: String(error) }),
            );
        }
        if (approved) {
          return redirectWithToast(context, here, {
            kind: "success",
            title: "Approved",
            message: `Version ${version} is approved: the program pre-approves creatives like this one when the pre-screen finds nothing.`,
          });
        }
        return redirectWithToast(context, here, {
          kind: "success",
          title: version === 1 ? "Submitted for review" : `Version ${version} submitted`,
          message: warnings
            ? `The reviewer sees the pre-screen's ${warnings} warning${warnings === 1 ? "" : "s"} with it. You are told when there is a decision.`
            : "You are told when there is a decision.",
        });
      }
      case "withdraw":
        await withdrawCreative(context.app, partner, creativeId, parsed.data.reason, await canonicalOrigin(context.app));
        return redirectWithToast(context, here, { kind: "info", message: "Withdrawn. The brand's reviewers were told it no longer needs review." });
      case "remove_file":
        await removeCreativeFile(context.app, partner, creativeId, parsed.data.fileId);
        return redirectWithToast(context, here, { kind: "success", message: "File removed." });
    }
  } catch (error) {
    if (error instanceof PrescreenBlocked) {
      return data({ ...formFailure(formData, error.message), findings: [...error.findings] }, { status: error.status });
    }
    return domainFailure(error, formData, { context, request });
  }
}

const NEXT_STEP_TITLE: Partial<Record<string, string>> = {
  submitted: "Waiting for review",
  in_review: "In review",
  changes_requested: "Changes requested",
  approved: "Approved",
  rejected: "Rejected",
  revoked: "Approval revoked",
};
const NEXT_STEP_TONE: Partial<Record<string, "info" | "warning" | "success" | "danger">> = {
  changes_requested: "warning",
  approved: "success",
  rejected: "danger",
  revoked: "danger",
};

export default function PartnerCreativeRoute() {
  const { creative, files, versions, editable, withdrawable, options, check, nextStep, link, performance } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  const busy = (intent: string) => navigation.state === "submitting" && navigation.formData?.get("intent") === intent;
  const failure = actionData && "ok" in actionData && actionData.ok === false ? actionData : null;
  const blocked: ShownFinding[] | null = failure && "findings" in failure ? (failure.findings as ShownFinding[]) : null;
  const labels = Object.fromEntries([...CHANNELS, ...REGIONS].map((o) => [o.value, labelOf(o.value)]));
  const intent = failure?.values["intent"];
  const formFailureShown = intent === "save" || intent === "submit" ? failure : null;
  const stored: CreativeValues = {
    title: creative.title,
    channel: creative.channel,
    placement: creative.placement,
    plannedLaunchOn: creative.plannedLaunchOn ?? "",
    destinationUrl: creative.destinationUrl,
    copy: creative.copy,
    claimIds: creative.claimIds,
    disclosure: creative.disclosure,
  };
  const fileFailure = failure && (failure.errors["file"]?.length || intent === "remove_file") ? failure : null;
  const baseUrl = `/partner/creatives/${creative.id}/files`;
  const latestDecisions = versions[0]?.decisions ?? [];
  return (
    <>
      <PageHeader
        title={creative.title}
        breadcrumbs={[{ to: "/partner/creatives", label: "Creatives" }]}
        meta={
          <>
            <CreativeStatusBadge status={creative.status} />
            <span className="muted small">
              {labelOf(creative.channel)}
              {creative.latestVersion ? ` · version ${creative.latestVersion}` : " · not submitted yet"} · last change{" "}
              {formatDateTime(new Date(creative.updatedAt))}
            </span>
          </>
        }
      />
      {creative.latestVersion && creative.status !== "withdrawn" ? (
        <Alert tone={NEXT_STEP_TONE[creative.status] ?? "info"} title={NEXT_STEP_TITLE[creative.status] ?? "Review"} live={false}>
          <p>{nextStep}</p>
          {latestDecisions
            .filter((d) => d.comment)
            .map((d) => (
              <blockquote key={d.stage} className="stage-list__comment prose-block">
                <strong>{stageLabel(d.stage)} review:</strong> {d.comment}
              </blockquote>
            ))}
          {versions[0]?.comments.length ? (
            <p className="small">The reviewers&rsquo; comments are pinned on the files of version {creative.latestVersion} below.</p>
          ) : null}
        </Alert>
      ) : null}
      {link ? (
        <Card
          title="Your link"
          description="Use this short link wherever you publish the creative: its clicks count for you."
          actions={<Link to={`/partner/links/${link.id}`}>Clicks and QR code</Link>}
        >
          <div className="stack">
            <div>
              <LinkStateBadges status={link.status} fallbackReason={link.fallbackReason} />
            </div>
            <CopyField id="creative-short-url" label="Short link" name={creative.title} value={link.shortUrl} />
            <LinkTools link={link} />
            {performance ? (
              <section className="creative-performance" aria-labelledby="creative-performance-title">
                <h3 className="subsection-title" id="creative-performance-title">
                  Last {DEFAULT_STATS_DAYS} days
                </h3>
                {performance.conversions > 0 || performance.otherCurrencies.length > 0 ? (
                  <>
                    <dl className="detail-list">
                      <dt>Clicks</dt>
                      <dd>
                        {formatCount(performance.clicks)} ({formatCount(performance.uniqueClicks)} unique)
                      </dd>
                      <dt>Conversions</dt>
                      <dd>{conversionsCount(performance.conversions)}</dd>
                      <dt>Revenue</dt>
                      <dd>{formatMoney(performance.revenueMinor, performance.currency)}</dd>
                      <dt>Commission</dt>
                      <dd>{formatMoney(performance.commissionMinor, performance.currency)}</dd>
                      <dt>Conversion rate</dt>
                      <dd>{formatShare(performance.conversionRate)}</dd>
                      <dt>EPC</dt>
                      <dd>{formatEarningsPerClick(performance.epcMinor, performance.currency)}</dd>
                    </dl>
                    <OtherCurrencies figures={performance.otherCurrencies} />
                  </>
                ) : (
                  <p className="muted">
                    {formatCount(performance.clicks)} clicks, no conversions yet. Conversions appear when the brand reports a sale attributed to your link.
                  </p>
                )}
              </section>
            ) : null}
          </div>
        </Card>
      ) : creative.status === "approved" ? (
        <Alert tone="info" title="No link for this version" live={false}>
          <p>The approved version has no destination the program allows, so no tracking link was issued. Ask your contact at the program.</p>
        </Alert>
      ) : null}
      {creative.status === "withdrawn" ? (
        <Alert tone="info" title="Withdrawn">
          {/* Withdrawn by the partner, or by the kill switch when the partnership was paused or ended: the reason says which. */}
          This creative was withdrawn before a decision{creative.withdrawnReason ? `. Reason: ${creative.withdrawnReason}` : "."} Start a new creative to send
          it again.
        </Alert>
      ) : null}
      {blocked ? (
        <Alert tone="danger" title="Not submitted yet">
          Your changes are saved. The pre-screen found problems to fix first: each one is marked in the copy and listed beside it.
        </Alert>
      ) : null}

      {editable && options ? (
        <>
          <Card
            title="Files"
            description="The image, PDF or video the creative is. PNG, JPEG, WebP and GIF up to 25 MB, PDF up to 100 MB, MP4 and WebM video up to 200 MB."
            id="files"
          >
            {files.length ? (
              <ul className="file-tiles">
                {files.map((file) => (
                  <FileTile key={file.id} file={file} baseUrl={baseUrl}>
                    <Form method="post" className="inline-form">
                      <input type="hidden" name="fileId" value={file.id} />
                      <Button
                        type="submit"
                        name="intent"
                        value="remove_file"
                        variant="ghost"
                        size="sm"
                        disabled={busy("remove_file")}
                        aria-label={`Remove ${file.originalFilename}`}
                      >
                        Remove
                      </Button>
                    </Form>
                  </FileTile>
                ))}
              </ul>
            ) : (
              <p className="muted">No files yet. A creative needs at least one before it can be submitted.</p>
            )}
            {files.length < CREATIVE_LIMITS.filesPerCreative ? (
              <UploadForm uploadUrl={baseUrl} serverFailure={fileFailure} label="Upload a file" className="upload-row">
                {({ failure: shown, uploading }) => (
                  <>
                    <div className="field">
                      <label htmlFor="field-file" className="field__label">
                        Add a file
                      </label>
                      <input
                        id="field-file"
                        name="file"
                        type="file"
                        accept={CREATIVE_ACCEPT}
                        className="field__control"
                        aria-invalid={shown?.errors["file"]?.length ? true : undefined}
                        aria-describedby={shown?.errors["file"]?.length ? "field-file-error" : undefined}
                      />
                      <FieldErrorMessage id="field-file-error" messages={shown?.errors["file"] ?? (shown?.formError ? [shown.formError] : [])} />
                    </div>
                    <Button type="submit" variant="secondary" icon={<UploadIcon />} disabled={uploading}>
                      Upload
                    </Button>
                  </>
                )}
              </UploadForm>
            ) : (
              <p className="muted small">A creative has at most {CREATIVE_LIMITS.filesPerCreative} files.</p>
            )}
          </Card>
          <CreativeForm
            key={creative.latestVersion}
            values={formFailureShown ? valuesFrom(formFailureShown.values, stored) : stored}
            errors={formFailureShown?.errors ?? {}}
            formError={formFailureShown?.formError ?? null}
            channels={options.channels}
            claims={options.claims}
            labelOf={labels}
            checkUrl="/partner/creatives/prescreen"
            creativeId={creative.id}
            initialCheck={blocked && check ? { findings: blocked, limits: check.limits } : check}
            actions={
              <>
                <Button type="submit" name="intent" value="submit" variant="primary" disabled={busy("submit")}>
                  {busy("submit") ? "Submitting…" : creative.latestVersion ? `Submit version ${creative.latestVersion + 1}` : "Submit for review"}
                </Button>
                <Button type="submit" name="intent" value="save" variant="secondary" disabled={busy("save")}>
                  {busy("save") ? "Saving…" : "Save draft"}
                </Button>
              </>
            }
          />
        </>
      ) : null}

      {versions.length ? (
        <section aria-labelledby="versions-heading" className="stack">
          <h2 id="versions-heading" className="section-title">
            Submitted versions
          </h2>
          {versions.map((version) => (
            <Card
              key={version.id}
              title={`Version ${version.number}`}
              description={`Submitted ${formatDateTime(new Date(version.submittedAt))} by ${version.submittedByName} · checked with pre-screen rules v${version.ruleSetVersion}`}
            >
              <dl className="detail-list">
                <dt>Channel</dt>
                <dd>
                  {labelOf(version.channel)}
                  {version.placement ? ` · ${version.placement}` : ""}
                </dd>
                <dt>Planned launch</dt>
                <dd>{version.plannedLaunchOn ? formatDate(new Date(`${version.plannedLaunchOn}T00:00:00Z`)) : "Not set"}</dd>
                <dt>Destination</dt>
                <dd className="break-all">{version.destinationUrl || "None"}</dd>
                <dt>Disclosure</dt>
                <dd>{version.disclosure || "None given"}</dd>
              </dl>
              {version.decisions.length ? (
                <>
                  <h3 className="subsection-title">Review</h3>
                  <ul className="plain-list stack stack--sm">
                    {version.decisions.map((d) => (
                      <li key={d.stage}>
                        <strong>{stageLabel(d.stage)} review:</strong> {STAGE_STATUS_LABELS[d.status]}
                        {d.carriedFromVersion ? ` (carried over from version ${d.carriedFromVersion})` : ""}
                        {d.decidedAt ? <span className="muted small"> · {formatDateTime(new Date(d.decidedAt))}</span> : null}
                        {d.comment ? <blockquote className="stage-list__comment prose-block">{d.comment}</blockquote> : null}
                      </li>
                    ))}
                  </ul>
                </>
              ) : null}
              <h3 className="subsection-title">Copy</h3>
              <HighlightedCopy copy={version.copy} findings={version.findings} />
              {version.claims.length ? (
                <>
                  <h3 className="subsection-title">Claims used</h3>
                  <ul className="plain-list">
                    {version.claims.map((claim) => (
                      <li key={claim.id}>
                        {claim.text} <span className="muted small">{claim.disclaimers.join(" ")}</span>
                      </li>
                    ))}
                  </ul>
                </>
              ) : null}
              <h3 className="subsection-title">Pre-screen</h3>
              <FindingList findings={version.findings} copy={version.copy} emptyText="Passed with nothing to flag." />
              <h3 className="subsection-title">Files</h3>
              <CreativeViewer
                version={version.number}
                files={version.files}
                filesUrl={baseUrl}
                comments={version.comments}
                commentAction={null}
                commentsTitle="Comments from the review team"
                // One viewer per version: each comments region needs its own name (axe landmark-unique).
                commentsLabel={`Comments from the review team on version ${version.number}`}
                emptyCommentsText="The review team has not commented on this version."
              />
            </Card>
          ))}
        </section>
      ) : null}
      {withdrawable ? (
        <Card title="Withdraw" description="Take it back before the brand decides, for instance to change it. It cannot be submitted again once withdrawn.">
          <Form method="post" className="form-narrow">
            <TextareaField
              label="Why"
              name="reason"
              rows={2}
              required
              error={intent === "withdraw" ? failure?.errors["reason"] : undefined}
              defaultValue={intent === "withdraw" ? failure?.values["reason"] : ""}
              textareaProps={{ maxLength: CREATIVE_LIMITS.withdrawReasonChars }}
            />
            {intent === "withdraw" && failure?.formError ? <p className="text-danger small">{failure.formError}</p> : null}
            <Button type="submit" name="intent" value="withdraw" variant="danger" disabled={busy("withdraw")}>
              Withdraw
            </Button>
          </Form>
        </Card>
      ) : null}
    </>
  );
}
