import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { problem } from "~/lib/api.server";

// Any other address under /api/v1: a problem document a program can read,
// not the portal's HTML 404 page.
const noSuchEndpoint = (request: Request) =>
  problem("not_found", `There is no API endpoint at ${new URL(request.url).pathname}. The API documentation lists them (Admin → API).`);

export const loader = ({ request }: LoaderFunctionArgs) => noSuchEndpoint(request);

export const action = ({ request }: ActionFunctionArgs) => noSuchEndpoint(request);
