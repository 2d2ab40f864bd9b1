import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { LINK_SETTINGS_EDITOR_ROLES } from "~/domain/accounts/roles";
import { linkSettingsSavedBy } from "~/domain/links/admin-queries.server";
import { allowedHosts } from "~/domain/links/resolve.server";
import { DEFAULT_EVERGREEN_LIMIT, DEFAULT_LINK_SETTINGS, LINK_LIMITS, type LinkSettings } from "~/domain/links/catalog";
import { linkSettingsSchema } from "~/domain/links/schemas.server";
import { getLinkSettings, saveLinkSettings } from "~/domain/links/settings.server";
import { tierLabel } from "~/domain/partners/catalog";
import { isAllowedHost } from "~/domain/prescreen/destination";
import { getProgramRules } from "~/domain/settings/program.server";
import { canonicalOrigin } from "~/domain/settings/site.server";
import { changedSettingNames } from "~/domain/versioned-settings.server";
import { domainFailure } from "~/lib/domain-responses.server";
import { invalid, parseForm } from "~/lib/forms.server";
import { actorOf, requireInternalUser } from "~/lib/guards.server";
import { redirectWithToast } from "~/lib/toast.server";
import { formatDateTime } from "~/components/format";
import { SettingsShell } from "~/components/settings-shell";
import { Alert, Button, Card, Field, FormError, PageHeader } from "~/components/ui";

export const meta: MetaFunction = () => [{ title: "Links · Settings" }];

const HERE = "/admin/settings/links";

const SETTING_LABELS: Record<keyof LinkSettings, string> = {
  fallbackUrl: "fallback page",
  defaultDestinationUrl: "default destination",
  clickIdParam: "click id parameter",
  evergreenLimits: "evergreen link limits",
  clickRetentionMonths: "click retention",
};

/** The host of an https address, or null when there is none to check (empty, or not an address: the form says so itself). */
function hostOf(url: string): string | null {
  if (!url) return null;
  try {
    return new URL(url).hostname;
  } catch {
    return null;
  }
}

export async function loader({ request, context }: LoaderFunctionArgs) {
  await requireInternalUser(context, request, LINK_SETTINGS_EDITOR_ROLES);
  const db = context.app.db;
  const [settings, saved, rules, allowedDomains, origin] = await Promise.all([
    getLinkSettings(db),
    linkSettingsSavedBy(db),
    getProgramRules(db),
    allowedHosts(db),
    canonicalOrigin(context.app),
  ]);
  // Hosts off the allowlist: a fallback page there is the program's choice (a warning); a default destination there issues no link.
  const offList = (url: string) => {
    const host = hostOf(url);
    return host && !isAllowedHost(host, allowedDomains) ? host : null;
  };
  return {
    settings,
    saved,
    tiers: rules.partnerTiers,
    allowedDomains,
    programPage: `${origin}/`,
    warnings: { fallbackHost: offList(settings.fallbackUrl), defaultDestinationHost: offList(settings.defaultDestinationUrl) },
  };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const admin = await requireInternalUser(context, request, LINK_SETTINGS_EDITOR_ROLES);
  const { partnerTiers } = await getProgramRules(context.app.db);
  const formData = await request.formData();
  const parsed = parseForm(formData, linkSettingsSchema(partnerTiers));
  if (!parsed.ok) return invalid(parsed.failure);
  let changed: (keyof LinkSettings)[];
  try {
    ({ changed } = await saveLinkSettings(context.app, actorOf(admin, context), parsed.data));
  } catch (error) {
    return domainFailure(error, formData, { context, request });
  }
  if (!changed.length) return redirectWithToast(context, HERE, { kind: "info", message: "Nothing changed." });
  return redirectWithToast(context, HERE, {
    kind: "success",
    title: "Link settings saved",
    message: `Every short link follows them from now on. Changed: ${changedSettingNames(SETTING_LABELS, changed).join(", ")}.`,
  });
}

