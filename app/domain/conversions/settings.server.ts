import { changedKeys, fromTo } from "../versioned-settings.server";
import { eq } from "drizzle-orm";
import { conversionSettings, users } from "#db/schema/index";
import { recordAudit, type Actor } from "~/lib/audit.server";
import type { AppContext } from "~/lib/context.server";
import { transaction, type Db } from "~/lib/db.server";
import { DEFAULT_CONVERSION_SETTINGS, type ConversionSettings } from "./catalog";
import { preparedPerDb } from "./prepared.server";

const savedSettings = preparedPerDb((db) => db.select().from(conversionSettings).where(eq(conversionSettings.id, true)).prepare("conversion_settings"));

/** The program's conversion settings: the saved row, or the defaults before an admin saved any. */
export async function getConversionSettings(db: Db): Promise<ConversionSettings> {
  const [row] = await savedSettings(db).execute();
  if (!row) return DEFAULT_CONVERSION_SETTINGS;
  return {
    attributionWindowDays: row.attributionWindowDays,
    attributionModel: row.attributionModel,
    programCurrency: row.programCurrency,
    partnersCreateCoupons: row.partnersCreateCoupons,
  };
}

/** When the conversion settings were last saved and by whom; null while the defaults apply. */
export async function conversionSettingsSavedBy(db: Db): Promise<{ at: Date; by: string | null } | null> {
  const [row] = await db
    .select({ at: conversionSettings.updatedAt, by: users.name })
    .from(conversionSettings)
    .leftJoin(users, eq(users.id, conversionSettings.updatedById))
    .where(eq(conversionSettings.id, true));
  return row ?? null;
}

/**
 * Saves the conversion settings with what changed on record. They apply to
 * conversions received from now on: each conversion keeps the window and
 * model it was attributed under, so a change never rewrites the past.
 */
export async function saveConversionSettings(ctx: AppContext, actor: Actor, input: ConversionSettings): Promise<{ changed: (keyof ConversionSettings)[] }> {
  const now = ctx.clock.now();
  return transaction(ctx.db, async (tx) => {
    // One save at a time: two admins saving at once each record what they changed from the other's.
    await tx.select({ id: conversionSettings.id }).from(conversionSettings).where(eq(conversionSettings.id, true)).for("update");
    const previous = await getConversionSettings(tx);
    const next: ConversionSettings = {
      attributionWindowDays: input.attributionWindowDays,
      attributionModel: input.attributionModel,
      programCurrency: input.programCurrency,
      partnersCreateCoupons: input.partnersCreateCoupons,
    };
    const changed = changedKeys(next, previous);
    if (!changed.length) return { changed };
    const values = { ...next, updatedById: actor.id, updatedAt: now };
    await tx
      .insert(conversionSettings)
      .values({ id: true, ...values })
      .onConflictDoUpdate({ target: conversionSettings.id, set: values });
    await recordAudit(tx, {
      actor,
      action: "conversions.settings_changed",
      subjectType: "program",
      subjectId: "conversion_settings",
      data: { changed: fromTo(changed, previous, next) },
      at: now,
    });
    return { changed };
  });
}
