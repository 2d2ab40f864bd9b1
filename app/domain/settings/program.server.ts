import { programSettings, type ProgramSettings } from "#db/schema/index";
import { recordAudit, type Actor } from "~/lib/audit.server";
import type { Db } from "~/lib/db.server";

export type Branding = Pick<ProgramSettings, "name" | "tagline" | "description" | "brandColor">;

export const DEFAULT_BRANDING: Branding = {
  name: "Partner Program",
  tagline: "Grow with us as a partner",
  description:
    "Join our partner program to get approved brand assets, accurate product claims and tracking links, all in one place.",
  brandColor: "#4f46e5",
};

export async function getBranding(db: Db): Promise<Branding> {
  const [row] = await db.select().from(programSettings).limit(1);
  return row ?? DEFAULT_BRANDING;
}

/** Saves the program's public identity (one row) and records the change. */
export async function updateBranding(db: Db, actor: Actor, next: Branding): Promise<void> {
  await db.transaction(async (tx) => {
    const [current] = await tx.select().from(programSettings).limit(1).for("update");
    if (current) {
      await tx.update(programSettings).set({ ...next, updatedAt: new Date() });
    } else {
      await tx.insert(programSettings).values(next);
    }
    const before = current ?? DEFAULT_BRANDING;
    const changed = Object.fromEntries(
      (Object.keys(next) as (keyof Branding)[])
        .filter((k) => before[k] !== next[k])
        .map((k) => [k, { from: before[k], to: next[k] }]),
    );
    await recordAudit(tx, { actor, action: "settings.branding_updated", subjectType: "program", data: { changed } });
  });
}
