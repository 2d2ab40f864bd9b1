CREATE TYPE "public"."click_fallback_reason" AS ENUM('link_disabled', 'partner_paused', 'partner_terminated', 'approval_revoked', 'host_not_allowed', 'unknown_code');--> statement-breakpoint
CREATE TYPE "public"."link_kind" AS ENUM('creative', 'evergreen');--> statement-breakpoint
CREATE TYPE "public"."link_status" AS ENUM('active', 'disabled');--> statement-breakpoint
CREATE TYPE "public"."user_agent_class" AS ENUM('browser', 'bot', 'unknown');--> statement-breakpoint
CREATE TABLE "link_click_daily" (
	"link_id" uuid NOT NULL,
	"day" date NOT NULL,
	"organisation_id" uuid NOT NULL,
	"clicks" integer DEFAULT 0 NOT NULL,
	"unique_clicks" integer DEFAULT 0 NOT NULL,
	"bot_clicks" integer DEFAULT 0 NOT NULL,
	"test_clicks" integer DEFAULT 0 NOT NULL,
	"fallback_clicks" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "link_click_daily_link_id_day_pk" PRIMARY KEY("link_id","day")
);
--> statement-breakpoint
-- Monthly partitions are made ahead (and dropped past retention) by the app: app/domain/links/partitions.server.ts.
CREATE TABLE "link_clicks" (
	"clicked_at" timestamp with time zone NOT NULL,
	"click_id" text NOT NULL,
	"link_id" uuid,
	"organisation_id" uuid,
	"requested_code" text,
	"visitor_hash" text NOT NULL,
	"user_agent_class" "user_agent_class" NOT NULL,
	"referrer_host" text,
	"country" text,
	"is_bot" boolean NOT NULL,
	"is_unique" boolean NOT NULL,
	"is_test" boolean NOT NULL,
	"fallback_reason" "click_fallback_reason",
	CONSTRAINT "link_clicks_clicked_at_click_id_pk" PRIMARY KEY("clicked_at","click_id")
) PARTITION BY RANGE ("clicked_at");
--> statement-breakpoint
CREATE TABLE "link_daily_visitors" (
	"link_id" uuid NOT NULL,
	"day" date NOT NULL,
	"visitor_hash" text NOT NULL,
	CONSTRAINT "link_daily_visitors_link_id_day_visitor_hash_pk" PRIMARY KEY("link_id","day","visitor_hash")
);
--> statement-breakpoint
CREATE TABLE "link_settings" (
	"id" boolean PRIMARY KEY DEFAULT true NOT NULL,
	"fallback_url" text DEFAULT '' NOT NULL,
	"default_destination_url" text DEFAULT '' NOT NULL,
	"click_id_param" text DEFAULT 'cb_click' NOT NULL,
	"evergreen_limits" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"click_retention_months" integer DEFAULT 25 NOT NULL,
	"updated_by_id" uuid,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "link_settings_single_row" CHECK ("id")
);
--> statement-breakpoint
CREATE TABLE "tracking_links" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"code" text NOT NULL,
	"organisation_id" uuid NOT NULL,
	"kind" "link_kind" NOT NULL,
	"creative_id" uuid,
	"creative_version_id" uuid,
	"label" text NOT NULL,
	"destination_url" text NOT NULL,
	"utm_source" text NOT NULL,
	"utm_medium" text NOT NULL,
	"utm_campaign" text NOT NULL,
	"utm_content" text NOT NULL,
	"status" "link_status" DEFAULT 'active' NOT NULL,
	"disabled_at" timestamp with time zone,
	"disabled_reason" text,
	"created_by_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "partner_organisations" ADD COLUMN "first_link_live_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "partner_organisations" ADD COLUMN "time_to_onboard_seconds" integer;--> statement-breakpoint
ALTER TABLE "link_click_daily" ADD CONSTRAINT "link_click_daily_link_id_tracking_links_id_fk" FOREIGN KEY ("link_id") REFERENCES "public"."tracking_links"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "link_settings" ADD CONSTRAINT "link_settings_updated_by_id_users_id_fk" FOREIGN KEY ("updated_by_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tracking_links" ADD CONSTRAINT "tracking_links_organisation_id_partner_organisations_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."partner_organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tracking_links" ADD CONSTRAINT "tracking_links_creative_id_creatives_id_fk" FOREIGN KEY ("creative_id") REFERENCES "public"."creatives"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tracking_links" ADD CONSTRAINT "tracking_links_creative_version_id_creative_versions_id_fk" FOREIGN KEY ("creative_version_id") REFERENCES "public"."creative_versions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tracking_links" ADD CONSTRAINT "tracking_links_created_by_id_users_id_fk" FOREIGN KEY ("created_by_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "link_click_daily_org_idx" ON "link_click_daily" USING btree ("organisation_id","day");--> statement-breakpoint
CREATE INDEX "link_clicks_click_id_idx" ON "link_clicks" USING btree ("click_id");--> statement-breakpoint
CREATE INDEX "link_clicks_link_idx" ON "link_clicks" USING btree ("link_id","clicked_at");--> statement-breakpoint
CREATE UNIQUE INDEX "tracking_links_code_uq" ON "tracking_links" USING btree ("code");--> statement-breakpoint
CREATE INDEX "tracking_links_org_idx" ON "tracking_links" USING btree ("organisation_id","created_at");--> statement-breakpoint
CREATE INDEX "tracking_links_creative_idx" ON "tracking_links" USING btree ("creative_id");--> statement-breakpoint
CREATE UNIQUE INDEX "tracking_links_version_uq" ON "tracking_links" USING btree ("creative_version_id") WHERE "tracking_links"."creative_version_id" is not null;