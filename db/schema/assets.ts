import { sql } from "drizzle-orm";
import { bigint, boolean, index, integer, pgEnum, pgTable, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { users } from "./auth";
import { timestamps } from "./columns";
import { partnerOrganisations } from "./partners";

export const assetKind = pgEnum("asset_kind", ["logo", "image", "document", "guideline"]);
export const assetStatus = pgEnum("asset_status", ["active", "retired"]);

/**
 * A brand asset partners download. What partners see is decided on the
 * server from `visibleTiers` (empty: every tier), `status` and the usage
 * window (`availableFrom`, `expiresAt`).
 */
export const assets = pgTable(
  "assets",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    kind: assetKind("kind").notNull(),
    title: text("title").notNull(),
    description: text("description").notNull().default(""),
    category: text("category").notNull().default(""),
    tags: text("tags")
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    visibleTiers: text("visible_tiers")
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    availableFrom: timestamp("available_from", { withTimezone: true }),
    expiresAt: timestamp("expires_at", { withTimezone: true }),
    // Whether partners may download the file exactly as uploaded (for SVG: the sanitized SVG).
    allowOriginal: boolean("allow_original").notNull().default(false),
    // Colours (6 hex digits, no '#') the brand adds to the rendition backgrounds partners may pick: at most 5.
    extraBackgrounds: text("extra_backgrounds")
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    status: assetStatus("status").notNull().default("active"),
    retiredAt: timestamp("retired_at", { withTimezone: true }),
    createdById: uuid("created_by_id").references(() => users.id),
    ...timestamps(),
  },
  (t) => [index("assets_status_idx").on(t.status, t.kind), index("assets_tags_idx").using("gin", t.tags)],
);

/**
 * One uploaded file (or guideline text) of an asset; the newest is served.
 * `storageKey` is generated, never derived from the file name.
 */
export const assetVersions = pgTable(
  "asset_versions",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    assetId: uuid("asset_id")
      .notNull()
      .references(() => assets.id),
    number: integer("number").notNull(),
    storageKey: text("storage_key"),
    // The type decided from the content (image/svg+xml, image/png, image/jpeg, image/webp, application/pdf).
    contentType: text("content_type"),
    originalFilename: text("original_filename"),
    byteSize: bigint("byte_size", { mode: "number" }),
    sha256: text("sha256"),
    width: integer("width"),
    height: integer("height"),
    body: text("body"),
    // What changed in this version, as the brand team wrote it with the upload (at most 500 characters).
    note: text("note").notNull().default(""),
    createdById: uuid("created_by_id").references(() => users.id),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex("asset_versions_number_uq").on(t.assetId, t.number)],
);

export const renditionFormat = pgEnum("rendition_format", ["png", "jpeg", "webp"]);

/** A rendition made once with sharp and stored; served from storage afterwards. */
export const assetRenditions = pgTable(
  "asset_renditions",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    versionId: uuid("version_id")
      .notNull()
      .references(() => assetVersions.id),
    format: renditionFormat("format").notNull(),
    width: integer("width").notNull(),
    // Hex colour behind transparent areas (JPEG has no transparency); "" keeps transparency.
    background: text("background").notNull().default(""),
    storageKey: text("storage_key").notNull(),
    byteSize: bigint("byte_size", { mode: "number" }).notNull(),
    sha256: text("sha256").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex("asset_renditions_uq").on(t.versionId, t.format, t.width, t.background)],
);

/** A named bundle of assets (with chosen renditions) and optionally the claims sheet. */
export const kits = pgTable("kits", {
  id: uuid("id").primaryKey().defaultRandom(),
  name: text("name").notNull(),
  description: text("description").notNull().default(""),
  includeClaims: boolean("include_claims").notNull().default(false),
  status: assetStatus("status").notNull().default("active"),
  createdById: uuid("created_by_id").references(() => users.id),
  ...timestamps(),
});

export const kitItems = pgTable(
  "kit_items",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    kitId: uuid("kit_id")
      .notNull()
      .references(() => kits.id, { onDelete: "cascade" }),
    assetId: uuid("asset_id")
      .notNull()
      .references(() => assets.id),
    // "original", or a rendition format with its width and background.
    format: text("format").notNull(),
    width: integer("width"),
    background: text("background").notNull().default(""),
    position: integer("position").notNull(),
  },
  (t) => [index("kit_items_kit_idx").on(t.kitId, t.position)],
);

/** Every download by a partner user: the download log. */
export const assetDownloads = pgTable(
  "asset_downloads",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id),
    partnerOrgId: uuid("partner_org_id")
      .notNull()
      .references(() => partnerOrganisations.id),
    assetId: uuid("asset_id").references(() => assets.id),
    versionId: uuid("version_id").references(() => assetVersions.id),
    kitId: uuid("kit_id").references(() => kits.id),
    // "original", "png-512", "jpeg-1024-ffffff", "kit", …
    rendition: text("rendition").notNull(),
    occurredAt: timestamp("occurred_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("asset_downloads_asset_idx").on(t.assetId, t.occurredAt), index("asset_downloads_org_idx").on(t.partnerOrgId, t.occurredAt)],
);

export type Asset = typeof assets.$inferSelect;
export type Kit = typeof kits.$inferSelect;
export type AssetVersion = typeof assetVersions.$inferSelect;
export type AssetKind = (typeof assetKind.enumValues)[number];
