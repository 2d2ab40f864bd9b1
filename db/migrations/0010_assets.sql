CREATE TYPE "public"."asset_kind" AS ENUM('logo', 'image', 'document', 'guideline');--> statement-breakpoint
CREATE TYPE "public"."asset_status" AS ENUM('active', 'retired');--> statement-breakpoint
CREATE TYPE "public"."rendition_format" AS ENUM('png', 'jpeg', 'webp');--> statement-breakpoint
CREATE TABLE "asset_downloads" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"user_id" uuid NOT NULL,
	"partner_org_id" uuid NOT NULL,
	"asset_id" uuid,
	"version_id" uuid,
	"rendition" text NOT NULL,
	"occurred_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "asset_renditions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"version_id" uuid NOT NULL,
	"format" "rendition_format" NOT NULL,
	"width" integer NOT NULL,
	"background" text DEFAULT '' NOT NULL,
	"storage_key" text NOT NULL,
	"byte_size" bigint NOT NULL,
	"sha256" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "asset_versions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"asset_id" uuid NOT NULL,
	"number" integer NOT NULL,
	"storage_key" text,
	"content_type" text,
	"original_filename" text,
	"byte_size" bigint,
	"sha256" text,
	"width" integer,
	"height" integer,
	"body" text,
	"created_by_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "assets" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"kind" "asset_kind" NOT NULL,
	"title" text NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"category" text DEFAULT '' NOT NULL,
	"tags" text[] DEFAULT '{}'::text[] NOT NULL,
	"visible_tiers" text[] DEFAULT '{}'::text[] NOT NULL,
	"available_from" timestamp with time zone,
	"expires_at" timestamp with time zone,
	"allow_original" boolean DEFAULT false NOT NULL,
	"status" "asset_status" DEFAULT 'active' NOT NULL,
	"retired_at" timestamp with time zone,
	"created_by_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "asset_downloads" ADD CONSTRAINT "asset_downloads_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "asset_downloads" ADD CONSTRAINT "asset_downloads_partner_org_id_partner_organisations_id_fk" FOREIGN KEY ("partner_org_id") REFERENCES "public"."partner_organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "asset_downloads" ADD CONSTRAINT "asset_downloads_asset_id_assets_id_fk" FOREIGN KEY ("asset_id") REFERENCES "public"."assets"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "asset_downloads" ADD CONSTRAINT "asset_downloads_version_id_asset_versions_id_fk" FOREIGN KEY ("version_id") REFERENCES "public"."asset_versions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "asset_renditions" ADD CONSTRAINT "asset_renditions_version_id_asset_versions_id_fk" FOREIGN KEY ("version_id") REFERENCES "public"."asset_versions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "asset_versions" ADD CONSTRAINT "asset_versions_asset_id_assets_id_fk" FOREIGN KEY ("asset_id") REFERENCES "public"."assets"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "asset_versions" ADD CONSTRAINT "asset_versions_created_by_id_users_id_fk" FOREIGN KEY ("created_by_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "assets" ADD CONSTRAINT "assets_created_by_id_users_id_fk" FOREIGN KEY ("created_by_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "asset_downloads_asset_idx" ON "asset_downloads" USING btree ("asset_id","occurred_at");--> statement-breakpoint
CREATE INDEX "asset_downloads_org_idx" ON "asset_downloads" USING btree ("partner_org_id","occurred_at");--> statement-breakpoint
CREATE UNIQUE INDEX "asset_renditions_uq" ON "asset_renditions" USING btree ("version_id","format","width","background");--> statement-breakpoint
CREATE UNIQUE INDEX "asset_versions_number_uq" ON "asset_versions" USING btree ("asset_id","number");--> statement-breakpoint
CREATE INDEX "assets_status_idx" ON "assets" USING btree ("status","kind");--> statement-breakpoint
CREATE INDEX "assets_tags_idx" ON "assets" USING gin ("tags");