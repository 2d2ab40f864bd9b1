import type { ActionFunctionArgs, HeadersFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import { attemptLogin } from "~/domain/accounts/login.server";
import { LoginSchema } from "~/domain/accounts/schemas.server";
import { getBranding } from "~/domain/settings/program.server";
import { clientMeta, formFailure, invalid, parseForm } from "~/lib/forms.server";
import { homePathFor, requireAnonymous, safeRedirect } from "~/lib/guards.server";
import { AuthShell } from "~/components/shell";
import { Button, Field, FormError } from "~/components/ui";

export const meta: MetaFunction = () => [{ title: "Sign in" }];

// Passes Retry-After from a throttled sign-in on to the document response.
export const headers: HeadersFunction = ({ actionHeaders }) => {
  const retryAfter = actionHeaders.get("Retry-After");
  const headers = new Headers();
  if (retryAfter) headers.set("Retry-After", retryAfter);
  return headers;
};

export async function loader({ request, context }: LoaderFunctionArgs) {
  await requireAnonymous(context, request);
  return { branding: await getBranding(context.app.db) };
}

export async function action({ request, context }: ActionFunctionArgs) {
  await requireAnonymous(context, request);
  const formData = await request.formData();
  const parsed = parseForm(formData, LoginSchema);
  if (!parsed.ok) return invalid(parsed.failure);
  const result = await attemptLogin(context.app, parsed.data, clientMeta(request, context));
  if (!result.ok && result.reason === "throttled") {
    const minutes = Math.ceil(result.retryAfterSeconds / 60);
    return data(formFailure(formData, `Too many sign-in attempts. Try again in ${minutes} minute${minutes === 1 ? "" : "s"}.`), {
      status: 429,
      headers: { "Retry-After": String(result.retryAfterSeconds) },
    });
  }
  if (!result.ok) return invalid(formFailure(formData, "The email or password is incorrect."), 400);
  const home = homePathFor({ role: result.role as "partner" });
  return redirect(safeRedirect(parsed.data.redirectTo, home), { headers: { "Set-Cookie": result.setCookie } });
}

export default function LoginRoute() {
  const { branding } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const [params] = useSearchParams();
  const pending = useNavigation().state === "submitting";
  return (
    <AuthShell branding={branding} title="Sign in" description={`Welcome back to ${branding.name}.`}>
      <Form method="post" className="stack" noValidate>
        {actionData?.formError ? <FormError>{actionData.formError}</FormError> : null}
        <input type="hidden" name="redirectTo" value={params.get("redirectTo") ?? ""} />
        <Field label="Email" name="email" type="email" autoComplete="email" required defaultValue={actionData?.values.email} error={actionData?.errors.email} />
        <Field label="Password" name="password" type="password" autoComplete="current-password" required error={actionData?.errors.password} />
        <Button type="submit" variant="primary" pending={pending}>
          Sign in
        </Button>
      </Form>
      <p className="muted">
        <Link to="/forgot-password">Forgot your password?</Link>
      </p>
    </AuthShell>
  );
}
