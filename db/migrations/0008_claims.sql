CREATE TYPE "public"."claim_status" AS ENUM('draft', 'approved', 'retired');--> statement-breakpoint
CREATE TABLE "claims" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"text" text NOT NULL,
	"disclaimers" text[] NOT NULL,
	"category" text NOT NULL,
	"channels" text[] NOT NULL,
	"regions" text[] NOT NULL,
	"substantiation" text DEFAULT '' NOT NULL,
	"owner_id" uuid,
	"review_by" date NOT NULL,
	"expires_on" date,
	"status" "claim_status" DEFAULT 'draft' NOT NULL,
	"approved_by_id" uuid,
	"approved_at" timestamp with time zone,
	"retired_at" timestamp with time zone,
	"created_by_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "claims_disclaimer_required_ck" CHECK (cardinality("claims"."disclaimers") > 0)
);
--> statement-breakpoint
ALTER TABLE "partner_organisations" ADD COLUMN "channels" text[] DEFAULT '{}'::text[] NOT NULL;--> statement-breakpoint
ALTER TABLE "claims" ADD CONSTRAINT "claims_owner_id_users_id_fk" FOREIGN KEY ("owner_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "claims" ADD CONSTRAINT "claims_approved_by_id_users_id_fk" FOREIGN KEY ("approved_by_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "claims" ADD CONSTRAINT "claims_created_by_id_users_id_fk" FOREIGN KEY ("created_by_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "claims_status_idx" ON "claims" USING btree ("status","category");--> statement-breakpoint
CREATE INDEX "claims_channels_idx" ON "claims" USING gin ("channels");--> statement-breakpoint
CREATE INDEX "claims_regions_idx" ON "claims" USING gin ("regions");