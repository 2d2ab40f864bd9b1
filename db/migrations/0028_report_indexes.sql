CREATE INDEX "partner_organisations_first_live_idx" ON "partner_organisations" USING btree ("first_link_live_at");--> statement-breakpoint
CREATE INDEX "creative_versions_submitted_idx" ON "creative_versions" USING btree ("submitted_at");--> statement-breakpoint
CREATE INDEX "creative_versions_decided_idx" ON "creative_versions" USING btree ("decided_at");--> statement-breakpoint
CREATE INDEX "review_stages_decided_idx" ON "review_stages" USING btree ("decided_at");--> statement-breakpoint
CREATE INDEX "link_click_daily_day_idx" ON "link_click_daily" USING btree ("day");--> statement-breakpoint
CREATE INDEX "conversion_daily_day_idx" ON "conversion_daily" USING btree ("day");