CREATE TYPE "public"."application_status" AS ENUM('submitted', 'approved', 'rejected', 'info_requested');--> statement-breakpoint
CREATE TABLE "applications" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"reference" text NOT NULL,
	"status" "application_status" DEFAULT 'submitted' NOT NULL,
	"company" text NOT NULL,
	"contact_name" text NOT NULL,
	"email" text NOT NULL,
	"email_domain" text NOT NULL,
	"website" text,
	"website_domain" text,
	"partner_type" text NOT NULL,
	"channels" text[] NOT NULL,
	"audience_size" integer NOT NULL,
	"regions" text[] NOT NULL,
	"audience_description" text NOT NULL,
	"promotion_plan" text NOT NULL,
	"social_handles" text,
	"privacy_consent_at" timestamp with time zone NOT NULL,
	"fit_score" integer NOT NULL,
	"score" jsonb NOT NULL,
	"flags" jsonb NOT NULL,
	"flag_codes" text[] DEFAULT '{}'::text[] NOT NULL,
	"submitted_at" timestamp with time zone DEFAULT now() NOT NULL,
	"decided_at" timestamp with time zone,
	"decided_by_id" uuid,
	"partner_org_id" uuid,
	"submitter_ip" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "program_settings" ADD COLUMN "partner_types_offered" text[] DEFAULT '{affiliate,publisher,creator,reseller,strategic}'::text[] NOT NULL;--> statement-breakpoint
ALTER TABLE "program_settings" ADD COLUMN "channels_offered" text[] DEFAULT '{website_blog,email,paid_social,organic_social,video,events,marketplace}'::text[] NOT NULL;--> statement-breakpoint
ALTER TABLE "program_settings" ADD COLUMN "target_regions" text[] DEFAULT '{}'::text[] NOT NULL;--> statement-breakpoint
ALTER TABLE "program_settings" ADD COLUMN "regions_served" text[] DEFAULT '{north_america,latin_america,europe,uk_ireland,middle_east_africa,asia_pacific}'::text[] NOT NULL;--> statement-breakpoint
ALTER TABLE "program_settings" ADD COLUMN "min_audience_size" integer DEFAULT 1000 NOT NULL;--> statement-breakpoint
ALTER TABLE "program_settings" ADD COLUMN "blocked_email_domains" text[] DEFAULT '{}'::text[] NOT NULL;--> statement-breakpoint
ALTER TABLE "program_settings" ADD COLUMN "reapply_cooldown_days" integer DEFAULT 30 NOT NULL;--> statement-breakpoint
ALTER TABLE "applications" ADD CONSTRAINT "applications_decided_by_id_users_id_fk" FOREIGN KEY ("decided_by_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "applications" ADD CONSTRAINT "applications_partner_org_id_partner_organisations_id_fk" FOREIGN KEY ("partner_org_id") REFERENCES "public"."partner_organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "applications_reference_uq" ON "applications" USING btree ("reference");--> statement-breakpoint
CREATE INDEX "applications_email_idx" ON "applications" USING btree ("email");--> statement-breakpoint
CREATE INDEX "applications_website_domain_idx" ON "applications" USING btree ("website_domain");--> statement-breakpoint
CREATE INDEX "applications_status_score_idx" ON "applications" USING btree ("status","fit_score");--> statement-breakpoint
CREATE INDEX "applications_submitted_idx" ON "applications" USING btree ("submitted_at");