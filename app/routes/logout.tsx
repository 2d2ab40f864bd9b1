import type { ActionFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { logout } from "~/domain/accounts/login.server";
import { clientMeta } from "~/lib/forms.server";
import { getCurrent } from "~/lib/guards.server";
import { redirectWithToast } from "~/lib/toast.server";

// POST only: a GET must never end a session (no state change in loaders).
export async function loader() {
  return redirect("/");
}

export async function action({ request, context }: ActionFunctionArgs) {
  const current = await getCurrent(context, request);
  if (current) await logout(context.app, current, clientMeta(request, context));
  return redirectWithToast(context, "/login", { kind: "info", message: "You have signed out." }, { headers: { "Set-Cookie": context.app.auth.blankCookie() } });
}
