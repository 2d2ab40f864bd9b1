ALTER TABLE "partner_organisations" ADD COLUMN "paused_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "partner_organisations" ADD COLUMN "terminated_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "partner_organisations" ADD COLUMN "status_reason" text;