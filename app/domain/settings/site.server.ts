import { eq } from "drizzle-orm";
import { instanceSettings } from "#db/schema/index";
import { recordAudit, type Actor } from "~/lib/audit.server";
import type { AppContext } from "~/lib/context.server";
import type { Db } from "~/lib/db.server";
import { DomainError } from "../errors";

/**
 * The site's canonical origin: what every link in an email starts with, and
 * the host production answers to. Never taken from a request's Host header,
 * which anyone can set: a reset link built from it mails the victim's token
 * to the attacker.
 *
 * Resolution: PUBLIC_URL; else the origin recorded at first-run setup (only
 * the holder of the setup token can make that request) or set since by an
 * admin in Settings; else, before setup, http://localhost:<port>.
 */
export type SiteAddress = {
  origin: string;
  source: "public_url" | "recorded" | "local_default";
  /** The recorded origin, also when PUBLIC_URL overrides it. */
  recorded: string | null;
};

type SiteContext = Pick<AppContext, "config" | "db" | "siteOriginCache">;

export const SITE_ORIGIN_KEY = "site_origin";

/**
 * How long an instance keeps the recorded origin: short enough that a change
 * made in Settings on another instance arrives within seconds, long enough
 * that the per-request host check rarely queries.
 */
export const SITE_ORIGIN_CACHE_TTL_MS = 10_000;

function recordedOrigin(ctx: SiteContext): Promise<string | null> {
  return ctx.siteOriginCache.get(async () => {
    const [row] = await ctx.db.select({ value: instanceSettings.value }).from(instanceSettings).where(eq(instanceSettings.key, SITE_ORIGIN_KEY));
    return row?.value ?? null;
  });
}

export async function siteAddress(ctx: SiteContext): Promise<SiteAddress> {
  const recorded = await recordedOrigin(ctx);
  if (ctx.config.publicUrl) return { origin: ctx.config.publicUrl.origin, source: "public_url", recorded };
  if (recorded) return { origin: recorded, source: "recorded", recorded };
  return { origin: `http://localhost:${ctx.config.port}`, source: "local_default", recorded };
}

/** The origin links in emails start with. The one function routes and the domain use for it. */
export async function canonicalOrigin(ctx: SiteContext): Promise<string> {
  return ctx.config.publicUrl?.origin ?? (await siteAddress(ctx)).origin;
}

/**
 * The origin the host check and the CSRF check hold requests to, or null
 * before setup, when there is none yet (and no account to take over).
 */
export async function knownOrigin(ctx: SiteContext): Promise<string | null> {
  if (ctx.config.publicUrl) return ctx.config.publicUrl.origin;
  const address = await siteAddress(ctx);
  return address.source === "local_default" ? null : address.origin;
}

/**
 * Stores the recorded origin inside the caller's transaction (setup, Settings).
 * Call `ctx.siteOriginCache.forget()` after it commits.
 */
export async function storeSiteOrigin(tx: Db, origin: string, now: Date): Promise<void> {
  await tx
    .insert(instanceSettings)
    .values({ key: SITE_ORIGIN_KEY, value: origin })
    .onConflictDoUpdate({ target: instanceSettings.key, set: { value: origin, updatedAt: now } });
}

/** An admin changes the site address (Settings); audited with from and to. */
export async function updateSiteOrigin(ctx: SiteContext & Pick<AppContext, "clock">, actor: Actor, origin: string): Promise<void> {
  if (ctx.config.publicUrl) {
    throw new DomainError("The site address is set by PUBLIC_URL on the server; change it there.", { kind: "conflict", field: "siteOrigin" });
  }
  await ctx.db.transaction(async (tx) => {
    const [row] = await tx.select().from(instanceSettings).where(eq(instanceSettings.key, SITE_ORIGIN_KEY)).for("update");
    const from = row?.value ?? null;
    if (from === origin) return;
    const now = ctx.clock.now();
    await storeSiteOrigin(tx, origin, now);
    await recordAudit(tx, { actor, action: "settings.site_address_updated", subjectType: "instance", data: { from, to: origin }, at: now });
  });
  ctx.siteOriginCache.forget();
}
