CREATE TYPE "public"."review_stage_name" AS ENUM('brand', 'legal');--> statement-breakpoint
CREATE TYPE "public"."review_stage_status" AS ENUM('waiting', 'pending', 'approved', 'approved_with_changes', 'changes_requested', 'rejected', 'cancelled');--> statement-breakpoint
ALTER TYPE "public"."creative_status" ADD VALUE 'revoked';--> statement-breakpoint
CREATE TABLE "approval_matrices" (
	"version" integer PRIMARY KEY NOT NULL,
	"rules" jsonb NOT NULL,
	"mode" text NOT NULL,
	"sla_hours" jsonb NOT NULL,
	"business_hours" jsonb NOT NULL,
	"created_by_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "creative_comments" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"creative_id" uuid NOT NULL,
	"version_id" uuid NOT NULL,
	"number" integer NOT NULL,
	"file_id" uuid,
	"page" integer,
	"x" real,
	"y" real,
	"body" text NOT NULL,
	"author_id" uuid NOT NULL,
	"resolved_at" timestamp with time zone,
	"resolved_by_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "creative_file_pages" (
	"file_id" uuid NOT NULL,
	"page" integer NOT NULL,
	"storage_key" text NOT NULL,
	"width" integer NOT NULL,
	"height" integer NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "creative_file_pages_file_id_page_pk" PRIMARY KEY("file_id","page")
);
--> statement-breakpoint
CREATE TABLE "review_stages" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"creative_id" uuid NOT NULL,
	"version_id" uuid NOT NULL,
	"version_number" integer NOT NULL,
	"stage" "review_stage_name" NOT NULL,
	"position" integer NOT NULL,
	"status" "review_stage_status" NOT NULL,
	"required_by" text NOT NULL,
	"confirms_version" integer,
	"carried_from_version" integer,
	"started_at" timestamp with time zone,
	"due_at" timestamp with time zone,
	"assignee_id" uuid,
	"assigned_at" timestamp with time zone,
	"decided_by_id" uuid,
	"decided_at" timestamp with time zone,
	"comment" text,
	"reminded_at" timestamp with time zone,
	"reminders" integer DEFAULT 0 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "creative_versions" ADD COLUMN "prescreen_blocked_attempts" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "creative_versions" ADD COLUMN "routing" jsonb;--> statement-breakpoint
ALTER TABLE "creative_versions" ADD COLUMN "outcome" text;--> statement-breakpoint
ALTER TABLE "creative_versions" ADD COLUMN "decided_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "creatives" ADD COLUMN "approved_version" integer;--> statement-breakpoint
ALTER TABLE "creatives" ADD COLUMN "revoked_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "creatives" ADD COLUMN "revoked_by_id" uuid;--> statement-breakpoint
ALTER TABLE "creatives" ADD COLUMN "revoked_reason" text;--> statement-breakpoint
ALTER TABLE "creatives" ADD COLUMN "prescreen_blocked_attempts" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "approval_matrices" ADD CONSTRAINT "approval_matrices_created_by_id_users_id_fk" FOREIGN KEY ("created_by_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "creative_comments" ADD CONSTRAINT "creative_comments_creative_id_creatives_id_fk" FOREIGN KEY ("creative_id") REFERENCES "public"."creatives"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "creative_comments" ADD CONSTRAINT "creative_comments_version_id_creative_versions_id_fk" FOREIGN KEY ("version_id") REFERENCES "public"."creative_versions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "creative_comments" ADD CONSTRAINT "creative_comments_file_id_creative_files_id_fk" FOREIGN KEY ("file_id") REFERENCES "public"."creative_files"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "creative_comments" ADD CONSTRAINT "creative_comments_author_id_users_id_fk" FOREIGN KEY ("author_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "creative_comments" ADD CONSTRAINT "creative_comments_resolved_by_id_users_id_fk" FOREIGN KEY ("resolved_by_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "creative_file_pages" ADD CONSTRAINT "creative_file_pages_file_id_creative_files_id_fk" FOREIGN KEY ("file_id") REFERENCES "public"."creative_files"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "review_stages" ADD CONSTRAINT "review_stages_creative_id_creatives_id_fk" FOREIGN KEY ("creative_id") REFERENCES "public"."creatives"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "review_stages" ADD CONSTRAINT "review_stages_version_id_creative_versions_id_fk" FOREIGN KEY ("version_id") REFERENCES "public"."creative_versions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "review_stages" ADD CONSTRAINT "review_stages_assignee_id_users_id_fk" FOREIGN KEY ("assignee_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "review_stages" ADD CONSTRAINT "review_stages_decided_by_id_users_id_fk" FOREIGN KEY ("decided_by_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "creative_comments_number_uq" ON "creative_comments" USING btree ("version_id","number");--> statement-breakpoint
CREATE INDEX "creative_comments_creative_idx" ON "creative_comments" USING btree ("creative_id");--> statement-breakpoint
CREATE UNIQUE INDEX "creative_file_pages_storage_key_uq" ON "creative_file_pages" USING btree ("storage_key");--> statement-breakpoint
CREATE UNIQUE INDEX "review_stages_version_stage_uq" ON "review_stages" USING btree ("version_id","stage");--> statement-breakpoint
CREATE INDEX "review_stages_open_idx" ON "review_stages" USING btree ("status","due_at");--> statement-breakpoint
CREATE INDEX "review_stages_creative_idx" ON "review_stages" USING btree ("creative_id","version_number");--> statement-breakpoint
CREATE INDEX "review_stages_assignee_idx" ON "review_stages" USING btree ("assignee_id","status");--> statement-breakpoint
ALTER TABLE "creatives" ADD CONSTRAINT "creatives_revoked_by_id_users_id_fk" FOREIGN KEY ("revoked_by_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;