import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { acceptPolicyVersion, getVersionForPartner, policyStandingFor } from "~/domain/policies/acceptance.server";
import { POLICIES_PATH, POLICY_STATE_LABELS, policyPath } from "~/domain/policies/catalog";
import { diffPolicyReadingText, renderPolicyMarkdown } from "~/domain/policies/policies.server";
import { AcceptPolicySchema } from "~/domain/policies/schemas.server";
import { clientMeta, invalid, parseForm, idParam } from "~/lib/forms.server";
import { domainFailure } from "~/lib/domain-responses.server";
import { requirePartnerUser, safeRedirect } from "~/lib/guards.server";
import { notFound } from "~/lib/http.server";
import { redirectWithToast } from "~/lib/toast.server";
import { formatDate, formatDateTime } from "~/components/format";
import { PolicyDiff, PolicyText } from "~/components/policy-parts";
import { Alert, Badge, Button, Card, CheckboxField, FormError, PageHeader } from "~/components/ui";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data ? `${data.policy.title} · Policies` : "Policy" }];

function policyIdOf(params: LoaderFunctionArgs["params"]): string {
  return idParam(params, "policyId");
}

const returnPath = (value: string | null | undefined) => (value ? safeRedirect(value, "/partner") : null);

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const user = await requirePartnerUser(context, request, "open");
  const policyId = policyIdOf(params);
  const found = await getVersionForPartner(context.app.db, policyId, user.id);
  if (!found) notFound();
  const { standing, body, previouslyAcceptedBody, all } = found;
  const toAccept = all.filter((p) => p.state !== "accepted" && p.state !== "optional");
  return {
    redirectTo: returnPath(new URL(request.url).searchParams.get("redirectTo")),
    policy: {
      id: standing.policyId,
      title: standing.title,
      description: standing.description,
      required: standing.required,
      versionId: standing.versionId,
      number: standing.number,
      contentHash: standing.contentHash,
      publishedAt: standing.publishedAt,
      changeSummary: standing.changeSummary,
      state: standing.state,
      acceptedNumber: standing.acceptedNumber,
      acceptedAt: standing.acceptedAt,
    },
    html: renderPolicyMarkdown(body),
    changes: previouslyAcceptedBody === null ? null : diffPolicyReadingText(previouslyAcceptedBody, body),
    position: toAccept.findIndex((p) => p.policyId === policyId) + 1,
    remaining: toAccept.length,
  };
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const user = await requirePartnerUser(context, request, "open");
  const policyId = policyIdOf(params);
  const formData = await request.formData();
  const parsed = parseForm(formData, AcceptPolicySchema);
  if (!parsed.ok) return invalid(parsed.failure);
  try {
    await acceptPolicyVersion(context.app, user, parsed.data, clientMeta(request, context));
  } catch (error) {
    return domainFailure(error, formData, { context, request });
  }
  // On to the next policy that asks for acceptance, then back where the partner was going.
  const redirectTo = returnPath(parsed.data.redirectTo);
  const standing = await policyStandingFor(context.app.db, user.id);
  const next = standing.find((p) => p.state === "blocking" && p.policyId !== policyId) ?? standing.find((p) => p.state === "update" && p.policyId !== policyId);
  if (next) return redirect(policyPath(next.policyId, redirectTo));
  const done = {
    kind: "success",
    title: "You have accepted every required policy. Thank you.",
    message: "The rest of the partner area is now open to you.",
  } as const;
  if (redirectTo) return redirectWithToast(context, redirectTo, done);
  return redirectWithToast(context, POLICIES_PATH, { ...done, link: { to: "/partner", label: "Continue to the partner home" } });
}

export default function PartnerPolicyRoute() {
  const { policy, html, changes, redirectTo, position, remaining } = useLoaderData<typeof loader>();
  const failure = useActionData<typeof action>();
  const pending = useNavigation().state === "submitting";
  const { label, tone } = POLICY_STATE_LABELS[policy.state];
  const accepted = policy.state === "accepted";
  return (
    <>
      <PageHeader
        title={policy.title}
        breadcrumbs={[{ to: redirectTo ? `${POLICIES_PATH}?redirectTo=${encodeURIComponent(redirectTo)}` : POLICIES_PATH, label: "Policies" }]}
        description={`Version ${policy.number}, published ${formatDate(policy.publishedAt)}${policy.changeSummary ? `: ${policy.changeSummary}` : ""}`}
        meta={
          <>
            <Badge tone={tone}>{label}</Badge>
            {!accepted && position > 0 && remaining > 1 ? <span className="muted small">{`${position} of ${remaining} to accept`}</span> : null}
          </>
        }
      />
      {policy.state === "update" ? (
        <Alert tone="info" live={false} title={`Updated since you accepted version ${policy.acceptedNumber}`}>
          This is a minor change: your access continues. Please read what changed and accept the new version.
        </Alert>
      ) : null}
      {policy.state === "blocking" && policy.acceptedNumber !== null ? (
        <Alert tone="warning" live={false} title={`Version ${policy.number} changes the terms you accepted`}>
          Read what changed and accept the new version to keep using the partner area.
        </Alert>
      ) : null}
      {failure?.formError ? <FormError>{failure.formError}</FormError> : null}
      {changes ? (
        <Card title="What changed" description={`Since version ${policy.acceptedNumber}, which you accepted`}>
          <PolicyDiff parts={changes} />
        </Card>
      ) : null}
      <Card title={`${policy.title}, version ${policy.number}`} description={policy.description || undefined}>
        <PolicyText html={html} />
      </Card>
      {accepted ? (
        <Card>
          <p>
            You accepted version {policy.number} on {formatDateTime(policy.acceptedAt!)}.{" "}
            <Link to={POLICIES_PATH}>See your organisation&apos;s record and receipts</Link>
          </p>
        </Card>
      ) : (
        <Card title="Accept">
          {/* Keyed by version: accepting one policy leads straight to the next on this same route, and React would otherwise keep the box ticked for a text not yet read. */}
          <Form key={policy.versionId} method="post" className="stack" noValidate>
            <input type="hidden" name="versionId" value={policy.versionId} />
            <input type="hidden" name="contentHash" value={policy.contentHash} />
            {redirectTo ? <input type="hidden" name="redirectTo" value={redirectTo} /> : null}
            <CheckboxField
              name="confirm"
              required
              label={`I have read and accept ${policy.title}, version ${policy.number}`}
              description="Your acceptance is recorded with your name, your organisation, the time and the exact text (by its fingerprint)."
              error={failure?.errors.confirm}
            />
            <div className="cluster">
              <Button type="submit" variant="primary" pending={pending}>
                Accept version {policy.number}
              </Button>
            </div>
          </Form>
        </Card>
      )}
    </>
  );
}
