import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { creativeUpdatesForPartner } from "~/domain/creatives/queries.server";
import { onboardingChecklist } from "~/domain/partners/onboarding.server";
import { getOwnOrganisation } from "~/domain/partners/organisations.server";
import { describeTerms, partnerStatusLabel, PARTNER_STATUS_TONE, tierLabel } from "~/domain/partners/catalog";
import { lastTermsChange } from "~/domain/partners/terms.server";
import { partnerHealth, partnerHealthTrend } from "~/domain/partners/health-score.server";
import { HealthSummary } from "~/components/health-parts";
import { mapDomainErrors } from "~/lib/domain-responses.server";
import { requirePartnerUser } from "~/lib/guards.server";
import { formatDate } from "~/components/format";
import { CreativeStatusBadge } from "~/components/creative-parts";
import { DoneMark } from "~/components/done-mark";
import { Badge, Card, PageHeader, Stat } from "~/components/ui";

export const meta: MetaFunction = () => [{ title: "Partner home" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requirePartnerUser(context, request);
  const scope = { context, request };
  const { org, members } = await mapDomainErrors(getOwnOrganisation(context.app.db, user.partnerOrgId), scope);
  const now = context.app.clock.now();
  // Its own organisation only (the session's), as the partner sees it: incidents count once shared with them.
  const [checklist, termsChangedAt, creativeUpdates, health, healthTrend] = await mapDomainErrors(
    Promise.all([
      onboardingChecklist(context.app.db, user.partnerOrgId, user),
      lastTermsChange(context.app.db, user.partnerOrgId),
      creativeUpdatesForPartner(context.app.db, user.partnerOrgId, now),
      partnerHealth(context.app.db, user.partnerOrgId, now, "partner"),
      partnerHealthTrend(context.app.db, user.partnerOrgId, now, "partner"),
    ]),
    scope,
  );
  return {
    user: { name: user.name, partnerRole: user.partnerRole },
    org: {
      name: org.name,
      status: org.status,
      tier: org.tier,
      terms: describeTerms(org),
      activatedAt: org.activatedAt,
      renewalDate: org.renewalDate,
      termsChangedAt,
    },
    memberCount: members.length,
    checklist,
    creativeUpdates,
    // Shown once the partnership is under way; while onboarding the checklist is what matters.
    health: health && org.status !== "onboarding" ? health : null,
    healthTrend: healthTrend.map((p) => ({ period: p.period, score: p.score })),
  };
}

export default function PartnerHome() {
  const { user, org, memberCount, checklist, creativeUpdates, health, healthTrend } = useLoaderData<typeof loader>();
  const done = checklist.filter((s) => s.done).length;
  return (
    <>
      <PageHeader
        title={org.name}
        description={`Welcome, ${user.name.split(" ")[0]}. You are ${user.partnerRole === "owner" ? "the owner" : "a member"} of this partner organisation.`}
        meta={<Badge tone={PARTNER_STATUS_TONE[org.status]}>{partnerStatusLabel(org.status)}</Badge>}
      />
      <div className="stat-grid stat-grid--text">
        <Stat label="Tier" value={tierLabel(org.tier)} />
        <Stat label="Terms" value={org.terms} hint={org.termsChangedAt ? `Changed ${formatDate(org.termsChangedAt)}` : undefined} />
        <Stat label="Team" value={memberCount} hint={memberCount === 1 ? "person" : "people"} />
        <Stat
          label="Partner since"
          value={org.activatedAt ? formatDate(org.activatedAt) : "Onboarding"}
          hint={org.renewalDate ? `Renews ${formatDate(org.renewalDate)}` : undefined}
        />
      </div>
      {creativeUpdates.length ? (
        <Card title="Creative updates" description="Decisions on your creatives, and what waits for you.">
          <ul className="plain-list stack stack--sm creative-updates">
            {creativeUpdates.map((update) => (
              <li key={update.id}>
                <Link to={`/partner/creatives/${update.id}`}>{update.title}</Link> <CreativeStatusBadge status={update.status} />{" "}
                <span className="muted small">
                  {update.status === "changes_requested"
                    ? `Upload version ${update.latestVersion + 1} with the changes asked for.`
                    : update.decidedAt
                      ? `Version ${update.latestVersion}, decided ${formatDate(update.decidedAt)}`
                      : ""}
                </span>
              </li>
            ))}
          </ul>
        </Card>
      ) : null}
      {health ? (
        <Card
          id="health"
          title="Your health score"
          description="How the brand team sees your partnership over the last 90 days: performance, compliance, how quickly you act on requested changes, and whether you have accepted the current policies. Incidents count once they are shared with you."
          actions={<Link to="/partner/reports/health">How to raise it</Link>}
        >
          <HealthSummary health={health} trend={healthTrend} />
        </Card>
      ) : null}
      <Card title="Getting started" description={`${done} of ${checklist.length} steps done`}>
        <ol className="checklist" aria-label="Onboarding checklist">
          {checklist.map((step) => (
            <li key={step.key} data-done={step.done}>
              <DoneMark done={step.done} />
              <strong>{step.title}</strong>
              <div className="small">
                {step.detail} {!step.done && step.href && step.linkLabel ? <Link to={step.href}>{step.linkLabel}</Link> : null}
              </div>
            </li>
          ))}
        </ol>
      </Card>
    </>
  );
}
