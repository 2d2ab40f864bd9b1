CREATE TYPE "public"."creative_file_kind" AS ENUM('image', 'pdf', 'video');--> statement-breakpoint
CREATE TYPE "public"."creative_status" AS ENUM('draft', 'submitted', 'in_review', 'changes_requested', 'approved', 'rejected', 'withdrawn');--> statement-breakpoint
CREATE TABLE "creative_files" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"creative_id" uuid NOT NULL,
	"kind" "creative_file_kind" NOT NULL,
	"storage_key" text NOT NULL,
	"preview_key" text,
	"content_type" text NOT NULL,
	"original_filename" text NOT NULL,
	"byte_size" bigint NOT NULL,
	"sha256" text NOT NULL,
	"width" integer,
	"height" integer,
	"page_count" integer,
	"detached_at" timestamp with time zone,
	"uploaded_by_id" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "creative_version_files" (
	"version_id" uuid NOT NULL,
	"file_id" uuid NOT NULL,
	"position" integer NOT NULL,
	CONSTRAINT "creative_version_files_version_id_file_id_pk" PRIMARY KEY("version_id","file_id")
);
--> statement-breakpoint
CREATE TABLE "creative_versions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"creative_id" uuid NOT NULL,
	"number" integer NOT NULL,
	"title" text NOT NULL,
	"channel" text NOT NULL,
	"placement" text NOT NULL,
	"planned_launch_on" date,
	"destination_url" text NOT NULL,
	"copy" text NOT NULL,
	"claims" jsonb NOT NULL,
	"disclosure" text NOT NULL,
	"findings" jsonb NOT NULL,
	"rule_set_version" integer NOT NULL,
	"submitted_by_id" uuid NOT NULL,
	"submitted_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "creatives" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"organisation_id" uuid NOT NULL,
	"status" "creative_status" DEFAULT 'draft' NOT NULL,
	"title" text NOT NULL,
	"channel" text NOT NULL,
	"placement" text DEFAULT '' NOT NULL,
	"planned_launch_on" date,
	"destination_url" text DEFAULT '' NOT NULL,
	"copy" text DEFAULT '' NOT NULL,
	"claim_ids" uuid[] DEFAULT '{}'::uuid[] NOT NULL,
	"disclosure" text DEFAULT '' NOT NULL,
	"latest_version" integer DEFAULT 0 NOT NULL,
	"submitted_at" timestamp with time zone,
	"decided_at" timestamp with time zone,
	"withdrawn_at" timestamp with time zone,
	"withdrawn_reason" text,
	"created_by_id" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "creatives_copy_length_ck" CHECK (char_length("creatives"."copy") <= 5000)
);
--> statement-breakpoint
CREATE TABLE "prescreen_rule_sets" (
	"version" integer PRIMARY KEY NOT NULL,
	"rules" jsonb NOT NULL,
	"created_by_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "creative_files" ADD CONSTRAINT "creative_files_creative_id_creatives_id_fk" FOREIGN KEY ("creative_id") REFERENCES "public"."creatives"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "creative_files" ADD CONSTRAINT "creative_files_uploaded_by_id_users_id_fk" FOREIGN KEY ("uploaded_by_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "creative_version_files" ADD CONSTRAINT "creative_version_files_version_id_creative_versions_id_fk" FOREIGN KEY ("version_id") REFERENCES "public"."creative_versions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "creative_version_files" ADD CONSTRAINT "creative_version_files_file_id_creative_files_id_fk" FOREIGN KEY ("file_id") REFERENCES "public"."creative_files"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "creative_versions" ADD CONSTRAINT "creative_versions_creative_id_creatives_id_fk" FOREIGN KEY ("creative_id") REFERENCES "public"."creatives"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "creative_versions" ADD CONSTRAINT "creative_versions_submitted_by_id_users_id_fk" FOREIGN KEY ("submitted_by_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "creatives" ADD CONSTRAINT "creatives_organisation_id_partner_organisations_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."partner_organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "creatives" ADD CONSTRAINT "creatives_created_by_id_users_id_fk" FOREIGN KEY ("created_by_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "prescreen_rule_sets" ADD CONSTRAINT "prescreen_rule_sets_created_by_id_users_id_fk" FOREIGN KEY ("created_by_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "creative_files_creative_idx" ON "creative_files" USING btree ("creative_id","created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "creative_files_storage_key_uq" ON "creative_files" USING btree ("storage_key");--> statement-breakpoint
CREATE UNIQUE INDEX "creative_versions_number_uq" ON "creative_versions" USING btree ("creative_id","number");--> statement-breakpoint
CREATE INDEX "creatives_org_idx" ON "creatives" USING btree ("organisation_id","updated_at");--> statement-breakpoint
CREATE INDEX "creatives_status_idx" ON "creatives" USING btree ("status","submitted_at");