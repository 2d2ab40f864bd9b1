import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useEffect, useRef } from "react";
import { POLICY_AUTHOR_ROLES, POLICY_REQUIRED_SETTER_ROLES } from "~/domain/accounts/roles";
import {
  diffPolicyText,
  discardDraft,
  getPolicyWithVersions,
  policyContentHash,
  publishDraft,
  renderPolicyMarkdown,
  saveDraft,
  setPolicyRequired,
} from "~/domain/policies/policies.server";
import { PolicyActionSchema } from "~/domain/policies/schemas.server";
import { coverageByVersion } from "~/domain/policies/coverage.server";
import { invalid, parseForm, idParam } from "~/lib/forms.server";
import { domainFailure } from "~/lib/domain-responses.server";
import { canonicalOrigin } from "~/domain/settings/site.server";
import { actorOf, requireInternalUser, requireIntentRole } from "~/lib/guards.server";
import { notFound } from "~/lib/http.server";
import { redirectWithToast } from "~/lib/toast.server";
import { formatDateTime } from "~/components/format";
import { IntentButton } from "~/components/intent-button";
import { CoverageBar, gatesSentence, PolicyDiff, PolicyText, type PublicationImpact } from "~/components/policy-parts";
import { Badge, Button, Card, CheckboxField, Field, FormError, PageHeader, TextareaField } from "~/components/ui";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data ? `${data.policy.title} · Policies` : "Policy" }];

async function requireAuthor(args: LoaderFunctionArgs) {
  const user = await requireInternalUser(args.context, args.request, POLICY_AUTHOR_ROLES);
  return { user, policyId: idParam(args.params, "policyId") };
}

export async function loader(args: LoaderFunctionArgs) {
  const { policyId } = await requireAuthor(args);
  const [found, coverage] = await Promise.all([getPolicyWithVersions(args.context.app.db, policyId), coverageByVersion(args.context.app.db, policyId)]);
  if (!found) notFound();
  const { policy, draft, published } = found;
  const current = published[0] ?? null;
  const params = new URL(args.request.url).searchParams;
  const shownNumber = Number(params.get("version")) || current?.number || null;
  const shown = published.find((v) => v.number === shownNumber) ?? current;
  // ?compare=N shows version N against the one before it; ?compare=draft the draft against the current version.
  const compare = params.get("compare");
  let diff: { title: string; parts: ReturnType<typeof diffPolicyText> } | null = null;
  if (compare === "draft" && draft) {
    diff = {
      title: current ? `Draft against version ${current.number}` : "Draft (nothing published yet)",
      parts: diffPolicyText(current?.body ?? "", draft.body),
    };
  } else if (compare) {
    const after = published.find((v) => v.number === Number(compare));
    const before = after ? published.find((v) => v.number === after.number! - 1) : undefined;
    if (after)
      diff = {
        title: before ? `Version ${after.number} against version ${before.number}` : `Version ${after.number} (the first)`,
        parts: diffPolicyText(before?.body ?? "", after.body),
      };
  }
  return {
    policy: { id: policy.id, title: policy.title, description: policy.description, required: policy.required },
    draft: draft && {
      body: draft.body,
      changeSummary: draft.changeSummary,
      updatedAt: draft.updatedAt,
      authorName: draft.authorName,
      html: renderPolicyMarkdown(draft.body),
      contentHash: policyContentHash(draft.body),
    },
    current: current && { number: current.number! },
    shown: shown && {
      number: shown.number!,
      html: renderPolicyMarkdown(shown.body),
      publishedAt: shown.publishedAt!,
      contentHash: shown.contentHash!,
      material: shown.material,
    },
    versions: published.map((v) => ({
      number: v.number!,
      publishedAt: v.publishedAt!,
      material: v.material,
      changeSummary: v.changeSummary,
      contentHash: v.contentHash!,
      authorName: v.authorName,
    })),
    startingText: draft?.body ?? current?.body ?? "",
    // The editor is uncontrolled: a new key makes React build a fresh form whose
    // fields show this text, instead of keeping what was typed into the old one
    // (a discarded draft's text, which a Save would otherwise bring back).
    editorKey: draft ? `draft:${draft.id}:${new Date(draft.updatedAt).getTime()}` : `version:${current?.number ?? 0}`,
    coverage: coverage.slice(0, 3),
    diff,
  };
}

