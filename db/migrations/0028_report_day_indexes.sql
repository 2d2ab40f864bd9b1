CREATE INDEX "link_click_daily_day_idx" ON "link_click_daily" USING btree ("day");--> statement-breakpoint
CREATE INDEX "conversion_daily_day_idx" ON "conversion_daily" USING btree ("day");