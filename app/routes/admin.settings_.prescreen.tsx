import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { PRESCREEN_RULES_EDITOR_ROLES } from "~/domain/accounts/roles";
import { labelOf } from "~/domain/applications/catalog";
import { bannedTermLine, CHANNEL_FILE_RULE_FIELDS, channelFieldName, ruleKeyLabel } from "~/domain/creatives/rules-form";
import { prescreenRulesSchema } from "~/domain/creatives/rules-schema.server";
import { currentRuleSet, listRuleSetVersions, ruleSetVersionInfo, saveRuleSet } from "~/domain/creatives/rules.server";
import { pageNumberFrom } from "~/domain/pagination.server";
import { channelRulesFor } from "~/domain/prescreen";
import { getProgramRules } from "~/domain/settings/program.server";
import { domainFailure } from "~/lib/domain-responses.server";
import { invalid, parseForm } from "~/lib/forms.server";
import { actorOf, requireInternalUser } from "~/lib/guards.server";
import { redirectWithToast } from "~/lib/toast.server";
import { formatDateTime } from "~/components/format";
import { VersionHistory } from "~/components/version-history";
import { PrescreenRulesForm, typedValues, type RulesFormValues } from "~/components/prescreen-rules-form";
import { SettingsShell } from "~/components/settings-shell";
import { Alert, PageHeader } from "~/components/ui";

export const meta: MetaFunction = () => [{ title: "Pre-screen rules · Settings" }];

const HERE = "/admin/settings/prescreen";

/** The channels whose rules the form edits: those the program offers partners. */
async function formContext(db: Parameters<typeof currentRuleSet>[0]) {
  const [ruleSet, program] = await Promise.all([currentRuleSet(db), getProgramRules(db)]);
  return { ruleSet, channels: program.channelsOffered as readonly string[] };
}

export async function loader({ request, context }: LoaderFunctionArgs) {
  await requireInternalUser(context, request, PRESCREEN_RULES_EDITOR_ROLES);
  const db = context.app.db;
  const { ruleSet, channels } = await formContext(db);
  const [saved, history] = await Promise.all([ruleSetVersionInfo(db, ruleSet.version), listRuleSetVersions(db, pageNumberFrom(request))]);
  const rules = ruleSet.rules;
  const values: RulesFormValues = {
    disclosurePhrases: rules.disclosurePhrases.join("\n"),
    ambiguousDisclosureMarkers: rules.ambiguousDisclosureMarkers.join("\n"),
    disclosureChannels: [...rules.disclosureChannels],
    disclosurePartnerTypes: [...rules.disclosurePartnerTypes],
    disclosureWithinChars: String(rules.disclosureWithinChars),
    bannedTerms: rules.bannedTerms.map(bannedTermLine).join("\n"),
    claimTriggers: rules.claimTriggers.join("\n"),
    claimTriggerExceptions: rules.claimTriggerExceptions.join("\n"),
    allowedDomains: rules.allowedDomains.join("\n"),
    // What applies to each channel now: its own setting over the program's defaults.
    channelFields: Object.fromEntries(
      channels.flatMap((channel) => {
        const effective = channelRulesFor(rules, channel);
        return CHANNEL_FILE_RULE_FIELDS.map((f) => [channelFieldName(channel, f.key), effective[f.key] == null ? "" : String(effective[f.key])]);
      }),
    ),
  };
  return { version: ruleSet.version, saved, values, channels, history };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const admin = await requireInternalUser(context, request, PRESCREEN_RULES_EDITOR_ROLES);
  const { ruleSet, channels } = await formContext(context.app.db);
  const formData = await request.formData();
  const parsed = parseForm(formData, prescreenRulesSchema(ruleSet.rules, channels));
  if (!parsed.ok) return invalid(parsed.failure);
  let saved: { version: number; changed: string[] };
  try {
    saved = await saveRuleSet(context.app, actorOf(admin, context), parsed.data.rules, { basedOn: parsed.data.basedOn });
  } catch (error) {
    return domainFailure(error, formData, { context, request });
  }
  const { version, changed } = saved;
  if (!changed.length) return redirectWithToast(context, HERE, { kind: "info", message: `Nothing changed: the rules are still version ${version}.` });
  return redirectWithToast(context, HERE, {
    kind: "success",
    title: `Saved as version ${version}`,
    message: `New checks use it from now on. Changed: ${changed.map(ruleKeyLabel).join(", ")}.`,
  });
}

export default function PrescreenRulesRoute() {
  const { version, saved, values, channels, history } = useLoaderData<typeof loader>();
  const failure = useActionData<typeof action>() ?? null;
  const navigation = useNavigation();
  return (
    <>
      <PageHeader
        title="Pre-screen rules"
        breadcrumbs={[{ to: "/admin/settings", label: "Settings" }]}
        description="The automatic first reviewer checks every creative against these rules, live while partners write and again when they submit. Errors block submitting; warnings go to the reviewers."
      />
      <SettingsShell current="prescreen">
        <Alert tone="info" live={false} title={version ? `Version ${version} applies` : "The release's defaults apply (version 0)"}>
          {version && saved ? (
            <p>
              Saved {formatDateTime(new Date(saved.createdAt))}
              {saved.createdByName ? ` by ${saved.createdByName}` : ""}. Each save is a new version; a submission records the version it was checked with.
            </p>
          ) : (
            <p>No one has saved rules yet. Saving creates version 1; a submission records the version it was checked with.</p>
          )}
        </Alert>
        <PrescreenRulesForm
          basedOn={version}
          values={failure ? typedValues(failure.values, channels) : values}
          errors={failure?.errors ?? {}}
          formError={failure?.formError ?? null}
          failure={failure}
          channels={channels}
          channelLabel={labelOf}
          pending={navigation.state === "submitting"}
        />
        <VersionHistory
          caption="Versions of the pre-screen rules"
          description="Every saved version, newest first, with what it changed."
          rows={history.rows}
          page={history.page}
          pageCount={history.pageCount}
          describeChanges={(changed) => changed.map(ruleKeyLabel).join(", ")}
          empty={{ title: "No versions saved yet", description: "The defaults apply until an admin saves the rules." }}
        />
      </SettingsShell>
    </>
  );
}
