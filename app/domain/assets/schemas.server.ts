import { z } from "zod";
import { RequiredText } from "~/lib/forms.server";
import { MAX_EXTRA_BACKGROUNDS, ORIGINAL_SIZE, VERSION_NOTE_MAX } from "./catalog";

const Checkbox = z.preprocess((v) => v === "on" || v === "true" || v === "yes", z.boolean());

const TIER = /^[a-z0-9][a-z0-9_-]{0,31}$/;

const HEX = /^[0-9a-f]{6}$/;

/** The asset's own rendition backgrounds: "#0f766e, #f5f5f4" → ["0f766e", "f5f5f4"]. */
const ExtraBackgrounds = z
  .string()
  .max(200, "List at most 5 colours.")
  .default("")
  .transform((v) => [
    ...new Set(
      v
        .split(/[\s,]+/)
        .map((c) => c.toLowerCase().replace(/^#/, ""))
        .filter(Boolean),
    ),
  ])
  .pipe(
    z
      .array(z.string().regex(HEX, "Write each colour as a hex colour such as #0f766e."))
      .max(MAX_EXTRA_BACKGROUNDS, `List at most ${MAX_EXTRA_BACKGROUNDS} colours.`),
  );

/** A calendar date (the day starts at 00:00 UTC), or nothing. */
const OptionalDay = (message: string) =>
  z
    .string()
    .trim()
    .optional()
    .transform((v, ctx) => {
      if (!v) return null;
      const parsed = /^\d{4}-\d{2}-\d{2}$/.test(v) ? new Date(`${v}T00:00:00Z`) : null;
      if (!parsed || Number.isNaN(parsed.getTime())) {
        ctx.addIssue({ code: "custom", message });
        return z.NEVER;
      }
      return parsed;
    });

export const AssetDetailsSchema = z
  .object({
    title: RequiredText("Title", 120),
    description: z.string().trim().max(1000, "Keep the description under 1,000 characters.").default(""),
    category: z.string().trim().max(60, "Keep the category under 60 characters.").default(""),
    tags: z
      .string()
      .max(500, "Use fewer tags.")
      .default("")
      .transform((v) => [
        ...new Set(
          v
            .split(",")
            .map((t) => t.trim().toLowerCase())
            .filter(Boolean),
        ),
      ])
      .pipe(z.array(z.string().max(40, "Keep each tag under 40 characters.")).max(20, "Use at most 20 tags.")),
    visibility: z.enum(["all", "tiers"], { error: "Choose who may see the asset." }),
    tiers: z.preprocess((v) => (v === undefined ? [] : Array.isArray(v) ? v : [v]), z.array(z.string().regex(TIER, "Choose tiers from the list."))),
    availableFrom: OptionalDay("Enter the first day as a date."),
    expiresAt: OptionalDay("Enter the expiry as a date."),
    allowOriginal: Checkbox,
    extraBackgrounds: ExtraBackgrounds,
  })
  .refine((v) => v.visibility === "all" || v.tiers.length > 0, { path: ["tiers"], message: "Choose at least one tier, or show it to every tier." })
  .refine((v) => !v.availableFrom || !v.expiresAt || v.expiresAt > v.availableFrom, {
    path: ["expiresAt"],
    message: "The asset must expire after it becomes available.",
  })
  .transform(({ visibility, tiers, ...rest }) => ({ ...rest, visibleTiers: visibility === "all" ? [] : tiers }));

type ParsedAssetDetails = z.infer<typeof AssetDetailsSchema>;
/** The asset's own backgrounds may be left out by callers other than the form (seed, bench): none then. */
export type AssetDetailsInput = Omit<ParsedAssetDetails, "extraBackgrounds"> & Partial<Pick<ParsedAssetDetails, "extraBackgrounds">>;

export const NewAssetSchema = z.object({
  kind: z.enum(["logo", "image", "document", "guideline"], { error: "Choose what kind of asset this is." }),
  body: z.string().max(100_000, "Keep the page under 100,000 characters.").optional(),
});

export const AssetActionSchema = z.discriminatedUnion("intent", [z.object({ intent: z.literal("retire") }), z.object({ intent: z.literal("restore") })]);

/** A background colour in shape ("#ffffff" or "ffffff"), or none: transparent. */
const Background = z
  .string()
  .trim()
  .toLowerCase()
  .transform((v) => v.replace(/^#/, ""))
  .refine((v) => v === "" || HEX.test(v), "Choose a colour such as #ffffff.")
  .default("");

/** One of the rendition widths, or the image's own ("original"). */
const Width = z.union([z.literal(ORIGINAL_SIZE), z.coerce.number().pipe(z.union([z.literal(256), z.literal(512), z.literal(1024), z.literal(2048)]))]);

/** A partner's download choice, in shape; decideDownload then says whether this asset offers it. */
export const DownloadQuerySchema = z.object({
  format: z.enum(["original", "png", "jpeg", "webp"]).optional(),
  width: Width.default(1024),
  background: Background,
});

/** What changed in a new version: optional, read from the upload form. */
export const VersionNoteSchema = z.object({
  note: z.string().trim().max(VERSION_NOTE_MAX, `Keep the note under ${VERSION_NOTE_MAX} characters.`).default(""),
});

export const PartnerAssetFiltersSchema = z.object({
  q: z.string().trim().max(100).optional().catch(undefined),
  sort: z.enum(["newest", "title"]).catch("newest").default("newest"),
  kind: z.enum(["logo", "image", "document", "guideline"]).optional().catch(undefined),
  category: z.string().trim().max(60).optional().catch(undefined),
  tag: z.string().trim().max(40).optional().catch(undefined),
});

export const TeamAssetFiltersSchema = PartnerAssetFiltersSchema.extend({
  status: z.enum(["active", "retired"]).catch("active").default("active"),
});

export const KitSchema = z.object({
  intent: z.literal("details").optional(),
  name: RequiredText("Name", 80),
  description: z.string().trim().max(500, "Keep the description under 500 characters.").default(""),
  includeClaims: Checkbox,
});

export const KitActionSchema = z.discriminatedUnion("intent", [
  KitSchema.extend({ intent: z.literal("details") }),
  z.object({
    intent: z.literal("add_item"),
    assetId: z.uuid("Choose an asset from the list."),
    format: z.enum(["original", "png", "jpeg", "webp"], { error: "Choose a format." }),
    width: Width.catch(1024),
    background: Background,
  }),
  z.object({ intent: z.literal("remove_item"), itemId: z.uuid() }),
  z.object({ intent: z.literal("retire") }),
  z.object({ intent: z.literal("restore") }),
]);

export const DownloadLogFiltersSchema = z.object({
  asset: z.uuid().optional().catch(undefined),
  partner: z.uuid().optional().catch(undefined),
});
