CREATE TYPE "public"."attribution_model" AS ENUM('last_click', 'first_click');--> statement-breakpoint
CREATE TYPE "public"."attribution_source" AS ENUM('click', 'coupon', 'none');--> statement-breakpoint
CREATE TABLE "api_keys" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"name" text NOT NULL,
	"prefix" text NOT NULL,
	"token_hash" text NOT NULL,
	"scopes" text[] NOT NULL,
	"expires_at" timestamp with time zone,
	"last_used_at" timestamp with time zone,
	"created_by_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"revoked_at" timestamp with time zone,
	"revoked_by_id" uuid
);
--> statement-breakpoint
CREATE TABLE "conversion_daily" (
	"organisation_id" uuid NOT NULL,
	"link_id" uuid NOT NULL,
	"day" date NOT NULL,
	"currency" text NOT NULL,
	"slot" smallint NOT NULL,
	"conversions" integer DEFAULT 0 NOT NULL,
	"revenue_minor" bigint DEFAULT 0 NOT NULL,
	"commission_minor" bigint DEFAULT 0 NOT NULL,
	"refunded_minor" bigint DEFAULT 0 NOT NULL,
	CONSTRAINT "conversion_daily_organisation_id_link_id_day_currency_slot_pk" PRIMARY KEY("organisation_id","link_id","day","currency","slot")
);
--> statement-breakpoint
CREATE TABLE "conversion_refunds" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"conversion_id" uuid NOT NULL,
	"refund_id" text NOT NULL,
	"amount_minor" bigint NOT NULL,
	"commission_reversed_minor" bigint NOT NULL,
	"occurred_at" timestamp with time zone NOT NULL,
	"received_at" timestamp with time zone NOT NULL,
	"reason" text,
	"api_key_id" uuid,
	CONSTRAINT "conversion_refunds_amount_positive" CHECK ("conversion_refunds"."amount_minor" > 0)
);
--> statement-breakpoint
CREATE TABLE "conversion_settings" (
	"id" boolean PRIMARY KEY DEFAULT true NOT NULL,
	"attribution_window_days" integer DEFAULT 30 NOT NULL,
	"attribution_model" "attribution_model" DEFAULT 'last_click' NOT NULL,
	"program_currency" text DEFAULT 'USD' NOT NULL,
	"partners_create_coupons" boolean DEFAULT false NOT NULL,
	"updated_by_id" uuid,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "conversion_settings_single_row" CHECK ("conversion_settings"."id")
);
--> statement-breakpoint
CREATE TABLE "conversions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"order_id" text NOT NULL,
	"amount_minor" bigint NOT NULL,
	"currency" text NOT NULL,
	"occurred_at" timestamp with time zone NOT NULL,
	"received_at" timestamp with time zone NOT NULL,
	"click_id" text,
	"coupon_code" text,
	"customer_id" text,
	"metadata" jsonb,
	"is_test" boolean DEFAULT false NOT NULL,
	"api_key_id" uuid,
	"attributed_by" "attribution_source" NOT NULL,
	"attribution_model" "attribution_model" NOT NULL,
	"attribution_window_days" integer NOT NULL,
	"organisation_id" uuid,
	"link_id" uuid,
	"creative_id" uuid,
	"creative_version_id" uuid,
	"attributed_click_id" text,
	"attributed_click_at" timestamp with time zone,
	"coupon_id" uuid,
	"attribution_note" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"commission_model" "commercial_model",
	"commission_rate_basis_points" integer,
	"commission_minor" bigint DEFAULT 0 NOT NULL,
	"refunded_minor" bigint DEFAULT 0 NOT NULL,
	"refunded_commission_minor" bigint DEFAULT 0 NOT NULL,
	CONSTRAINT "conversions_amount_positive" CHECK ("conversions"."amount_minor" >= 0),
	CONSTRAINT "conversions_refund_bounded" CHECK ("conversions"."refunded_minor" between 0 and "conversions"."amount_minor")
);
--> statement-breakpoint
CREATE TABLE "coupons" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"organisation_id" uuid NOT NULL,
	"code" text NOT NULL,
	"code_key" text NOT NULL,
	"expires_at" timestamp with time zone,
	"disabled_at" timestamp with time zone,
	"created_by_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "partner_organisations" ADD COLUMN "tracking_validated_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "api_keys" ADD CONSTRAINT "api_keys_created_by_id_users_id_fk" FOREIGN KEY ("created_by_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "api_keys" ADD CONSTRAINT "api_keys_revoked_by_id_users_id_fk" FOREIGN KEY ("revoked_by_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "conversion_refunds" ADD CONSTRAINT "conversion_refunds_conversion_id_conversions_id_fk" FOREIGN KEY ("conversion_id") REFERENCES "public"."conversions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "conversion_refunds" ADD CONSTRAINT "conversion_refunds_api_key_id_api_keys_id_fk" FOREIGN KEY ("api_key_id") REFERENCES "public"."api_keys"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "conversion_settings" ADD CONSTRAINT "conversion_settings_updated_by_id_users_id_fk" FOREIGN KEY ("updated_by_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "conversions" ADD CONSTRAINT "conversions_api_key_id_api_keys_id_fk" FOREIGN KEY ("api_key_id") REFERENCES "public"."api_keys"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "conversions" ADD CONSTRAINT "conversions_organisation_id_partner_organisations_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."partner_organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "conversions" ADD CONSTRAINT "conversions_link_id_tracking_links_id_fk" FOREIGN KEY ("link_id") REFERENCES "public"."tracking_links"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "conversions" ADD CONSTRAINT "conversions_creative_id_creatives_id_fk" FOREIGN KEY ("creative_id") REFERENCES "public"."creatives"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "conversions" ADD CONSTRAINT "conversions_creative_version_id_creative_versions_id_fk" FOREIGN KEY ("creative_version_id") REFERENCES "public"."creative_versions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "conversions" ADD CONSTRAINT "conversions_coupon_id_coupons_id_fk" FOREIGN KEY ("coupon_id") REFERENCES "public"."coupons"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "coupons" ADD CONSTRAINT "coupons_organisation_id_partner_organisations_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."partner_organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "coupons" ADD CONSTRAINT "coupons_created_by_id_users_id_fk" FOREIGN KEY ("created_by_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "api_keys_token_hash_uq" ON "api_keys" USING btree ("token_hash");--> statement-breakpoint
CREATE INDEX "api_keys_created_idx" ON "api_keys" USING btree ("created_at");--> statement-breakpoint
CREATE INDEX "conversion_daily_link_idx" ON "conversion_daily" USING btree ("link_id","day");--> statement-breakpoint
CREATE UNIQUE INDEX "conversion_refunds_refund_uq" ON "conversion_refunds" USING btree ("conversion_id","refund_id");--> statement-breakpoint
CREATE UNIQUE INDEX "conversions_order_id_uq" ON "conversions" USING btree ("order_id");--> statement-breakpoint
CREATE INDEX "conversions_org_idx" ON "conversions" USING btree ("organisation_id","occurred_at");--> statement-breakpoint
CREATE INDEX "conversions_link_idx" ON "conversions" USING btree ("link_id","occurred_at");--> statement-breakpoint
CREATE INDEX "conversions_received_idx" ON "conversions" USING btree ("received_at");--> statement-breakpoint
CREATE UNIQUE INDEX "coupons_code_key_uq" ON "coupons" USING btree ("code_key");--> statement-breakpoint
CREATE INDEX "coupons_org_idx" ON "coupons" USING btree ("organisation_id","created_at");