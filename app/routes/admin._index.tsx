import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { getOverview } from "~/domain/settings/overview.server";
import { APPLICATION_REVIEWER_ROLES, AUDIT_READER_ROLES, CLAIM_EDITOR_ROLES, hasRole, PARTNER_DIRECTORY_ROLES, roleLabel } from "~/domain/accounts/roles";
import { requireInternalUser } from "~/lib/guards.server";
import { DoneMark } from "~/components/done-mark";
import { Card, PageHeader, Stat } from "~/components/ui";

export const meta: MetaFunction = () => [{ title: "Overview" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requireInternalUser(context, request);
  return { user: { name: user.name, role: user.role }, overview: await getOverview(context.app.db, context.app.clock.now()) };
}

export default function AdminOverview() {
  const { user, overview } = useLoaderData<typeof loader>();
  const isAdmin = user.role === "admin";
  const canReview = hasRole(user.role, APPLICATION_REVIEWER_ROLES);
  const seesClaims = hasRole(user.role, CLAIM_EDITOR_ROLES);
  const seesPartners = hasRole(user.role, PARTNER_DIRECTORY_ROLES);
  const readsAudit = hasRole(user.role, AUDIT_READER_ROLES);
  return (
    <>
      <PageHeader title={`Hello, ${user.name.split(" ")[0]}`} description={`Signed in as ${roleLabel(user.role).toLowerCase()}.`} />
      <div className="stat-grid">
        {canReview ? (
          <Stat
            label={<Link to="/admin/applications">Applications to review</Link>}
            value={String(overview.applicationsToReview)}
            hint={overview.applicationsWithApplicant ? `${overview.applicationsWithApplicant} waiting for the applicant` : "None waiting for applicants"}
          />
        ) : null}
        {seesClaims ? (
          <Stat
            label={<Link to="/admin/claims?status=draft">Claims to approve</Link>}
            value={String(overview.claimsToApprove)}
            hint={overview.claimsPastReview ? `${overview.claimsPastReview} approved past their review date` : "None past their review date"}
          />
        ) : null}
        <Stat
          label="Team members"
          value={String(overview.activeTeam)}
          hint={`${overview.openInvitations} open invitation${overview.openInvitations === 1 ? "" : "s"}`}
        />
        <Stat label={seesPartners ? <Link to="/admin/partners">Partner organisations</Link> : "Partner organisations"} value={String(overview.partners)} />
        <Stat
          label="Emails sent or kept"
          value={String(overview.emailsDelivered)}
          hint={overview.emailsWaiting ? `${overview.emailsWaiting} waiting` : "None waiting"}
        />
        {readsAudit ? <Stat label={<Link to="/admin/audit">Audit events</Link>} value={String(overview.auditEvents)} /> : null}
      </div>
      {user.role === "analyst" ? (
        <Card title="What you can read" description="Reports arrive later. Until then, this is what analysts can open; everything is read-only.">
          <ul className="plain-list stack stack--sm">
            <li>
              <Link to="/admin/partners">Partner directory</Link> — every partner organisation with its status, tier, type, regions and terms; export it as CSV.
            </li>
            <li>
              <Link to="/admin/downloads">Download log</Link> — who downloaded which asset or kit, and when; also <a href="/admin/downloads.csv">as CSV</a>.
            </li>
            <li>
              <Link to="/admin/audit">Audit trail</Link> — every change and decision on record, with an integrity check.
            </li>
          </ul>
        </Card>
      ) : null}
      {isAdmin ? (
        <Card title="Getting started">
          <ol className="checklist">
            <li data-done={overview.activeTeam > 1}>
              <DoneMark done={overview.activeTeam > 1} />
              <Link to="/admin/users">Invite your team</Link> — brand reviewers, legal reviewers and analysts.
            </li>
            <li data-done={overview.brandingSet}>
              <DoneMark done={overview.brandingSet} />
              <Link to="/admin/settings">Describe your program</Link> — name, tagline, description and colour.
            </li>
            <li data-done={overview.emailsDelivered > 0}>
              <DoneMark done={overview.emailsDelivered > 0} />
              <Link to="/admin/outbox">Check the outbox</Link> — without SMTP configured, emails are kept here.
            </li>
            <li data-done={overview.requiredPoliciesUnpublished === 0}>
              <DoneMark done={overview.requiredPoliciesUnpublished === 0} />
              <Link to="/admin/policies">Publish your policies</Link> — partners accept the required ones before the partner area opens
              {overview.requiredPoliciesUnpublished > 0 ? ` (${overview.requiredPoliciesUnpublished} not yet published)` : ""}.
            </li>
            <li data-done={overview.activeAssets > 0}>
              <DoneMark done={overview.activeAssets > 0} />
              <Link to="/admin/assets/new">Upload your brand assets</Link> — logos, product images and guidelines, then{" "}
              <Link to="/admin/kits">bundle a starter kit</Link>.
            </li>
            <li data-done={overview.partners > 0}>
              <DoneMark done={overview.partners > 0} />
              <Link to="/admin/settings">Set the application rules</Link>, share <Link to="/apply">the apply page</Link> and{" "}
              <Link to="/admin/applications">approve your first partner</Link>.
            </li>
          </ol>
        </Card>
      ) : null}
    </>
  );
}