export async function action(args: ActionFunctionArgs) {
  const { user, policyId } = await requireAuthor(args);
  const { request, context } = args;
  const formData = await request.formData();
  const parsed = parseForm(formData, PolicyActionSchema);
  if (!parsed.ok) return invalid(parsed.failure);
  const actor = actorOf(user, context);
  const input = parsed.data;
  let message: string;
  try {
    switch (input.intent) {
      case "save_draft":
        await saveDraft(context.app, actor, policyId, input);
        message = "Draft saved. Check the preview, then publish it.";
        break;
      case "publish": {
        const outcome = await publishDraft(context.app, actor, policyId, input, await canonicalOrigin(context.app));
        // Nothing was published: the page asks to confirm, with whom the version gates.
        if (!outcome.published) return { ok: true as const, confirm: { number: outcome.number, impact: outcome.impact, draftHash: input.draftHash } };
        message = outcome.material
          ? "Published. Partners must accept it before they continue; each was emailed a link to it."
          : "Published. Partners see a notice asking them to read it; their access continues.";
        break;
      }
      case "discard":
        await discardDraft(context.app, actor, policyId);
        message = "Draft discarded.";
        break;
      case "set_required":
        requireIntentRole(context, request, user, POLICY_REQUIRED_SETTER_ROLES, "Only an admin can change whether a policy is required.");
        await setPolicyRequired(context.app, actor, policyId, input.required);
        message = "Saved.";
        break;
    }
  } catch (error) {
    return domainFailure(error, formData, { context, request });
  }
  return redirectWithToast(context, `/admin/policies/${policyId}${input.intent === "save_draft" ? "?compare=draft" : ""}`, { kind: "success", message });
}

export default function PolicyRoute() {
  const data = useLoaderData<typeof loader>();
  const { policy, draft, shown, diff } = data;
  const answer = useActionData<typeof action>();
  const failure = answer && !answer.ok ? answer : null;
  const confirmation = answer?.ok ? answer.confirm : null;
  const navigation = useNavigation();
  const busy = (intent: string) => navigation.state === "submitting" && navigation.formData?.get("intent") === intent;
  const draftFailure = failure?.values.intent === "save_draft" ? failure : null;
  const publishError = failure?.values.intent === "publish" ? (failure.formError ?? Object.values(failure.errors).flat()[0]) : null;

  return (
    <>
      <PageHeader
        title={policy.title}
        breadcrumbs={[{ to: "/admin/policies", label: "Policies" }]}
        meta={policy.required ? <Badge tone="brand">Required</Badge> : <Badge>Optional</Badge>}
        description={policy.description || undefined}
      />
      {publishError ? <FormError>{publishError}</FormError> : failure?.formError && !draftFailure ? <FormError>{failure.formError}</FormError> : null}
      {confirmation ? <ConfirmMaterialPublish policyId={policy.id} required={policy.required} pending={busy("publish")} {...confirmation} /> : null}
      <div className="review-layout">
        <div className="stack stack--lg">
          {diff ? (
            <Card title="What changed" description={diff.title}>
              <PolicyDiff parts={diff.parts} />
            </Card>
          ) : null}
          {draft ? (
            <Card
              title="Draft preview"
              description={`Last saved ${formatDateTime(draft.updatedAt)}${draft.authorName ? ` by ${draft.authorName}` : ""}. Partners see this once it is published.`}
            >
              <PolicyText html={draft.html} />
            </Card>
          ) : null}
          <Card title={draft ? "Edit the draft" : data.current ? `Write version ${data.current.number + 1}` : "Write the first version"}>
            <Form key={data.editorKey} method="post" className="stack" noValidate>
              <input type="hidden" name="intent" value="save_draft" />
              {draftFailure?.formError ? <FormError>{draftFailure.formError}</FormError> : null}
              <TextareaField
                label="Policy text"
                name="body"
                rows={16}
                required
                description="Markdown: # headings, **bold**, lists, links and tables."
                defaultValue={draftFailure?.values.body ?? data.startingText}
                error={draftFailure?.errors.body}
              />
              <Field
                label="What changed"
                name="changeSummary"
                description="One line for the version history, e.g. “Commission paid monthly instead of quarterly”."
                defaultValue={draftFailure?.values.changeSummary ?? draft?.changeSummary}
                error={draftFailure?.errors.changeSummary}
              />
              <div className="cluster">
                <Button type="submit" pending={busy("save_draft")}>
                  Save draft
                </Button>
              </div>
            </Form>
          </Card>
          {shown ? (
            <Card title={`Version ${shown.number}`} description={`Published ${formatDateTime(shown.publishedAt)} · SHA-256 ${shown.contentHash.slice(0, 12)}…`}>
              <PolicyText html={shown.html} />
            </Card>
          ) : null}
        </div>
        <div className="stack stack--lg">
          {draft ? (
            <Card title="Publish the draft">
              <Form method="post" className="stack" noValidate>
                <input type="hidden" name="intent" value="publish" />
                <input type="hidden" name="draftHash" value={draft.contentHash} />
                {data.current ? (
                  <CheckboxField
                    label="Material change"
                    name="material"
                    defaultChecked={failure?.values.material === "on"}
                    description="Partners lose access until they accept it again. Leave unticked for corrections that only ask them to read the update."
                  />
                ) : (
                  <p className="muted text-sm">The first version is always material: partners must accept it before the partner area opens.</p>
                )}
                <div className="cluster">
                  <Button type="submit" variant="primary" pending={busy("publish")}>
                    Publish version {data.current ? data.current.number + 1 : 1}
                  </Button>
                </div>
              </Form>
              <div className="cluster" style={{ marginTop: "var(--space-3)" }}>
                <Link to="?compare=draft">Compare with the current version</Link>
                <IntentButton intent="discard" size="sm" variant="ghost">
                  Discard draft
                </IntentButton>
              </div>
            </Card>
          ) : null}
          {data.coverage.length > 0 ? (
            <Card title="Coverage" description="Organisations where every active member accepted the version.">
              <ul className="plain-list stack stack--sm" aria-label="Coverage by version">
                {data.coverage.map((c) => (
                  <li key={c.number}>
                    <div className="cluster cluster--sm">
                      <Link to={`/admin/policies/${policy.id}/coverage?version=${c.number}`} aria-label={`Coverage of version ${c.number}`}>
                        Version {c.number}
                      </Link>
                      <span className="muted small">{`${c.covered} of ${c.organisations} organisations`}</span>
                    </div>
                    <CoverageBar covered={c.covered} total={c.organisations} />
                  </li>
                ))}
              </ul>
              <p className="small">
                <Link to={`/admin/policies/${policy.id}/coverage`}>Who has not accepted, and reminders</Link>
              </p>
            </Card>
          ) : null}
          <Card title="Versions" flush={data.versions.length > 0}>
            {data.versions.length === 0 ? (
              <p className="muted">Nothing published yet.</p>
            ) : (
              <ol className="timeline version-list">
                {data.versions.map((v) => (
                  <li key={v.number}>
                    <div className="cluster cluster--sm">
                      <Link to={`?version=${v.number}`}>Version {v.number}</Link>
                      {v.material ? <Badge tone="warning">Material</Badge> : <Badge>Minor</Badge>}
                    </div>
                    {v.changeSummary ? <div>{v.changeSummary}</div> : null}
                    <time dateTime={new Date(v.publishedAt).toISOString()}>
                      {formatDateTime(v.publishedAt)}
                      {v.authorName ? ` · ${v.authorName}` : ""}
                    </time>
                    <Link to={`?version=${v.number}&compare=${v.number}`} className="text-sm">
                      What changed
                    </Link>
                  </li>
                ))}
              </ol>
            )}
          </Card>
        </div>
      </div>
    </>
  );
}

