import type { LoaderFunctionArgs } from "@remix-run/node";
import { Link, useLoaderData, useLocation } from "@remix-run/react";
import { POLICIES_PATH } from "~/domain/policies/catalog";
import { partnerGateFor, requirePartnerUser } from "~/lib/guards.server";
import { AreaLayout } from "~/components/area-shell";
import { Alert } from "~/components/ui";

// Layout only: it renders the shell, never data of its own, so it does not
// gate. Every child route calls its own guard, which does.
export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requirePartnerUser(context, request, "open");
  const gate = await partnerGateFor(context, request, user);
  return { updates: gate.updates };
}

export default function PartnerLayout() {
  const { updates } = useLoaderData<typeof loader>();
  const { pathname } = useLocation();
  const notice =
    updates > 0 && !pathname.startsWith(POLICIES_PATH) ? (
      <Alert tone="info" live={false} className="area-notice" title={updates === 1 ? "A policy was updated" : `${updates} policies were updated`}>
        The brand published a new version since you accepted. Please read it and accept it. <Link to={POLICIES_PATH}>Review the update</Link>
      </Alert>
    ) : null;
  return <AreaLayout notice={notice} />;
}
