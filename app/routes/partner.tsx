import type { LoaderFunctionArgs } from "@remix-run/node";
import { Outlet, useRouteLoaderData } from "@remix-run/react";
import { requirePartnerUser } from "~/lib/guards.server";
import { AreaShell } from "~/components/area-shell";
import type { RootData } from "~/root";

// Layout only: every child route calls its own guard as well.
export async function loader({ request, context }: LoaderFunctionArgs) {
  await requirePartnerUser(context, request);
  return null;
}

export default function PartnerLayout() {
  const root = useRouteLoaderData<RootData>("root");
  if (!root?.user) return null;
  return (
    <AreaShell branding={root.branding} user={root.user}>
      <Outlet />
    </AreaShell>
  );
}
