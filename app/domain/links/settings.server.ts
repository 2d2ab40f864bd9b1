import { changedKeys, fromTo } from "../versioned-settings.server";
import { eq } from "drizzle-orm";
import { linkSettings } from "#db/schema/index";
import { recordAudit, type Actor } from "~/lib/audit.server";
import type { AppContext } from "~/lib/context.server";
import { transaction, type Db } from "~/lib/db.server";
import { currentRuleSet } from "../creatives/rules.server";
import { DomainError } from "../errors";
import { checkDestination, normaliseAllowedDomain } from "../prescreen/destination";
import { DEFAULT_LINK_SETTINGS, type LinkSettings } from "./catalog";
import { notifyLinksChanged } from "./notify.server";

/** The program's link settings: the saved row, or the defaults before an admin saved any. */
export async function getLinkSettings(db: Db): Promise<LinkSettings> {
  const [row] = await db.select().from(linkSettings).where(eq(linkSettings.id, true));
  if (!row) return DEFAULT_LINK_SETTINGS;
  return {
    fallbackUrl: row.fallbackUrl,
    defaultDestinationUrl: row.defaultDestinationUrl,
    clickIdParam: row.clickIdParam,
    evergreenLimits: { ...DEFAULT_LINK_SETTINGS.evergreenLimits, ...row.evergreenLimits },
    clickRetentionMonths: row.clickRetentionMonths,
  };
}

/**
 * Saves the link settings with what changed on record; every instance's
 * redirect picks them up at once. The default destination must pass the
 * pre-screen's destination check against the allowlist in force: a creative
 * link is issued to it without another look.
 */
export async function saveLinkSettings(ctx: AppContext, actor: Actor, input: LinkSettings): Promise<{ changed: (keyof LinkSettings)[] }> {
  const now = ctx.clock.now();
  return transaction(ctx.db, async (tx) => {
    if (input.defaultDestinationUrl) {
      const allowlist = (await currentRuleSet(tx)).rules.allowedDomains;
      // The pre-screen's own words for an empty list are addressed to partners; the admin is told where to add a domain.
      if (!allowlist.some((entry) => normaliseAllowedDomain(entry))) {
        throw new DomainError("No destination domain is allowlisted yet: add the program's domain to the allowed destinations in the pre-screen rules first.", {
          field: "defaultDestinationUrl",
          kind: "invalid",
        });
      }
      const refusal = checkDestination(input.defaultDestinationUrl, allowlist);
      if (refusal) throw new DomainError(refusal.message, { field: "defaultDestinationUrl", kind: "invalid" });
    }
    const previous = await getLinkSettings(tx);
    // The form has a limit for each of the program's tiers only; those of other tiers (a renamed one's) are kept, in their order, so that they compare equal.
    const next: LinkSettings = { ...input, evergreenLimits: { ...previous.evergreenLimits, ...input.evergreenLimits } };
    const changed = changedKeys(next, previous);
    if (!changed.length) return { changed };
    const values = { ...next, updatedById: actor.id, updatedAt: now };
    await tx
      .insert(linkSettings)
      .values({ id: true, ...values })
      .onConflictDoUpdate({ target: linkSettings.id, set: values });
    await recordAudit(tx, {
      actor,
      action: "links.settings_changed",
      subjectType: "program",
      subjectId: "link_settings",
      data: { changed, values: fromTo(changed, previous, next) },
      at: now,
    });
    await notifyLinksChanged(tx);
    return { changed };
  });
}
