import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { getBranding } from "~/domain/settings/program.server";
import { getUser } from "~/lib/guards.server";
import { PublicShell } from "~/components/shell";

export const meta: MetaFunction = () => [{ title: "Privacy notice" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const [branding, user] = await Promise.all([getBranding(context.app.db), getUser(context, request)]);
  return { branding, user: user && { name: user.name, email: user.email, role: user.role } };
}

/** What applying shares and how it is used; the apply form's consent links here. */
export default function PrivacyRoute() {
  const { branding, user } = useLoaderData<typeof loader>();
  return (
    <PublicShell branding={branding} user={user}>
      <article className="stack apply">
        <h1>Privacy notice</h1>
        <p className="lead">How {branding.name} uses the details you give us when you apply and when you work with us as a partner.</p>
        <h2>What we collect</h2>
        <ul>
          <li>
            What you enter in the application: company, your name and email address, website, social handles, partner type, channels, audience size and regions,
            and your descriptions of your audience and plans.
          </li>
          <li>The network address your application came from, to protect the form from abuse.</li>
          <li>If you become a partner: your account, what you accept, download and submit, and the results of your links.</li>
        </ul>
        <h2>Why we use it</h2>
        <ul>
          <li>
            To assess your application, including an automatic fit score and checks for duplicate or risky applications. A person on our team makes every
            decision.
          </li>
          <li>To email you about your application and, if you are accepted, to run the partnership.</li>
          <li>To keep a tamper-evident record of decisions and agreements.</li>
        </ul>
        <h2>Who sees it</h2>
        <p>Only the {branding.name} team that runs the program. We do not sell your details or share them for advertising.</p>
        <h2>How long we keep it</h2>
        <p>
          Applications that are not accepted are kept so that we can honour the waiting period before a new application, and for the record of our decisions.
          Partner records are kept for as long as the partnership runs and as long afterwards as the law requires.
        </p>
        <h2>Your choices</h2>
        <p>
          You can ask us what we hold about you, ask us to correct it, or ask us to delete it where we are not required to keep it. Reply to any email you
          received from us to do so.
        </p>
        <p>
          <Link to="/apply">Back to the application</Link>
        </p>
      </article>
    </PublicShell>
  );
}
