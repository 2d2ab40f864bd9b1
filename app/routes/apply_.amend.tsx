import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { describeAmendment } from "~/domain/applications/amend.server";
import { amendWithReply } from "~/domain/applications/replies.server";
import { getBranding, getProgramRules } from "~/domain/settings/program.server";
import { clientMeta, outcomeForPage } from "~/lib/forms.server";
import { canonicalOrigin } from "~/domain/settings/site.server";
import { getUser } from "~/lib/guards.server";
import { ApplicationForm, ReplyFields } from "~/components/application-form";
import { AuthShell, PublicShell } from "~/components/shell";
import { Alert } from "~/components/ui";

export const meta: MetaFunction = () => [{ title: "Update your application" }, { name: "referrer", content: "no-referrer" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const token = new URL(request.url).searchParams.get("token");
  const [branding, rules, user, amendment] = await Promise.all([
    getBranding(context.app.db),
    getProgramRules(context.app.db),
    getUser(context, request),
    describeAmendment(context.app, token),
  ]);
  return {
    branding,
    token,
    offered: { partnerTypesOffered: rules.partnerTypesOffered, channelsOffered: rules.channelsOffered },
    user: user && { name: user.name, email: user.email, role: user.role },
    amendment,
  };
}

/** The updated answers, with an optional reply and file; success redirects to the confirmation (post/redirect/get). */
export async function action({ request, context }: ActionFunctionArgs) {
  const outcome = await amendWithReply(context.app, request, clientMeta(request, context), await canonicalOrigin(context.app));
  return outcomeForPage(outcome, context);
}

export default function AmendApplicationRoute() {
  const { branding, token, offered, user, amendment } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const pending = useNavigation().state === "submitting";

  if (!amendment.ok) {
    return (
      <AuthShell branding={branding} user={user} title="This link can't be used" description={amendment.message}>
        <StatusLink />
      </AuthShell>
    );
  }
  const failure = actionData ?? null;
  return (
    <PublicShell branding={branding} user={user}>
      <div className="stack stack--lg apply">
        <header className="stack stack--sm">
          <h1>Update your application</h1>
          <p className="muted">
            Reference <span className="reference">{amendment.reference}</span>. Change what you need to and send it back; your answers are kept as they were.
          </p>
        </header>
        <Alert tone="info" title="Our team asked" live={false}>
          <p className="prose-block">{amendment.question}</p>
        </Alert>
        <ApplicationForm
          offered={offered}
          values={failure?.values ?? { ...amendment.answers, privacyConsent: "yes" }}
          failure={failure}
          pending={pending}
          submitLabel="Send updated application"
          lockedEmail={amendment.answers.email}
          multipart
          hidden={<input type="hidden" name="token" value={token ?? ""} />}
          beforeConsent={<ReplyFields values={failure?.values ?? {}} errors={failure?.errors ?? {}} fileRefused={Boolean(failure)} />}
        />
      </div>
    </PublicShell>
  );
}

function StatusLink() {
  return (
    <p>
      <Link to="/apply/status">Check your application&apos;s status</Link>
    </p>
  );
}
