CREATE TYPE "public"."policy_version_status" AS ENUM('draft', 'published');--> statement-breakpoint
CREATE TABLE "policies" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"key" text NOT NULL,
	"title" text NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"required" boolean DEFAULT true NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "policy_versions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"policy_id" uuid NOT NULL,
	"status" "policy_version_status" DEFAULT 'draft' NOT NULL,
	"number" integer,
	"body" text NOT NULL,
	"change_summary" text DEFAULT '' NOT NULL,
	"content_hash" text,
	"material" boolean DEFAULT false NOT NULL,
	"author_id" uuid,
	"published_by_id" uuid,
	"published_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "policy_versions" ADD CONSTRAINT "policy_versions_policy_id_policies_id_fk" FOREIGN KEY ("policy_id") REFERENCES "public"."policies"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "policy_versions" ADD CONSTRAINT "policy_versions_author_id_users_id_fk" FOREIGN KEY ("author_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "policy_versions" ADD CONSTRAINT "policy_versions_published_by_id_users_id_fk" FOREIGN KEY ("published_by_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "policies_key_uq" ON "policies" USING btree ("key");--> statement-breakpoint
CREATE UNIQUE INDEX "policy_versions_number_uq" ON "policy_versions" USING btree ("policy_id","number");--> statement-breakpoint
CREATE UNIQUE INDEX "policy_versions_one_draft_uq" ON "policy_versions" USING btree ("policy_id") WHERE "policy_versions"."status" = 'draft';--> statement-breakpoint
CREATE INDEX "policy_versions_policy_idx" ON "policy_versions" USING btree ("policy_id","published_at");