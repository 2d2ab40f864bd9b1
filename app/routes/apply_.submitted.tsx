import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { applicationStatusPath } from "~/domain/applications/catalog";
import { SubmittedQuerySchema } from "~/domain/applications/schemas.server";
import { getBranding } from "~/domain/settings/program.server";
import { getUser } from "~/lib/guards.server";
import { AuthShell } from "~/components/shell";

export const meta: MetaFunction = () => [{ title: "Application received" }];

/**
 * The confirmation after applying or sending an update back. It shows the
 * reference from the address and the generic next steps, nothing looked up,
 * so the page is the same for a reference that exists and one that does not.
 */
export async function loader({ request, context }: LoaderFunctionArgs) {
  const query = SubmittedQuerySchema.safeParse(Object.fromEntries(new URL(request.url).searchParams));
  if (!query.success) throw redirect("/apply");
  const [branding, user] = await Promise.all([getBranding(context.app.db), getUser(context, request)]);
  return {
    branding,
    user: user && { name: user.name, email: user.email, role: user.role },
    reference: query.data.reference,
    amended: query.data.amended === "1",
  };
}

export default function ApplicationSubmittedRoute() {
  const { branding, user, reference, amended } = useLoaderData<typeof loader>();
  return (
    <AuthShell branding={branding} user={user} title={amended ? "Thank you, your application is back with us" : "Application received"}>
      {amended ? (
        <p>
          Application <strong className="reference">{reference}</strong> is back in our review queue.
        </p>
      ) : (
        <p>
          Thank you. Your reference is <strong className="reference">{reference}</strong>.
        </p>
      )}
      <p className="muted">We emailed a confirmation to the address you gave. Our team reviews every application and will email you with a decision.</p>
      <p>
        <Link to={applicationStatusPath(reference)}>Check your application&apos;s status</Link> · <Link to="/">Back to the program page</Link>
      </p>
    </AuthShell>
  );
}
