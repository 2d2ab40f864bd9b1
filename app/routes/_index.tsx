import type { LoaderFunctionArgs } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { getBranding } from "~/domain/settings/program.server";
import { getUser } from "~/lib/guards.server";
import { PublicShell } from "~/components/shell";

export async function loader({ request, context }: LoaderFunctionArgs) {
  const [branding, user] = await Promise.all([getBranding(context.app.db), getUser(context, request)]);
  return { branding, user: user && { name: user.name, email: user.email, role: user.role } };
}

const BENEFITS = [
  { title: "Approved brand assets", body: "Logos, images and guidelines in the format and size you need, always the current version." },
  { title: "Claims you can trust", body: "A library of approved product claims with the disclaimers that go with them." },
  { title: "Fast creative review", body: "Submit co-branded creative, see what needs fixing before you submit, and get a clear decision." },
  { title: "Tracking that adds up", body: "Links for every approved creative, with clicks and conversions you and the brand both see." },
];

export default function Landing() {
  const { branding, user } = useLoaderData<typeof loader>();
  return (
    <PublicShell branding={branding} user={user}>
      <section className="hero">
        <p className="hero__eyebrow">Partner program</p>
        <h1>{branding.name}</h1>
        <p className="hero__tagline">{branding.tagline}</p>
        <p className="hero__description">{branding.description}</p>
        <div className="cluster">
          {user ? (
            <Link className="button button--primary" to={user.role === "partner" ? "/partner" : "/admin"}>
              Go to your dashboard
            </Link>
          ) : (
            <>
              <Link className="button button--primary" to="/apply">
                Apply now
              </Link>
              <Link className="button button--secondary" to="/login">
                Partner sign in
              </Link>
            </>
          )}
        </div>
      </section>
      <section aria-labelledby="benefits-title" className="benefits">
        <h2 id="benefits-title">What partners get</h2>
        <ul className="benefit-grid" role="list">
          {BENEFITS.map((b) => (
            <li key={b.title} className="card benefit">
              <h3>{b.title}</h3>
              <p className="muted">{b.body}</p>
            </li>
          ))}
        </ul>
      </section>
    </PublicShell>
  );
}
