CREATE TYPE "public"."commercial_model" AS ENUM('revenue_share', 'fixed_fee', 'co_op', 'lead_share');--> statement-breakpoint
ALTER TABLE "partner_organisations" ADD COLUMN "partner_type" text;--> statement-breakpoint
ALTER TABLE "partner_organisations" ADD COLUMN "tier" text DEFAULT 'standard' NOT NULL;--> statement-breakpoint
ALTER TABLE "partner_organisations" ADD COLUMN "commercial_model" "commercial_model" DEFAULT 'revenue_share' NOT NULL;--> statement-breakpoint
ALTER TABLE "partner_organisations" ADD COLUMN "rate_basis_points" integer;--> statement-breakpoint
ALTER TABLE "partner_organisations" ADD COLUMN "amount_minor" integer;--> statement-breakpoint
ALTER TABLE "partner_organisations" ADD COLUMN "currency" text;--> statement-breakpoint
ALTER TABLE "partner_organisations" ADD COLUMN "website" text;--> statement-breakpoint
ALTER TABLE "partner_organisations" ADD COLUMN "regions" text[] DEFAULT '{}'::text[] NOT NULL;--> statement-breakpoint
ALTER TABLE "partner_organisations" ADD COLUMN "renewal_date" date;--> statement-breakpoint
ALTER TABLE "program_settings" ADD COLUMN "partner_tiers" text[] DEFAULT '{strategic,standard,trial}'::text[] NOT NULL;--> statement-breakpoint
ALTER TABLE "applications" ADD COLUMN "rejection_reason" text;--> statement-breakpoint
ALTER TABLE "applications" ADD COLUMN "decision_note" text;--> statement-breakpoint
ALTER TABLE "applications" ADD COLUMN "amend_token_hash" text;--> statement-breakpoint
ALTER TABLE "applications" ADD COLUMN "amend_expires_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "applications" ADD COLUMN "revision" integer DEFAULT 1 NOT NULL;--> statement-breakpoint
CREATE UNIQUE INDEX "applications_amend_token_uq" ON "applications" USING btree ("amend_token_hash");