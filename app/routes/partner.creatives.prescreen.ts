import type { ActionFunctionArgs } from "@remix-run/node";
import { liveCheck } from "~/domain/creatives/prescreen-run.server";
import { LiveCheckSchema } from "~/domain/creatives/schemas.server";
import { DomainError } from "~/lib/errors";
import { partnerActorOf, requirePartnerUser } from "~/lib/guards.server";

const MAX_BODY_BYTES = 64 * 1024;

/**
 * The pre-screen while a partner types: the copy as it stands, checked
 * against the brand's rules, answered as JSON. Advice only: submitting runs
 * the same check again on the server. Partner users only, rate-limited.
 */
export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requirePartnerUser(context, request, "resource");
  const text = await request.text();
  if (text.length > MAX_BODY_BYTES) return Response.json({ error: "The copy is too long to check." }, { status: 413 });
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return Response.json({ error: "Send the draft as JSON." }, { status: 400 });
  }
  const parsed = LiveCheckSchema.safeParse(body);
  if (!parsed.success) return Response.json({ error: "The draft could not be read." }, { status: 400 });
  try {
    const result = await liveCheck(context.app, partnerActorOf(user, context), parsed.data);
    return Response.json(
      { findings: result.findings, limits: result.limits, ruleSetVersion: result.ruleSetVersion },
      { headers: { "Cache-Control": "no-store" } },
    );
  } catch (error) {
    if (error instanceof DomainError && error.kind === "rate_limited")
      return Response.json({ error: error.message }, { status: 429, headers: { "Retry-After": "60" } });
    if (error instanceof DomainError && error.kind === "not_found") return Response.json({ error: "Creative not found." }, { status: 404 });
    throw error;
  }
}
