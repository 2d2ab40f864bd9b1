import type { LoaderFunctionArgs } from "@remix-run/node";
import { pingDatabase } from "~/lib/db.server";

// For load balancers and uptime checks: answers 200 only when the database does.
export async function loader({ context }: LoaderFunctionArgs) {
  try {
    await pingDatabase(context.app.db);
    return Response.json({ status: "ok" }, { headers: { "Cache-Control": "no-store" } });
  } catch {
    return Response.json({ status: "unavailable" }, { status: 503, headers: { "Cache-Control": "no-store" } });
  }
}
