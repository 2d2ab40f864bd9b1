import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { BrandingSchema } from "~/domain/accounts/schemas.server";
import { getBranding, updateBranding } from "~/domain/settings/program.server";
import { actorOf, requireInternalUser } from "~/lib/guards.server";
import { invalid, parseForm } from "~/lib/forms.server";
import { Button, Card, Field, FormSuccess, PageHeader, TextareaField } from "~/components/ui";

export const meta: MetaFunction = () => [{ title: "Settings" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  await requireInternalUser(context, request, ["admin"]);
  return { branding: await getBranding(context.app.db) };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const admin = await requireInternalUser(context, request, ["admin"]);
  const parsed = parseForm(await request.formData(), BrandingSchema);
  if (!parsed.ok) return invalid(parsed.failure);
  await updateBranding(context.app.db, actorOf(admin, context), parsed.data);
  return { ok: true as const };
}

export default function SettingsRoute() {
  const { branding } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const pending = useNavigation().state === "submitting";
  const failure = actionData && !actionData.ok ? actionData : null;
  const value = (name: keyof typeof branding) => failure?.values[name] ?? branding[name];
  return (
    <>
      <PageHeader title="Settings" description="How your program presents itself to partners and applicants." />
      <Card title="Program identity">
        <Form method="post" className="stack form-narrow" noValidate>
          {actionData?.ok ? <FormSuccess>Settings saved.</FormSuccess> : null}
          <Field label="Program name" name="name" required defaultValue={value("name")} error={failure?.errors.name} />
          <Field label="Tagline" name="tagline" required defaultValue={value("tagline")} description="One line under the name on the public page." error={failure?.errors.tagline} />
          <TextareaField label="Public description" name="description" rows={5} required defaultValue={value("description")} error={failure?.errors.description} />
          <Field label="Brand colour" name="brandColor" required defaultValue={value("brandColor")} description="A hex colour such as #4f46e5, used for buttons and highlights." error={failure?.errors.brandColor} inputProps={{ pattern: "#[0-9a-fA-F]{6}" }} />
          <div>
            <Button type="submit" variant="primary" pending={pending}>
              Save settings
            </Button>
          </div>
        </Form>
      </Card>
    </>
  );
}
