import type { LoaderFunctionArgs } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { renderPolicyMarkdown } from "~/domain/policies/markdown.server";
import { commissionModelLabel } from "~/domain/settings/catalog";
import { getBranding, getProgramSummary } from "~/domain/settings/program.server";
import { getUser } from "~/lib/guards.server";
import { PolicyText } from "~/components/policy-parts";
import { PublicShell } from "~/components/shell";
import { DataTable } from "~/components/ui";

export async function loader({ request, context }: LoaderFunctionArgs) {
  const [branding, summary, user] = await Promise.all([getBranding(context.app.db), getProgramSummary(context.app.db), getUser(context, request)]);
  // Rendered and sanitized here, by the policies' renderer; an empty part stays null and is not shown.
  const html = (markdown: string) => (markdown ? renderPolicyMarkdown(markdown) : null);
  return {
    branding,
    summary: {
      earnings: html(summary.summaryEarnings),
      earningsRows: summary.earningsRows.map((row) => ({ tier: row.tier.replace(/_/g, " "), model: commissionModelLabel(row.model), range: row.range })),
      requirements: html(summary.summaryRequirements),
      faq: html(summary.summaryFaq),
    },
    user: user && { name: user.name, email: user.email, role: user.role },
  };
}

const EARNINGS_COLUMNS = [
  { key: "tier", header: "Tier", rowHeader: true },
  { key: "model", header: "How you are paid" },
  { key: "range", header: "Range" },
] as const;

const BENEFITS = [
  { title: "Approved brand assets", body: "Logos, images and guidelines in the format and size you need, always the current version." },
  { title: "Claims you can trust", body: "A library of approved product claims with the disclaimers that go with them." },
  { title: "Fast creative review", body: "Submit co-branded creative, see what needs fixing before you submit, and get a clear decision." },
  { title: "Tracking that adds up", body: "Links for every approved creative, with clicks and conversions you and the brand both see." },
];

export default function Landing() {
  const { branding, summary, user } = useLoaderData<typeof loader>();
  const showEarnings = summary.earnings !== null || summary.earningsRows.length > 0;
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
      {showEarnings || summary.requirements || summary.faq ? (
        <div className="program-summary">
          {showEarnings ? (
            <section aria-labelledby="earnings-title">
              <h2 id="earnings-title">What partners earn</h2>
              {summary.earningsRows.length > 0 ? (
                <DataTable
                  caption="Earnings by tier"
                  captionHidden
                  className="earnings-table"
                  columns={EARNINGS_COLUMNS}
                  rows={summary.earningsRows}
                  getRowKey={(row) => row.tier}
                  renderCell={(row, key) => row[key]}
                />
              ) : null}
              {summary.earnings ? <PolicyText html={summary.earnings} /> : null}
            </section>
          ) : null}
          {summary.requirements ? (
            <section aria-labelledby="requirements-title">
              <h2 id="requirements-title">Requirements</h2>
              <PolicyText html={summary.requirements} />
            </section>
          ) : null}
          {summary.faq ? (
            <section aria-labelledby="faq-title">
              <h2 id="faq-title">Questions partners ask</h2>
              <PolicyText html={summary.faq} />
            </section>
          ) : null}
          {user ? null : (
            <div className="cluster">
              <Link className="button button--primary" to="/apply">
                Apply now
              </Link>
            </div>
          )}
        </div>
      ) : null}
    </PublicShell>
  );
}
