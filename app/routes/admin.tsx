import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireInternalUser } from "~/lib/guards.server";
import { AreaLayout } from "~/components/area-shell";

// Layout only: every child route calls its own guard as well.
export async function loader({ request, context }: LoaderFunctionArgs) {
  await requireInternalUser(context, request);
  return null;
}

export default function AdminLayout() {
  return <AreaLayout />;
}
