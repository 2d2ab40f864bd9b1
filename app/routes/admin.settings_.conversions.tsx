import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { CONVERSION_SETTINGS_EDITOR_ROLES } from "~/domain/accounts/roles";
import { ATTRIBUTION_MODELS, CONVERSION_SETTINGS_LIMITS, DEFAULT_CONVERSION_SETTINGS, type ConversionSettings } from "~/domain/conversions/catalog";
import { ConversionSettingsSchema } from "~/domain/conversions/schemas.server";
import { conversionSettingsSavedBy, getConversionSettings, saveConversionSettings } from "~/domain/conversions/settings.server";
import { changedSettingNames } from "~/domain/versioned-settings.server";
import { domainFailure } from "~/lib/domain-responses.server";
import { invalid, parseForm } from "~/lib/forms.server";
import { actorOf, requireInternalUser } from "~/lib/guards.server";
import { redirectWithToast } from "~/lib/toast.server";
import { formatDateTime } from "~/components/format";
import { SettingsShell } from "~/components/settings-shell";
import { Alert, Button, Card, CheckboxField, Field, FormError, PageHeader, RadioGroupField, SelectField } from "~/components/ui";

export const meta: MetaFunction = () => [{ title: "Conversions · Settings" }];

const HERE = "/admin/settings/conversions";

const SETTING_LABELS: Record<keyof ConversionSettings, string> = {
  attributionWindowDays: "attribution window",
  attributionModel: "attribution model",
  programCurrency: "program currency",
  partnersCreateCoupons: "partner coupon codes",
};

export async function loader({ request, context }: LoaderFunctionArgs) {
  await requireInternalUser(context, request, CONVERSION_SETTINGS_EDITOR_ROLES);
  const db = context.app.db;
  const [settings, saved] = await Promise.all([getConversionSettings(db), conversionSettingsSavedBy(db)]);
  const names = new Intl.DisplayNames("en", { type: "currency" });
  return {
    settings,
    saved,
    currencies: Intl.supportedValuesOf("currency").map((code) => ({ value: code, label: `${code} · ${names.of(code) ?? code}` })),
  };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const admin = await requireInternalUser(context, request, CONVERSION_SETTINGS_EDITOR_ROLES);
  const formData = await request.formData();
  const parsed = parseForm(formData, ConversionSettingsSchema);
  if (!parsed.ok) return invalid(parsed.failure);
  let changed: (keyof ConversionSettings)[];
  try {
    ({ changed } = await saveConversionSettings(context.app, actorOf(admin, context), parsed.data));
  } catch (error) {
    return domainFailure(error, formData, { context, request });
  }
  if (!changed.length) return redirectWithToast(context, HERE, { kind: "info", message: "Nothing changed." });
  return redirectWithToast(context, HERE, {
    kind: "success",
    title: "Conversion settings saved",
    message: `Conversions received from now on follow them; those already recorded keep the window and model they were attributed under. Changed: ${changedSettingNames(SETTING_LABELS, changed).join(", ")}.`,
  });
}

export default function ConversionSettingsRoute() {
  const { settings, saved, currencies } = useLoaderData<typeof loader>();
  const failure = useActionData<typeof action>() ?? null;
  const navigation = useNavigation();
  const errors = failure?.errors ?? {};
  const typed = (name: string, savedValue: string) => failure?.values[name] ?? savedValue;
  return (
    <>
      <PageHeader
        title="Conversions"
        breadcrumbs={[{ to: "/admin/settings", label: "Settings" }]}
        description="How conversions the brand's systems post are attributed to partners, the currency reports are shown in, and who makes coupon codes."
      />
      <SettingsShell current="attribution">
        <Alert
          tone="info"
          live={false}
          title={saved ? `Saved ${formatDateTime(new Date(saved.at))}${saved.by ? ` by ${saved.by}` : ""}` : "The defaults apply"}
        >
          <p>A change applies to conversions received from then on. Each conversion keeps the window and model it was attributed under.</p>
        </Alert>
        <Card id="attribution" title="Conversion settings">
          <Form method="post" className="stack form-narrow" noValidate aria-label="Conversion settings">
            <FormError>{failure?.formError}</FormError>
            <Field
              label="Attribution window (days)"
              name="attributionWindowDays"
              type="number"
              required
              defaultValue={typed("attributionWindowDays", String(settings.attributionWindowDays))}
              error={errors.attributionWindowDays}
              description={`A click earns an order placed up to this many days after it. ${CONVERSION_SETTINGS_LIMITS.windowMinDays} to ${CONVERSION_SETTINGS_LIMITS.windowMaxDays} days; default ${DEFAULT_CONVERSION_SETTINGS.attributionWindowDays}.`}
              inputProps={{ min: CONVERSION_SETTINGS_LIMITS.windowMinDays, max: CONVERSION_SETTINGS_LIMITS.windowMaxDays, step: 1, inputMode: "numeric" }}
            />
            <RadioGroupField
              legend="Attribution model"
              name="attributionModel"
              required
              defaultValue={typed("attributionModel", settings.attributionModel)}
              error={errors.attributionModel}
              description="Which click earns an order when a visitor clicked several partners' links. A coupon code counts only when no click does."
              options={ATTRIBUTION_MODELS.map((model) => ({ value: model.value, label: model.label, description: model.description }))}
            />
            <SelectField
              label="Program currency"
              name="programCurrency"
              required
              defaultValue={typed("programCurrency", settings.programCurrency)}
              error={errors.programCurrency}
              description="Reports show this currency first. Conversions in other currencies are kept as they were sent and reported apart: nothing is converted at a guessed rate."
              options={currencies}
            />
            <div id="coupons">
              <CheckboxField
                label="Partners may make their own coupon codes"
                name="partnersCreateCoupons"
                defaultChecked={failure ? failure.values.partnersCreateCoupons === "on" : settings.partnersCreateCoupons}
                error={errors.partnersCreateCoupons}
                description="Partner owners then add and disable codes for their own organisation on their links page. Admins can always make codes for any partner from the partner's page."
              />
            </div>
            <div>
              <Button type="submit" variant="primary" pending={navigation.state === "submitting"}>
                Save conversion settings
              </Button>
            </div>
          </Form>
        </Card>
      </SettingsShell>
    </>
  );
}
