import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { CHANNELS, PARTNER_TYPES, REGIONS } from "~/domain/applications/catalog";
import { MAX_EARNINGS_ROWS, SUMMARY_LIMITS } from "~/domain/settings/catalog";
import { getBranding, getProgramRules, getProgramSummary, updateBranding, updateProgramRules, updateProgramSummary } from "~/domain/settings/program.server";
import { SettingsSchema } from "~/domain/settings/schemas.server";
import { siteAddress, updateSiteOrigin } from "~/domain/settings/site.server";
import { actorOf, requireInternalUser } from "~/lib/guards.server";
import { invalid, parseForm } from "~/lib/forms.server";
import { domainFailure } from "~/lib/domain-responses.server";
import { BrandColourField, EarningsRowsFields, LogoForms } from "~/components/brand-settings";
import { SettingsShell } from "~/components/settings-shell";
import { Alert, Button, Card, CheckboxGroupField, Field, FormError, FormSuccess, PageHeader, TextareaField } from "~/components/ui";

export const meta: MetaFunction = () => [{ title: "Settings" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  await requireInternalUser(context, request, ["admin"]);
  const [branding, rules, summary, site] = await Promise.all([
    getBranding(context.app.db),
    getProgramRules(context.app.db),
    getProgramSummary(context.app.db),
    siteAddress(context.app),
  ]);
  return {
    branding,
    rules,
    summary,
    site: { origin: site.origin, source: site.source },
  };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const admin = await requireInternalUser(context, request, ["admin"]);
  const formData = await request.formData();
  const parsed = parseForm(formData, SettingsSchema);
  if (!parsed.ok) return invalid(parsed.failure);
  const { intent, ...values } = parsed.data;
  if (parsed.data.intent === "site_address") {
    try {
      await updateSiteOrigin(context.app, actorOf(admin, context), parsed.data.siteOrigin);
    } catch (error) {
      return domainFailure(error, formData, { context, request });
    }
  } else if (parsed.data.intent === "branding") {
    const { intent: _, ...branding } = parsed.data;
    await updateBranding(context.app, actorOf(admin, context), branding);
  } else if (parsed.data.intent === "summary") {
    const { intent: _, ...summary } = parsed.data;
    try {
      await updateProgramSummary(context.app, actorOf(admin, context), summary);
    } catch (error) {
      return domainFailure(error, formData, { context, request });
    }
  } else {
    const { intent: _, ...rules } = parsed.data;
    await updateProgramRules(context.app, actorOf(admin, context), rules);
  }
  return { ok: true as const, intent, saved: Object.keys(values).length };
}

export default function SettingsRoute() {
  const { branding, rules, summary, site } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  const pendingIntent = navigation.state === "submitting" ? navigation.formData?.get("intent") : null;
  const failure = actionData && !actionData.ok ? actionData : null;
  const savedIntent = actionData?.ok ? actionData.intent : null;
  const failed = (intent: string) => (failure?.values.intent === intent ? failure : null);
  const b = failed("branding");
  const r = failed("rules");
  const a = failed("site_address");
  const s = failed("summary");
  const text = (name: "name" | "tagline" | "description" | "brandColor") => b?.values[name] ?? branding[name];
  const summaryText = (name: keyof typeof SUMMARY_LIMITS) => s?.values[name] ?? summary[name];
  // One row per tier, in the tiers' order; what was typed wins after an error.
  const earningsRows = rules.partnerTiers.slice(0, MAX_EARNINGS_ROWS).map((tier, i) => {
    const saved = summary.earningsRows.find((row) => row.tier === tier);
    return s
      ? { tier, model: s.values[`earnings.${i}.model`] ?? "", range: s.values[`earnings.${i}.range`] ?? "" }
      : { tier, model: saved?.model ?? "", range: saved?.range ?? "" };
  });
  return (
    <>
      <PageHeader title="Settings" description="How your program presents itself, and the rules that decide who fits it." />
      <SettingsShell current="branding">
        <Card id="branding" title="Program identity" description="Shown on the public program page and at the top of every page.">
          <Form method="post" className="stack form-narrow" noValidate>
            <input type="hidden" name="intent" value="branding" />
            {savedIntent === "branding" ? <FormSuccess>Program identity saved.</FormSuccess> : null}
            <Field label="Program name" name="name" required defaultValue={text("name")} error={b?.errors.name} />
            <Field
              label="Tagline"
              name="tagline"
              required
              defaultValue={text("tagline")}
              description="One line under the name on the public page."
              error={b?.errors.tagline}
            />
            <TextareaField label="Public description" name="description" rows={5} required defaultValue={text("description")} error={b?.errors.description} />
            <BrandColourField
              saved={branding.brandColor}
              typed={text("brandColor")}
              error={b?.errors.brandColor}
              programName={branding.name}
              logo={branding.logo}
            />
            <div>
              <Button type="submit" variant="primary" pending={pendingIntent === "branding"}>
                Save identity
              </Button>
            </div>
          </Form>
        </Card>
        <Card title="Logo" description="Shown in the header, on the sign-in page and in emails; the browser tab's icon is made from it.">
          <LogoForms logo={branding.logo} failure={null} />
        </Card>
        <Card
          id="program-page"
          title="Program summary"
          description="The terms at a glance, on the public program page. Markdown: **bold**, lists, links, ### headings. Leave a part empty to leave it out."
        >
          <Form method="post" className="stack form-narrow" noValidate>
            <input type="hidden" name="intent" value="summary" />
            {savedIntent === "summary" ? <FormSuccess>Program summary saved.</FormSuccess> : null}
            {s?.formError ? <FormError>{s.formError}</FormError> : null}
            <EarningsRowsFields rows={earningsRows} errors={s?.errors ?? {}} />
            <TextareaField
              label="What partners earn"
              name="summaryEarnings"
              rows={4}
              defaultValue={summaryText("summaryEarnings")}
              description={`Shown under the table: payouts, cookie window, bonuses. Up to ${SUMMARY_LIMITS.summaryEarnings.toLocaleString("en")} characters.`}
              error={s?.errors.summaryEarnings}
              textareaProps={{ maxLength: SUMMARY_LIMITS.summaryEarnings }}
            />
            <TextareaField
              label="Requirements"
              name="summaryRequirements"
              rows={5}
              defaultValue={summaryText("summaryRequirements")}
              description={`Who can join and what partners commit to. Up to ${SUMMARY_LIMITS.summaryRequirements.toLocaleString("en")} characters.`}
              error={s?.errors.summaryRequirements}
              textareaProps={{ maxLength: SUMMARY_LIMITS.summaryRequirements }}
            />
            <TextareaField
              label="FAQ"
              name="summaryFaq"
              rows={8}
              defaultValue={summaryText("summaryFaq")}
              description={`Questions as ### headings, answers below. Up to ${SUMMARY_LIMITS.summaryFaq.toLocaleString("en")} characters.`}
              error={s?.errors.summaryFaq}
              textareaProps={{ maxLength: SUMMARY_LIMITS.summaryFaq }}
            />
            <div>
              <Button type="submit" variant="primary" pending={pendingIntent === "summary"}>
                Save summary
              </Button>
            </div>
          </Form>
        </Card>
        <Card
          id="application-rules"
          title="Application rules"
          description="They shape the apply form, the fit score and the risk flags reviewers see. Changes apply to new applications."
        >
          <Form method="post" className="stack form-narrow" noValidate>
            <input type="hidden" name="intent" value="rules" />
            {savedIntent === "rules" ? <FormSuccess>Application rules saved.</FormSuccess> : null}
            <CheckboxGroupField
              legend="Partner types offered"
              name="partnerTypesOffered"
              options={[...PARTNER_TYPES]}
              defaultValue={r ? r.values.partnerTypesOffered?.split(",") : rules.partnerTypesOffered}
              error={r?.errors.partnerTypesOffered}
              columns
            />
            <CheckboxGroupField
              legend="Channels offered"
              name="channelsOffered"
              description="Applicants pick from these; overlap raises the channel score."
              options={[...CHANNELS]}
              defaultValue={r ? r.values.channelsOffered?.split(",") : rules.channelsOffered}
              error={r?.errors.channelsOffered}
              columns
            />
            <CheckboxGroupField
              legend="Target regions"
              name="targetRegions"
              description="Where you most want to grow; applicants there score higher."
              options={[...REGIONS]}
              defaultValue={r ? r.values.targetRegions?.split(",") : rules.targetRegions}
              error={r?.errors.targetRegions}
              columns
            />
            <CheckboxGroupField
              legend="Regions served"
              name="regionsServed"
              description="Applicants outside these are flagged."
              options={[...REGIONS]}
              defaultValue={r ? r.values.regionsServed?.split(",") : rules.regionsServed}
              error={r?.errors.regionsServed}
              columns
            />
            <div className="grid-2">
              <Field
                label="Minimum audience size"
                name="minAudienceSize"
                type="number"
                required
                defaultValue={r?.values.minAudienceSize ?? String(rules.minAudienceSize)}
                error={r?.errors.minAudienceSize}
                inputProps={{ min: 0, step: 1 }}
              />
              <Field
                label="Reapply cooldown (days)"
                name="reapplyCooldownDays"
                type="number"
                required
                defaultValue={r?.values.reapplyCooldownDays ?? String(rules.reapplyCooldownDays)}
                description="How long a rejected applicant waits before applying again."
                error={r?.errors.reapplyCooldownDays}
                inputProps={{ min: 0, step: 1 }}
              />
            </div>
            <TextareaField
              label="Partner tiers"
              name="partnerTiers"
              rows={3}
              required
              defaultValue={r?.values.partnerTiers ?? rules.partnerTiers.join("\n")}
              description="One per line, best first. Reviewers choose one when approving; assets can be limited to tiers."
              error={r?.errors.partnerTiers}
            />
            <TextareaField
              label="Blocked email domains"
              name="blockedEmailDomains"
              rows={3}
              defaultValue={r?.values.blockedEmailDomains ?? rules.blockedEmailDomains.join("\n")}
              description="One per line, e.g. competitor.com. Applications from these domains are flagged."
              error={r?.errors.blockedEmailDomains}
            />
            <div>
              <Button type="submit" variant="primary" pending={pendingIntent === "rules"}>
                Save rules
              </Button>
            </div>
          </Form>
        </Card>
        <Card
          id="site-address"
          title="Site address"
          description="Every link in an email starts with it, and in production the site answers only at this address (and on this machine). Setup recorded the address you used then; change it here if the site moves."
        >
          {site.source === "public_url" ? (
            <Alert tone="info" live={false} title={`Set by PUBLIC_URL: ${site.origin}`}>
              Change PUBLIC_URL on the server to move the site.
            </Alert>
          ) : (
            <Form method="post" className="stack form-narrow" noValidate>
              <input type="hidden" name="intent" value="site_address" />
              {savedIntent === "site_address" ? <FormSuccess>Site address saved.</FormSuccess> : null}
              {site.source === "local_default" ? (
                <Alert tone="warning" live={false} title="No site address recorded yet">
                  Links in emails point to {site.origin} until you save the address people reach this site at.
                </Alert>
              ) : null}
              <Field
                label="Site address"
                name="siteOrigin"
                type="url"
                required
                defaultValue={a?.values.siteOrigin ?? site.origin}
                description="Scheme and host only, such as https://partners.example.com."
                error={a?.errors.siteOrigin}
              />
              <div>
                <Button type="submit" variant="primary" pending={pendingIntent === "site_address"}>
                  Save address
                </Button>
              </div>
            </Form>
          )}
        </Card>
      </SettingsShell>
    </>
  );
}