/**
 * The second step of a material publication: whom it gates, and a form that
 * publishes the very draft the counts were made for. It is plain HTML, so it
 * works without JavaScript; with it, focus moves here so the question is heard.
 */
function ConfirmMaterialPublish({
  policyId,
  required,
  number,
  impact,
  draftHash,
  pending,
}: {
  policyId: string;
  required: boolean;
  number: number;
  impact: PublicationImpact;
  draftHash: string;
  pending: boolean;
}) {
  const region = useRef<HTMLElement>(null);
  useEffect(() => region.current?.focus(), []);
  return (
    <section ref={region} tabIndex={-1} aria-labelledby="confirm-publish-title" className="confirm-panel">
      <Card title={<span id="confirm-publish-title">{`Publish version ${number} as a material change?`}</span>}>
        <div className="stack">
          <p>
            <strong>{gatesSentence(impact, required)}</strong>
          </p>
          {required && impact.people > 0 ? (
            <p>
              Until each of them accepts version {number}, the partner area opens only its policy pages for them. Each gets an email with a link to read and
              accept it.
            </p>
          ) : null}
          <Form method="post" className="cluster">
            <input type="hidden" name="intent" value="publish" />
            <input type="hidden" name="material" value="on" />
            <input type="hidden" name="confirmed" value="on" />
            <input type="hidden" name="draftHash" value={draftHash} />
            <Button type="submit" variant="primary" pending={pending}>
              Yes, publish version {number}
            </Button>
            <Link to={`/admin/policies/${policyId}`}>Cancel</Link>
          </Form>
        </div>
      </Card>
    </section>
  );
}
