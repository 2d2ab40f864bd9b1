import type { LoaderFunctionArgs } from "@remix-run/node";
import { Link, useLoaderData, useLocation } from "@remix-run/react";
import { POLICIES_PATH } from "~/domain/policies/catalog";
import { partnerGateFor } from "~/domain/policies/acceptance.server";
import { partnershipStanding } from "~/domain/partners/lifecycle.server";
import { requirePartnerUser } from "~/lib/guards.server";
import { AreaErrorBoundary, AreaLayout } from "~/components/area-shell";
import { PolicyChanges } from "~/components/policy-parts";
import { formatDateTime } from "~/components/format";
import { Alert } from "~/components/ui";

// Layout only: it renders the shell, never data of its own, so it does not
// gate. Every child route calls its own guard, which does.
export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requirePartnerUser(context, request, "open");
  const [gate, standing] = await Promise.all([partnerGateFor(context.app.db, request, user.id), partnershipStanding(context.app.db, user.partnerOrgId)]);
  // Minor changes only: a material one holds the partner at the policies page, which says so itself.
  return { updated: gate.changed.filter((c) => c.state === "update").map(({ state: _state, ...change }) => change), standing };
}

export default function PartnerLayout() {
  const { updated, standing } = useLoaderData<typeof loader>();
  const { pathname } = useLocation();
  const policyNotice =
    updated.length > 0 && !pathname.startsWith(POLICIES_PATH) ? (
      <Alert
        tone="info"
        live={false}
        className="area-notice"
        title={updated.length === 1 ? "A policy was updated" : `${updated.length} policies were updated`}
        actions={<Link to={POLICIES_PATH}>Review the update</Link>}
      >
        <p>The brand published a minor change since you accepted. Your access continues; please read it and accept it.</p>
        <PolicyChanges changes={updated} label="Updated policies" />
      </Alert>
    ) : null;
  // The kill switch: on every page of the area, so no refused action comes as a surprise.
  const standingNotice = standing ? (
    <Alert
      tone="danger"
      live={false}
      className="area-notice"
      title={standing.status === "paused" ? "Your partnership is paused" : "Your partnership has ended"}
    >
      <p>
        {standing.status === "paused" ? "The program paused your partnership" : "The program ended your partnership"}
        {standing.since ? ` on ${formatDateTime(standing.since)}` : ""}.{standing.reason ? ` Why: ${standing.reason}` : ""}
      </p>
      <p>
        Visitors of your links go to the program&apos;s fallback page; downloads, kits, new links and submissions are closed, and creatives that were waiting
        for review were withdrawn.{standing.status === "paused" ? " Your contact at the program can tell you when it resumes." : ""}
      </p>
    </Alert>
  ) : null;
  return (
    <AreaLayout
      notice={
        standingNotice || policyNotice ? (
          <>
            {standingNotice}
            {policyNotice}
          </>
        ) : null
      }
    />
  );
}

// A page's 404 or 403 keeps the area's navigation (see AreaErrorBoundary).
export function ErrorBoundary() {
  return <AreaErrorBoundary />;
}
