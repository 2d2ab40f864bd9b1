import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireInternalUser } from "~/lib/guards.server";
import { AreaErrorBoundary, AreaLayout } from "~/components/area-shell";

// Layout only: every child route calls its own guard as well.
export async function loader({ request, context }: LoaderFunctionArgs) {
  await requireInternalUser(context, request);
  return null;
}

export default function AdminLayout() {
  return <AreaLayout />;
}

// A page's 404 or 403 keeps the area's navigation (see AreaErrorBoundary).
export function ErrorBoundary() {
  return <AreaErrorBoundary />;
}
