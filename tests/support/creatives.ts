import { eq } from "drizzle-orm";
import sharp from "sharp";
import { claims, partnerOrganisations } from "#db/schema/index";
import { uploadCreativeFile } from "~/domain/creatives/files.server";
import { CreativeDraftSchema, type CreativeDraftInput } from "~/domain/creatives/schemas.server";
import { createCreativeDraft, submitCreative, type PartnerActor } from "~/domain/creatives/submissions.server";
import type { AppContext } from "~/lib/context.server";
import { createPartnerOrg, createUser, type PartnerOrgFields } from "./context";

// Creatives as a partner makes them, through the domain: an active
// organisation, drafts through the form's schema, an image upload, a submit.

export const CREATIVE_ORIGIN = "https://cobrand.test";

export type CreativePartner = Awaited<ReturnType<typeof creativePartner>>;

/** An active publisher organisation in Europe with its owner, and the actor the routes pass for them. */
export async function creativePartner(app: AppContext, name = "Acme Media", fields: PartnerOrgFields = {}) {
  const org = await createPartnerOrg(app.db, name);
  await app.db
    .update(partnerOrganisations)
    .set({ status: "active", partnerType: "publisher", regions: ["europe"], channels: ["website_blog", "organic_social", "paid_social"], ...fields })
    .where(eq(partnerOrganisations.id, org.id));
  const slug = name.toLowerCase().replace(/\W+/g, "");
  const user = await createUser(app.db, { role: "partner", partnerOrgId: org.id, partnerRole: "owner", email: `owner@${slug}.test`, name: `${name} owner` });
  const actor: PartnerActor = { id: user.id, label: user.email, name: user.name, partnerOrgId: org.id };
  return { org, user, actor };
}

/** What the partner's form sends, through the schema the routes parse it with. */
export function creativeDraft(overrides: Record<string, unknown> = {}): CreativeDraftInput {
  return CreativeDraftSchema.parse({
    title: "Spring living room",
    channel: "website_blog",
    placement: "Homepage hero",
    plannedLaunchOn: "2030-04-01",
    destinationUrl: "",
    copy: "Lumen bulbs light up the living room.",
    claimIds: [],
    disclosure: "",
    ...overrides,
  });
}

export const pngImage = (width: number, height: number, background = "#0f766e") =>
  sharp({ create: { width, height, channels: 3, background } })
    .png()
    .toBuffer();

/** A draft with one image big enough for every channel's minimum: ready to submit. */
export async function readyCreative(app: AppContext, who: Pick<CreativePartner, "actor">, overrides: Record<string, unknown> = {}) {
  const { id } = await createCreativeDraft(app, who.actor, creativeDraft(overrides));
  const form = new FormData();
  form.append("file", new Blob([new Uint8Array(await pngImage(1280, 720))], { type: "image/png" }), "hero.png");
  const { fileId } = await uploadCreativeFile(app, who.actor, id, new Request(`${CREATIVE_ORIGIN}/partner/creatives/upload`, { method: "POST", body: form }));
  return { id, fileId };
}

/** A creative sent for review (version 1). */
export async function submittedCreative(app: AppContext, who: Pick<CreativePartner, "actor">, overrides: Record<string, unknown> = {}) {
  const { id } = await readyCreative(app, who, overrides);
  const outcome = await submitCreative(app, who.actor, id, CREATIVE_ORIGIN);
  return { id, ...outcome };
}

export const ENERGY_CLAIM = "Lumen bulbs use up to 80% less energy.";
export const ENERGY_DISCLAIMER = "Compared with a 60 W incandescent bulb.";

/** A library claim approved for the website and social channels in Europe; `fields` change the row. */
export async function approvedEnergyClaim(app: AppContext, fields: Partial<typeof claims.$inferInsert> = {}) {
  const [row] = await app.db
    .insert(claims)
    .values({
      text: ENERGY_CLAIM,
      disclaimers: [ENERGY_DISCLAIMER],
      category: "Energy savings",
      channels: ["website_blog", "organic_social", "paid_social", "email"],
      regions: ["europe"],
      reviewBy: "2099-01-01",
      status: "approved",
      ...fields,
    })
    .returning();
  return row!;
}