export default function LinkSettingsRoute() {
  const { settings, saved, tiers, allowedDomains, programPage, warnings } = useLoaderData<typeof loader>();
  const failure = useActionData<typeof action>() ?? null;
  const navigation = useNavigation();
  const typed = (name: string, savedValue: string) => failure?.values[name] ?? savedValue;
  const errors = failure?.errors ?? {};
  return (
    <>
      <PageHeader
        title="Links"
        breadcrumbs={[{ to: "/admin/settings", label: "Settings" }]}
        description="Where tracking links send visitors when they cannot go to the link's destination, the destination of creatives that have none, the click id added for attribution, how many evergreen links partners may make, and how long clicks are kept."
      />
      <SettingsShell current="links">
        <Alert
          tone="info"
          live={false}
          title={saved ? `Saved ${formatDateTime(new Date(saved.at))}${saved.by ? ` by ${saved.by}` : ""}` : "The defaults apply"}
        >
          <p>A change applies at once to every short link, on every instance.</p>
        </Alert>
        <Card
          title="Allowed destinations"
          description="Links only send visitors to these domains and their subdomains, checked again on every click. The list is part of the pre-screen rules."
          actions={
            <Link to="/admin/settings/prescreen#field-allowedDomains" className="small">
              Edit the allowlist in the pre-screen rules
            </Link>
          }
        >
          {allowedDomains.length ? (
            <ul className="link-domains" aria-label="Allowed destination domains">
              {allowedDomains.map((domain) => (
                <li key={domain}>
                  <code>{domain}</code>
                </li>
              ))}
            </ul>
          ) : (
            <Alert tone="warning" live={false} title="No domain is allowlisted yet">
              No creative gets a link when approved, and partners cannot make evergreen links, until your domains are added to the pre-screen rules&apos;
              allowed destinations.
            </Alert>
          )}
        </Card>
        <Card title="Link settings">
          <Form method="post" className="stack form-narrow" noValidate aria-label="Link settings">
            <FormError>{failure?.formError}</FormError>
            {warnings.fallbackHost ? (
              <Alert tone="warning" live={false} title={`The fallback page is not on the allowlist (${warnings.fallbackHost})`}>
                Visitors are still sent there. If it is not the program&apos;s own site, check that it is where you want them to land.
              </Alert>
            ) : null}
            <Field
              label="Fallback page"
              name="fallbackUrl"
              type="url"
              defaultValue={typed("fallbackUrl", settings.fallbackUrl)}
              error={errors.fallbackUrl}
              description={
                <>
                  Where visitors go when a link is disabled, its partner paused or terminated, its creative&apos;s approval revoked or its destination no longer
                  allowed. Leave empty for the program&apos;s public page (<code>{programPage}</code>).
                </>
              }
              inputProps={{ maxLength: LINK_LIMITS.urlMax, placeholder: "https://" }}
            />
            {warnings.defaultDestinationHost ? (
              <Alert tone="warning" live={false} title={`The default destination is not on the allowlist (${warnings.defaultDestinationHost})`}>
                Creatives without a destination of their own get no link when approved until the allowlist has it again, or you change it here.
              </Alert>
            ) : null}
            <Field
              label="Default destination"
              name="defaultDestinationUrl"
              type="url"
              defaultValue={typed("defaultDestinationUrl", settings.defaultDestinationUrl)}
              error={errors.defaultDestinationUrl}
              description="The link of an approved creative that has no destination goes here. It must be on the allowlist. Leave empty: such a creative gets no link, and its review page says why."
              inputProps={{ maxLength: LINK_LIMITS.urlMax, placeholder: "https://" }}
            />
            <Field
              label="Click id parameter"
              name="clickIdParam"
              required
              defaultValue={typed("clickIdParam", settings.clickIdParam)}
              error={errors.clickIdParam}
              description={`Added to every destination with a new id per click, for attribution. Default ${DEFAULT_LINK_SETTINGS.clickIdParam}. Changing it applies to clicks from now on.`}
              inputProps={{ maxLength: 32, autoComplete: "off", spellCheck: false }}
            />
            <fieldset className="fieldset" aria-describedby="evergreen-limits-description">
              <legend className="field__label">Evergreen links per partner</legend>
              <p id="evergreen-limits-description" className="field__description">
                How many links to pages of their choice (on the allowlist) a partner of each tier may make. Disabled links count too.
              </p>
              <div className="grid-2">
                {tiers.map((tier) => (
                  <Field
                    key={tier}
                    label={tierLabel(tier)}
                    name={`limit_${tier}`}
                    type="number"
                    required
                    defaultValue={typed(`limit_${tier}`, String(settings.evergreenLimits[tier] ?? DEFAULT_EVERGREEN_LIMIT))}
                    error={errors[`limit_${tier}`]}
                    inputProps={{ min: 0, max: LINK_LIMITS.evergreenMax, step: 1, inputMode: "numeric" }}
                  />
                ))}
              </div>
            </fieldset>
            <Field
              label="Keep clicks for (months)"
              name="clickRetentionMonths"
              type="number"
              required
              defaultValue={typed("clickRetentionMonths", String(settings.clickRetentionMonths))}
              error={errors.clickRetentionMonths}
              description={`Each click's record is deleted a month at a time after this; the daily counts stay. ${LINK_LIMITS.retentionMinMonths} to ${LINK_LIMITS.retentionMaxMonths} months.`}
              inputProps={{ min: LINK_LIMITS.retentionMinMonths, max: LINK_LIMITS.retentionMaxMonths, step: 1, inputMode: "numeric" }}
            />
            <div>
              <Button type="submit" variant="primary" pending={navigation.state === "submitting"}>
                Save link settings
              </Button>
            </div>
          </Form>
        </Card>
      </SettingsShell>
    </>
  );
}
