import type { LoaderFunctionArgs } from "@remix-run/node";
import { requirePartnerUser } from "~/lib/guards.server";
import { AreaLayout } from "~/components/area-shell";

// Layout only: every child route calls its own guard as well.
export async function loader({ request, context }: LoaderFunctionArgs) {
  await requirePartnerUser(context, request);
  return null;
}

export default function PartnerLayout() {
  return <AreaLayout />;
}
