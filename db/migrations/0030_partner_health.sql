ALTER TABLE "partner_organisations" ADD COLUMN "health_score" smallint;--> statement-breakpoint
ALTER TABLE "partner_organisations" ADD COLUMN "health_scored_at" timestamp with time zone;--> statement-breakpoint
CREATE INDEX "partner_organisations_health_idx" ON "partner_organisations" USING btree ("health_score");